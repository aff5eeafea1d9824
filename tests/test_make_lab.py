"""`make lab` serves JupyterLab: the README's first command, run for real on loopback."""
import os
import subprocess
import time
import urllib.request

from browser import free_port, stop
from conftest import ROOT


def test_make_lab_answers_on_lab():
    port = free_port()
    env = {**os.environ, "JUPYTER_TOKEN": "officenet-test"}
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
    finally:
        stop(proc)  # by process group; a make that already exited leaves the real failure message
