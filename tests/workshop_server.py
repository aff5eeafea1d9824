"""`make workshop` as the tests start it: Voila on 127.0.0.1 over a copy of notebooks/ (and scenarios/), with
the arguments, template folder and room configuration of the Makefile's workshop target, and Jupyter's runtime
files in a temporary folder. Extra flags (shorter culling times) go after the Makefile's, so they win."""
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psutil

from browser import artefact, free_port, stop, wait_until_answers
from conftest import ROOT


def _make_value(text: str) -> str:
    return text.replace("$(CURDIR)", str(ROOT))


def workshop_jupyter_path() -> Path:
    """The folder the workshop target puts on JUPYTER_PATH (it holds the officenet Voila template)."""
    return Path(_make_value(re.search(r"^VOILA_PATH := (.+)$", (ROOT / "Makefile").read_text(), re.M).group(1)))


def workshop_arguments() -> list[str]:
    """The voila options of `make workshop`, read from the Makefile so the test serves what it serves."""
    recipe = re.search(r"^workshop:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    return [_make_value(a) for a in recipe.split()[2:]
            if a.startswith("--") and not a.startswith(("--port", "--Voila.ip"))]


@dataclass
class Room:
    base: str               # http://127.0.0.1:PORT
    proc: subprocess.Popen  # the Voila server; its kernels are its children
    log: Path

    def kernels(self) -> list[psutil.Process]:
        """The kernels alive now: the server's child processes that run ipykernel."""
        found = []
        for child in psutil.Process(self.proc.pid).children():
            try:
                if any("ipykernel" in part for part in child.cmdline()):
                    found.append(child)
            except psutil.NoSuchProcess:
                pass
        return found


def serve(tmp_path: Path, request, *flags: str, name: str = "voila") -> Room:
    root = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")  # notebook 06 reads ../scenarios
    home = tmp_path / "jupyter"
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "IPYTHONDIR": str(home / "ipython"), "JUPYTER_PATH": str(workshop_jupyter_path())}
    port = free_port()
    cmd = [str(Path(sys.executable).with_name("voila")), str(root), *workshop_arguments(),
           "--Voila.ip=127.0.0.1", f"--port={port}", *flags]
    log_path = tmp_path / f"{name}.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    request.addfinalizer(lambda: (stop(proc), log.close(), shutil.copy(log_path, artefact(f"{name}.log"))))
    base = f"http://127.0.0.1:{port}"
    wait_until_answers(proc, base + "/", log_path, "voila")
    return Room(base, proc, log_path)
