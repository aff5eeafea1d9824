"""Support dates of the products a design uses, measured against a given day (lifecycle.csv).

Pure: a design, the products its organisation deploys and a date in; rows out. The date is always
given (a scenario's ``today``), never read from the clock, so the same answers give the same findings.
"""
from __future__ import annotations

import datetime
from typing import Iterable, Iterator

import pandas as pd

from ..model.design import Design
from ..model.records import Lifecycle

WARN_DAYS = 365  # "ending within a year"


def in_use(design: Design, products: Iterable[str]) -> tuple[Lifecycle, ...]:
    """The lifecycle rows of the design's release for what it deploys: its products, and components
    with a lifecycle of their own (the DirectAccess server)."""
    used = set(products) | {c.id for c in design.components}
    return tuple(r for r in design.lifecycle if r.release == design.release and r.product in used)


def support_state(row: Lifecycle, today: datetime.date) -> str:
    """ended, ending (within a year of ``today``), deprecated, or supported."""
    if row.policy == "deprecated":
        return "deprecated"
    if row.extended_end is None:
        return "supported"
    if row.extended_end < today:
        return "ended"
    return "ending" if (row.extended_end - today).days <= WARN_DAYS else "supported"


def lifecycle_findings(design: Design, products: Iterable[str], today: datetime.date) -> Iterator[tuple[str, str]]:
    """(subject, detail) for each product in use that is out of support, deprecated, or ends within a year."""
    for row in in_use(design, products):
        state = support_state(row, today)
        successor = f"successor: {row.successor}" if row.successor else "no successor announced"
        if state == "ended":
            mainstream = f", mainstream support ended {row.mainstream_end}" if row.mainstream_end else ""
            yield (f"lifecycle:{row.id}", f"{row.name} is out of support since {row.extended_end}"
                                          f"{mainstream}; {successor}")
        elif state == "ending":
            days = (row.extended_end - today).days
            yield f"lifecycle:{row.id}", f"{row.name} support ends on {row.extended_end} (in {days} days); {successor}"
        elif state == "deprecated":
            yield f"lifecycle:{row.id}", f"{row.name} is deprecated (no longer developed); {successor}"


def lifecycle_table(design: Design, today: datetime.date | None = None) -> pd.DataFrame:
    """Every lifecycle row of every release, with its state on ``today`` when one is given."""
    releases = {r.id: r.name for r in design.releases}
    return pd.DataFrame([{"release": releases.get(r.release, r.release), "product": r.name, "policy": r.policy,
                          "released": r.released, "end of mainstream": r.mainstream_end or "",
                          "end of extended": r.extended_end or "", "successor": r.successor,
                          **({"state": support_state(r, today)} if today else {}), "source": r.source}
                         for r in sorted(design.lifecycle, key=lambda r: (r.release, r.product))])
