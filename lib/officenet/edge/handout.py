"""Handouts: each notebook as one self-contained HTML page that works offline and prints.

    python -m officenet.edge.handout                  # every notebooks/NN-*.ipynb -> build/handouts/
    python -m officenet.edge.handout --out DIR notebooks/00-overview.ipynb

How it works, without per-notebook code:

1. ``execute``: the notebook runs in a fresh kernel with ``OFFICENET_HANDOUT=1``;
   every ``Explorer`` then adds its ``static_views()`` to its display as
   ``VIEWS_MIME`` (see ``officenet.edge.staticviews``). The notebook file is not changed.
2. ``handout_outputs``: each views output becomes a switcher (radio buttons and
   CSS, no script); SVG outputs are inlined; widget views and scripts are dropped.
3. ``handout_page.page``: the cells (narrative and outputs, no code) in a page with an
   inline style sheet; links between notebooks become links between pages. The appendix drawn
   from the design (legend, corrections, sources) is one page of the set, ``reference.html``.
4. ``build``: runs several notebooks at once (a kernel each, from one process), then
   writes each page and an index atomically (temp file + ``os.replace``) after
   ``offline_check.external_references`` has found nothing the page would fetch.

Everything but ``execute`` and the writing in ``build`` is a pure function of its inputs.
"""
from __future__ import annotations

import argparse
import asyncio
import html
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# jsonschema, under nbformat, builds some 35 Earley parsers when it can import rfc3987_syntax, only to
# check the "iri" format, which no notebook schema uses: 2.4 s before the first kernel could start. The
# command-line build goes without it; a process that merely imports this module keeps jsonschema whole.
if __name__ == "__main__":
    sys.modules.setdefault("rfc3987_syntax", None)  # an import of it now fails, and jsonschema goes without
import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from ..model.design import Design
from .files import atomic_write
from .staticviews import HANDOUT_ENV
from .handout_page import REFERENCE, Entry, index_page, notebook_summary, notebook_title, page, reference_page
from .kernels import private_kernel
from .offline_check import external_references

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK_RE = re.compile(r"^\d\d-.+\.ipynb$")


class HandoutError(RuntimeError):
    pass


def notebooks_in(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*.ipynb") if NOTEBOOK_RE.match(p.name))


async def execute(path: Path, timeout: int = 600):
    """Run a notebook in a fresh kernel with handout mode on; return the executed copy."""
    nb = nbformat.read(path, as_version=4)
    # coalesce_streams: a print arrives in one or several chunks depending on the machine's load;
    # merged, the page is the same byte for byte whether notebooks run one by one or side by side.
    # shutdown_kernel: the kernel is thrown away (its history is in memory) and has finished every
    # cell, so it is stopped at once rather than waited for while it tears itself down (0.3-1.5 s).
    with private_kernel() as config:
        client = NotebookClient(nb, config=config, timeout=timeout, kernel_name="python3", store_widget_state=False,
                                coalesce_streams=True, shutdown_kernel="immediate",
                                resources={"metadata": {"path": str(Path(path).parent)}})
        await client.async_execute(env={**os.environ, HANDOUT_ENV: "1"})
    return nb


def _checked(name: str, text: str) -> str:
    found = external_references(text)
    if found:
        raise HandoutError(f"{name} would load from the network: " + "; ".join(found[:5]))
    return text


async def _page_for(path: Path, design: Design, nav: str, name: str, include_code: bool,
                    pages: dict[str, str], slots: asyncio.Semaphore) -> tuple[str, Entry]:
    """Execute one notebook (once a slot is free) and make its checked page and index entry."""
    try:
        async with slots:
            nb = await execute(path)
        text = _checked(name, page(nb, design, source_name=f"notebooks/{path.name}", nav=nav,
                                   include_code=include_code, pages=pages))
    except HandoutError:
        raise
    except Exception as exc:
        if getattr(exc, "ename", None):  # nbclient's CellExecutionError: the cell's own exception
            raise HandoutError(f"{path.name}: a cell raised {exc.ename}: {exc.evalue}") from exc
        raise HandoutError(f"{path.name}: {type(exc).__name__}: {exc}") from exc
    return text, Entry(name, notebook_title(nb, path.stem), notebook_summary(nb),
                       text.count('class="on-panel"'), len(text.encode("utf-8")))


async def _pages(args: list[tuple], jobs: int) -> list[tuple[str, Entry]]:
    """Every page, ``jobs`` notebooks at once; every notebook runs to its end, then the first
    failure in notebook order is raised (the same one whatever the timing)."""
    slots = asyncio.Semaphore(jobs)
    made = await asyncio.gather(*(_page_for(*a, slots) for a in args), return_exceptions=True)
    for result in made:
        if isinstance(result, BaseException):
            raise result
    return made


def _run(coro):
    """``asyncio.run``, also when this thread already runs an event loop (a notebook's kernel,
    Playwright's sync API): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def default_jobs() -> int:
    """Notebooks run at once: four per core, so the workbook's seven all start together on two cores.
    A kernel spends much of its time waiting (for its start, for replies, for Graphviz) and one
    process drives them all, so more at once costs memory more than time. On two cores shared with
    other work, all seven at once took a median 0.9 of the time five took (four runs each)."""
    return 4 * (os.cpu_count() or 1)


def build(notebooks: list[Path], out_dir: Path, design: Design, include_code: bool = False,
          jobs: int | None = None) -> list[Path]:
    """Execute each notebook and write OUT/NN-name.html, OUT/index.html and OUT/reference.html (the
    legend, corrections and sources, once for the set); return the paths written.

    ``jobs`` notebooks run at once (default: ``default_jobs()``), each in its own kernel, driven
    from this one process (a kernel does the work; the client waits for it); nothing is written
    until every page is made and checked."""
    out_dir = Path(out_dir)
    notebooks = [Path(p) for p in notebooks]
    names = [p.with_suffix(".html").name for p in notebooks]
    navs = []
    for i in range(len(notebooks)):
        prev = f'<a href="{html.escape(names[i - 1])}">← Previous</a>' if i else ""
        nxt = f'<a href="{html.escape(names[i + 1])}">Next →</a>' if i + 1 < len(names) else ""
        navs.append(f'<a href="index.html">Index</a>{prev}{nxt}<a href="{REFERENCE}">Legend and sources</a>')
    jobs = max(1, min(jobs or default_jobs(), len(notebooks)))
    page_names = {p.name: name for p, name in zip(notebooks, names)}
    args = [(path, design, nav, name, include_code, page_names) for path, nav, name in zip(notebooks, navs, names)]
    made = _run(_pages(args, jobs))
    pages = [text for text, _ in made]
    entries = [entry for _, entry in made]
    reference = _checked(REFERENCE, reference_page(design, '<a href="index.html">Index</a>'))
    written = []
    for name, text in zip(names, pages):
        atomic_write(out_dir / name, text)
        written.append(out_dir / name)
    atomic_write(out_dir / "index.html", _checked("index.html", index_page(entries)))
    written.append(out_dir / "index.html")
    atomic_write(out_dir / REFERENCE, reference)
    written.append(out_dir / REFERENCE)
    return written


def main(argv: list[str] | None = None) -> int:
    from ..loading.loader import load
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN-*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "handouts")
    parser.add_argument("--data", type=Path, default=None, help="design folder for the appendix (default: data/)")
    parser.add_argument("--code", action="store_true", help="show the code cells too")
    parser.add_argument("--jobs", type=int, default=None,
                        help=f"notebooks run at once (default: four per core, here {default_jobs()})")
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
