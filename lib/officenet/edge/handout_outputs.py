"""A notebook's outputs as a page without a kernel shows them.

Each explorer's pre-rendered views (``VIEWS_MIME``) become a switcher: radio buttons and
CSS, no script. SVG outputs are inlined; widget views and scripts are dropped; identifiers in
tables may wrap after an underscore. All pure functions of the outputs.
"""
from __future__ import annotations

import html
import re

from nbconvert.preprocessors import Preprocessor

from ..derive.drawing import figure_html
from .staticviews import VIEWS_MIME
from .render import inline_svg

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SCRIPT_MIMES = ("application/javascript", "text/javascript", "application/vnd.jupyter.widget-state+json")


def switcher_html(key: str, title: str, views: list[tuple[str, str]]) -> str:
    """Radio inputs, then labels grouped by dimension ('User type: X' -> group 'User type'),
    then one panel per view. CSS alone shows the panel of the checked radio, on screen and on paper."""
    if not views:
        return ""
    key = re.sub(r"[^A-Za-z0-9_-]", "-", key)
    ids = [f"{key}-{i}" for i in range(len(views))]
    name = f"{key}-view"
    radios = "".join(
        f'<input class="on-radio" type="radio" name="{name}" id="{vid}"{" checked" if i == 0 else ""}>'
        for i, vid in enumerate(ids))
    groups: dict[str, list[tuple[str, str]]] = {}
    for vid, (label, _) in zip(ids, views):
        group, sep, choice = label.partition(": ")
        if not sep:
            group, choice = "", label
        groups.setdefault(group, []).append((vid, choice))
    rows = []
    for group, items in groups.items():
        chips = "".join(f'<label class="on-chip" for="{vid}">{html.escape(choice)}</label>' for vid, choice in items)
        head = f'<span class="on-group">{html.escape(group)}</span>' if group else ""
        rows.append(f'<div class="on-row">{head}{chips}</div>')
    panels = "".join(
        f'<section class="on-panel" id="{vid}-panel" aria-label="{html.escape(label)}">'
        f'<h4 class="on-panel-title">{html.escape(title + " · " if title else "")}{html.escape(label)}</h4>'
        f'{body}</section>'
        for vid, (label, body) in zip(ids, views))
    rules = "".join(
        f"#{vid}:checked~.on-panels>#{vid}-panel{{display:block}}"
        f"#{vid}:checked~.on-choices label[for={vid}]{{background:#1f4e79;color:#fff;border-color:#1f4e79}}"
        f"#{vid}:focus-visible~.on-choices label[for={vid}]{{outline:3px solid #f0a500}}"
        for vid in ids)
    caption = html.escape(title or "Views")
    # Alternative views, not filters that combine: the caption says so, as the chips look like filters.
    # Printing prints the view picked on screen (the first unless another is picked) and names the rest.
    others = "; ".join(html.escape(label) for label, _ in views)
    printed = (f'<p class="on-print-only">{caption}: this print shows one of {len(views)} views, the one '
               f"picked on the HTML page (its title is above). All views: {others}.</p>") if len(views) > 1 else ""
    how = ("One view at a time: each button shows a whole view and replaces the one shown; "
           "the buttons do not combine (the notebook's drop-downs do)") if len(views) > 1 else "One view"
    return (f'<div class="on-switcher" id="{key}"><style>{rules}</style>{radios}'
            f'<div class="on-choices" role="group" aria-label="{caption}">'
            f'<div class="on-caption">{caption}: {len(views)} pre-rendered views</div>'
            f'<div class="on-how">{how}. Printing prints the view shown.</div>'
            f'{"".join(rows)}</div><div class="on-panels">{panels}</div>{printed}</div>')


_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_TEXT = re.compile(r">([^<]+)<")


def breakable_tables(markup: str) -> str:
    """Tables whose identifiers may wrap after an underscore (``edge_av_tcp_range`` breaks as
    ``edge_av_`` / ``tcp_range``, never mid-word): text nodes of tables only, never SVG or tags."""
    if "_" not in markup or "<table" not in markup.lower():
        return markup
    return _TABLE.sub(lambda t: _TEXT.sub(lambda m: ">" + m.group(1).replace("_", "_<wbr>") + "<", t.group(0)),
                      markup)


class HandoutPreprocessor(Preprocessor):
    """Outputs a page without a kernel can show: views -> switcher, SVG inline, no widgets or scripts."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        for n, output in enumerate(cell.get("outputs", [])):
            data = output.get("data")
            if data is None:
                continue
            if VIEWS_MIME in data:
                payload = data[VIEWS_MIME]
                views = [(v["label"], breakable_tables(v["html"])) for v in payload.get("views", [])]
                output["data"] = {"text/html": switcher_html(f"on-c{index}-{n}", payload.get("title", ""), views)}
                continue
            for mime in (WIDGET_MIME, *SCRIPT_MIMES):
                data.pop(mime, None)
            if "image/svg+xml" in data and "text/html" not in data:
                data["text/html"] = figure_html(inline_svg(data.pop("image/svg+xml")))
            if "text/html" in data:
                data["text/html"] = breakable_tables(data["text/html"])
            if not data:
                data["text/plain"] = "(interactive widget: open the notebook in JupyterLab)"
        return cell, resources
