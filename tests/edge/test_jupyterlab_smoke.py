"""Smoke test of the workbook as a user meets it: JupyterLab in Chromium, run all, pick a user type.

The server runs on 127.0.0.1 with a token over a copy of notebooks/ (JupyterLab autosaves;
the repository's notebooks must stay as saved), with its settings, workspaces and runtime
files in a temporary folder. The fixture shuts it down whatever happens.
"""
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from browser import TIMEOUT_MS, Guard, artefact, free_port, stop, wait_until_answers
from legibility import MEASURE, problems, record
from conftest import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture
def lab(tmp_path, request):
    root = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    home = tmp_path / "jupyter"
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
           "IPYTHONDIR": str(home / "ipython")}
    cmd = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--port-retries=0", f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}",
           "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=", "--LabApp.extension_manager=readonly"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    request.addfinalizer(lambda: (stop(proc), log.close(), shutil.copy(tmp_path / "lab.log", artefact("jupyterlab.log"))))
    base = f"http://127.0.0.1:{port}"
    wait_until_answers(proc, f"{base}/api/status?token={token}", tmp_path / "lab.log", "jupyter lab")
    return base, token


EXPLORER_HTML = """() => {
  const out = [...document.querySelectorAll('.jp-Notebook .widget-html-content')]
    .find(e => e.querySelector('svg') && e.textContent.includes('port rows'));
  return out ? out.innerHTML : null;
}"""


def test_jupyterlab_runs_the_overview_and_the_dropdown_redraws(browser, lab):
    base, token = lab
    page = browser.new_page(viewport={"width": 1280, "height": 720})  # a projector
    page.set_default_timeout(TIMEOUT_MS)
    guard = Guard(page)
    try:
        page.goto(f"{base}/lab/tree/00-overview.ipynb?token={token}", wait_until="domcontentloaded")
        page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Notebook')",
                               timeout=TIMEOUT_MS)
        page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
            return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel &&
                   w.sessionContext.session.kernel.status === 'idle'; }""", timeout=TIMEOUT_MS)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(f"() => ({EXPLORER_HTML})() !== null", timeout=TIMEOUT_MS)
        before = page.evaluate(EXPLORER_HTML)
        # As it opens: the overview's diagram fits the output column and can be read.
        page.locator(".jp-Notebook .widget-html-content svg").first.scroll_into_view_if_needed()
        page.screenshot(path=str(artefact("jupyterlab-overview-1280.png")))
        result = page.evaluate(MEASURE, ".jp-Notebook .widget-html-content")
        print(record("00-overview in JupyterLab, 1280x720", result))
        # With the file browser open the output column is about 850 px: between the handout's 1000 px
        # window (7 px) and its 1400 px window (9 px), so the target is the middle, 8 px.
        found = problems(result, 8, sideways=True)
        assert result["diagrams"] and found == [], "; ".join(found)
        dropdown = page.locator(".jp-Notebook .widget-dropdown", has_text="User type").locator("select")
        dropdown.scroll_into_view_if_needed()
        dropdown.select_option(label="Roaming employees")
        page.wait_for_function(f"(before) => ({EXPLORER_HTML})() !== before", arg=before, timeout=TIMEOUT_MS)
        after = page.evaluate(EXPLORER_HTML)
        assert "<svg" in after and "Roaming employees" in after and after != before
        assert "port rows for <b>all flows</b>" in before and "port rows for <b>Roaming employees</b>" in after
        page.locator(".jp-Notebook .widget-html-content svg").first.scroll_into_view_if_needed()
        page.screenshot(path=str(artefact("jupyterlab-overview.png")))
        assert guard.external == [], f"JupyterLab asked the network for {guard.external}"
    finally:
        page.close()
