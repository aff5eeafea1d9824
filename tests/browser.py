"""Headless Chromium (Debian's package) driven by Playwright, with the network blocked.

Playwright never downloads a browser here: we launch /usr/bin/chromium (or
$OFFICENET_CHROMIUM) with the flags this machine needs.
"""
import os
import random
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT

ARTEFACTS = ROOT / "build" / "test-artefacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 120_000  # a loaded 2-core machine is slow; these are limits, not measurements


def chromium_path() -> str:
    path = os.environ.get("OFFICENET_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is missing: run 'make setup' (it installs Debian's chromium) "
                    "or set OFFICENET_CHROMIUM to a Chromium binary")
    return path


def local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("file", "data", "about", "blob") or parsed.hostname in ("127.0.0.1", "localhost", "::1")


class Guard:
    """Aborts and records every request that is not to a file or this machine; records failures and errors."""

    def __init__(self, page):
        self.external: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        page.route("**/*", self._route)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def _route(self, route):
        if local(route.request.url):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()


def artefact(name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS / name


SERVER_START_S = 180  # a limit for a loaded 2-core machine, not a measurement


def free_port() -> int:
    """A free port for a server a test starts, below the kernel's ephemeral range: a port the kernel hands
    out (bind to port 0) may go to another test worker's Jupyter kernel, whose ZeroMQ socket then answers
    the server's address before the server binds it."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768  # Linux's default start of the range
    for port in random.Random().sample(range(10000, low), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between 10000 and {low}")


def stop(proc: subprocess.Popen) -> None:
    """End a server we started, and its kernels (its own process group), by id."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def wait_until_answers(proc: subprocess.Popen, url: str, log: Path, name: str) -> None:
    """Poll ``url`` until it answers 200; fail with the end of the log if the server dies or is too slow."""
    deadline = time.monotonic() + SERVER_START_S
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{name} exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{name} did not answer within {SERVER_START_S} s")
        time.sleep(0.5)
