"""The overview of one view, as data: the options of a selection and the frame the overview shows.

``choices`` lists the rows of a design table as (label, id) options, "(all)" first; the explorers
offer them as drop-downs. ``render_frame`` draws one ``View``: its diagram, legend and port rows,
as HTML. Both are pure; the widget over them is ``officenet.explorers.overview_explorer.OverviewExplorer``.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from ..model.design import Design
from ..derive.diagram import figure
from ..derive.drawing import figure_html
from .render import SvgCache, inline_svg
from ..derive.tables import port_table_html
from ..model.view import View

ALL = "(all)"


def choices(design: Design, table: str, everything: str = ALL):
    """(label, id) of each row of ``table``, after (``everything``, None) which selects them all."""
    rows = getattr(design, table)
    if table in ("user_types", "traffic_types"):
        rows = sorted(rows, key=lambda r: r.order)
    return [(everything, None)] + [(design.label(r.id), r.id) for r in rows]


@dataclass(frozen=True)
class Frame:
    """What the overview shows for one view."""

    view: View
    dot: str
    svg: str
    ports_html: str
    port_count: int
    legend_html: str = ""

    def html(self, design: Design) -> str:
        caption = (f"<p><b>{self.port_count}</b> port rows for "
                   f"<b>{html.escape(self.view.describe(design))}</b></p>")
        return caption + figure_html(self.svg, self.legend_html) + self.ports_html


def render_frame(design: Design, view: View, svg_of=None) -> Frame:
    svg_of = svg_of or SvgCache()
    drawn = figure(design, view)
    dot = drawn.dot
    # Graphviz runs in its own process: build the table while it lays out the diagram.
    start = getattr(svg_of, "start", None)
    picture = start(dot) if start else (lambda: svg_of(dot))
    table, count = port_table_html(design, view)
    return Frame(view, dot, inline_svg(picture()), table, count, drawn.legend_html())
