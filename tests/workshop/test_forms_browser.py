"""The your-design form (notebook 06) as an architect meets it in the Voila app, at 1280x720 (a projector),
1000 and 870 px: it fits its output with nothing cut on the right; a design saved there comes back in a new
page (a new kernel), and its file and the exports download from the page. Screenshots are kept in
build/test-artefacts. (Every app page's drop-downs are measured in tests/workshop/test_voila_browser.py, on
the page's one visit.)
"""
import io
import re
import zipfile
from pathlib import Path

import pytest

from browser import TIMEOUT_MS, artefact
from forms import DROPDOWNS, FORM_FIT, dropdown_problems
from test_voila_browser import VIEWPORTS, app_page, loaded, voila  # noqa: F401  (voila: the server fixture)

pytestmark = pytest.mark.browser

# JupyterLab's output column at 1280 px with the file browser open is 840 px: Voila's is the window less 30 px.
FORM_VIEWPORTS = [*VIEWPORTS, (870, 720)]
APP = ".officenet-app"


def open_your_design(page):
    loaded(page)
    page.wait_for_selector(APP, timeout=TIMEOUT_MS)
    page.wait_for_function("() => document.body.innerText.includes('red')", timeout=TIMEOUT_MS)


def test_your_design_form_fits_its_output(browser, voila):
    """One page, resized: the form fits its output at each width, with no id among the names it shows."""
    with app_page(browser, voila, "06-your-design.ipynb", FORM_VIEWPORTS[0]) as page:
        open_your_design(page)
        for width, height in FORM_VIEWPORTS:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(300)  # the widgets lay out again after the resize
            page.evaluate(f"() => document.querySelector('{APP}').scrollIntoView({{block: 'start'}})")
            page.screenshot(path=str(artefact(f"forms-06-your-design-{width}.png")))
            fit = page.evaluate(FORM_FIT, APP)
            found = page.evaluate(DROPDOWNS)
            print(f"06 at {width} px: output {fit['outputWidth']} px, form to {fit['formRight']} px, "
                  f"{fit['controls']} controls, {len(fit['outside'])} outside, {len(fit['cut'])} cut labels, "
                  f"{len(found)} drop-downs, narrowest {min(d['width'] for d in found)} px")
            assert dropdown_problems(found) == [], width
            assert fit["outside"] == [] and fit["cut"] == [] and not fit["sideways"], (width, fit)
        # no id among the names shown
        names = page.evaluate(f"() => [...document.querySelectorAll('{APP} .widget-label, {APP} option')]"
                              ".map(e => e.textContent)")
        assert not [n for n in names if re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", n)], "ids shown as names"


def text_box(page, name: str):
    label = page.locator(".widget-label", has_text=re.compile(f"^{re.escape(name)}$"))
    return page.locator(".widget-text").filter(has=label).locator("input")


def test_a_design_saved_in_the_app_comes_back_in_a_new_page_and_downloads(browser, voila, tmp_path):
    with app_page(browser, voila, "06-your-design.ipynb", (1280, 720)) as page:
        open_your_design(page)
        domain = text_box(page, "Public domain")
        domain.fill("https://northwind")
        domain.press("Enter")
        error = page.locator(".officenet-field-error").first
        error.wait_for(timeout=TIMEOUT_MS)
        # the error is beside its field, not thousands of pixels below
        gap = error.bounding_box()["y"] - domain.bounding_box()["y"]
        assert 0 < gap < 60, f"the domain's error is {gap:.0f} px below the field"
        domain.evaluate("e => e.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(artefact("forms-06-error-by-its-field.png")))
        stale = page.locator(".officenet-stale").first
        assert stale.evaluate("e => getComputedStyle(e).opacity") == "0.45"
        assert "last valid answers (Fabrikam)" in page.locator(APP).inner_text()
        domain.fill("northwind.example")
        domain.press("Enter")
        name = text_box(page, "Name")
        name.fill("Northwind")
        name.press("Enter")
        page.wait_for_function("() => [...document.querySelectorAll('.widget-text input')]"
                               ".some(i => i.value === 'my-northwind.yaml')", timeout=TIMEOUT_MS)
        page.locator("button", has_text="Save design").click()
        link = page.locator("a.officenet-download", has_text="my-northwind.yaml")
        link.wait_for(timeout=TIMEOUT_MS)
        with page.expect_download() as saved:
            link.click()
        text = Path(saved.value.path()).read_text()
        assert saved.value.suggested_filename == "my-northwind.yaml" and "domain: northwind.example" in text
        page.locator("button", has_text="Export configuration").click()
        archive = page.locator("a.officenet-download", has_text="Download all")
        archive.wait_for(timeout=TIMEOUT_MS)
        with page.expect_download() as packed:
            archive.click()
        with zipfile.ZipFile(io.BytesIO(Path(packed.value.path()).read_bytes())) as z:
            names = z.namelist()
            assert "my-design/loadbalancer/haproxy.cfg" in names and len(names) >= 10
            assert b"northwind.example" in z.read("my-design/dns/external-northwind.example.zone")
        archive.scroll_into_view_if_needed()
        page.screenshot(path=str(artefact("forms-06-downloads.png")))
    # A new page is a new kernel: the form starts from the design saved above.
    with app_page(browser, voila, "06-your-design.ipynb", (1280, 720)) as page:
        open_your_design(page)
        assert text_box(page, "Public domain").input_value() == "northwind.example"
        assert "last saved design, my-northwind.yaml" in page.locator(APP).inner_text()


def test_switching_the_release_refits_the_form_in_the_page(browser, voila):
    """'Products of' today's editions, in the page: the form rebuilt with today's names, no DirectAccess to pick,
    the five switches today lacks greyed out, the results derived again, and the form still fits."""
    with app_page(browser, voila, "06-your-design.ipynb", (1280, 720)) as page:
        open_your_design(page)
        assert page.locator(APP).inner_text().count("owas_for_exchange") == 1  # a 2013 check (checks.csv)
        name = page.locator(".widget-label", has_text=re.compile("^Products of$"))
        release = page.locator(".widget-dropdown").filter(has=name).locator("select")
        release.select_option(label="Today's supported successors")
        app = f"document.querySelector('{APP}').innerText"
        page.wait_for_function(f"() => {app}.includes('Exchange Server Subscription Edition')", timeout=TIMEOUT_MS)
        page.wait_for_function(f"() => !{app}.includes('owas_for_exchange')", timeout=TIMEOUT_MS)  # derived again
        text = page.locator(APP).inner_text()
        options = page.locator(f"{APP} option").all_text_contents()
        greyed = page.locator(f"{APP} .widget-checkbox input:disabled").count()
        fit = page.evaluate(FORM_FIT, APP)
        print(f"06 on today's editions: {greyed} switches greyed, {fit['controls']} controls, "
              f"form to {fit['formRight']} of {fit['outputWidth']} px")
        release.scroll_into_view_if_needed()
        page.screenshot(path=str(artefact("forms-06-todays-editions.png")))
        assert "Exchange Server 2013" not in text and "DirectAccess" not in options and greyed == 5
        assert fit["outside"] == [] and fit["cut"] == [] and not fit["sideways"], fit
