"""The overview explorer: user type, product and traffic type over the whole design and its port rows."""
from __future__ import annotations

from ..edge.overview_frame import choices, render_frame
from ..model.view import View
from .base import Explorer


class OverviewExplorer(Explorer):
    """User type, product and traffic type over the whole design and its port rows."""

    title = "Overview"

    def dimensions(self):
        return {"user_type": choices(self.design, "user_types"),
                "product": choices(self.design, "products"),
                "traffic_type": choices(self.design, "traffic_types")}

    def render(self, user_type=None, product=None, traffic_type=None) -> str:
        self.frame = render_frame(self.design, View(user_type, product, traffic_type), self.svg)
        return self.frame.html(self.design)

    @property
    def view(self) -> View:
        return View(**self.selection)
