"""The overview explorer: three drop-downs pick a view; the diagram and port table follow.

The widget only turns choices into a ``View`` and calls pure functions; all the
work is in ``diagram.to_dot`` and ``tables.port_matrix``, tested on their own.
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from .design import Design
from .diagram import to_dot
from .render import SvgCache, inline_svg
from .tables import port_matrix, style_by_traffic_type
from .view import View

ALL = "(all)"


@dataclass(frozen=True)
class Frame:
    """Everything one redraw shows."""

    view: View
    dot: str
    svg: str
    ports_html: str
    port_count: int


def render_frame(design: Design, view: View, svg_of=None) -> Frame:
    svg_of = svg_of or SvgCache()
    dot = to_dot(design, view)
    ports = port_matrix(design, view)
    return Frame(view, dot, inline_svg(svg_of(dot)), style_by_traffic_type(design, ports).to_html(), len(ports))


def choices(design: Design, table: str):
    rows = getattr(design, table)
    if table in ("user_types", "traffic_types"):
        rows = sorted(rows, key=lambda r: r.order)
    return [(ALL, None)] + [(design.label(r.id), r.id) for r in rows]


class Explorer:
    """Drop-downs for user type, product and traffic type over a diagram and its ports."""

    def __init__(self, design: Design, view: View = View()):
        self.design = design
        self._svg = SvgCache()
        self._frames: dict[View, Frame] = {}  # the design never changes, so a view's frame never does
        style = {"description_width": "90px"}
        self.user_type = widgets.Dropdown(options=choices(design, "user_types"), value=view.user_type,
                                          description="User type", style=style)
        self.product = widgets.Dropdown(options=choices(design, "products"), value=view.product,
                                        description="Product", style=style)
        self.traffic_type = widgets.Dropdown(options=choices(design, "traffic_types"), value=view.traffic_type,
                                             description="Traffic", style=style)
        self.caption = widgets.HTML()
        self.diagram = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        self.ports = widgets.HTML(layout=widgets.Layout(max_height="420px", overflow="auto"))
        for w in (self.user_type, self.product, self.traffic_type):
            w.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.user_type, self.product, self.traffic_type]),
                                    self.caption, self.diagram, self.ports])
        self.frame: Frame | None = None
        self.redraw()

    @property
    def view(self) -> View:
        return View(self.user_type.value, self.product.value, self.traffic_type.value)

    def _on_change(self, _change):
        self.redraw()

    def redraw(self) -> Frame:
        view = self.view
        if view not in self._frames:
            self._frames[view] = render_frame(self.design, view, self._svg)
        self.frame = self._frames[view]
        self.caption.value = (f"<b>{self.frame.port_count}</b> port rows for "
                              f"<b>{_escape(self.view.describe(self.design))}</b>")
        self.diagram.value = self.frame.svg
        self.ports.value = self.frame.ports_html
        return self.frame

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The widget in a live kernel; the same view as static HTML in an exported page.
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = (f"<div>{self.caption.value}</div>{self.frame.svg}{self.frame.ports_html}")
        return bundle


def _escape(text: str) -> str:
    import html
    return html.escape(text)
