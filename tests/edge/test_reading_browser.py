"""Can a reader read the workbook where it is read? JupyterLab at 1280 x 720 (a projector) with the
file browser open, every walk-through notebook run; and the handouts at 1400 and 1000 px.

Targets: 0 table cells cut short ("..."), 0 tables wider than their output column, no diagram text
below 9 px in JupyterLab's column, and the foot's "Contents" link opens the contents notebook.
Figures go to build/test-artefacts/reading.txt; screenshots beside it.
"""
import re

import pytest

from browser import TIMEOUT_MS, Guard, artefact
from legibility import MEASURE, problems, record
from test_handouts_browser import NOTEBOOKS, assert_offline, open_page
from test_jupyterlab_smoke import lab  # noqa: F401  (the fixture: JupyterLab over a copy of notebooks/)

pytestmark = pytest.mark.browser

# Every table under ``root``: how far it runs past the box it is shown in, and its cells that end
# in an ellipsis (pandas' cut at 50 characters).
TABLES = r"""([root, column]) => [...document.querySelectorAll(root + ' table')]
  .filter(t => t.getBoundingClientRect().width > 0 && !t.closest('svg'))
  .map(t => {
    const box = t.closest(column) || document.documentElement;
    // past the column, or scrolling inside itself (a table shown as a block that scrolls sideways)
    const over = Math.max(t.getBoundingClientRect().right - (box.getBoundingClientRect().left + box.clientWidth),
                          getComputedStyle(t).display === 'block' ? t.scrollWidth - t.clientWidth : 0);
    const cut = [...t.querySelectorAll('td, th')].filter(c => /(\.\.\.|…)$/.test(c.textContent.trim())).length;
    return {head: (t.rows[0] ? t.rows[0].textContent : '').trim().replace(/\s+/g, ' ').slice(0, 50),
            over: Math.round(over), cut, column: Math.round(box.clientWidth)};
  })"""


def table_problems(tables: list[dict]) -> list[str]:
    found = [f"table '{t['head']}' runs {t['over']} px past its {t['column']} px column" for t in tables if t["over"] > 1]
    found += [f"table '{t['head']}' has {t['cut']} cut cells" for t in tables if t["cut"]]
    return found


def note(text: str) -> None:
    with artefact("reading.txt").open("a", encoding="utf-8") as fh:
        fh.write(text + "\n")


WALKTHROUGH = [p for p in NOTEBOOKS if p.name != "06-your-design.ipynb"]  # 06: its own app, tested with it


def _run_all(page, base, token, name):
    page.goto(f"{base}/lab/tree/{name}?token={token}", wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=TIMEOUT_MS)
    page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
        return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel &&
               w.sessionContext.session.kernel.status === 'idle'; }""", timeout=TIMEOUT_MS)
    # as a reader has it: the file browser open beside the notebook
    page.evaluate("() => window.jupyterapp.shell.leftCollapsed && window.jupyterapp.commands.execute('filebrowser:activate')")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
        const busy = [...document.querySelectorAll('.jp-Notebook .jp-InputArea-prompt')].some(p => p.textContent.includes('*'));
        return !busy && w.sessionContext.session.kernel.status === 'idle'; }""", timeout=TIMEOUT_MS * 3)
    page.wait_for_timeout(500)  # widgets draw after the kernel's reply


@pytest.mark.parametrize("notebook", WALKTHROUGH, ids=[p.stem for p in WALKTHROUGH])
def test_jupyterlab_column_shows_whole_tables_and_legible_diagrams(browser, lab, notebook):  # noqa: F811
    base, token = lab
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.set_default_timeout(TIMEOUT_MS)
    guard = Guard(page)
    try:
        _run_all(page, base, token, notebook.name)
        assert page.evaluate("() => !window.jupyterapp.shell.leftCollapsed"), "the file browser is not open"
        root = ".jp-Notebook .jp-OutputArea-output"
        tables = page.evaluate(TABLES, [root, ".jp-OutputArea-output"])
        result = page.evaluate(MEASURE, root)
        column = page.evaluate("() => Math.round(document.querySelector('.jp-Notebook .jp-OutputArea-output').clientWidth)")
        print(record(f"{notebook.stem} in JupyterLab 1280x720, file browser open (column {column} px)", result))
        note(f"{notebook.stem} JupyterLab: column {column} px, {len(tables)} tables, "
             f"{sum(t['over'] > 1 for t in tables)} wider than the column, {sum(t['cut'] for t in tables)} cut cells")
        shown = page.locator(f"{root} svg").first
        if shown.count():
            shown.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
        page.screenshot(path=str(artefact(f"jupyterlab-{notebook.stem}-1280.png")))
        if tables:
            page.locator(f"{root} table").first.scroll_into_view_if_needed()
            page.wait_for_timeout(500)  # JupyterLab draws cells as they scroll into view
            page.screenshot(path=str(artefact(f"jupyterlab-{notebook.stem}-table-1280.png")))
        found = table_problems(tables) + problems(result, 9, sideways=True)
        assert found == [], "; ".join(found)
        assert guard.external == [], f"JupyterLab asked the network for {guard.external}"
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    finally:
        page.close()


def test_jupyterlab_foot_contents_link_opens_the_contents(browser, lab):  # noqa: F811
    base, token = lab
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{base}/lab/tree/01-load-balancing.ipynb?token={token}", wait_until="domcontentloaded")
        page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=TIMEOUT_MS)
        link = page.locator(".jp-RenderedMarkdown a", has_text="Contents").last
        link.scroll_into_view_if_needed()
        link.click()
        page.wait_for_function("() => window.jupyterapp.shell.currentWidget && "
                               "window.jupyterapp.shell.currentWidget.title.label === 'contents.ipynb'", timeout=TIMEOUT_MS)
        # the contents' own link: notebook 01, now a hidden tab, links to 02 from its foot too
        page.locator(".jp-RenderedMarkdown a:visible", has_text=re.compile(r"^02-remote-access$")).first.click()
        page.wait_for_function("() => window.jupyterapp.shell.currentWidget.title.label === '02-remote-access.ipynb'",
                               timeout=TIMEOUT_MS)
        page.screenshot(path=str(artefact("jupyterlab-contents-link.png")))
    finally:
        page.close()


@pytest.mark.parametrize("width", [1400, 1000])
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_handout_tables_are_whole_and_fit_the_page(browser, handouts, notebook, width):
    page, guard = open_page(browser, handouts[notebook.with_suffix(".html").name], width=width, height=900)
    try:
        tables = page.evaluate(TABLES, ["main", "main"])
        # the switcher's other views are hidden until picked: show each one to measure its tables too
        for label in page.locator("label.on-chip").all():
            label.click()
            tables += page.evaluate(TABLES, [".on-panel", "main"])
        note(f"{notebook.stem} handout {width} px: {len(tables)} tables shown, "
             f"{sum(t['over'] > 1 for t in tables)} wider than the page, {sum(t['cut'] for t in tables)} cut cells")
        assert table_problems(tables) == []
        assert_offline(guard)
    finally:
        page.close()


def test_reference_page_holds_the_appendix_once(browser, handouts):
    page, guard = open_page(browser, handouts["reference.html"], width=1000, height=900)
    try:
        assert page.locator("#legend").is_visible() and page.locator("#sources").is_visible()
        assert table_problems(page.evaluate(TABLES, ["main", "main"])) == []
        # the legend's swatches tell the traffic types apart without colour (line style and weight)
        swatches = page.locator(".on-swatches .officenet-swatch").evaluate_all(
            "els => els.map(e => [...e.children].map(c => getComputedStyle(c).borderTopStyle + getComputedStyle(c).borderTopWidth).join('|'))")
        assert len(swatches) == len(set(swatches)) >= 10, swatches
        page.screenshot(path=str(artefact("reference-1000.png")), full_page=True)
        assert_offline(guard)
    finally:
        page.close()
