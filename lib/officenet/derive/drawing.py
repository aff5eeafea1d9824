"""The one diagram builder: graph settings, nodes, edges, clusters and the legend of every diagram.

Every picture of officenet (overview, gateway, load balancing, remote access, DNS, a design and
its comparison) is written through ``Builder``, so they share one look and one layout policy:
landscape left to right, compact spacing chosen by measuring (tests/edge/test_legibility_browser.py),
no text below 8 points, and no legend inside the picture. The legend is made from the edges the
diagram actually draws (colour, line style, meaning), in the order they were first drawn unless a
key says otherwise, and shown as a small HTML list under the SVG (``Figure.html``).

Pure: the builder only assembles DOT text and a ``Figure`` holds it with its legend; the edge draws
it (``edge.display.figure_html`` calls Graphviz through ``edge.render``, and shows a Figure in Jupyter).
This module never imports ipywidgets, so display code of any kind can use it.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from .dotlang import HtmlLabel, attrs, quoted

FONT = "Helvetica"
# Graphviz 2.43 rounds an HTML label's POINT-SIZE to whole points: the small size is a whole 9.
TITLE_PT, NODE_PT, SMALL_PT, EDGE_PT = "13", "10", "9", "8.5"
# Measured (see the module docstring): this spacing keeps the overview at about 940 x 540 points and
# the gateway at about 1060 x 650, which a 1400 px window, a 1000 px window, JupyterLab's 850 px
# column at 1280 px and an A4 landscape page all show with text >= 9 / 7 / 8 px / 6 pt.
GRAPH = dict(rankdir="LR", newrank="true", compound="true", nodesep="0.14", ranksep="0.2",
             fontname=FONT, fontsize=TITLE_PT, labelloc="t", labeljust="l", pad="0.08", margin="0")
# Browsers draw "Helvetica" with a fallback a little wider than the font Graphviz measured: a wider
# side margin keeps bold labels inside their boxes.
NODE = dict(fontname=FONT, fontsize=NODE_PT, margin="0.08,0.03", height="0.3")
EDGE = dict(fontname=FONT, fontsize=EDGE_PT, arrowsize="0.55")
# How an SVG shows in HTML: scaled to the column, never beyond its own size, and short enough that a
# 1280 x 720 projector shows all of it (the drawing keeps its proportions inside the box).
SVG_STYLE = "max-width:100%;max-height:85vh;height:auto"


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: a stroke as the diagram draws it and what it means."""

    colour: str
    style: str
    label: str
    order: float = 0

    def html(self) -> str:
        line = {"solid": "solid", "dashed": "dashed", "dotted": "dotted", "bold": "solid"}.get(self.style, "solid")
        return (f'<span class="officenet-legend-entry" style="display:inline-flex;align-items:center;'
                f'margin:0 10px 0 0;white-space:nowrap">'
                f'<span data-colour="{html.escape(self.colour)}" style="display:inline-block;width:20px;'
                f'border-top:3px {line} {html.escape(self.colour)};margin-right:4px"></span>'
                f"{html.escape(self.label)}</span>")


@dataclass(frozen=True)
class Figure:
    """A diagram as DOT text plus the legend of what it draws; the edge shows it as SVG with the legend under it."""

    dot: str
    title: str = ""
    legend: tuple[LegendEntry, ...] = ()
    legend_title: str = "Legend"

    def legend_html(self) -> str:
        if not self.legend:
            return ""
        return (f'<div class="officenet-legend" role="list" aria-label="{html.escape(self.legend_title)}" '
                'style="display:inline-block;max-width:100%;font-size:11px;line-height:1.25;color:#222;'
                'margin:0 0 6px;padding:1px 6px;border:1px solid #d5d5d5;border-radius:4px">'
                f'<b style="margin-right:8px">{html.escape(self.legend_title)}:</b>'
                + "".join(e.html() for e in self.legend) + "</div>")

    def __repr__(self) -> str:
        return f"<Diagram: {self.title}>"


def figure_html(inline: str, legend_html: str = "") -> str:
    """An inline ``<svg>`` made to scale to its column, with its legend under it."""
    inline = inline.replace("<svg ", f'<svg style="{SVG_STYLE}" ', 1)
    return f'<div class="officenet-figure"><div class="officenet-diagram">{inline}</div>{legend_html}</div>'


class Builder:
    """Collects the lines of one DOT digraph; every attribute of the house style is set here."""

    def __init__(self, name: str, title: str, **graph):
        self.name = name
        self.title = title
        self._lines: list[str] = ["  graph " + attrs(**{**GRAPH, "label": title, **graph}),
                                  "  node " + attrs(**NODE), "  edge " + attrs(**EDGE)]
        self._indent = "  "
        self._legend: dict[tuple[str, str], LegendEntry] = {}

    # --- structure ---------------------------------------------------------------------
    def node(self, node_id: str, **attributes) -> None:
        self._lines.append(f"{self._indent}{quoted(node_id)} " + attrs(**attributes))

    def open_cluster(self, cluster_id: str, label: str, **attributes) -> None:
        self._lines.append(f"{self._indent}subgraph {quoted('cluster_' + cluster_id)} {{")
        self._indent += "  "
        self._lines.append(f"{self._indent}graph " + attrs(label=label, fontname=FONT, **attributes))

    def close_cluster(self) -> None:
        self._indent = self._indent[:-2]
        self._lines.append(f"{self._indent}}}")

    def same_rank(self, node_ids) -> None:
        ids = sorted(node_ids)
        if ids:
            self._lines.append("  { rank=same; " + "; ".join(quoted(i) for i in ids) + " }")

    def edge(self, a: str, b: str, *, colour: str, meaning: str | None, style: str = "solid",
             order: float = 0, **attributes) -> None:
        """An edge; ``meaning`` (with its colour and style) becomes a legend entry, None for none."""
        self._lines.append(f"  {quoted(a)} -> {quoted(b)} " + attrs(color=colour, style=style, **attributes))
        if meaning is not None:
            key = (colour.lower(), meaning)  # one entry per meaning: a greyed edge keeps no line style
            if key not in self._legend:
                self._legend[key] = LegendEntry(colour, style, meaning, order)

    def raw(self, line: str) -> None:
        """A line made elsewhere by ``dotlang`` (already quoted)."""
        self._lines.append(self._indent + line)

    # --- results -----------------------------------------------------------------------
    @property
    def legend(self) -> tuple[LegendEntry, ...]:
        entries = list(self._legend.values())
        return tuple(sorted(entries, key=lambda e: e.order))  # stable: equal orders keep drawing order

    def dot(self) -> str:
        return f"digraph {self.name} {{\n" + "\n".join(self._lines) + "\n}\n"

    def figure(self, legend_title: str = "Legend", title: str | None = None) -> Figure:
        return Figure(self.dot(), self.title if title is None else title, self.legend, legend_title)


def small(text_markup: str) -> str:
    """Markup in the small size of the house style (for detail lines in HTML-like labels)."""
    return f'<FONT POINT-SIZE="{SMALL_PT}">{text_markup}</FONT>'


__all__ = ["Builder", "Figure", "LegendEntry", "HtmlLabel", "figure_html", "small", "SVG_STYLE"]
