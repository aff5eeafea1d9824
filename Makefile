# Two commands set everything up on a fresh machine:
#   make lab    - install, then open the workbook in JupyterLab
#   make test   - install, then run every test (unit, golden, notebooks)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAB_PORT ?= 8888
LAB_IP ?= 127.0.0.1
# Root may not start Jupyter without saying so.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test accept bench graphviz chromium handouts setup clean

setup: $(STAMP) graphviz chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Graphviz's `dot` is the one system program we need.
graphviz:
	@bash tools/ensure-graphviz.sh

# Chromium for the browser tests (Debian's package; Playwright never downloads a browser).
chromium:
	@bash tools/ensure-chromium.sh

# One self-contained, offline HTML page per notebook, and an index: build/handouts/
handouts: $(STAMP) graphviz
	$(BIN)/python -m officenet.handout --out build/handouts

lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks --ip=$(LAB_IP) --port=$(LAB_PORT) --no-browser $(ROOT_FLAG)

test: setup
	$(BIN)/python -m pytest

# Accept the .actual files written by failed golden tests.
accept:
	$(BIN)/python tools/accept_golden.py

bench: setup
	$(BIN)/python tools/bench.py

clean:
	rm -rf $(VENV) build .pytest_cache
