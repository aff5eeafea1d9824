"""Issue 20, error 6 on the real HAProxy: the exported Lync web VIP balances each request.

The reverse proxy in front of the external web VIP reuses its connections for many clients'
requests, so the hardware load balancer must balance requests, not connections (L-HLB). Here the
exported frontend and backend of the external web VIP's 8080 listener run in a network namespace
with two stub Front End servers on their plan addresses: two requests on one client connection
reach both servers. The same blocks at layer 4 (the export before the fix) answer one request and
close the connection. Needs root for the namespace; skips otherwise.

The second part proves the re-encryption to the servers: a server certificate for another name, issued
by the same CA, is refused (see REENCRYPTING below).
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


# --- Re-encryption: HAProxy verifies the name on the servers' certificate -------------------------------
# A layer-7 listener ends TLS and opens TLS again to its servers. With 'verify required' alone HAProxy
# checks the chain and ignores the names (HAProxy 2.6 manual, 5.2, verify), so a server presenting any
# certificate of that CA was accepted. Here one listener of each kind runs with stub servers presenting
# the certificate the oracle of the client proofs says they present (clientproof.PRESENTS), then another
# certificate of the plan from the same CA: the first is accepted and the second refused, on the request's
# own connection (health checks off) and by the health checks where they speak TLS.
IN_FRONT = {"lync_web_ext_vip": "lync_pool"}  # a VIP in a pool's place bridges with its pool's certificate (L-HLB)
# (scenario, listener, the host a client asks for, whether its health checks speak TLS to the servers)
REENCRYPTING = [
    ("contoso-current", "exchange_vip_443", "mail", True),  # Exchange SE: bridged with Exchange's certificate (X-EP)
    ("contoso", "lync_web_int_vip_443", "webint", False),  # Lync web services, intranet (probe: TCP 5061)
    ("contoso", "lync_web_ext_vip_4443", "meet", False),  # Lync web services behind the reverse proxy
    ("contoso", "lync_vip_443", "officewebapps01", True),  # the reverse proxy to the Office Web Apps farm
    ("contoso-current", "lync_vip_443", "lyncdiscover", True),  # the reverse proxy to the external web VIP
    # Exchange 2013 at layer 4: TLS passes through to the client, who verifies it; the HTTPS probe verifies too
    ("contoso", "exchange_vip_443", "mail", True),
]
TLS_CLIENT_TIMEOUT = 8  # a refused server is retried 3 times, a second apart, before the 503


def _servers(blocks: str):
    """(backend, server, ip, port, probe port or None) of the exported blocks."""
    out, backend = [], None
    for line in blocks.splitlines():
        words = line.split()
        if line.startswith("backend "):
            backend = words[1]
        elif words[:1] == ["server"]:
            ip, port = words[2].rsplit(":", 1)
            probe = int(words[words.index("port") + 1]) if "port" in words else None
            out.append((backend, words[1], ip, int(port), probe))
    return out


def _without_checks(blocks: str) -> str:
    """The same blocks with the health checks off: only the request's own TLS handshake decides."""
    def strip(line):
        words = line.split()
        if words[:1] != ["server"]:
            return line
        keep, skip = [], 0
        for w in words:
            if skip:
                skip -= 1
            elif w in ("check", "check-ssl"):
                continue
            elif w in ("check-sni", "port"):
                skip = 1
            else:
                keep.append(w)
        return "    " + " ".join(keep)
    return "\n".join(strip(l) for l in blocks.splitlines()) + "\n"


def _certificates(plan, servers):
    """server -> (the certificate it presents, by the oracle; a certificate of the same CA carrying none of
    those names)."""
    import clientproof as cp
    names = {c: set(r["subject alternative names"].split("; ")) for c, r in plan.iterrows()}
    out = {}
    for backend, name, _, port, _ in servers:
        pool = cp.backend_pool(backend)
        (right,) = cp.presents(plan, [IN_FRONT.get(pool, pool)], port)
        wrong = next(c for c in sorted(plan.index)
                     if plan.loc[c, "issuer"] == plan.loc[right, "issuer"] and not names[c] & names[right])
        out[name] = (right, wrong)
    return out


def _run(cfg_text, servers, pems, clients, stats=False, extra=None, later=()):
    """HAProxy with ``cfg_text`` and stub servers presenting ``pems`` (server -> PEM path) in a namespace:
    the replies to the clients (probe specs), and with ``stats`` the check state of each (backend, server).
    ``extra``: server -> more of its stub's spec (statuses, hosts, log: see netprobe.py). A server in several
    backends (one per probed path) is one stub. ``later``: more clients, asked once the check states hold (their
    replies come third)."""
    import time

    from test_real_engines import _stats
    with Lab("lb") as lab:
        bind = re.search(r"bind (\S+):(\d+)", cfg_text)
        binds = re.findall(r"bind (\S+):\d+", cfg_text)
        for address in {*binds, *(ip for _, _, ip, _, _ in servers)}:
            lab.addr("lb", "lo", address + "/32")
        stubs = {name: (ip, port, probe) for _, name, ip, port, probe in servers}
        lab.serve("lb", [{"id": name, "binds": [[ip]], "tcp": [port] + ([probe] if probe else []),
                          "tls": {str(port): pems[name]}, "lifetime": 60, **(extra or {}).get(name, {})}
                         for name, (ip, port, probe) in sorted(stubs.items())])
        sock = lab.dir / "haproxy.sock"
        if stats:  # test tuning only: the stats socket, and health checks every 200 ms
            cfg_text = cfg_text.replace("global\n", f"global\n    stats socket {sock} level admin\n", 1).replace(
                "defaults\n", "defaults\n    default-server inter 200ms fall 2 rise 2\n", 1)
        path = lab.dir / "haproxy.cfg"
        path.write_text(cfg_text)
        proc = lab.start("lb", ["haproxy", "-db", "-f", str(path)])
        probes = [dict(c, src=bind.group(1), dst=bind.group(1), port=int(bind.group(2)), timeout=TLS_CLIENT_TIMEOUT)
                  for c in clients]
        replies, states = [None], {}
        for _ in range(40):  # until HAProxy listens (bounded: 40 tries a quarter of a second apart)
            replies = lab.probe("lb", probes)
            if replies[0] is not None:
                break
            if proc.poll() is not None:
                raise RuntimeError("haproxy stopped: " + proc.stdout.read()[-2000:])
            time.sleep(0.25)
        deadline = time.time() + 10
        while stats and time.time() < deadline:  # until every server's checks have decided (rise/fall 2)
            states = {(r["pxname"], r["svname"]): r["status"].split()[0] for r in _stats(sock)
                      if r["svname"] not in ("FRONTEND", "BACKEND")}
            if states and all(v in ("UP", "DOWN") for v in states.values()):
                time.sleep(1)  # two more rounds of checks: a state that holds
                states = {(r["pxname"], r["svname"]): r["status"].split()[0] for r in _stats(sock)
                          if r["svname"] not in ("FRONTEND", "BACKEND")}
                break
            time.sleep(0.2)
        later = lab.probe("lb", [dict(c, src=bind.group(1), dst=bind.group(1), port=int(bind.group(2)),
                                      timeout=TLS_CLIENT_TIMEOUT) for c in later])
        return replies, states, later


def _listener_under_test(design, scenario, listener, tmp_path):
    """One scenario's exported HAProxy block of ``listener`` with the certificate plan written as files: the
    organisation, the plan, the certificate folder, the block, its servers and the certificate each presents."""
    why = missing_requirements()
    if why or shutil.which("haproxy") is None:
        pytest.skip(why or "haproxy is not installed")
    from officenet.derive.certificates import certificate_plan
    from pki import write_plan_certificates
    org = organisation(design, load_scenario(ROOT / "scenarios" / f"{scenario}.yaml"))
    plan = certificate_plan(org.certificate_names())
    certs = tmp_path / "certs"
    write_plan_certificates(plan, certs)
    blocks = _blocks(org.haproxy(cert_dir=str(certs)), listener)
    servers = _servers(blocks)
    return org, plan, certs, blocks, servers, _certificates(plan, servers)


@pytest.mark.parametrize("scenario,listener,host,tls_checks", REENCRYPTING,
                         ids=[f"{s}-{l}" for s, l, _, _ in REENCRYPTING])
def test_a_server_certificate_for_another_name_of_the_same_ca_is_refused(scenario, listener, host, tls_checks,
                                                                        design, tmp_path):
    org, plan, certs, blocks, servers, chosen = _listener_under_test(design, scenario, listener, tmp_path)
    front = re.search(r"crt \S+/(\w+)\.pem", blocks)
    name = f"{host}.{org.scenario.domain}"
    issuer = plan.loc[front.group(1) if front else next(iter(chosen.values()))[0], "issuer"]
    client = {"proto": "tls", "sni": name, "ca": str(certs / f"{issuer}-ca.pem")}
    pem = {which: {s: str(certs / f"{chosen[s][i]}.pem") for s in chosen} for i, which in enumerate(("right", "wrong"))}
    ours = {s for _, s, _, _, _ in servers}
    # the request's own connection: the right certificate answers, the other one of the same CA is refused
    # (where TLS passes through, by the client itself); a request without a host name (HTTP/1.0) sends no
    # SNI on to the server, so the name checked is the export's verifyhost
    clients = [client, dict(client, no_host=True)]
    replies = {which: _run(_without_checks(blocks), servers, pem[which], clients)[0] for which in pem}
    request = {which: replies[which][0] for which in pem}
    assert (request["right"] or "").split(" ")[0] in ours and name in request["right"], request
    assert ("503 Service Unavailable" if front else "TLS-ERROR") in (request["wrong"] or ""), request
    if front:
        no_host = {which: replies[which][1] or "" for which in pem}
        assert no_host["right"].split(" ")[0] in ours and "503 Service Unavailable" in no_host["wrong"], no_host
    # the health checks: where they speak TLS they verify the same name; a TCP probe cannot tell
    checks = {which: _run(blocks, servers, pem[which], [client], stats=True)[1] for which in pem}
    checked = {(b, s) for b, s, _, _, _ in servers}
    assert checks["right"] == {k: "UP" for k in checked}, checks
    assert checks["wrong"] == {k: "DOWN" if tls_checks else "UP" for k in checked}, checks
    print(f"\n{scenario} {listener}: {name} answered by {request['right'].split(' ')[0]} presenting "
          f"{sorted({chosen[s][0] for s in ours})}; refused with {sorted({chosen[s][1] for s in ours})}; "
          f"checks {checks}")


# --- Health probes: what arrives at the servers, and what takes one out ---------------------------------
# The vendor pages' probe URLs (vip_services.csv, export_decisions health_probes), written here by hand and not
# read from the export: Exchange 2013 at layer 4 probes Outlook Web App (X-LB, X-SE-LB scenario A), today's
# layer-7 VIP each virtual directory (X-SE-LB scenario B), the reverse proxy the Office Web Apps / Office
# Online farm's discovery URL (OWAS-DEPLOY, OOS-DEPLOY). Each stub server is a site bound to the namespace on
# its certificate, as IIS binds a site to its host name: a request for another name, or for none (HTTP/1.0
# without Host, HAProxy's default probe), gets 400. A probe must arrive as HTTP/1.1 with that Host, a healthy
# server must stay UP, and one answering 500 or 404 on a probed URL must go DOWN.
VDIR_PROBE = "/<vdir>/healthcheck.htm"
PROBES = {"exchange_cas": ["/owa/healthcheck.htm"], "exchange_mailbox": [VDIR_PROBE],
          "owas_fe": ["/hosting/discovery"]}
PER_PROTOCOL = {"exchange_mailbox"}  # layer 7, one namespace: a failed probe removes that protocol only (X-SE-LB B)
# (scenario, listener, the namespace the probed pool's certificate carries, which the probe must ask for)
PROBING = [
    ("contoso", "exchange_vip_443", "mail"),
    ("contoso-current", "exchange_vip_443", "mail"),
    ("contoso", "lync_vip_443", "officewebapps01"),
    ("contoso-current", "lync_vip_443", "officewebapps01"),
]


def _log(path):
    import json
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.mark.parametrize("scenario,listener,host", PROBING, ids=[f"{s}-{l}" for s, l, _ in PROBING])
def test_probes_ask_http11_with_the_namespace_and_only_200_keeps_a_server(scenario, listener, host, design,
                                                                          tmp_path):
    import clientproof as cp
    org, plan, certs, blocks, servers, chosen = _listener_under_test(design, scenario, listener, tmp_path)
    pems = {s: str(certs / f"{chosen[s][0]}.pem") for s in chosen}
    name = f"{host}.{org.scenario.domain}"
    vdirs = [v.vdir for v in org.design.exchange_vdirs]
    probed = {}  # server -> the URLs the vendor pages say its pool is probed on
    for backend, server, _, _, _ in servers:
        for url in PROBES.get(cp.backend_pool(backend), []):
            probed.setdefault(server, []).extend([url.replace("<vdir>", v) for v in vdirs] if url == VDIR_PROBE else [url])
    assert probed, blocks  # the listener fronts a pool the vendor pages give a probe URL
    front = re.search(r"crt \S+/(\w+)\.pem", blocks)
    issuer = plan.loc[front.group(1) if front else chosen[next(iter(probed))][0], "issuer"]
    client = {"proto": "tls", "sni": name, "ca": str(certs / f"{issuer}-ca.pem")}
    runs, ours = {}, {s for _, s, _, _, _ in servers}
    split = {b for b, _, _, _, _ in servers if "." in b}
    per_protocol = any(cp.backend_pool(b) in PER_PROTOCOL for b, _, _, _, _ in servers)
    for status in (200, 500, 404):  # 200 everywhere; then one probed server fails one URL with 500, or 404
        failing = sorted(probed)[0]
        log = {s: tmp_path / f"{status}-{s}.log" for s in probed}
        extra = {s: {"hosts": [name], "log": str(log[s]),
                     "statuses": {probed[s][-1]: status} if s == failing and status != 200 else {}} for s in probed}
        # once the checks hold, clients ask under each probed path: where each path has its backend, a request
        # of a healthy protocol still reaches the server whose other protocol fails
        asks = [dict(client, path=f"/{u.split('/')[1]}/x") for u in sorted(set(probed[failing])) for _ in range(4)]
        _, states, replies = _run(blocks, servers, pems, [client], stats=True, extra=extra, later=asks)
        # a connection closed before its request line (a check cut short on a loaded machine) logs an empty line:
        # only request lines count, as the stub itself reads them
        requests = {s: [r for r in _log(log[s]) if r["line"].count(" ") >= 2 and r["line"].split(" ")[1] in probed[s]]
                    for s in probed}
        runs[status] = (states, requests, failing)
        answered = {}
        for a, reply in zip(asks, replies):
            answered.setdefault(a["path"].split("/")[1], set()).add(
                "503" if "503 Service Unavailable" in (reply or "") else (reply or "none").split(" ")[0])
        failed = probed[failing][-1].split("/")[1]
        for segment, who in answered.items():
            healthy = status == 200 or (segment != failed and per_protocol)
            peers = {s for b, s, _, _, _ in servers if s != failing and cp.backend_pool(b) in PROBES} or {"503"}
            assert failing in who if healthy else who == peers, (status, segment, who)
    for status, (states, requests, failing) in runs.items():
        for s, seen in requests.items():
            assert {r["line"].split(" ")[1] for r in seen} == set(probed[s]), (status, s, seen)  # every URL probed
            # as a client asks: HTTP/1.1 (the manual's default is HTTP/1.0), the namespace as Host
            assert {(r["line"].split(" ")[2], r["host"]) for r in seen} == {("HTTP/1.1", name)}, (status, s, seen[:3])
        # the failing server leaves the backends that serve the failed URL's protocol: its pool's own backend,
        # and at layer 7 the backend of that one path (be_..._<pool>.<first segment>); every other keeps it
        # (X-SE-LB, scenario B: only the affected protocol goes to another server)
        segment = probed[failing][-1].split("/")[1]
        down = {(b, s) for b, s, _, _, _ in servers if s == failing and (b not in split or b.endswith(f".{segment}"))}
        expected = {(b, s): "DOWN" if status != 200 and (b, s) in down else "UP" for b, s, _, _, _ in servers}
        assert states == expected, (status, states)
    print(f"\n{scenario} {listener}: probes {sorted({u for us in probed.values() for u in us})} arrive as HTTP/1.1 "
          f"with Host {name}; all UP on 200; {runs[500][2]} DOWN on 500 and on 404 only where the failed URL's "
          f"protocol goes ({len(split)} backends of one path each), the others UP")
