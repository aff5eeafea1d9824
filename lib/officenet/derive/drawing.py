"""The one diagram builder: graph settings, nodes, edges, clusters and the legend of every diagram.

Every picture of officenet (overview, gateway, load balancing, remote access, DNS, a design and
its comparison) is written through ``Builder``, so they share one look and one layout policy:
landscape left to right, compact spacing chosen by measuring (tests/edge/test_legibility_browser.py),
one text size for every label but titles (10 points), and no legend inside the picture. The legend is made from the edges the
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
# Node and detail text 10 points, edge labels 9: in JupyterLab's 828 px output at 1280 x 720 the
# whole design (811 points wide, long names on two lines) is scaled to 0.77, so 9 points come out
# at 9.2 px; before, 8.5 points on a 936-point picture came out at 7.6 px. At 10 points, edge
# labels placed after the layout ran into node names (tests/edge/test_legibility_browser.py measures).
# Graphviz 2.43 rounds an HTML label's POINT-SIZE to whole points.
TITLE_PT, NODE_PT, SMALL_PT, EDGE_PT = "13", "10", "10", "9"
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
class Stroke:
    """How a line style is drawn: Graphviz's dash pattern, how many parallel lines, how heavy."""

    dash: str = "solid"   # Graphviz style: solid, dashed or dotted
    lines: int = 1        # parallel lines (drawn by Graphviz as a colour list with gaps)
    weight: float = 1.0   # times the pen width the diagram asks for (single lines only)


# Every traffic type has a line style of its own (data/traffic_types.csv, records.LINE_STYLES), so
# the diagrams and their legends read in black and white too, not by colour alone. Pen widths of
# double and triple lines are fixed: thin enough that the gap between the lines shows.
STROKES = {
    "solid": Stroke(), "dashed": Stroke("dashed"), "dotted": Stroke("dotted"),
    "thick": Stroke(weight=1.75), "thick-dashed": Stroke("dashed", weight=1.75),
    "thick-dotted": Stroke("dotted", weight=1.75),
    "double": Stroke(lines=2), "double-dashed": Stroke("dashed", lines=2), "double-dotted": Stroke("dotted", lines=2),
    "triple": Stroke(lines=3),
}
MULTI_PEN = {2: 1.2, 3: 1.0}
# Graphviz's SVG dash patterns, repeated by the legend's swatches.
DASHARRAY = {"solid": "", "dashed": "5,2", "dotted": "1,5"}


def stroke_attrs(colour: str, style: str, penwidth: str | None) -> dict[str, str]:
    """The Graphviz attributes of an edge drawn in ``style`` (a ``STROKES`` name or a Graphviz style)."""
    stroke = STROKES.get(style)
    if stroke is None or (stroke.lines == 1 and stroke.weight == 1):  # as Graphviz draws it
        return {"color": colour, "style": style, **({"penwidth": penwidth} if penwidth else {})}
    if stroke.lines > 1:
        width, colours = MULTI_PEN[stroke.lines], ":invis:".join([colour] * stroke.lines)
    else:
        width, colours = float(penwidth or 1) * stroke.weight, colour
    return {"color": colours, "style": stroke.dash, "penwidth": f"{width:g}"}


def swatch_html(colour: str, style: str, width: int = 24, pen: float = 2) -> str:
    """A short line drawn as the diagrams draw ``style`` (borders, so it prints in black and white
    and needs no SVG): the legend's swatch. ``data-colour`` names the colour for the measurements."""
    stroke = STROKES.get(style, Stroke(style if style in DASHARRAY else "solid"))
    colour = html.escape(colour)
    if stroke.lines > 1:
        w = MULTI_PEN[stroke.lines] + 0.3  # a hair heavier than on the diagram: a swatch is short
        gap = "2px"
    else:
        w, gap = pen * stroke.weight, "0"
    lines = "".join(f'<span style="display:block;border-top:{w:g}px {stroke.dash} {colour};margin-top:{gap if i else 0}">'
                    "</span>" for i in range(stroke.lines))
    return (f'<span class="officenet-swatch" data-colour="{colour}" aria-hidden="true" style="display:inline-block;'
            f'width:{width}px;vertical-align:middle;margin-right:4px;flex:none">{lines}</span>')


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: a stroke as the diagram draws it and what it means."""

    colour: str
    style: str
    label: str
    order: float = 0

    def html(self) -> str:
        return (f'<span class="officenet-legend-entry" style="display:inline-flex;align-items:center;'
                f'margin:0 10px 0 0;white-space:nowrap">{swatch_html(self.colour, self.style)}'
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
        stroke = stroke_attrs(colour, style, attributes.pop("penwidth", None))
        self._lines.append(f"  {quoted(a)} -> {quoted(b)} " + attrs(**stroke, **attributes))
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


def wrap_ports(text: str, width: int = 18) -> str:
    """A port list broken after its commas into lines of about ``width`` characters."""
    lines, line = [], ""
    for part in text.split(", "):
        candidate = f"{line}, {part}" if line else part
        if line and len(candidate) > width:
            lines.append(line + ",")
            line = part
        else:
            line = candidate
    return "\n".join(lines + [line])


def small(text_markup: str) -> str:
    """Markup in the small size of the house style (for detail lines in HTML-like labels)."""
    return f'<FONT POINT-SIZE="{SMALL_PT}">{text_markup}</FONT>'


__all__ = ["Builder", "Figure", "LegendEntry", "HtmlLabel", "STROKES", "figure_html", "small", "stroke_attrs",
           "swatch_html", "wrap_ports", "SVG_STYLE"]
