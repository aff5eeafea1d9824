"""A scenario file read: YAML to a ``Scenario``, checked against a design's vocabulary when one is given."""
from __future__ import annotations

from pathlib import Path

import yaml

from ..model.design import Design
from ..model.errors import Problem
from ..model.scenario import Scenario, ScenarioError, scenario_from_dict


def load_scenario(path: str | Path, design: Design | None = None) -> Scenario:
    """The scenario of a YAML file; every problem is named with the file's name (its line for bad YAML).
    Given ``design``, unanswered items take its reference answers and every answer is checked against it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError([Problem(path.name, None, None, "a readable scenario file", found=exc.strerror or str(exc),
                                     fix="check the path")]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError([Problem(path.name, mark.line + 1 if mark else None, None, "valid YAML",
                                     found=str(getattr(exc, "problem", exc)),
                                     fix="check indentation and colons on that line")]) from None
    return scenario_from_dict(data, path.name, design)
