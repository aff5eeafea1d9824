"""The designs an architect keeps: scenario files in one folder, listed, the last saved found again.

Notebook 06 saves into ``scenarios/`` beside the reference scenarios (``../scenarios`` from the notebooks,
which is where both JupyterLab's and Voila's kernels run; ``notebooks/scenarios`` links to it so JupyterLab's
file browser shows the files too). A design the reader saves is ``my-<name>.yaml``: never one of the
project's own files, and the newest of them is where the form starts next time.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..loading.scenario_file import load_scenario
from ..model.design import Design
from ..model.scenario import Scenario, ScenarioError, scenario_yaml
from .files import atomic_write

SAVED_PREFIX = "my-"


def save_scenario(s: Scenario, path: str | Path) -> Path:
    """Write atomically: a temporary file beside the target, then one rename (a failed save keeps the old file)."""
    return atomic_write(Path(path), scenario_yaml(s))


def file_name(name: str) -> str:
    """The file a design of this name is saved as: 'Fabrikam (Paris)' -> 'my-fabrikam-paris.yaml'."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-") or "design"
    return f"{SAVED_PREFIX}{slug}.yaml"


def saved_designs(folder: str | Path) -> list[Path]:
    """Every scenario file of the folder: the reader's own first (newest first), then the others by name."""
    folder = Path(folder)
    files = [p for p in folder.glob("*.yaml") if p.is_file()] if folder.is_dir() else []
    mine = sorted((p for p in files if p.name.startswith(SAVED_PREFIX)), key=lambda p: (-p.stat().st_mtime, p.name))
    return mine + sorted(p for p in files if not p.name.startswith(SAVED_PREFIX))


def last_saved(folder: str | Path) -> Path | None:
    """The reader's most recently saved design, if any."""
    mine = [p for p in saved_designs(folder) if p.name.startswith(SAVED_PREFIX)]
    return mine[0] if mine else None


def starting_design(folder: str | Path, design: Design, default: Scenario | None = None
                    ) -> tuple[Scenario, Path | None, str]:
    """(scenario, its file, a note) to start from: the last saved design when it loads, else ``default``."""
    path, note = last_saved(folder), ""
    if path is not None:
        try:
            return load_scenario(path, design), path, f"your last saved design, {path.name}"
        except ScenarioError as error:
            note = f"{path.name} did not load ({len(error.problems)} problems), so "
    scenario = default or Scenario.default_for(design)
    return scenario, None, note + f"the example {scenario.name}"


def save_design(scenario: Scenario, folder: str | Path, name: str | None = None) -> Path:
    """Write the scenario as ``folder``/``name`` (by default my-<its name>.yaml), atomically."""
    return save_scenario(scenario, Path(folder) / (name or file_name(scenario.name)))
