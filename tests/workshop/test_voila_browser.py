"""The workshop's app mode as a class meets it: `make workshop` serves the notebooks with Voila
(widgets and results, no code); in Chromium the overview loads and a drop-down redraws it, every page loads
with the network blocked and asks it for nothing, and every exercise is answered with its form.

The server runs on 127.0.0.1 over a copy of notebooks/ (and scenarios/), started as the Makefile's workshop
target starts it (tests/workshop_server.py). The room itself (landing page, solutions, kernels) is in
tests/workshop/test_workshop_room.py.
"""
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from officenet.derive.diagram import DIM
from officenet.derive.scenario_labels import answer_name

from browser import TIMEOUT_MS, Guard, artefact
from forms import DROPDOWNS, dropdown_problems
from legibility import MEASURE, problems, record
from conftest import ROOT
from workshop_server import serve, workshop_arguments, workshop_jupyter_path

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def voila(tmp_path_factory, request):
    return serve(tmp_path_factory.mktemp("voila"), request).base


EXPLORER_HTML = """() => {
  const out = [...document.querySelectorAll('.widget-html-content')]
    .find(e => e.querySelector('svg') && e.textContent.includes('port rows'));
  return out ? out.innerHTML : null;
}"""


# What the explorer's diagram says and how many of its strokes are dimmed (flows outside the selection).
DIAGRAM = """(dim) => {
  const out = [...document.querySelectorAll('.widget-html-content')]
    .find(e => e.querySelector('svg') && e.textContent.includes('port rows'));
  const svg = out.querySelector('svg');
  return {text: svg.textContent, dimmed: svg.querySelectorAll(`[stroke="${dim}"]`).length};
}"""

# Put the explorer's controls at the top of the window, so a screenshot shows the choice and the diagram.
CONTROLS_TO_TOP = """() => [...document.querySelectorAll('.widget-dropdown')]
  .find(e => e.textContent.includes('User type')).scrollIntoView({block: 'start'})"""


def test_workshop_arguments_hide_the_code():
    assert "--strip_sources=True" in workshop_arguments()


@contextmanager
def app_page(browser, voila, notebook, viewport=None):
    """A Chromium page on one notebook's app; on leaving, no request may have gone to the network and
    none may have failed (the officenet template serves Voila's icon font locally, not from a CDN).
    ``viewport``: (width, height) or Playwright's {"width", "height"}; 1400 x 1000 by default."""
    if isinstance(viewport, tuple):
        viewport = {"width": viewport[0], "height": viewport[1]}
    page = browser.new_page(viewport=viewport or {"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    guard = Guard(page)
    try:
        page.goto(f"{voila}/voila/render/{notebook}", wait_until="domcontentloaded")
        yield page
        assert guard.external == [], f"the Voila app asked the network for {guard.external}"
        assert guard.failed == [], f"requests of the Voila app failed: {guard.failed}"
    finally:
        page.close()


def test_workshop_uses_the_offline_template():
    assert "--template=officenet" in workshop_arguments()
    page = (workshop_jupyter_path() / "voila" / "templates" / "officenet" / "index.html.j2").read_text()
    assert "extends 'lab/index.html.j2'" in page


def test_voila_app_renders_the_overview_and_a_dropdown_redraws_it(browser, voila):
    with app_page(browser, voila, "00-overview.ipynb") as page:
        page.wait_for_function(f"() => ({EXPLORER_HTML})() !== null", timeout=TIMEOUT_MS)
        before = page.evaluate(EXPLORER_HTML)
        assert "port rows for <b>all flows</b>" in before
        diagram_before = page.evaluate(DIAGRAM, DIM)
        # Markdown cells keep an input area; code cells must have none, and no source text shows.
        code = page.evaluate("() => document.querySelectorAll('.jp-CodeCell .jp-InputArea, .cm-editor').length")
        text = page.evaluate("() => document.body.innerText")
        assert code == 0 and "officenet.load(" not in text, "the app shows code: --strip_sources is not in effect"
        page.evaluate(CONTROLS_TO_TOP)
        page.screenshot(path=str(artefact("voila-before.png")))
        dropdown = page.locator(".widget-dropdown", has_text="User type").locator("select")
        dropdown.select_option(label="Roaming employees")
        page.wait_for_function(f"(before) => ({EXPLORER_HTML})() !== before", arg=before, timeout=TIMEOUT_MS)
        after = page.evaluate(EXPLORER_HTML)
        assert "port rows for <b>Roaming employees</b>" in after and "<svg" in after
        # The diagram itself is redrawn: its title names the choice and the other flows are dimmed.
        diagram_after = page.evaluate(DIAGRAM, DIM)
        assert "products: Roaming employees" in diagram_after["text"]
        assert "products: Roaming employees" not in diagram_before["text"]
        assert diagram_after["dimmed"] > diagram_before["dimmed"]
        page.evaluate(CONTROLS_TO_TOP)
        page.screenshot(path=str(artefact("voila-after.png")))
        # For the projector the diagram fits the page as it opens; "Full size" shows its natural size.
        fitted = page.locator(".widget-html-content svg").first.bounding_box()["width"]
        assert fitted <= 1400
        page.locator("button", has_text="Full size").first.click()
        page.wait_for_selector(".officenet-full svg", timeout=TIMEOUT_MS)
        full = page.locator(".officenet-full svg").first
        assert abs(full.bounding_box()["width"] - full.evaluate("e => e.viewBox.baseVal.width * 4 / 3")) < 2
        full.scroll_into_view_if_needed()
        page.screenshot(path=str(artefact("voila-full-size.png")))


def test_voila_overview_is_legible_on_a_1280x720_projector(browser, voila):
    with app_page(browser, voila, "00-overview.ipynb", {"width": 1280, "height": 720}) as page:
        page.wait_for_function(f"() => ({EXPLORER_HTML})() !== null", timeout=TIMEOUT_MS)
        page.screenshot(path=str(artefact("voila-1280-top.png")))
        title = page.locator("h1").first
        assert title.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the title is cut"
        page.evaluate(CONTROLS_TO_TOP)
        page.screenshot(path=str(artefact("voila-1280-overview.png")))
        # every "(all)" drop-down shows its value
        shown = page.locator(".widget-dropdown select").evaluate_all(
            "els => els.map(s => s.selectedIndex >= 0 ? s.options[s.selectedIndex].text : '')")
        assert shown and all(shown), f"drop-downs that show nothing: {shown}"
        result = page.evaluate(MEASURE, ".widget-html-content")
        print(record("00-overview in Voila, 1280x720", result))
        found = problems(result, 9, sideways=True)
        assert result["diagrams"] and found == [], "; ".join(found)


def test_your_design_app_updates_its_findings_when_an_answer_changes(browser, voila, design):
    with app_page(browser, voila, "06-your-design.ipynb") as page:
        page.wait_for_function("() => document.body.innerText.includes('0 red')", timeout=TIMEOUT_MS)
        findings = page.locator(".widget-html-content", has_text="0 red").last
        name = page.locator(".widget-label", has_text=re.compile("^Reverse proxy$"))
        proxy = page.locator(".widget-dropdown").filter(has=name).locator("select")
        proxy.scroll_into_view_if_needed()
        proxy.select_option(label=answer_name(design, "reverse_proxy", "uag"))  # the form shows answers.csv's label
        page.wait_for_function("() => document.body.innerText.includes('1 red')", timeout=TIMEOUT_MS)
        findings = page.locator(".widget-html-content", has_text="1 red").last
        assert "uag_for_lync" in findings.inner_text() and "UAG as the reverse proxy" in findings.inner_text()
        findings.scroll_into_view_if_needed()
        page.screenshot(path=str(artefact("voila-your-design.png")))


# contents.ipynb is JupyterLab's table of contents (text and links, no output): in the app the room's landing
# page plays that part (tests/workshop/test_workshop_room.py).
APP_PAGES = sorted(str(p.relative_to(ROOT / "notebooks")) for p in (ROOT / "notebooks").rglob("*.ipynb")
                   if "solutions" not in p.parts and ".ipynb_checkpoints" not in p.parts and p.name != "contents.ipynb")
EXERCISES = [p for p in APP_PAGES if p.startswith("workshop/")]
CONTROLS = ("() => document.querySelectorAll('.widget-dropdown select, .widget-checkbox input, "
            ".widget-textarea textarea, .widget-radio-box input').length")
FEEDBACK = """() => [...document.querySelectorAll('.widget-html-content')]
  .map(e => e.innerText).filter(t => t.includes('not yet') || t.includes('all correct')).join('\\n')"""


def loaded(page) -> None:
    """Wait until Voila has run every cell (the page is complete) and the widgets have drawn."""
    page.wait_for_load_state("load", timeout=TIMEOUT_MS)
    page.wait_for_function("() => !document.querySelector('#loading') || "
                           "getComputedStyle(document.querySelector('#loading')).display === 'none'", timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)


# A projector, then a narrow laptop window: the same page resized, as a learner moves it between screens.
VIEWPORTS = [(1280, 720), (1000, 720)]


def dropdowns_at(page, viewport: tuple[int, int], notebook: str) -> list[str]:
    """The drop-down problems of the page at one window size; the figures are printed, a screenshot kept."""
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.wait_for_timeout(300)  # the widgets lay out again after the resize
    found = page.evaluate(DROPDOWNS)
    narrow = [d["width"] for d in found if d["width"] < 150]
    print(f"{notebook} at {viewport[0]} px: {len(found)} drop-downs, {len(narrow)} under 150 px, "
          f"narrowest {min((d['width'] for d in found), default='-')} px, "
          f"{sum(d['valueCut'] or d['longestCut'] or d['labelCut'] for d in found)} cut")
    if found:
        page.locator(".widget-dropdown").first.scroll_into_view_if_needed()
        page.screenshot(path=str(artefact(f"forms-{Path(notebook).stem}-{viewport[0]}.png")))
    return [f"{viewport[0]} px: {p}" for p in dropdown_problems(found)]


@pytest.mark.parametrize("notebook", APP_PAGES)
def test_every_app_page_loads_offline_and_its_forms_read_whole(browser, voila, notebook):
    """One visit per page (each visit runs the notebook in a new kernel): it loads with the network blocked
    and shows no error; an exercise shows its form and the feedback of the blank answer (screenshot at
    1280x720, a projector); every drop-down is at least 150 px wide and shows its value, its longest option
    and its name whole at 1280 and at 1000 px (tests/forms.py)."""
    with app_page(browser, voila, notebook, VIEWPORTS[0]) as page:
        loaded(page)
        text = page.evaluate("() => document.body.innerText")
        assert "Traceback" not in text and "Error" not in page.title()
        assert page.locator(".jp-OutputArea-output").count() > 0
        page.wait_for_function(f"() => ({CONTROLS})() > 0", timeout=TIMEOUT_MS)  # every page has a form
        if notebook in EXERCISES:
            page.wait_for_function(f"() => ({FEEDBACK})().includes('not yet')", timeout=TIMEOUT_MS)
            page.locator("text=Your answer").first.scroll_into_view_if_needed()
            page.screenshot(path=str(artefact(f"voila-{Path(notebook).stem}.png")))
        found = [p for viewport in VIEWPORTS for p in dropdowns_at(page, viewport, notebook)]
        assert found == []


def test_exercise_02_form_checks_a_port_rule(browser, voila):
    """The form feeds the same check as the answer cell: opening TCP 5061 both ways is called correct."""
    with app_page(browser, voila, "workshop/02-open-the-gateway-for-federation.ipynb", (1280, 720)) as page:
        loaded(page)
        select = page.locator(".widget-dropdown", has_text="TCP 5061").locator("select")
        select.select_option(label="both")
        page.wait_for_function(f"() => ({FEEDBACK})().includes('TCP 5061 both')", timeout=TIMEOUT_MS)
        feedback = page.evaluate(FEEDBACK)
        assert "Correct" in feedback and "TCP 5061 both" in feedback and "Missing" in feedback
        select.select_option(label="in")
        page.wait_for_function(f"() => ({FEEDBACK})().includes('check the direction')", timeout=TIMEOUT_MS)
        page.evaluate("""() => [...document.querySelectorAll('.widget-html-content')]
          .filter(e => e.innerText.includes('not yet')).pop().scrollIntoView({block: 'end'})""")
        page.screenshot(path=str(artefact("voila-02-answered.png")))
