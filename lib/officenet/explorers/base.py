"""The explorer base: drop-downs that pick a selection, over a pure function that renders it.

Every notebook explorer is an ``Explorer`` subclass with two parts:

- ``dimensions()``: the choices, as {name: [(label, value), ...]}; the first option
  of each is the default;
- ``render(**selection) -> str``: the HTML of one selection (diagram as inline SVG,
  tables, warnings). Pure: same selection, same HTML.

The base class builds the widgets, caches rendered selections, and provides a
static fallback for pages without a kernel. ``static_views()`` pre-renders the
default and every single choice of every dimension: the handouts switch between
those without a kernel (the agreement with the handout builder is ``officenet.edge.staticviews``:
while it runs, the display also carries every static view; otherwise the output stays
small, the widget plus the current view as static HTML).
"""
from __future__ import annotations

import ipywidgets as widgets
import traitlets

from ..model.design import Design
from ..edge.render import SvgCache
from ..edge.staticviews import VIEWS_MIME, handout_mode, views_payload


class Choice(widgets.Dropdown):
    """A drop-down whose "(all)" choice shows as selected. ipywidgets takes a value of None for
    "nothing selected" and shows an empty box, so None is held as ``ANY`` inside the widget."""

    def __init__(self, *, options, value=None, **kwargs):
        super().__init__(options=options, value=ANY if value is None else value, **kwargs)

    @traitlets.observe("value")
    def _propagate_value(self, change):  # replaces ipywidgets' own: None selects ANY's row, not nothing
        if change.new is None and ANY in self._options_values:
            self.index = self._options_values.index(ANY)  # which sets the value to ANY
        else:
            super()._propagate_value(change)


ANY = "(any)"  # never an id: ids have no brackets
CHAR_PX = 7.6  # a generous average width of a character of the widgets' 13 px font
SELECT_EXTRA_PX = 44  # a select's padding and its arrow
SELECT_MIN_PX = 150  # narrower, a drop-down shows too little of its value to be read


def text_px(text: str) -> int:
    """About how wide ``text`` is in the widgets' font (the browser tests measure that it fits)."""
    return int(len(text) * CHAR_PX) + 8


def select_px(labels) -> int:
    """The width of a select that shows its longest option whole."""
    return max(SELECT_MIN_PX, max((text_px(label) for label in labels), default=0) + SELECT_EXTRA_PX)


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
            self.controls[name] = Choice(options=[(label, ANY if v is None else v) for label, v in options],
                                         value=value, description=self.name_of(name), style=style,
                                         layout=widgets.Layout(width=f"{110 + select_px(l for l, _ in options)}px",
                                                               max_width="100%"))
            self.controls[name].observe(self._on_change, names="value")
        self.output = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        # Diagrams fit the output's width as they open (drawn to stay legible so); pressed, full size.
        self.fit = widgets.ToggleButton(value=False, description="Full size", icon="arrows-h",
                                        tooltip="Show the diagram at its natural size and scroll")
        self.fit.observe(self._on_change, names="value")
        # the controls wrap onto a second line rather than run off a 1280 px screen
        self.widget = widgets.VBox([widgets.HTML(OUTPUT_CSS, layout=widgets.Layout(display="none")),
                                    widgets.HBox([*self.controls.values(), self.fit], layout=CONTROLS_LAYOUT),
                                    self.output])
        self.widget.add_class("officenet-explorer")
        self.redraw()

    # --- to define in subclasses ---------------------------------------------
    def dimensions(self) -> dict[str, list[tuple[str, object]]]:
        raise NotImplementedError

    def render(self, **selection) -> str:
        raise NotImplementedError

    # Names of dimensions that are no id of the design ("av_range" -> "A/V range"), set by a subclass.
    names: dict[str, str] = {}

    def name_of(self, dimension: str) -> str:
        """A dimension as a reader names it: the subclass's word, the design's label of an id ("SharePoint"),
        else the words of the id ("user_type" -> "User type")."""
        if dimension in self.names:
            return self.names[dimension]
        label = self.design.label(dimension)
        return label if label != dimension else dimension.replace("_", " ").capitalize()

    # --- shared machinery ----------------------------------------------------
    @property
    def selection(self) -> dict[str, object]:
        return {name: None if w.value == ANY else w.value for name, w in self.controls.items()}

    def html_for(self, **selection) -> str:
        key = tuple(sorted(selection.items(), key=lambda kv: kv[0]))
        if key not in self._cache:
            self._cache[key] = self.render(**selection)
        return self._cache[key]

    def _on_change(self, _change):
        self.redraw()

    def redraw(self) -> str:
        body = self.html_for(**self.selection)
        self.output.value = full_size(body) if self.fit.value else body
        return self.output.value

    def static_views(self) -> list[tuple[str, str]]:
        """(label, html) for the default selection and each single choice of each dimension."""
        defaults = {name: options[0][1] for name, options in self.dimensions().items()}
        views = [("Default view", self.html_for(**defaults))]
        for name, options in self.dimensions().items():
            for label, value in options[1:]:
                views.append((f"{self.name_of(name)}: {label}",
                              self.html_for(**{**defaults, name: value})))
        return views

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The widget in a live kernel; the current view as static HTML in an exported page.
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = self.output.value
        if handout_mode():
            bundle[VIEWS_MIME] = views_payload(self.title, self.static_views())
        return bundle


CONTROLS_LAYOUT = widgets.Layout(flex_flow="row wrap", max_width="100%")
# An HTML widget's content is a flex item that grows to its widest table, so a diagram "fitted to
# 100%" overflowed JupyterLab's and Voila's output: let it shrink to the column, let text wrap,
# and let a wide table scroll on its own.
OUTPUT_CSS = ("<style>.officenet-explorer .widget-html-content{min-width:0;max-width:100%;white-space:normal}"
              ".officenet-explorer .widget-html-content table{display:block;max-width:100%;overflow-x:auto}</style>")
FULL_STYLE = "<style>.officenet-full svg{max-width:none!important;height:auto}</style>"


def full_size(body: str) -> str:
    """The same HTML with its diagrams at their natural size (the output scrolls)."""
    return f'{FULL_STYLE}<div class="officenet-full">{body}</div>'

