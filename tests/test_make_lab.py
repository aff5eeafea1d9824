"""`make lab` serves JupyterLab: the README's first command, run for real on loopback. The shipped notebooks
are trusted on arrival and JupyterLab does not ask about news."""
import json
import os
import subprocess
import time
import urllib.request

import nbformat
from nbformat.sign import NotebookNotary

from browser import free_port, stop
from conftest import ROOT


def test_make_lab_answers_on_lab(tmp_path):
    port = free_port()
    env = {**os.environ, "JUPYTER_TOKEN": "officenet-test", "JUPYTER_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen(["make", "-s", "lab", f"LAB_PORT={port}"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, status, page = time.monotonic() + 120, None, ""
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token=officenet-test", timeout=5) as r:
                    status, page = r.status, r.read().decode("utf-8", "replace")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, f"JupyterLab did not answer; make exited with {proc.poll()}"
        assert "JupyterLab" in page
        notary = NotebookNotary(data_dir=str(tmp_path / "data"))
        shipped = sorted((ROOT / "notebooks").rglob("*.ipynb"))
        untrusted = [p.name for p in shipped if not notary.check_signature(nbformat.read(p, as_version=4))]
        assert shipped and untrusted == [], f"make lab left these notebooks untrusted: {untrusted}"
        url = (f"http://127.0.0.1:{port}/lab/api/settings/@jupyterlab/apputils-extension:notification"
               "?token=officenet-test")
        with urllib.request.urlopen(url, timeout=30) as r:
            defaults = json.loads(r.read())["schema"]["properties"]  # the override sets the defaults
        assert defaults["fetchNews"]["default"] == "false" and defaults["checkForUpdates"]["default"] is False
    finally:
        stop(proc)  # by process group; a make that already exited leaves the real failure message
