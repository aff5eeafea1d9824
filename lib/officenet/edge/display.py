"""Result objects that show themselves in Jupyter and still carry their data.

A derivation returns a ``Figure`` (DOT text and its legend) and never calls Graphviz; this module draws
it: ``figure_html`` renders the SVG with its legend, and ``show_figures`` teaches IPython to display
every ``Figure`` that way (``import officenet`` calls it inside a kernel).
"""
from __future__ import annotations

import sys
from typing import Callable

from ..derive.diagram import figure
from ..derive.drawing import Figure, figure_html as _framed
from ..model.design import Design
from ..model.view import View
from .render import inline_svg, svg

# A diagram is a Figure: DOT text, a title and the legend of what it draws (see ``drawing``).
Diagram = Figure


def diagram(design: Design, view: View = View()) -> Figure:
    f = figure(design, view)
    return Figure(f.dot, view.describe(design), f.legend, f.legend_title)


def figure_svg(fig: Figure) -> str:
    """The SVG of a figure, drawn by Graphviz."""
    return svg(fig.dot)


def figure_html(fig: Figure, svg_of: Callable[[str], str] | None = None) -> str:
    """The SVG (rendered by ``svg_of`` when given, such as an explorer's cache) scaled to its column,
    with the figure's legend under it."""
    return _framed(inline_svg(svg_of(fig.dot) if svg_of else figure_svg(fig)), fig.legend_html())


def figure_bundle(fig: Figure) -> dict[str, str]:
    return {"text/html": figure_html(fig), "text/plain": repr(fig)}


def show_figures(ipython=None) -> bool:
    """Register the display of ``Figure`` with a running IPython (the kernel of a notebook); True when done.
    IPython is never imported here: outside a kernel there is nothing to register with."""
    if ipython is None:
        module = sys.modules.get("IPython")
        ipython = module.get_ipython() if module is not None else None
    if ipython is None:
        return False
    ipython.display_formatter.mimebundle_formatter.for_type(Figure, figure_bundle)
    return True


def show_tables_in_full(ipython=None) -> bool:
    """Register with a running IPython that every DataFrame shows as a readable table
    (``derive.table_html``): whole cells wrapping at words, not pandas' 50-character cut and one long
    line per row. ``import officenet`` calls it; outside a kernel it does nothing. True when done."""
    if ipython is None:
        module = sys.modules.get("IPython")
        ipython = module.get_ipython() if module is not None else None
    if ipython is None:
        return False
    import pandas as pd  # loaded already by the tables

    from ..derive.table_html import frame_html
    ipython.display_formatter.formatters["text/html"].for_type(pd.DataFrame, frame_html)
    return True
