"""A class on a hub: hub/jupyterhub_config.py in its shared mode, run for real on 127.0.0.1.

Several learners log in through the hub's login page in headless Chromium (DummyAuthenticator: any name and
password, loopback only), each lands on the overview with its stored diagram already drawn (the notebooks are
trusted on arrival), then opens exercise 02, types an answer and runs it: the check says "all correct".
For each learner the test measures the start time (login to a drawn overview) and the memory of their processes
(JupyterLab and its kernels, proportional set size) and writes them to build/test-artefacts/hub-sizing.json;
the trainer guide's sizing comes from these figures.

Ports are free ones on 127.0.0.1; the hub's state and the learners' homes are in a temporary folder; the hub,
its proxy and every learner's server and kernel are stopped on teardown, by process id.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from officenet import workshop

from browser import TIMEOUT_MS, Guard, artefact, free_port, stop, wait_until_answers
from conftest import ROOT

pytestmark = pytest.mark.browser

LEARNERS = 3
EXERCISE = "workshop/02-open-the-gateway-for-federation.ipynb"
START_LIMIT_S = 240  # limits for a loaded 2-core machine, not measurements
MEMORY_LIMIT_MB = 1500


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def pss_mb(processes) -> float:
    total = 0
    for p in processes:
        try:
            info = p.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total / 2**20


def learner_processes(hub_pid: int, home: Path) -> list[psutil.Process]:
    """The learner's JupyterLab and kernels: the hub's descendants working in the learner's home."""
    out = []
    for p in descendants(hub_pid):
        try:
            if Path(p.cwd()).is_relative_to(home):
                out.append(p)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return out


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    state = tmp_path_factory.mktemp("hub")
    ports = {name: free_port() for name in ("PORT", "API_PORT", "PROXY_PORT")}
    env = {**os.environ, "OFFICENET_HUB_USERS": "shared", "OFFICENET_HUB_STATE": str(state),
           "OFFICENET_HUB_EXPOSE_APP": "1", "OFFICENET_HUB_IP": "127.0.0.1",
           **{f"OFFICENET_HUB_{k}": str(v) for k, v in ports.items()}}
    env.pop("OFFICENET_HUB_PASSWORD", None)
    log = (state / "hub.log").open("wb")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("jupyterhub")), "-f",
                             str(ROOT / "hub" / "jupyterhub_config.py")],
                            cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{ports['PORT']}"
    try:
        wait_until_answers(proc, base + "/hub/health", state / "hub.log", "jupyterhub")
        yield {"base": base, "proc": proc, "state": state}
    finally:
        # Learners' servers run in their own sessions: note every descendant before the hub stops them.
        left = descendants(proc.pid)
        stop(proc)
        for p in left:
            try:
                p.send_signal(signal.SIGKILL)
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(left, timeout=30)
        log.close()
        artefact("hub.log").write_bytes((state / "hub.log").read_bytes())


def answer_source(design) -> str:
    rules = sorted(workshop.federation_gateway_ports(design))
    return "answer = {\n" + "".join(f"    {rule!r},\n" for rule in rules) + "}"


SET_ANSWER_AND_RUN = """async (source) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  await panel.context.ready;
  await panel.sessionContext.ready;
  const cell = panel.content.widgets.find(c => (c.model.getMetadata('tags') || []).includes('answer'));
  cell.model.sharedModel.setSource(source);
  await app.commands.execute('notebook:run-all-cells');
}"""

CHECK_TEXT = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cell = panel.content.widgets.find(c => (c.model.getMetadata('tags') || []).includes('check'));
  return cell ? cell.node.innerText : '';
}"""


def test_a_class_logs_in_opens_the_overview_and_runs_an_exercise(browser, hub, design):
    sizing = []
    source = answer_source(design)
    for i in range(1, LEARNERS + 1):
        name = f"learner{i}"
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        guard = Guard(page)
        try:
            started = time.monotonic()
            page.goto(hub["base"] + "/hub/login")
            page.fill("#username_input", name)
            page.fill("#password_input", "any")
            page.click("#login_submit")
            page.wait_for_url(f"**/user/{name}/lab/tree/00-overview.ipynb", timeout=START_LIMIT_S * 1000)
            # Trusted on arrival: the stored diagram is drawn, not shown as '<Diagram: ...>'.
            # (JupyterLab sanitises the HTML output of an untrusted notebook: the figure's SVG would not show.)
            page.wait_for_selector(".jp-Notebook .jp-RenderedHTMLCommon.jp-mod-trusted .officenet-figure svg",
                                   state="attached",
                                   timeout=START_LIMIT_S * 1000)
            start_s = time.monotonic() - started
            assert "<Diagram:" not in page.locator(".jp-Notebook").first.text_content()
            page.screenshot(path=str(artefact(f"hub-{name}-overview.png")))

            page.evaluate(f"() => window.jupyterapp.commands.execute('docmanager:open', {{path: '{EXERCISE}'}})")
            page.wait_for_function("() => window.jupyterapp.shell.currentWidget && "
                                   f"window.jupyterapp.shell.currentWidget.context.path === '{EXERCISE}'")
            page.evaluate(SET_ANSWER_AND_RUN, source)
            page.wait_for_function(f"() => ({CHECK_TEXT})().includes('all correct')", timeout=START_LIMIT_S * 1000)
            page.screenshot(path=str(artefact(f"hub-{name}-exercise.png")))
            assert guard.external == [], f"JupyterLab asked the network for {guard.external}"

            home = hub["state"] / "homes" / name
            assert (home / "notebooks" / "00-overview.ipynb").exists()
            assert not (home / "notebooks" / "workshop" / "solutions").exists(), "learners get no solutions"
            processes = learner_processes(hub["proc"].pid, home)
            kernels = [p for p in processes if "ipykernel" in " ".join(p.cmdline())]
            sizing.append({"learner": name, "start_s": round(start_s, 1), "memory_mb": round(pss_mb(processes)),
                           "processes": len(processes), "kernels": len(kernels)})
        finally:
            context.close()
    hub_mb = pss_mb([psutil.Process(hub["proc"].pid)] + [
        p for p in descendants(hub["proc"].pid) if "configurable-http-proxy" in " ".join(p.cmdline())])
    report = {"learners": sizing, "hub_and_proxy_mb": round(hub_mb),
              "cpu_count": os.cpu_count(), "memory_total_mb": round(psutil.virtual_memory().total / 2**20)}
    artefact("hub-sizing.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    assert len(sizing) == LEARNERS
    for row in sizing:
        assert row["kernels"] >= 1, row  # the exercise ran in the learner's own kernel
        assert 0 < row["memory_mb"] < MEMORY_LIMIT_MB, row
        assert row["start_s"] < START_LIMIT_S, row
    # Each learner has their own server: as many JupyterLab processes as learners, in separate homes.
    homes = {p.name for p in (hub["state"] / "homes").iterdir()}
    assert homes == {f"learner{i}" for i in range(1, LEARNERS + 1)}
