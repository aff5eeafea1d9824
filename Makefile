# Two commands set everything up on a fresh machine:
#   make lab    - install, then open the workbook in JupyterLab
#   make test   - install, then run every test (unit, golden, notebooks)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Every Python package comes pinned, with its hashes, from requirements.lock (make lock refreshes it).
LOCK := requirements.lock
# The install stamp names the content of pyproject.toml and the lock, not their dates: a fresh checkout
# (or a git worktree sharing this .venv) with the same dependencies does not reinstall; a changed lock does.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | sha256sum | cut -c1-16)
LAB_PORT ?= 8888
LAB_IP ?= 127.0.0.1
# Root may not start Jupyter without saying so.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: trust lab hub test accept bench system setup clean workshop handouts export lock fuzz review

# System programs from Debian: Graphviz's dot draws the diagrams; haproxy checks the exported
# load-balancer file; Chromium runs the browser tests of the handouts, JupyterLab and Voila; BIND,
# nftables and iproute2 run the exported zones and ruleset in the real-engine tests; node and npm
# install the class hub's proxy.
SYSTEM := dot:graphviz haproxy:haproxy chromium:chromium named:bind9 named-checkzone:bind9utils \
          dig:bind9-dnsutils nft:nftables ip:iproute2 node:nodejs npm:npm

# JupyterLab reads settings overrides from its environment: ours answer its news question (no news, no
# update check: a class room may be offline) so it never prompts a learner.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.d/officenet.json

# The class hub's proxy, from the npm registry, into the .venv (no global install).
CHP := $(VENV)/node/node_modules/.bin/configurable-http-proxy

# The library's bytecode, as an installed package has it (compileall skips what is current): the editable
# install leaves it to the first import, which cannot store it where PYTHONDONTWRITEBYTECODE is set, and then
# every kernel of the notebooks, handouts and tests compiles every module again.
setup: $(STAMP) system $(LAB_SETTINGS) $(CHP)
	@$(BIN)/python -m compileall -q lib

$(CHP): | system
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node configurable-http-proxy@4

$(LAB_SETTINGS): share/jupyter/lab/settings/overrides.d/officenet.json $(STAMP)
	install -D -m 644 $< $@

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; echo "requirements.lock misses a dependency of pyproject.toml: run make lock"; exit 1; }
	rm -f $(VENV)/.installed*
	touch $(STAMP)

# Resolve pyproject.toml's dependencies and test extras (and the build's setuptools) again, with the
# hashes of every file, into requirements.lock; pip-tools runs from its own venv under build/. Pins
# already in the lock are kept; make lock LOCK_FLAGS=--upgrade moves every package to its newest release.
LOCK_TOOLS := build/lock-tools
LOCK_FLAGS ?=
lock:
	$(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/pip install --quiet pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_TOOLS)/bin/pip-compile --quiet $(LOCK_FLAGS) --generate-hashes \
		--allow-unsafe --extra test --all-build-deps --strip-extras --no-emit-index-url --no-emit-find-links \
		-o $(LOCK) pyproject.toml

system:
	@bash tools/ensure-system.sh $(SYSTEM)

# Chromium for the browser tests (Debian's package; Playwright never downloads a browser).

# One self-contained, offline HTML page per notebook, and an index: build/handouts/
handouts: setup
	$(BIN)/python -m officenet.edge.handout --out build/handouts

# Configuration files of one organisation: make export SCENARIO=scenarios/fabrikam.yaml
SCENARIO ?= scenarios/fabrikam.yaml
export: setup
	$(BIN)/python -m officenet.edge.exports $(SCENARIO)

# Notebooks as shipped are trusted on arrival, so their stored diagrams show before anything runs.
NOTEBOOKS := $(wildcard notebooks/*.ipynb notebooks/workshop/*.ipynb notebooks/workshop/solutions/*.ipynb)
trust: setup
	@$(BIN)/jupyter trust $(NOTEBOOKS) >/dev/null

lab: setup trust
	$(BIN)/jupyter lab --notebook-dir=notebooks --ip=$(LAB_IP) --port=$(LAB_PORT) --no-browser $(ROOT_FLAG)

# The explorers as web apps for a class: widgets and outputs, no code (Voila, loopback only). The officenet
# template (share/jupyter/voila/templates/officenet) is Voila's lab page with every asset served locally, and
# the room's landing page; room/voila.py lists the series on it, keeps the solutions out, and culls the
# kernels of pages nobody has open any more. WORKSHOP_FLAGS adds Voila options, e.g.
#   make workshop WORKSHOP_FLAGS=--MappingKernelManager.cull_idle_timeout=600
WORKSHOP_PORT ?= 8866
WORKSHOP_FLAGS ?=
VOILA_PATH := $(CURDIR)/share/jupyter
workshop: setup trust
	JUPYTER_PATH=$(VOILA_PATH) $(BIN)/voila notebooks/ --no-browser --Voila.ip=$(LAB_IP) --port=$(WORKSHOP_PORT) --strip_sources=True --template=officenet --Voila.config_file_paths=$(CURDIR)/room $(WORKSHOP_FLAGS)

# A class on this machine: JupyterHub, one JupyterLab per learner on loopback (hub/jupyterhub_config.py).
#   make hub                                            learners are Unix accounts (run as root)
#   make hub HUB_USERS=shared HUB_PASSWORD=<room word>  learners pick a name; no isolation between them
HUB_USERS ?= system
HUB_PORT ?= 8000
hub: setup trust
	OFFICENET_HUB_USERS=$(HUB_USERS) OFFICENET_HUB_PASSWORD=$(HUB_PASSWORD) OFFICENET_HUB_IP=$(LAB_IP) \
	OFFICENET_HUB_PORT=$(HUB_PORT) $(BIN)/jupyterhub -f hub/jupyterhub_config.py

# Three workers (pytest-xdist), each given whole test files: a notebook's cells share one kernel, and a module's
# servers (JupyterLab, Voila, the hub) start once. Three on two cores: the browser tests wait on kernels and
# servers, and the third worker fills those waits (measured: 7 min 43 s against 8 min 1 s with two, fresh clone,
# set-up included). TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 3
test: setup
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# Accept the .actual files written by failed golden tests.
accept:
	$(BIN)/python tools/accept_golden.py

# The review sheet (docs/review.md) from data/requirements.csv, and the counts per planning page.
review: setup
	$(BIN)/python tools/review_sheet.py

bench: setup
	$(BIN)/python tools/bench.py

# Property-based tests on fresh random examples (make test runs a fixed-seed share of the same tests);
# the last line gives the number of examples, at least 10,000 in all.
fuzz: setup
	OFFICENET_FUZZ=1 $(BIN)/python -m pytest tests/test_fuzz.py -q -p no:cacheprovider

clean:
	rm -rf $(VENV) build .pytest_cache
