"""Handouts: each notebook as one self-contained HTML page that works offline and prints.

    python -m officenet.handout                  # every notebooks/NN-*.ipynb -> build/handouts/
    python -m officenet.handout --out DIR notebooks/00-overview.ipynb

How it works, without per-notebook code:

1. ``execute``: the notebook runs in a fresh kernel with ``OFFICENET_HANDOUT=1``;
   every ``Explorer`` then adds its ``static_views()`` to its display as
   ``VIEWS_MIME`` (see ``officenet.staticviews``). The notebook file is not changed.
2. ``HandoutPreprocessor``: each views output becomes a switcher (radio buttons and
   CSS, no script); SVG outputs are inlined; widget views and scripts are dropped.
3. ``page``: nbconvert's ``basic`` template renders the cells (narrative and
   outputs, no code), wrapped in a page with an inline style sheet (screen and
   print) and an appendix drawn from the design: legend, corrections and sources.
4. ``build``: runs the notebooks in parallel worker processes (a kernel each), then
   writes each page and an index atomically (temp file + ``os.replace``) after
   ``external_references`` has found nothing the page would fetch.

Everything but ``execute`` and the writing in ``build`` is a pure function of its inputs.
"""
from __future__ import annotations

import argparse
import copy
import html
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from .design import Design
from .staticviews import HANDOUT_ENV, VIEWS_MIME
from .kernels import private_kernel
from .drawing import figure_html
from .render import inline_svg
from .tables import corrections_table, legend_table

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_RE = re.compile(r"^\d\d-.+\.ipynb$")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SCRIPT_MIMES = ("application/javascript", "text/javascript", "application/vnd.jupyter.widget-state+json")
REMOVE_TAG = "handout-remove"


class HandoutError(RuntimeError):
    pass


# --- the switcher: one radio per pre-rendered view, CSS shows the checked one -------------
def switcher_html(key: str, title: str, views: list[tuple[str, str]]) -> str:
    """Radio inputs, then labels grouped by dimension ('User type: X' -> group 'User type'),
    then one panel per view. CSS alone shows the panel of the checked radio; print shows all."""
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
    # On paper the default view stands for the rest (most repeat one picture with other highlights).
    others = "; ".join(html.escape(label) for label, _ in views[1:])
    printed = (f'<p class="on-print-only">{caption}: {len(views) - 1} more views on the HTML page '
               f"({others}).</p>") if len(views) > 1 else ""
    return (f'<div class="on-switcher" id="{key}"><style>{rules}</style>{radios}'
            f'<div class="on-choices" role="group" aria-label="{caption}">'
            f'<div class="on-caption">{caption}: pick a view ({len(views)} pre-rendered; printing shows the first)</div>'
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


# --- what a page must not load ------------------------------------------------------------
_LOADING_ATTRS = {("script", "src"), ("img", "src"), ("img", "srcset"), ("link", "href"), ("iframe", "src"),
                  ("source", "src"), ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"),
                  ("embed", "src"), ("object", "data"), ("image", "href"), ("image", "xlink:href"),
                  ("use", "href"), ("use", "xlink:href"), ("input", "src"), ("track", "src")}
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)


def _is_external(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:"))


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for name, value in attrs:
            if value and (tag, name) in _LOADING_ATTRS:
                for part in value.split(",") if name == "srcset" else [value]:
                    if _is_external(part):
                        self.found.append(f"<{tag} {name}={part.strip()}>")
            if name == "style" and value:
                self.found += [f"<{tag} style> {u}" for u in _CSS_URL.findall(value)]

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.found += [f"<style> {u}" for u in _CSS_URL.findall(data)]


def external_references(page_html: str) -> list[str]:
    """Everything in the page that a browser would fetch from the network (links to read are fine)."""
    parser = _Refs()
    parser.feed(page_html)
    parser.close()
    return parser.found


# --- the page ------------------------------------------------------------------------------
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
.on-caption{font-weight:600;margin-bottom:6px}
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
 .on-panel{display:none!important}
 .on-switcher .on-panel:first-of-type{display:block!important}
 .on-appendix{break-before:page}
 .officenet-figure{break-before:page;break-inside:avoid}
 .officenet-diagram,.officenet-diagram svg{break-inside:avoid}
 .officenet-diagram svg{max-width:100%!important;max-height:none!important;height:auto!important}
 .output_html,.output_subarea,.officenet-diagram,pre{overflow:visible}
 pre{white-space:pre-wrap;font-size:8pt}
 table{width:100%;table-layout:auto}th,td{font-size:7.5pt!important;padding:2px 3px!important;word-break:normal;overflow-wrap:normal}
 h2,h3,h4{break-after:avoid}
 a{color:inherit}
}
"""


def _frame_html(frame) -> str:
    return frame.to_html(escape=True, border=0)


def appendix_html(design: Design) -> str:
    """Legend, corrections and sources of ``design``: the reference part of every handout."""
    sources = sorted(design.sources, key=lambda s: s.key)
    rows = "".join(f"<tr><td>{html.escape(s.key)}</td><td>{html.escape(s.title)}</td>"
                   f"<td>{html.escape(s.location)}</td><td>{html.escape(s.confidence)}</td></tr>" for s in sources)
    legend = legend_table(design)
    swatches = "".join(
        f'<li><span style="display:inline-block;width:28px;border-top:4px {html.escape(t.style)} {html.escape(t.colour)};'
        f'vertical-align:middle;margin-right:6px"></span>{html.escape(t.name)}</li>'
        for t in sorted(design.traffic_types, key=lambda t: t.order))
    return ('<section class="on-appendix" aria-label="Reference">'
            '<h2 id="legend">Legend: traffic types</h2>'
            f'<ul class="on-swatches" style="list-style:none;padding:0;columns:2">{swatches}</ul>'
            f"{_frame_html(legend)}"
            f'<h2 id="corrections">Corrections to the poster</h2>{_frame_html(corrections_table(design))}'
            '<h2 id="sources">Sources</h2><table><thead><tr><th>key</th><th>document</th><th>where</th>'
            f"<th>confidence</th></tr></thead><tbody>{rows}</tbody></table></section>")


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


def _exporter(include_code: bool) -> HTMLExporter:
    exporter = HTMLExporter(template_name="basic", exclude_input=not include_code,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={REMOVE_TAG}, enabled=True), enabled=True)
    exporter.register_preprocessor(HandoutPreprocessor(), enabled=True)
    return exporter


def page(nb, design: Design, *, source_name: str, nav: str = "", include_code: bool = False) -> str:
    """The handout page of an executed notebook (pure: the notebook is copied, not changed)."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    body, _ = _exporter(include_code).from_notebook_node(nb)
    title = notebook_title(nb, source_name)
    foot = (f"Built from <code>{html.escape(source_name)}</code> with officenet; "
            f"{len(design.components)} components, {len(design.flows)} flows, {len(design.ports)} port rows. "
            "Every view is pre-rendered: no kernel and no network needed.")
    return _shell(title, body + appendix_html(design), nav, foot)


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
            "kernel: pick a view with the buttons above a diagram; printing a page prints every view, one after "
            "another, then the legend, the corrections and the sources.</p>"
            f'<ol class="on-index">{items}</ol>')
    return _shell("officenet handouts", body, "", "officenet handouts", fit_toggle=False)


# --- the edge: run notebooks, write files --------------------------------------------------
def notebooks_in(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*.ipynb") if NOTEBOOK_RE.match(p.name))


def execute(path: Path, timeout: int = 600):
    """Run a notebook in a fresh kernel with handout mode on; return the executed copy."""
    nb = nbformat.read(path, as_version=4)
    # coalesce_streams: a print arrives in one or several chunks depending on the machine's load;
    # merged, the page is the same byte for byte whether notebooks run one by one or side by side.
    with private_kernel() as config:
        client = NotebookClient(nb, config=config, timeout=timeout, kernel_name="python3", store_widget_state=False,
                                coalesce_streams=True, resources={"metadata": {"path": str(Path(path).parent)}})
        client.execute(env={**os.environ, HANDOUT_ENV: "1"})
    return nb


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a handout is for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _checked(name: str, text: str) -> str:
    found = external_references(text)
    if found:
        raise HandoutError(f"{name} would load from the network: " + "; ".join(found[:5]))
    return text


def _page_for(path: Path, design: Design, nav: str, name: str, include_code: bool) -> tuple[str, Entry]:
    """Execute one notebook and make its checked page and index entry (runs in a worker process)."""
    try:
        nb = execute(path)
        text = _checked(name, page(nb, design, source_name=f"notebooks/{path.name}", nav=nav,
                                   include_code=include_code))
    except HandoutError:
        raise
    except Exception as exc:  # a kernel's error may not survive the trip back from a worker: say it in words
        if getattr(exc, "ename", None):  # nbclient's CellExecutionError: the cell's own exception
            raise HandoutError(f"{path.name}: a cell raised {exc.ename}: {exc.evalue}") from None
        raise HandoutError(f"{path.name}: {type(exc).__name__}: {exc}") from None
    return text, Entry(name, notebook_title(nb, path.stem), notebook_summary(nb),
                       text.count('class="on-panel"'), len(text.encode("utf-8")))


def default_jobs() -> int:
    """Notebooks run at once: one more than the cores, since a kernel also waits (for its start,
    for Graphviz); on two cores, three at once built the pages in 0.88 of the time two took."""
    return (os.cpu_count() or 1) + 1


def build(notebooks: list[Path], out_dir: Path, design: Design, include_code: bool = False,
          jobs: int | None = None) -> list[Path]:
    """Execute each notebook and write OUT/NN-name.html and OUT/index.html; return the paths written.

    Notebooks run in ``jobs`` worker processes at once (default: ``default_jobs()``), each in
    its own kernel; nothing is written until every page is made and checked."""
    out_dir = Path(out_dir)
    notebooks = [Path(p) for p in notebooks]
    names = [p.with_suffix(".html").name for p in notebooks]
    navs = []
    for i in range(len(notebooks)):
        prev = f'<a href="{html.escape(names[i - 1])}">← Previous</a>' if i else ""
        nxt = f'<a href="{html.escape(names[i + 1])}">Next →</a>' if i + 1 < len(names) else ""
        navs.append(f'<a href="index.html">Index</a>{prev}{nxt}')
    jobs = max(1, min(jobs or default_jobs(), len(notebooks)))
    args = [(path, design, nav, name, include_code) for path, nav, name in zip(notebooks, navs, names)]
    if jobs == 1:
        made = [_page_for(*a) for a in args]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            made = list(pool.map(_page_for, *zip(*args)))
    pages = [text for text, _ in made]
    entries = [entry for _, entry in made]
    written = []
    for name, text in zip(names, pages):
        write_atomic(out_dir / name, text)
        written.append(out_dir / name)
    write_atomic(out_dir / "index.html", _checked("index.html", index_page(entries)))
    written.append(out_dir / "index.html")
    return written


def main(argv: list[str] | None = None) -> int:
    from .loader import load
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN-*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "handouts")
    parser.add_argument("--data", type=Path, default=None, help="design folder for the appendix (default: data/)")
    parser.add_argument("--code", action="store_true", help="show the code cells too")
    parser.add_argument("--jobs", type=int, default=None,
                        help=f"notebooks run at once (default: one more than the cores, here {default_jobs()})")
    args = parser.parse_args(argv)
    targets = args.notebooks or notebooks_in(ROOT / "notebooks")
    start = time.perf_counter()
    written = build(targets, args.out, load(args.data), include_code=args.code, jobs=args.jobs)
    for path in written:
        print(f"{path}  {path.stat().st_size / 1024:.0f} KiB")
    print(f"{len(written)} pages in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
