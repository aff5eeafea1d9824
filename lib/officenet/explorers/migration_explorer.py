"""The migration explorer: the same organisation on two releases, one diagram each, with the differences
of ``officenet.derive.migration`` marked beside it (what the 2013 design loses, what today's gains)."""
from __future__ import annotations

import html

from ..derive.migration import AREAS, marked, migration
from ..derive.organisation import Organisation
from ..edge.display import figure_html
from .base import Explorer

AREA_NAMES = {"gateway": "gateway permits", "dns": "DNS records", "certificates": "certificate names"}
SIDES = {"after": ("added", "changed"), "before": ("removed",)}  # which differences each side's table shows


class MigrationExplorer(Explorer):
    """A release (before or after the migration) and an area: that release's diagram and its differences."""

    title = "From the 2013 poster to today's editions"

    def __init__(self, before: Organisation, after: Organisation, **initial):
        self.orgs = {"before": before, "after": after}
        self.frame = migration(before, after)
        super().__init__(after.design, **initial)

    def dimensions(self):
        # short labels: the organisations' names are in the view's first line
        return {"release": [(f"{self.orgs['before'].design.release} (before)", "before"),
                            (f"{self.orgs['after'].design.release} (after)", "after")],
                "area": [("(all three areas)", None)] + [(AREA_NAMES[a], a) for a in AREAS]}

    def render(self, release="before", area=None) -> str:
        org, changes = self.orgs[release], SIDES[release]
        rows = self.frame[self.frame["change"].isin(changes)]
        if area:
            rows = rows[rows["area"] == area]
        what = " or ".join(changes)
        head = (f"<p><b>{html.escape(org.scenario.name)}</b>: <b>{len(rows)}</b> items {what} by the migration"
                + (f" in {html.escape(area)}" if area else "") + ".</p>")
        table = marked(rows.reset_index(drop=True)).to_html() if len(rows) else f"<p>Nothing {what} here.</p>"
        return head + figure_html(org.figure(), self.svg) + table
