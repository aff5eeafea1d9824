"""Network namespaces for the real-engine tests: created with unique names, every command
bounded in time, everything (processes, namespaces) removed on exit even after a failure.
Nothing is ever added to the machine's own namespace."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROBE = HERE / "netprobe.py"


def missing_requirements() -> str | None:
    """Why the namespace tests cannot run here, or None."""
    if os.geteuid() != 0:
        return "needs root to create network namespaces"
    for tool in ("ip", "nft"):
        if shutil.which(tool) is None:
            return f"'{tool}' is not installed (make setup installs it)"
    name = f"onprobe{os.getpid()}{uuid.uuid4().hex[:6]}"
    made = subprocess.run(["ip", "netns", "add", name], capture_output=True, text=True, timeout=10)
    if made.returncode != 0:
        return "network namespaces are not available: " + made.stderr.strip()
    subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=10)
    return None


def stop(p: subprocess.Popen) -> None:
    """End a process started with start_new_session=True, and everything in its group."""
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        p.wait(5)
    except subprocess.TimeoutExpired:
        pass


class Lab:
    """A few namespaces joined by veth pairs; use as a context manager."""

    def __init__(self, *roles: str):
        self.tag = f"on{os.getpid() % 100000}{uuid.uuid4().hex[:4]}"
        self.ns = {role: f"{self.tag}-{role}" for role in roles}
        self.procs: list[subprocess.Popen] = []
        self.dir = Path(tempfile.mkdtemp(prefix=self.tag + "-"))

    def __enter__(self):
        try:
            for name in self.ns.values():
                subprocess.run(["ip", "netns", "add", name], check=True, capture_output=True, timeout=10)
                self.run(name, "ip link set lo up")
                # no duplicate address detection on the links to come: a link-local address still
                # tentative delays IPv6 neighbour discovery by a second or more, longer than a probe waits
                for key in ("all", "default"):
                    self.run(name, ["sysctl", "-q", "-w", f"net.ipv6.conf.{key}.accept_dad=0"])
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        for p in self.procs:
            stop(p)
        for name in self.ns.values():
            # anything still running inside our own namespaces was started by this lab
            pids = subprocess.run(["ip", "netns", "pids", name], capture_output=True, text=True, timeout=10).stdout
            for pid in pids.split():
                try:
                    os.kill(int(pid), 9)
                except (ProcessLookupError, ValueError):
                    pass
            subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, ns: str, command: str | list[str], timeout: float = 20, check: bool = True, stdin: str | None = None):
        args = command.split() if isinstance(command, str) else command
        result = subprocess.run(["ip", "netns", "exec", self.ns.get(ns, ns), *args], capture_output=True, text=True,
                                timeout=timeout, input=stdin)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} in {ns}: {result.stderr.strip() or result.stdout.strip()}")
        return result

    def link(self, a: str, a_if: str, b: str, b_if: str):
        """A veth pair between namespaces a and b, made inside a (never in the machine's namespace)."""
        self.run(a, ["ip", "link", "add", a_if, "type", "veth", "peer", "name", b_if, "netns", self.ns[b]])
        self.run(a, f"ip link set {a_if} up")
        self.run(b, f"ip link set {b_if} up")

    def addr(self, ns: str, dev: str, *cidrs: str):
        for cidr in cidrs:
            self.run(ns, ["ip", "addr", "add", cidr, "dev", dev] + (["nodad"] if ":" in cidr else []))

    def start(self, ns: str, args: list[str], ready: str | None = None, timeout: float = 15) -> subprocess.Popen:
        """A background process in ``ns``, killed on close; waits for a line containing ``ready``."""
        # its own process group, so that stop() ends the program and the 'timeout' guard around it
        p = subprocess.Popen(["ip", "netns", "exec", self.ns[ns], "timeout", "300", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.procs.append(p)
        if ready:
            import select
            import time
            end, seen = time.time() + timeout, []
            while time.time() < end:
                r, _, _ = select.select([p.stdout], [], [], 0.2)
                if r:
                    line = p.stdout.readline()
                    seen.append(line)
                    if ready in line:
                        break
                    if not line and p.poll() is not None:
                        raise RuntimeError(f"{args[0]} stopped in {ns}: {''.join(seen)[-2000:]}")
            else:
                raise RuntimeError(f"{args[0]} not ready in {ns} after {timeout}s: {''.join(seen)[-2000:]}")
        return p

    def addresses(self, ns: str) -> list[str]:
        """Global addresses of the namespace's interfaces."""
        out = self.run(ns, "ip -j addr show scope global").stdout
        return [a["local"] for link in json.loads(out) for a in link.get("addr_info", []) if "local" in a]

    def serve(self, ns: str, spec: dict | list[dict]) -> subprocess.Popen:
        path = self.dir / f"serve-{ns}-{len(self.procs)}.json"
        path.write_text(json.dumps(spec))
        return self.start(ns, [sys.executable, str(PROBE), "serve", str(path)], ready="ready")

    def probe(self, ns: str, probes: list[dict], mode: str = "probe") -> list:
        if not probes:
            return []
        path = self.dir / f"probe-{ns}-{uuid.uuid4().hex[:6]}.json"
        path.write_text(json.dumps(probes))
        out = self.run(ns, [sys.executable, str(PROBE), mode, str(path)], timeout=60)
        return json.loads(out.stdout)
