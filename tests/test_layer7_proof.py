"""Issue 20, error 6 on the real HAProxy: the exported Lync web VIP balances each request.

The reverse proxy in front of the external web VIP reuses its connections for many clients'
requests, so the hardware load balancer must balance requests, not connections (L-HLB). Here the
exported frontend and backend of the external web VIP's 8080 listener run in a network namespace
with two stub Front End servers on their plan addresses: two requests on one client connection
reach both servers. The same blocks at layer 4 (the export before the fix) answer one request and
close the connection. Needs root for the namespace; skips otherwise.
"""
import re
import shutil
import sys

import pytest

from officenet.derive.organisation import organisation
from officenet.loading.scenario_file import load_scenario

from conftest import ROOT
from realnet import Lab, missing_requirements

LISTENER = "lync_web_ext_vip_8080"
CLIENT = r'''
import socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
except OSError:  # HAProxy not listening yet
    print("none none")
    sys.exit(0)
bodies = []
for path in ("/first", "/second"):
    try:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: webext.contoso.com\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                raise OSError("closed")
            data += chunk
        head, body = data.split(b"\r\n\r\n", 1)
        length = int(next(l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")))
        while len(body) < length:
            body += s.recv(4096)
        bodies.append(body.decode().split()[0])
    except OSError:
        bodies.append("none")
print(" ".join(bodies))
'''


def _blocks(cfg: str, listener: str) -> str:
    """global, defaults, and the frontend and backend of one listener of the exported file."""
    parts = re.split(r"\n(?=\S)", cfg)
    keep = [p for p in parts if p.startswith(("global", "defaults", f"frontend fe_{listener}", f"backend be_{listener}"))]
    return "\n".join(keep) + "\n"


def _requests(cfg_text: str) -> list[str]:
    servers = re.findall(r"server (\S+) (\S+):(\d+) check port (\d+)", cfg_text)
    bind = re.search(r"bind (\S+):(\d+)", cfg_text)
    with Lab("lb") as lab:
        for address in {bind.group(1), *(ip for _, ip, _, _ in servers)}:
            lab.addr("lb", "lo", address + "/32")
        for name, ip, port, check in servers:
            lab.serve("lb", {"id": name, "tcp": [int(port), int(check)], "binds": [[ip]], "lifetime": 60})
        path = lab.dir / "haproxy.cfg"
        path.write_text(cfg_text)
        lab.start("lb", ["haproxy", "-db", "-f", str(path)])
        out = ""
        for _ in range(40):  # until HAProxy listens (bounded: 40 tries a quarter of a second apart)
            out = lab.run("lb", [sys.executable, "-c", CLIENT, bind.group(1), bind.group(2)]).stdout.split()
            if out[0] != "none":
                break
            lab.run("lb", ["sleep", "0.25"])
        return out


def test_two_requests_on_one_connection_reach_both_front_ends(design):
    why = missing_requirements()
    if why or shutil.which("haproxy") is None:
        pytest.skip(why or "haproxy is not installed")
    org = organisation(design, load_scenario(ROOT / "scenarios" / "contoso.yaml"))
    exported = _blocks(org.haproxy(), LISTENER)
    assert "mode http" in exported
    layer7 = _requests(exported)
    assert sorted(layer7) == ["lync_fe01", "lync_fe02"], layer7  # balanced per request
    # the control: the same listener at layer 4, as exported before the fix
    layer4 = _requests("\n".join(l for l in exported.splitlines() if l.strip() not in ("mode http", "option httplog")
                                 and not l.strip().startswith("timeout http-request")) + "\n")
    assert layer4[1] == "none" and layer4[0] in ("lync_fe01", "lync_fe02"), layer4
    print(f"\nlayer 7: requests on one connection answered by {layer7}; layer 4: {layer4}")
