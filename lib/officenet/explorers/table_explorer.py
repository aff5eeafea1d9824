"""A long table a reader can sort and filter, offline: a filter box, a sort drop-down, the rows.

No script library and no network: the widgets run in the kernel (JupyterLab, Voila) and the table
is the same readable HTML as everywhere (``table_html``). Without a kernel (a handout, a page
exported from the notebook) the whole table shows, in its own order.
"""
from __future__ import annotations

import html
import re

import ipywidgets as widgets

from ..derive.table_html import frame_html
from .base import OUTPUT_CSS

AS_LISTED = "(as listed)"


def natural_key(value) -> tuple:
    """'TCP 5061' after 'TCP 443', '10.0.0.10' after '10.0.0.9': numbers compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower())
                 for part in re.split(r"(\d+)", "" if value is None else str(value)) if part)


def select_rows(frame, words: str = "", sort_by: str | None = None, descending: bool = False):
    """The rows whose text holds every word of ``words`` (any case), sorted by ``sort_by``. Pure."""
    shown = frame
    terms = words.lower().split()
    if terms:
        text = [" ".join(map(str, (key, *row))).lower() for key, row in zip(frame.index, frame.itertuples(index=False))]
        shown = frame[[all(t in line for t in terms) for line in text]]
    if sort_by and sort_by in shown.columns:
        shown = shown.sort_values(sort_by, key=lambda col: col.map(natural_key), ascending=not descending, kind="stable")
    elif sort_by == shown.index.name and sort_by:
        shown = shown.sort_index(key=lambda idx: idx.map(natural_key), ascending=not descending, kind="stable")
    return shown


class TableExplorer:
    """``TableExplorer(table)``: ``table`` is a DataFrame or a ``tables.Table`` (keeps its colours)."""

    def __init__(self, table, title: str = ""):
        self.frame = getattr(table, "data", table)
        self.colours = getattr(table, "colours", {})
        self.title = title
        columns = [c for c in [self.frame.index.name, *self.frame.columns] if c]
        self.filter = widgets.Text(description="Filter", placeholder="words every shown row holds, e.g. inbound 443",
                                   continuous_update=True, style={"description_width": "60px"},
                                   layout=widgets.Layout(width="360px", max_width="100%"))
        self.sort = widgets.Dropdown(options=[AS_LISTED, *columns], value=AS_LISTED, description="Sort by",
                                     style={"description_width": "60px"}, layout=widgets.Layout(width="260px"))
        self.descending = widgets.Checkbox(value=False, description="descending", indent=False,
                                           layout=widgets.Layout(width="120px"))
        self.count = widgets.HTML()
        self.output = widgets.HTML(layout=widgets.Layout(max_width="100%"))
        for control in (self.filter, self.sort, self.descending):
            control.observe(lambda _change: self.redraw(), names="value")
        self.widget = widgets.VBox([widgets.HTML(OUTPUT_CSS, layout=widgets.Layout(display="none")),
                                    widgets.HBox([self.filter, self.sort, self.descending, self.count],
                                                 layout=widgets.Layout(flex_flow="row wrap", max_width="100%")),
                                    self.output])
        self.widget.add_class("officenet-explorer")  # the explorers' output style: content shrinks to the column
        self.redraw()

    def redraw(self) -> str:
        sort_by = None if self.sort.value == AS_LISTED else self.sort.value
        shown = select_rows(self.frame, self.filter.value, sort_by, self.descending.value)
        self.count.value = f"<b>{len(shown)}</b> of {len(self.frame)} rows"
        self.output.value = frame_html(shown, self.colours) if len(shown) else (
            f"<p>No row holds {html.escape(self.filter.value)!s}.</p>")
        return self.output.value

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = frame_html(self.frame, self.colours)  # without a kernel: every row
        bundle["text/plain"] = f"<{self.title or 'Table'}: {len(self.frame)} rows, sortable and filterable>"
        return bundle
