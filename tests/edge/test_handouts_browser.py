"""Handouts in a real browser: offline, switchable, printable, and labels never run.

Every numbered notebook in notebooks/ is built once per session into
build/test-artefacts/handouts/; screenshots and PDFs land beside it.
"""
import re

import nbformat
import pytest

import officenet
from officenet.edge import handout
from browser import TIMEOUT_MS, Guard, artefact
from conftest import ROOT

pytestmark = pytest.mark.browser
from helpers import edit

NOTEBOOKS = handout.notebooks_in(ROOT / "notebooks")
PAGE_RE = re.compile(rb"/Type\s*/Page\b(?!s)")
MAX_PRINTED_PAGES = 30  # a handout, not a book: 00 used to print as 55 pages


def open_page(browser, path, **viewport):
    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    guard = Guard(page)
    page.goto(path.as_uri(), wait_until="load")
    return page, guard


def assert_offline(guard):
    assert guard.external == [], f"the page asked the network for {guard.external}"
    assert guard.failed == [], f"failed requests: {guard.failed}"
    assert guard.console_errors == [], f"console errors: {guard.console_errors}"


def pdf_pages(data: bytes) -> int:
    return len(PAGE_RE.findall(data))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_handout_opens_offline_shows_diagram_and_legend_and_switches(browser, handouts, notebook):
    path = handouts[notebook.with_suffix(".html").name]
    page, guard = open_page(browser, path)
    try:
        diagram = page.locator(".on-panel svg").first
        assert diagram.is_visible(), "no visible diagram in the first explorer's default view"
        # the legend, corrections and sources are one page of the set, linked from every page
        assert page.locator("header nav a[href='reference.html']").is_visible()
        assert page.locator("#legend").count() == 0 and page.locator("#sources").count() == 0
        # a diagram's own legend (HTML under the SVG, made from what it draws) is on screen
        assert page.locator(".officenet-figure .officenet-legend").first.is_visible()
        diagram.scroll_into_view_if_needed()
        page.screenshot(path=str(artefact(f"{notebook.stem}-default.png")))

        switchers = page.locator(".on-switcher")
        assert switchers.count() >= 1, "a notebook of the workbook has at least one explorer"
        for i in range(switchers.count()):
            sw = switchers.nth(i)
            panels, chips = sw.locator(".on-panel"), sw.locator("label.on-chip")
            assert panels.count() == chips.count() >= 2
            assert panels.nth(0).is_visible() and not panels.nth(1).is_visible()
            chips.nth(1).click()
            assert panels.nth(1).is_visible() and not panels.nth(0).is_visible()
            assert sum(panels.nth(k).is_visible() for k in range(panels.count())) == 1
            if i == 0:
                sw.scroll_into_view_if_needed()
                page.screenshot(path=str(artefact(f"{notebook.stem}-switched.png")))
            chips.nth(0).click()
            assert panels.nth(0).is_visible() and not panels.nth(1).is_visible()
        page.screenshot(path=str(artefact(f"{notebook.stem}-full.png")), full_page=True)
        assert_offline(guard)
    finally:
        page.close()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_handout_prints_each_explorers_default_view_on_a4_and_letter(browser, handouts, notebook):
    """On paper each explorer shows the view picked on screen (the default until another is picked)
    and names them all (they repeat its picture with other highlights); every printed diagram starts
    a page of its own, in landscape."""
    path = handouts[notebook.with_suffix(".html").name]
    page, guard = open_page(browser, path)
    try:
        switchers = page.locator(".on-switcher")
        page.emulate_media(media="print")
        for i in range(switchers.count()):
            panels = switchers.nth(i).locator(".on-panel")
            shown = [k for k in range(panels.count()) if panels.nth(k).is_visible()]
            assert shown == [0], f"explorer {i} prints views {shown}"
            note = switchers.nth(i).locator(".on-print-only")
            assert note.is_visible() and f"one of {panels.count()} views" in note.text_content()
        assert not page.locator(".on-choices").first.is_visible()
        # the view picked on screen is the one printed
        page.emulate_media(media="screen")
        first = switchers.first
        first.locator("label.on-chip").nth(1).click()
        page.emulate_media(media="print")
        panels = first.locator(".on-panel")
        assert [k for k in range(panels.count()) if panels.nth(k).is_visible()] == [1]
        first.locator("label.on-chip").nth(0).evaluate("e => e.click()")
        figures = page.locator(".officenet-figure").evaluate_all("els => els.filter(e => e.offsetWidth > 0).length")
        for size in ("A4", "Letter"):
            data = page.pdf(format=size, print_background=True)
            artefact(f"{notebook.stem}-{size}.pdf").write_bytes(data)
            assert data.startswith(b"%PDF") and len(data) > 10_000
            assert figures <= pdf_pages(data) <= MAX_PRINTED_PAGES, f"{pdf_pages(data)} pages for {figures} diagrams"
        assert_offline(guard)
    finally:
        page.close()


def test_index_links_every_handout(browser, handouts):
    page, guard = open_page(browser, handouts["index.html"])
    try:
        page.screenshot(path=str(artefact("index.png")), full_page=True)
        hrefs = page.locator("ol.on-index a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert hrefs == [p.with_suffix(".html").name for p in NOTEBOOKS]
        page.locator("ol.on-index a").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(NOTEBOOKS[0].with_suffix(".html").name)
        assert_offline(guard)
    finally:
        page.close()


def test_overview_handout_holds_the_explorers_own_views(browser, handouts, design):
    """The handout is made by the same library calls as the notebook: same views, same captions."""
    views = officenet.OverviewExplorer(design).static_views()
    page, guard = open_page(browser, handouts["00-overview.html"])
    try:
        panels = page.locator(".on-switcher").first.locator(".on-panel")
        titles = panels.locator(".on-panel-title").all_text_contents()
        assert titles == [f"Overview · {label}" for label, _ in views]
        for k, (_, body) in enumerate(views):
            caption = re.search(r"<b>(\d+)</b> port rows", body).group(1)
            assert panels.nth(k).locator("p").first.text_content().startswith(f"{caption} port rows")
        svg = panels.first.locator(".officenet-diagram svg")
        fitted = svg.bounding_box()["width"]
        assert fitted <= 1280
        page.locator("label[for=on-fit]").click()  # full size: its natural width, wider than the column
        natural = svg.evaluate("e => e.viewBox.baseVal.width * 4 / 3")
        assert abs(svg.bounding_box()["width"] - natural) < 2 and natural > fitted
        assert_offline(guard)
    finally:
        page.close()


HOSTILE = """Roaming <script>window.__pwned=1</script> "q" 'a' <img src=x onerror="window.__pwned=2">"""


def test_hostile_label_is_text_in_the_handout_and_the_svg(browser, data_copy, tmp_path):
    edit(data_copy, "components", "roaming_employees", short_label=HOSTILE)
    design = officenet.load(data_copy)
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 98 · Hostile labels\n\nA design whose label is markup."),
        nbformat.v4.new_code_cell(f"import officenet\ndesign = officenet.load({str(data_copy)!r})\n"
                                  "officenet.OverviewExplorer(design)"),
        nbformat.v4.new_code_cell("officenet.component_table(design)"),
    ]
    source = tmp_path / "98-hostile.ipynb"
    nbformat.write(nb, source)
    written = handout.build([source], tmp_path / "out", design)
    text = written[0].read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in text and "<script" not in text
    page, guard = open_page(browser, written[0])
    try:
        assert page.evaluate("() => window.__pwned") is None
        assert page.evaluate("() => document.scripts.length") == 0
        assert page.locator("img").count() == 0
        svg_text = page.locator(".on-panel .officenet-diagram svg").first.evaluate("e => e.textContent")
        assert "Roaming <script>window.__pwned=1</script>" in svg_text
        body = page.locator("main").evaluate("e => e.textContent")
        assert HOSTILE in body  # in the tables and the switcher's labels, as text
        assert page.locator("label.on-chip", has_text="<script>").count() == 1
        page.locator("label.on-chip", has_text="<script>").click()
        assert page.evaluate("() => window.__pwned") is None
        page.screenshot(path=str(artefact("hostile-label.png")))
        assert_offline(guard)
    finally:
        page.close()
