"""Exercise 5: find the mistakes in a design a colleague broke on purpose.

The broken design is a scenario plus a few table edits; the design checks it fails are the answer.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Iterable

import pandas as pd

from ..derive.apply import apply_scenario
from ..derive.checks import run_checks
from ..model.design import Design
from ..model.scenario import Scenario
from .feedback import Feedback, empty_answer


BROKEN = {"reverse_proxy": "uag", "public_im": True, "remote_access": {"lync": "vpn"},
          "load_balancing": {"lync_web_internal": "dns", "lync_web_external": "dns"},
          "gateway_rules": ({"protocol": "TCP", "port": "3389", "to": "exchange_cas"},)}
# The colleague also changed two tables: (table, row id, new values or None to delete, what it means).
BROKEN_EDITS = (
    ("ports", "rp_to_web_4443", {"port": (443, 443)},
     "the reverse proxy forwards Lync web traffic to the external web services VIP on TCP 443"),
    ("dns_records", "int_lyncdiscoverinternal", None, "the internal DNS record lyncdiscoverinternal was deleted"),
)


def broken_scenario(design: Design) -> Scenario:
    """The colleague's answers, checked against ``design``."""
    return Scenario.default_for(design).with_(name="Broken on purpose", **BROKEN)


def broken_design(design: Design, edits=BROKEN_EDITS) -> Design:
    """The reference design with the colleague's table edits (or other ``edits`` of the same shape)."""
    changes = {}
    for table, row_id, values, _ in edits:
        rows = list(changes.get(table, getattr(design, table)))
        at = next(i for i, r in enumerate(rows) if r.id == row_id)
        if values is None:
            del rows[at]
        else:
            rows[at] = replace(rows[at], **values)
        changes[table] = tuple(rows)
    return replace(design, **changes, lines={})


def broken_edits() -> list[str]:
    """What the colleague changed in the tables, as a learner reads it."""
    return [f"{table}.csv, row {row_id}: {what}" for table, row_id, _, what in BROKEN_EDITS]


def broken_findings(design: Design):
    scenario = broken_scenario(design)
    return run_checks(apply_scenario(broken_design(design), scenario), scenario)


def check_mistakes(design: Design, answer: Iterable[str] | None) -> Feedback:
    """``answer``: the ids of the checks the broken design fails (see data/checks.csv)."""
    name = "Find the mistakes in the broken design"
    rules = {r.id: r for r in design.checks}
    expected = {f.check for f in broken_findings(design)}
    # What is missing is named by its area only, so that the check does not give the answer away.
    areas = lambda ids: tuple(f"{n} mistake{'s' if n > 1 else ''} about {area}" for area, n in
                              sorted(Counter(rules[i].applies_to for i in ids).items()))
    if empty_answer(answer):
        return Feedback(name, missing=areas(expected),
                        hints=("Read the scenario's answers and the table edits one by one against the poster's "
                               "rules; a wrong port or a missing record can break more than one rule.",))
    if isinstance(answer, str) or not isinstance(answer, Iterable) or not all(isinstance(a, str) for a in answer):
        return Feedback(name, wrong=(f"{answer!r}",), hints=("Write the answer as a list of check ids, "
                                                             "such as [\"uag_for_lync\"].",))
    given = set(answer)
    unknown = sorted(given - set(rules))
    hints = [f"'{u}' is not a check id; the ids are the first column of data/checks.csv" for u in unknown]
    if given - expected - set(unknown):
        hints.append("Each id is a row of data/checks.csv; its reason says when it applies.")
    return Feedback(name, tuple(sorted(given & expected)), areas(expected - given),
                    tuple(sorted(given - expected)), tuple(hints))


def rules_table(design: Design):
    """The design checks a learner answers exercise 05 with (the rules of the design's checks.csv): id, area, title."""
    return pd.DataFrame([(r.id, r.applies_to, r.title) for r in design.checks],
                        columns=["id", "area", "title"]).set_index("id")
