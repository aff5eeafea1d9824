"""Result objects that show themselves in Jupyter and still carry their data."""
from __future__ import annotations

from dataclasses import dataclass, field

from .design import Design
from .diagram import to_dot
from .render import svg
from .view import View


@dataclass(frozen=True)
class Diagram:
    """DOT text of one view; renders to SVG in Jupyter (inline, so exported pages keep it)."""

    dot: str
    title: str = ""
    _svg: dict = field(default_factory=dict, repr=False, compare=False)

    def svg(self) -> str:
        if "svg" not in self._svg:
            self._svg["svg"] = svg(self.dot)
        return self._svg["svg"]

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/svg+xml": self.svg(), "text/plain": f"<Diagram: {self.title}>"}


def diagram(design: Design, view: View = View(), legend: bool = True) -> Diagram:
    return Diagram(to_dot(design, view, legend=legend), title=view.describe(design))
