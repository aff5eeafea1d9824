"""Your organisation, derived: a scenario applied to the reference design, with every
artefact the architect needs (ports, findings, and the exports added by later modules),
and a side-by-side comparison of two organisations.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import pandas as pd

from .apply import apply_scenario
from .checks import run_checks, stoplight
from .design import Design
from .diagram import to_dot
from .scenario import Scenario
from .tables import flow_table, port_matrix
from .view import View


def _findings(design: Design, scenario: Scenario) -> pd.DataFrame:
    found = run_checks(design, scenario)
    return pd.DataFrame([{"check": f.check, "severity": f.severity, "subject": f.subject, "detail": f.detail}
                         for f in found], columns=["check", "severity", "subject", "detail"])


# artefact name -> (function of the derived design and scenario, columns that identify a row for comparison)
ARTEFACTS: dict[str, tuple[Callable[[Design, Scenario], pd.DataFrame], tuple[str, ...]]] = {
    "flows": (lambda d, s: flow_table(d).reset_index(), ("id", "path")),
    "ports": (lambda d, s: port_matrix(d).reset_index(), ("protocol", "ports", "from", "to", "crossing")),
    "findings": (_findings, ("check", "subject")),
}


@dataclass(frozen=True)
class Organisation:
    scenario: Scenario
    design: Design
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def artefact(self, name: str) -> pd.DataFrame:
        """A derived table (computed once, returned as a copy so callers cannot change it)."""
        if name not in self._cache:
            producer, _ = ARTEFACTS[name]
            self._cache[name] = producer(self.design, self.scenario)
        return self._cache[name].copy()

    def stoplight(self) -> pd.DataFrame:
        return stoplight(run_checks(self.design, self.scenario))

    def dot(self, view: View = View()) -> str:
        return to_dot(self.design, view)


def organisation(reference: Design, scenario: Scenario) -> Organisation:
    return Organisation(scenario, apply_scenario(reference, scenario))


def compare(a: Organisation, b: Organisation, artefacts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Rows that differ between two organisations, artefact by artefact: what only A has, what only B has."""
    rows = []
    for name in artefacts or tuple(ARTEFACTS):
        keys = ARTEFACTS[name][1]
        left = {_key(r, keys) for r in a.artefact(name).to_dict("records")}
        right = {_key(r, keys) for r in b.artefact(name).to_dict("records")}
        for side, only in (("only in " + a.scenario.name, left - right), ("only in " + b.scenario.name, right - left)):
            for item in sorted(only):
                rows.append({"artefact": name, "side": side, "item": " · ".join(item)})
    return pd.DataFrame(rows, columns=["artefact", "side", "item"])


def _key(row: Mapping, keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(row[k]) for k in keys)
