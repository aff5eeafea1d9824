"""Your design, as HTML: the views of an organisation that the your-design app shows.

``findings_html`` shows the findings as a stoplight, ``trace_html`` a flow trace with the
flow's path on the diagram, ``compare_html`` the differences from the reference and both
diagrams, ``error_html`` why the answers are not a scenario yet. Each is a pure function of
the organisation, which the tests and notebook 06 call directly; the form and the app over
them are in ``officenet.explorers.yourdesign_explorer``.
"""
from __future__ import annotations

import html

import pandas as pd

from ..derive.diagram import figure
from ..derive.organisation import Organisation, compare
from .render import SvgCache
from ..derive.trace import trace_flow
from ..model.view import View
from .display import figure_html

LIGHT_COLOUR = {"red": "#c62828", "amber": "#ef8f00", "green": "#2e7d32"}


def findings_html(org: Organisation) -> str:
    table = org.stoplight()
    counts = table["light"].value_counts()
    head = " · ".join(f'<span style="color:{LIGHT_COLOUR[c]}">●</span> {int(counts.get(c, 0))} {c}'
                      for c in ("red", "amber", "green"))
    rows = "".join(
        f'<tr><td style="color:{LIGHT_COLOUR[r["light"]]};font-size:18px">●</td><td>{html.escape(check)}</td>'
        f'<td>{r["findings"]}</td><td>{html.escape(r["title"])}</td><td>{html.escape(r["where"])}</td>'
        f'<td>{html.escape(r["fix"]) if r["findings"] else ""}</td><td><small>{html.escape(r["source"])}</small></td></tr>'
        for check, r in table.iterrows())
    return (f"<p><b>{html.escape(org.scenario.name)}</b>: {head}</p><table><tr><th></th><th>check</th><th>found</th>"
            f"<th>rule</th><th>where</th><th>fix</th><th>source</th></tr>{rows}</table>")


def trace_html(org: Organisation, flow_id: str, svg_of=None) -> str:
    svg_of = svg_of or SvgCache()
    trace = trace_flow(org.design, flow_id)
    return trace._repr_html_() + figure_html(figure(org.design, View(flow=flow_id)), svg_of)


def compare_html(reference: Organisation, org: Organisation, svg_of=None) -> str:
    svg_of = svg_of or SvgCache()
    diff = compare(reference, org)
    with pd.option_context("display.max_colwidth", None):  # the whole item, not an ellipsis
        table = ("<p>No difference: the answers give the reference design.</p>" if diff.empty
                 else diff.to_html(index=False, escape=True))
    # One above the other, each the full width: side by side, each was half as legible.
    stacked = "".join(f'<h4>{html.escape(o.scenario.name)}</h4>{figure_html(o.figure(), svg_of)}' for o in (reference, org))
    return table + stacked


def error_html(error: Exception) -> str:
    return ('<div style="border-left:6px solid #c62828;padding:4px 10px"><b>The answers are not a valid '
            f"scenario yet</b><pre>{html.escape(str(error))}</pre></div>")


def flow_names(design) -> list[tuple[str, str]]:
    """(name, id) of every flow, in words: 'Roaming employees → Lync: Lync web via DirectAccess', a server's
    flow by its hops ('Client Access → Mailbox: ...'). A name two flows share gets the flow's id."""
    def name(f) -> str:
        if not f.user_type:
            return " → ".join(design.label(h) for h in f.path) + f": {design.traffic_type(f.traffic_type).name}"
        via = [h for h in f.path if design.component(h).kind == "remote_access"]
        return (f"{design.label(f.user_type)} → {design.label(f.product)}: {design.traffic_type(f.traffic_type).name}"
                + (f" via {design.label(via[0])}" if via else ""))
    names = [(name(f), f.id) for f in design.flows]
    shared = {n for n, _ in names if sum(m == n for m, _ in names) > 1}
    return [(f"{n} ({i})" if n in shared else n, i) for n, i in names]
