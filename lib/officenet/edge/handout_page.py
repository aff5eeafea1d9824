"""The handout page of an executed notebook, and the index of all pages: pure functions.

nbconvert's ``basic`` template renders the cells (narrative and outputs, no code) after
``HandoutPreprocessor`` (see ``handout_outputs``); the page wraps them with an inline style
sheet (screen and print). The appendix drawn from the design (legend, corrections, sources) is
the same for every notebook, so it is a page of its own in the set (``reference_page``), printed
once, and every page links to it. Links between notebooks (``NN-name.ipynb``, the contents
notebook) become links between the pages (``links_to_pages``).
"""
from __future__ import annotations

import copy
import functools
import html
import re
from dataclasses import dataclass

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import TagRemovePreprocessor

from ..derive.drawing import swatch_html
from ..derive.table_html import frame_html
from ..derive.tables import corrections_table, legend_table
from ..model.design import Design
from .handout_outputs import HandoutPreprocessor

REMOVE_TAG = "handout-remove"
REFERENCE, REFERENCE_TITLE = "reference.html", "Legend, corrections and sources"
CONTENTS_NOTEBOOK = "contents.ipynb"  # the notebooks' table of contents: the index page here
CSS = """
:root{--ink:#1b1b1b;--muted:#555;--rule:#d5d5d5;--accent:#1f4e79}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:var(--ink);background:#fff}
header.on-top,main,footer.on-foot{max-width:1200px;margin:0 auto;padding:0 20px}
header.on-top{display:flex;gap:16px;align-items:baseline;justify-content:space-between;border-bottom:2px solid var(--accent);padding-top:10px;padding-bottom:6px}
header.on-top nav a{margin-left:12px}
.on-brand{font-weight:600;color:var(--accent)}
a{color:var(--accent)}
h1{font-size:1.7em;margin:.8em 0 .4em}h2{font-size:1.35em;margin:1.4em 0 .4em;border-bottom:1px solid var(--rule)}h3{font-size:1.1em}
.anchor-link{display:none}
pre{background:#f6f8fa;border:1px solid var(--rule);padding:8px 10px;overflow-x:auto;font:12.5px/1.4 ui-monospace,"DejaVu Sans Mono",Consolas,monospace;white-space:pre}
.output_html,.output_subarea{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:12.5px;margin:6px 0 14px}
th,td{border:1px solid var(--rule);padding:3px 6px;text-align:left;vertical-align:top}
thead th{background:#eef2f6}
tbody tr:nth-child(even){background:#fafafa}
.officenet-diagram{margin:8px 0;overflow-x:auto}
.officenet-diagram svg{display:block}
#on-fit:not(:checked)~main .officenet-diagram svg{max-width:none!important}
.officenet-figure{margin:8px 0}
.on-print-only{display:none}
.on-fit{position:absolute;opacity:0}
#on-fit:focus-visible~header label[for=on-fit]{outline:3px solid #f0a500}
#on-fit:checked~header label[for=on-fit]{background:#1f4e79;color:#fff;border-color:#1f4e79}
.on-switcher{border:1px solid var(--rule);border-radius:6px;padding:10px 12px;margin:10px 0 18px}
.on-radio{position:absolute;opacity:0;width:1px;height:1px;margin:0}
.on-caption{font-weight:600}
.on-how{font-size:13px;color:var(--muted);margin-bottom:6px}
.on-row{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:4px 0}
.on-group{min-width:110px;font-size:13px;color:var(--muted)}
.on-chip{display:inline-block;border:1px solid #9fb3c8;border-radius:14px;padding:2px 10px;font-size:13px;cursor:pointer;background:#f4f8fb;user-select:none}
.on-chip:hover{border-color:var(--accent)}
.on-panel{display:none;margin-top:10px}
.on-panel-title{margin:6px 0;font-size:1em;color:var(--accent)}
.on-appendix{margin-top:2em;border-top:2px solid var(--accent)}
footer.on-foot{color:var(--muted);font-size:12px;border-top:1px solid var(--rule);margin-top:2em;padding-top:6px;padding-bottom:20px}
.on-index{list-style:none;padding:0}.on-index li{margin:.8em 0}.on-index .on-meta{color:var(--muted);font-size:13px}
@media print{
 @page{size:landscape;margin:12mm}
 body{font-size:10.5pt}
 header.on-top nav,.on-choices{display:none}
 header.on-top,main,footer.on-foot{max-width:none;padding:0}
 .on-switcher{border:0;padding:0}
 .on-print-only{display:block;color:var(--muted);font-size:9pt}
 .officenet-figure{break-before:page;break-inside:avoid}
 .officenet-diagram,.officenet-diagram svg{break-inside:avoid}
 .officenet-diagram svg{max-width:100%!important;max-height:165mm!important;height:auto!important}
 .output_html,.output_subarea,.officenet-diagram,pre{overflow:visible}
 pre{white-space:pre-wrap;font-size:8pt}
 table{width:100%;table-layout:auto}th,td{font-size:7.5pt!important;padding:2px 3px!important;word-break:normal;overflow-wrap:normal}
 h2,h3,h4{break-after:avoid}
 a{color:inherit}
}
"""


def _frame_html(frame) -> str:
    return frame_html(frame)


def appendix_html(design: Design) -> str:
    """Legend, corrections and sources of ``design``: the reference part of every handout."""
    sources = sorted(design.sources, key=lambda s: s.key)
    rows = "".join(f"<tr><td>{html.escape(s.key)}</td><td>{html.escape(s.title)}</td>"
                   f"<td>{html.escape(s.location)}</td><td>{html.escape(s.confidence)}</td></tr>" for s in sources)
    legend = legend_table(design)
    swatches = "".join(
        f"<li>{swatch_html(t.colour, t.style, width=36)}{html.escape(t.name)} "
        f'<span style="color:var(--muted)">({html.escape(t.style.replace("-", " "))} line)</span></li>'
        for t in sorted(design.traffic_types, key=lambda t: t.order))
    return ('<section class="on-appendix" aria-label="Reference">'
            '<h2 id="legend">Legend: traffic types</h2>'
            f'<ul class="on-swatches" style="list-style:none;padding:0;columns:2">{swatches}</ul>'
            f"{_frame_html(legend)}"
            f'<h2 id="corrections">Corrections to the poster</h2>{_frame_html(corrections_table(design))}'
            '<h2 id="sources">Sources</h2><table><thead><tr><th>key</th><th>document</th><th>where</th>'
            f"<th>confidence</th></tr></thead><tbody>{rows}</tbody></table></section>")


def reference_page(design: Design, nav: str = "") -> str:
    """The appendix as a page of its own in the handout set: printed once, not on every page."""
    body = (f"<h1>{REFERENCE_TITLE}</h1><p>The reference part of every handout: the traffic types as the "
            "diagrams draw them, what officenet corrects on the poster, and the sources every row cites.</p>"
            + appendix_html(design))
    return _shell(REFERENCE_TITLE, body, nav, "officenet handouts", fit_toggle=False)


_HREF = re.compile(r'href="([^"#:]+\.ipynb)(#[^"]*)?"')


def links_to_pages(markup: str, pages: dict[str, str] | None) -> str:
    """``href="NN-name.ipynb"`` -> the page built from it, the contents notebook -> the index;
    ``pages`` maps notebook file names to page names (None: every numbered notebook has its page)."""
    def target(m: re.Match) -> str:
        name, anchor = m.group(1), m.group(2) or ""
        if name == CONTENTS_NOTEBOOK:
            return 'href="index.html"'
        if pages is None:
            page_name = name[:-len(".ipynb")] + ".html" if re.match(r"^\d\d-[^/]+$", name) else None
        else:
            page_name = pages.get(name)
        return f'href="{html.escape(page_name)}{anchor}"' if page_name else m.group(0)
    return _HREF.sub(target, markup)


def notebook_title(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return fallback


def notebook_summary(nb) -> str:
    """First paragraph after the title, as plain text."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            paras = [p for p in re.split(r"\n\s*\n", cell.source) if p.strip() and not p.lstrip().startswith("#")]
            if paras:
                text = re.sub(r"[*_`]", "", " ".join(paras[0].split()))
                return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"
    return ""


def _shell(title: str, body: str, nav: str = "", foot: str = "", fit_toggle: bool = True) -> str:
    toggle = ('<label for="on-fit" class="on-chip" title="Untick to see diagrams at full size and scroll">'
              "Fit diagrams to the window</label>") if fit_toggle else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
            + ('<input type="checkbox" class="on-fit" id="on-fit" checked>' if fit_toggle else "")
            + f'<header class="on-top"><span class="on-brand">officenet handout</span><nav>{toggle}{nav}</nav></header>'
            f"<main>{body}</main><footer class=\"on-foot\">{foot}</footer></body></html>\n")


class _PageExporter(HTMLExporter):
    """nbconvert's HTML exporter without its closing BeautifulSoup pass when that pass has nothing
    to do. The pass gives images without alt text one and makes JupyterLab-template cells
    focusable, re-serialising the whole page meanwhile: on a page of inline SVG that took most of
    the time of a handout build. The ``basic`` template writes no JupyterLab cells, so unless an
    output brings an image or such a cell, the page is the template's own markup: the same
    document, written without the pass's normalising (attribute order, blank lines, ``<br/>``)."""

    def from_notebook_node(self, nb, resources=None, **kw):
        # HTMLExporter.from_notebook_node (nbconvert 7.17) up to its BeautifulSoup pass
        given = copy.deepcopy(resources)
        lang = nb.metadata.get("language_info", {})
        self.register_filter("highlight_code", self.filters.get("highlight_code", Highlight2HTML(
            pygments_lexer=lang.get("pygments_lexer", lang.get("name")), parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        markup, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        if re.search(r"<img\b|jp-Notebook", markup, re.I):
            return super().from_notebook_node(nb, given, **kw)  # the whole pass, as nbconvert does it
        return markup, resources


@functools.lru_cache(maxsize=None)
def _exporter(include_code: bool) -> HTMLExporter:
    """One exporter per process: its templates compile once (it keeps no state between notebooks)."""
    exporter = _PageExporter(template_name="basic", exclude_input=not include_code,
                             exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={REMOVE_TAG}, enabled=True), enabled=True)
    exporter.register_preprocessor(HandoutPreprocessor(), enabled=True)
    return exporter


def page(nb, design: Design, *, source_name: str, nav: str = "", include_code: bool = False,
         pages: dict[str, str] | None = None) -> str:
    """The handout page of an executed notebook (pure: the notebook is copied, not changed)."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    body, _ = _exporter(include_code).from_notebook_node(nb)
    title = notebook_title(nb, source_name)
    foot = (f"Built from <code>{html.escape(source_name)}</code> with officenet; "
            f"{len(design.components)} components, {len(design.flows)} flows, {len(design.ports)} port rows. "
            "Every view is pre-rendered: no kernel and no network needed. "
            f'The legend, the corrections and the sources: <a href="{REFERENCE}">{REFERENCE_TITLE}</a>.')
    return _shell(title, links_to_pages(body, pages), nav, foot)


@dataclass(frozen=True)
class Entry:
    file: str
    title: str
    summary: str
    views: int
    size: int


def index_page(entries: list[Entry]) -> str:
    items = "".join(
        f'<li><a href="{html.escape(e.file)}"><b>{html.escape(e.title)}</b></a>'
        f'<div>{html.escape(e.summary)}</div><div class="on-meta">{e.views} pre-rendered views · '
        f"{e.size / 1024:.0f} KiB</div></li>" for e in entries)
    body = ("<h1>Network integration of Microsoft Office Server products: handouts</h1>"
            "<p>One page per workbook notebook. Each page is a single file that works without network or "
            "kernel. Above each diagram, buttons switch between pre-rendered views, one at a time: printing a "
            "page prints the view picked on screen (the first unless you pick another) and names the others. "
            "The legend, the corrections to the poster and the sources are on a page of their own, "
            "printed once for the whole set.</p>"
            f'<ol class="on-index">{items}</ol>'
            f'<p><a href="{REFERENCE}"><b>{REFERENCE_TITLE}</b></a>: the traffic types, what officenet '
            "corrects on the poster and why, and every source with its address.</p>")
    return _shell("officenet handouts", body, "", "officenet handouts", fit_toggle=False)
