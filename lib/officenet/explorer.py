"""Explorers: drop-downs that pick a selection, over a pure function that renders it.

Every notebook explorer is an ``Explorer`` subclass with two parts:

- ``dimensions()``: the choices, as {name: [(label, value), ...]}; the first option
  of each is the default;
- ``render(**selection) -> str``: the HTML of one selection (diagram as inline SVG,
  tables, warnings). Pure: same selection, same HTML.

The base class builds the widgets, caches rendered selections, and provides a
static fallback for pages without a kernel. ``static_views()`` pre-renders the
default and every single choice of every dimension: the handouts switch between
those without a kernel.

Handouts (``officenet.handout``): when the environment variable ``OFFICENET_HANDOUT``
is "1" in the kernel (the handout builder sets it when it executes a notebook),
an explorer's display also carries ``VIEWS_MIME``: {"title": ..., "views":
[{"label": ..., "html": ...}, ...]}, its ``static_views()``. The builder turns that
into a switcher that needs no kernel. In a normal session the variable is unset
and the output stays small: the widget plus the current view as static HTML.
"""
from __future__ import annotations

import html
import os
from dataclasses import dataclass

import ipywidgets as widgets

from .design import Design
from .diagram import to_dot
from .render import SvgCache, inline_svg
from .tables import html_table, port_matrix
from .view import View

ALL = "(all)"
HANDOUT_ENV = "OFFICENET_HANDOUT"
VIEWS_MIME = "application/vnd.officenet.views+json"


def handout_mode() -> bool:
    """True while the handout builder executes the notebook."""
    return os.environ.get(HANDOUT_ENV) == "1"


class Explorer:
    """Base class: subclasses define ``dimensions`` and ``render``."""

    title = ""

    def __init__(self, design: Design, **initial):
        self.design = design
        self.svg = SvgCache()
        self._cache: dict[tuple, str] = {}  # the design never changes, so a selection's HTML never does
        style = {"description_width": "110px"}
        self.controls: dict[str, widgets.Dropdown] = {}
        for name, options in self.dimensions().items():
            value = initial.get(name, options[0][1])
            self.controls[name] = widgets.Dropdown(options=options, value=value,
                                                   description=name.replace("_", " ").capitalize(), style=style)
            self.controls[name].observe(self._on_change, names="value")
        self.output = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        # For a projector or a narrow window: shrink the diagram to the page's width.
        self.fit = widgets.ToggleButton(value=False, description="Fit to width", icon="arrows-h",
                                        tooltip="Shrink the diagram to the width of the page")
        self.fit.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.HBox([*self.controls.values(), self.fit]), self.output])
        self.redraw()

    # --- to define in subclasses ---------------------------------------------
    def dimensions(self) -> dict[str, list[tuple[str, object]]]:
        raise NotImplementedError

    def render(self, **selection) -> str:
        raise NotImplementedError

    # --- shared machinery ----------------------------------------------------
    @property
    def selection(self) -> dict[str, object]:
        return {name: w.value for name, w in self.controls.items()}

    def html_for(self, **selection) -> str:
        key = tuple(sorted(selection.items(), key=lambda kv: kv[0]))
        if key not in self._cache:
            self._cache[key] = self.render(**selection)
        return self._cache[key]

    def _on_change(self, _change):
        self.redraw()

    def redraw(self) -> str:
        body = self.html_for(**self.selection)
        self.output.value = fitted(body) if self.fit.value else body
        return self.output.value

    def static_views(self) -> list[tuple[str, str]]:
        """(label, html) for the default selection and each single choice of each dimension."""
        defaults = {name: options[0][1] for name, options in self.dimensions().items()}
        views = [("Default view", self.html_for(**defaults))]
        for name, options in self.dimensions().items():
            for label, value in options[1:]:
                views.append((f"{name.replace('_', ' ').capitalize()}: {label}",
                              self.html_for(**{**defaults, name: value})))
        return views

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The widget in a live kernel; the current view as static HTML in an exported page.
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = self.output.value
        if handout_mode():
            bundle[VIEWS_MIME] = {"title": self.title,
                                  "views": [{"label": label, "html": body} for label, body in self.static_views()]}
        return bundle


FIT_STYLE = "<style>.officenet-fit svg{max-width:100%;height:auto}</style>"


def fitted(body: str) -> str:
    """The same HTML with its diagrams scaled down to the width of the output."""
    return f'{FIT_STYLE}<div class="officenet-fit">{body}</div>'


def choices(design: Design, table: str, everything: str = ALL):
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

    def html(self, design: Design) -> str:
        caption = (f"<p><b>{self.port_count}</b> port rows for "
                   f"<b>{html.escape(self.view.describe(design))}</b></p>")
        return caption + f'<div class="officenet-diagram">{self.svg}</div>' + self.ports_html


def render_frame(design: Design, view: View, svg_of=None) -> Frame:
    svg_of = svg_of or SvgCache()
    dot = to_dot(design, view)
    # Graphviz runs in its own process: build the table while it lays out the diagram.
    start = getattr(svg_of, "start", None)
    picture = start(dot) if start else (lambda: svg_of(dot))
    ports = port_matrix(design, view)
    table = html_table(design, ports)
    return Frame(view, dot, inline_svg(picture()), table, len(ports))


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
