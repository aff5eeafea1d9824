"""The stoplight: one row per rule of checks.csv, red, amber or green by its findings, with its reason and fix."""
from __future__ import annotations

import pandas as pd

from ..model.records import Rule
from .checks import Finding

LIGHT = {"error": "red", "warning": "amber", "info": "amber"}


def stoplight(findings: list[Finding], rules: tuple[Rule, ...]) -> pd.DataFrame:
    """One row per rule: red, amber or green, how many findings, the reason and the fix."""
    rows = []
    for r in rules:
        mine = [f for f in findings if f.check == r.id]
        rows.append({"check": r.id, "light": LIGHT[r.severity] if mine else "green", "findings": len(mine),
                     "title": r.title, "where": "; ".join(f.subject for f in mine[:3]) + (" …" if len(mine) > 3 else ""),
                     "reason": r.reason, "fix": r.fix, "source": r.source})
    order = {"red": 0, "amber": 1, "green": 2}
    frame = pd.DataFrame(rows)
    frame["_o"] = frame["light"].map(order)
    return frame.sort_values(["_o", "check"]).drop(columns="_o").set_index("check")
