"""Can a reader read the diagrams? Every diagram of every handout page, as the page opens (nothing
clicked), measured in Chromium at 1400 and 1000 px wide windows and printed on A4 landscape.

Targets: at 1400 px no text below 9 px and no sideways scrolling; at 1000 px none below 7 px;
no overlapping labels; no legend entry whose colour is on no edge; a legend at most 10% of the
diagram; printed, every diagram on one page, every text at least 7 pt and every table column on
the page (JupyterLab's column at 1280 x 720 is measured in tests/edge/test_reading_browser.py: 9 px). The figures are printed at the end of the session (and kept in
build/test-artefacts/legibility.txt). JupyterLab and Voila are measured in their own tests.
"""
import pytest

from browser import artefact
from legibility import MEASURE, problems, record
from test_handouts_browser import NOTEBOOKS, assert_offline, open_page, pdf_pages

pytestmark = pytest.mark.browser

# A4 landscape less the page margins of the handout's print style (12 mm), in CSS px (96 per inch).
A4_LANDSCAPE = {"width": round((297 - 24) / 25.4 * 96), "height": round((210 - 24) / 25.4 * 96)}
PT_PER_PX = 0.75


@pytest.mark.parametrize("width,min_px", [(1400, 9), (1000, 7)])
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_handout_diagrams_are_legible_on_screen(browser, handouts, notebook, width, min_px):
    page, guard = open_page(browser, handouts[notebook.with_suffix(".html").name], width=width, height=900)
    try:
        result = page.evaluate(MEASURE, "main")
        print(record(f"{notebook.stem} handout, {width} px window", result))
        assert result["diagrams"], "the page shows no diagram as it opens"
        found = problems(result, min_px, sideways=width >= 1400)
        assert found == [], "; ".join(found)
        assert_offline(guard)
    finally:
        page.close()


# Text boxes of the whole page on paper: tables must keep every column inside the page.
TABLES = """() => [...document.querySelectorAll('main table')].filter(t => t.getBoundingClientRect().width > 0)
  .map(t => ({cols: t.rows.length ? t.rows[0].cells.length : 0,
              over: Math.max(0, ...[...t.querySelectorAll('th, td')].map(c => c.getBoundingClientRect().right))
                    - document.documentElement.clientWidth,
              head: (t.rows[0] ? t.rows[0].textContent : '').trim().slice(0, 60)}))
  .filter(t => t.over > 1)"""


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_handout_prints_each_diagram_on_one_a4_landscape_page(browser, handouts, notebook):
    page, guard = open_page(browser, handouts[notebook.with_suffix(".html").name], **A4_LANDSCAPE)
    try:
        page.emulate_media(media="print")
        result = page.evaluate(MEASURE, "main")
        data = page.pdf(format="A4", landscape=True, print_background=True)
        artefact(f"{notebook.stem}-A4-landscape.pdf").write_bytes(data)
        pages = pdf_pages(data)
        text = record(f"{notebook.stem} printed on A4 landscape ({pages} pages; sizes in px, 1 px = 0.75 pt)", result)
        print(text)
        found = [f"{d['title']}: {d['height']} px high, the page holds {A4_LANDSCAPE['height']} px"
                 for d in result["diagrams"] if d["height"] > A4_LANDSCAPE["height"]]
        found += [f"{d['title']}: {d['width']} px wide, the page holds {A4_LANDSCAPE['width']} px"
                  for d in result["diagrams"] if d["width"] > A4_LANDSCAPE["width"] + 1]
        found += problems(result, 7 / PT_PER_PX, sideways=False)
        found += [f"table '{t['head']}' runs {t['over']:.0f} px off the page" for t in page.evaluate(TABLES)]
        assert found == [], "; ".join(found)
        assert_offline(guard)
    finally:
        page.close()
