"""Result objects that show themselves in Jupyter and still carry their data."""
from __future__ import annotations

from ..model.design import Design
from ..derive.diagram import figure
from ..derive.drawing import Figure
from ..model.view import View

# A diagram is a Figure: DOT text, a title and the legend of what it draws (see ``drawing``).
Diagram = Figure


def diagram(design: Design, view: View = View()) -> Figure:
    f = figure(design, view)
    return Figure(f.dot, view.describe(design), f.legend, f.legend_title)
