"""The workshop room as a class meets it all day (`make workshop`, room/voila.py): a landing page that lists
the series and the exercises by their own titles, fits a 1280x720 projector and asks the network for nothing;
the trainer's solutions neither listed nor served; a page's kernel shut down when a learner leaves the page,
and the kernels of pages that vanished without a word culled, so 20 page views leave a bounded number alive.

The server runs with the Makefile's arguments and the room's configuration, plus shorter culling times
(command-line flags win over room/voila.py): a kernel nobody is connected to is culled after CULL_IDLE_S.
"""
import json
import re
import time
import urllib.error
import urllib.request

import nbformat
import psutil
import pytest

from browser import TIMEOUT_MS, Guard, artefact
from conftest import ROOT
from workshop_server import serve

CULL_IDLE_S, CULL_INTERVAL_S = 10, 2
NOTEBOOKS = ROOT / "notebooks"
WALKTHROUGH = sorted(p.relative_to(NOTEBOOKS).as_posix() for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
EXERCISES = sorted(p.relative_to(NOTEBOOKS).as_posix() for p in NOTEBOOKS.glob("workshop/[0-9][0-9]-*.ipynb"))
SOLUTIONS = sorted(p.relative_to(NOTEBOOKS).as_posix() for p in NOTEBOOKS.glob("workshop/solutions/*.ipynb"))
VIEWS, ARRIVING = 20, 2  # page views in all; learners arriving at once


@pytest.fixture(scope="module")
def room(tmp_path_factory, request):
    return serve(tmp_path_factory.mktemp("room"), request, f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_S}",
                 f"--MappingKernelManager.cull_interval={CULL_INTERVAL_S}", name="room")


def heading(path: str) -> str:
    """The first line of a notebook's first markdown cell: its title as JupyterLab shows it."""
    cells = json.loads((NOTEBOOKS / path).read_text(encoding="utf-8"))["cells"]
    return "".join(next(c for c in cells if c["cell_type"] == "markdown")["source"]).partition("\n")[0]


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


@pytest.mark.browser
def test_landing_page_lists_every_notebook_and_exercise_and_no_solution(browser, room):
    assert len(WALKTHROUGH) >= 7 and len(EXERCISES) >= 8 and SOLUTIONS  # the folders' own lists, below
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.set_default_timeout(TIMEOUT_MS)
    guard = Guard(page)
    assets = []
    page.on("request", lambda r: assets.append(r.url) if r.resource_type in ("stylesheet", "script", "font") else None)
    try:
        page.goto(room.base + "/", wait_until="networkidle")
        page.screenshot(path=str(artefact("room-landing-1280x720.png")))
        links = page.locator("a[href]").evaluate_all("els => els.map(a => [a.getAttribute('href'), a.innerText])")
        size = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        text = page.evaluate("() => document.body.innerText")
    finally:
        page.close()
    assert guard.external == [], f"the landing page asked the network for {guard.external}"
    assert guard.failed == [] and guard.console_errors == [], guard.failed + guard.console_errors
    # The app pages' own assets, served by Voila from the officenet template (no script of a file browser).
    assert assets and all(u.startswith(room.base + "/voila/templates/officenet/static/") for u in assets), assets
    hrefs = [href for href, _ in links]
    assert hrefs == [f"/voila/render/{p}" for p in WALKTHROUGH + EXERCISES], hrefs
    for (_, label), path in zip(links, WALKTHROUGH + EXERCISES):
        title = heading(path).split("·", 1)[1].strip()
        assert title in label, f"{path}: the landing page says {label!r}, the notebook {title!r}"
    assert "solution" not in text.lower() and not any("solutions" in h for h in hrefs)
    assert size[0] <= 1280 and size[1] <= 720, f"the landing page needs {size[0]}x{size[1]} px on a 1280x720 projector"


@pytest.mark.browser
def test_the_solutions_are_neither_listed_nor_served(room):
    for path in SOLUTIONS:
        assert status(f"{room.base}/voila/render/{path}") == 404, path
        assert status(f"{room.base}/voila/files/{path}") in (403, 404), path
    with urllib.request.urlopen(f"{room.base}/voila/api/contents/workshop", timeout=60) as r:
        names = [entry["name"] for entry in json.load(r)["content"]]
    assert "solutions" not in names and "01-read-the-poster.ipynb" in names
    for folder in ("voila/tree/workshop/solutions", "voila/tree/workshop/solutions?classic-tree=true"):
        with urllib.request.urlopen(f"{room.base}/{folder}", timeout=60) as r:
            body = r.read().decode()
        assert "solutions/" not in body and "The walk-through" in body, folder  # the landing page, not a listing


@pytest.mark.parametrize("notebook", EXERCISES)
def test_exercise_briefs_read_right_in_the_app(notebook):
    """The app shows every markdown cell and no code cell: each exercise says its answer goes in the form, and a
    paragraph that sends the learner to a cell, or to a call of the library, says it is for JupyterLab."""
    paragraphs = [p for c in nbformat.read(NOTEBOOKS / notebook, as_version=4).cells if c.cell_type == "markdown"
                  for p in c.source.split("\n\n")]
    assert any("form below" in p for p in paragraphs), f"{notebook}: the brief does not point to the form"
    for p in paragraphs:
        if re.search(r"\bcells?\b|`(officenet|workshop)\.", p):
            assert "JupyterLab" in p, f"{notebook}: the app hides what this asks for: {p!r}"


def open_views(context, room, notebooks: list[str]) -> list[tuple]:
    """Page views by direct link (no landing page first), opened together as learners arriving at once, each
    waited for until its widgets are live; (page, kernel id) for each."""
    pages = []
    for notebook in notebooks:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{room.base}/voila/render/{notebook}", wait_until="commit")
        pages.append(page)
    views = []
    for page in pages:  # a control drawn: the notebook ran and the widget manager (which says goodbye) is up
        page.wait_for_function("() => document.querySelector('.widget-dropdown select, .widget-checkbox input, "
                               ".widget-textarea textarea')", timeout=TIMEOUT_MS)
        views.append((page, page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")))
    return views


def kernel_alive(room, kernel: str) -> bool:
    return status(f"{room.base}/api/kernels/{kernel}") == 200


def settle(predicate, seconds: float) -> float:
    """Seconds until predicate() held, polling, or the bound if it never did."""
    start = time.monotonic()
    while not predicate() and time.monotonic() - start < seconds:
        time.sleep(0.5)
    return time.monotonic() - start


def wait_for(predicate, seconds: float) -> float:
    """Seconds until predicate() held, polling; fails past the bound."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > seconds:
            pytest.fail(f"not within {seconds} s")
        time.sleep(0.5)
    return time.monotonic() - start


@pytest.mark.browser
def test_leaving_a_page_opened_by_direct_link_shuts_its_kernel_down(browser, room):
    """Leaving by the page's own link to the landing page: the page's goodbye (a beacon to /voila/api/shutdown)
    carries the _xsrf cookie the app page set itself; without it Voila answers 403 and only culling would end
    the kernel."""
    context = browser.new_context()  # no cookie from an earlier page
    try:
        [(page, kernel)] = open_views(context, room, [EXERCISES[-1]])
        assert kernel_alive(room, kernel)
        assert any(c["name"] == "_xsrf" for c in context.cookies()), "the app page set no _xsrf cookie"
        page.locator("a", has_text="all pages").click()  # back to the landing page, as the app page offers
        page.wait_for_selector("text=The walk-through")
        took = wait_for(lambda: not kernel_alive(room, kernel), CULL_IDLE_S + 4 * CULL_INTERVAL_S)
    finally:
        context.close()
    log = room.log.read_text(errors="replace")
    assert f"403 POST /voila/api/shutdown/{kernel}" not in log, "the shutdown on leaving was refused"
    assert f"({kernel}) with 0 connections due to" not in log, "the kernel was culled, not shut down on leaving"
    print(f"kernel gone {took:.1f} s after leaving the page")


def memory_mb(process: psutil.Process) -> dict:
    info = process.memory_full_info()
    return {"rss_mb": round(info.rss / 2**20), "pss_mb": round(info.pss / 2**20), "uss_mb": round(info.uss / 2**20)}


@pytest.mark.browser
def test_twenty_page_views_leave_a_bounded_number_of_kernels(browser, room):
    """20 exercise pages opened by direct link, four learners at a time, while one learner keeps a page open:
    half are left as a learner moves on (the page says goodbye), half vanish without a word (a closed laptop, a
    crashed tab: only culling ends their kernels). After a bounded wait only the open page's kernel lives."""
    wait_for(lambda: not room.kernels(), CULL_IDLE_S + 4 * CULL_INTERVAL_S)  # what earlier tests left
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    sizing = {"views": VIEWS, "cull_idle_timeout_s": CULL_IDLE_S, "cull_interval_s": CULL_INTERVAL_S, "pages": []}
    started = time.monotonic()
    try:
        [(kept, kept_kernel)] = open_views(context, room, [EXERCISES[1]])
        most = 1
        for first in range(0, VIEWS, ARRIVING):
            notebooks = [EXERCISES[i % len(EXERCISES)] for i in range(first, first + ARRIVING)]
            views = open_views(context, room, notebooks)
            alive = room.kernels()
            most = max(most, len(alive))
            for notebook, (page, kernel) in zip(notebooks, views):
                process = next(k for k in alive if kernel in " ".join(k.cmdline()))
                sizing["pages"].append({"notebook": notebook, **memory_mb(process)})
            for n, (page, _) in enumerate(views):
                page.close(run_before_unload=n % 2 == 0)  # the others: the tab is gone without its goodbye
        alive = room.kernels()
        sizing.update({"views_s": round(time.monotonic() - started), "most_alive": most,
                       "alive_after_views": len(alive), "held_after_views_mb": round(sum(
                           k.memory_info().rss for k in alive) / 2**20)})
        bound = CULL_IDLE_S + 4 * CULL_INTERVAL_S + 10
        waited = settle(lambda: len(room.kernels()) <= 1, bound)
        alive = room.kernels()
        sizing.update({"waited_s": round(waited, 1), "alive_after_wait": len(alive),
                       "held_after_wait_mb": round(sum(k.memory_info().rss for k in alive) / 2**20),
                       "kept_page": memory_mb(alive[0]) if alive else None,
                       "server": memory_mb(psutil.Process(room.proc.pid)), "cpu_count": psutil.cpu_count(),
                       "memory_total_mb": round(psutil.virtual_memory().total / 2**20)})
        artefact("room-sizing.json").write_text(json.dumps(sizing, indent=1))
        print(json.dumps({k: v for k, v in sizing.items() if k != "pages"}))
        assert len(alive) <= 1, f"{len(alive)} kernels alive {waited:.0f} s after {VIEWS} page views"
        assert kernel_alive(room, kept_kernel), "the kernel of the page a learner has open was culled"
        # The learner who stayed still gets feedback from their form.
        select = kept.locator(".widget-dropdown", has_text="TCP 5061").locator("select")
        select.select_option(label="both")
        kept.wait_for_function("() => document.body.innerText.includes('TCP 5061 both')", timeout=TIMEOUT_MS)
    finally:
        context.close()
