"""Scenarios written to disk, whole or not at all."""
from __future__ import annotations

from pathlib import Path

from ..model.scenario import Scenario, scenario_yaml
from .files import atomic_write


def save_scenario(s: Scenario, path: str | Path) -> Path:
    """Write atomically: a temporary file beside the target, then one rename (a failed save keeps the old file)."""
    return atomic_write(Path(path), scenario_yaml(s))
