"""Proof that a client can use what is published (issue 20), on the real programs in namespaces:

- TLS: every certificate of the plan issued by a test CA and served by the exported HAProxy (stub
  servers stand for the names it does not front); a client with hostname verification resolves every
  name a flow uses through the exported zones in named (the intranet view from an intranet namespace,
  the Internet view from an Internet namespace, through the exported nftables gateway), connects with
  SNI (SMTP to the MX host after STARTTLS), and the handshake must validate with Python's default ssl
  context trusting the test CAs (the public one on the Internet, both in the intranet), the name a SAN
  (no fallback to the subject's CN, RFC 6125 6.4.4), and a server behind it must answer.
- Egress: the servers that must reach the Internet get through the exported nftables ruleset;
  every other address, and those servers on ports they do not need, are dropped.

One lab per scenario serves every test of this file. What a client or server needs comes from
tests/clientproof.py, not from the exports. Without root they skip with the reason."""
from __future__ import annotations

import ipaddress

import pytest

from officenet import load
from officenet.derive.organisation import organisation
from officenet.loading.scenario_file import load_scenario

import clientproof as cp
from conftest import ROOT
from realnet import Lab
from test_real_engines import (ANY_HOST, SCENARIOS, V6_CLIENT, _haproxy_model, build_gateway, netns_or_skip,
                               zone_files)

TLS_TIMEOUT = 3


@pytest.fixture(scope="module", params=SCENARIOS)
def org(request):
    return organisation(load(), load_scenario(ROOT / "scenarios" / f"{request.param}.yaml"))


@pytest.fixture(scope="module")
def lab(org):
    """inet (Internet client, any host) -- gw (the exported nftables) -- perim (every planned address:
    HAProxy with the exported file, the stubs, named with the exported zones) -- intra (intranet client)."""
    netns_or_skip()
    from officenet.derive.addresses import address_plan
    from officenet.derive.certificates import certificate_plan
    from pki import write_plan_certificates

    s = org.scenario
    ours = [ipaddress.ip_network(s.public_network), ipaddress.ip_network(s.internal_network)]
    mail_hosts = org.gateway()[1].get("mail_hosts")
    outside = sorted(n for n in mail_hosts or () if not any(ipaddress.ip_network(n).subnet_of(o) for o in ours))
    addresses = address_plan(org.design, s.public_network, s.internal_network).frame()
    with Lab("inet", "gw", "perim", "intra") as lab:
        build_gateway(lab, org, org.acls(("nftables",))["nftables"], outside)
        certs = lab.dir / "certs"
        plan = certificate_plan(org.certificate_names())
        write_plan_certificates(plan, certs)
        cfg = org.haproxy(cert_dir=str(certs))
        fronts, backs = _haproxy_model(cfg)
        binds = {b for f in fronts.values() for b in f["binds"]}
        servers = {(x["ip"], x["port"], cp.backend_pool(bn)) for bn, b in backs.items() for x in b["servers"]}
        internal = set(addresses[addresses.view == "internal"]["address"])
        for ip in sorted(internal | {ip for ip, _, _ in servers}):
            lab.run("perim", ["ip", "addr", "add", f"{ip}/32", "dev", "lo"])
        # the Internet's way back to the intranet servers' own addresses (egress without NAT)
        other = ipaddress.ip_network(s.public_network).network_address + 200
        lab.run("gw", ["ip", "route", "add", s.internal_network, "via", str(other)])
        # the intranet client, on a link of its own into the server side
        subnet = cp.client_subnet(org, internal | {ip for ip, _, _ in servers})
        router, client = str(subnet.network_address + 1), str(subnet.network_address + 10)
        lab.link("perim", "intra0", "intra", "eth0")
        lab.addr("perim", "intra0", f"{router}/{subnet.prefixlen}")
        lab.addr("intra", "eth0", f"{client}/{subnet.prefixlen}")
        lab.run("intra", f"ip route add default via {router}")

        endpoints = cp.tls_endpoints(org, addresses)
        flow_names = cp.flow_names(org, addresses)
        stubs = _stub_specs(org, plan, certs, addresses, servers, binds, endpoints)
        lab.serve("perim", [{k: sorted(v) if isinstance(v, set) else v for k, v in spec.items()}
                            for spec in stubs.values()])
        (lab.dir / "haproxy.cfg").write_text(cfg)
        haproxy = lab.start("perim", ["haproxy", "-db", "-f", str(lab.dir / "haproxy.cfg")])
        ns = cp.name_servers(org)
        conf = lab.dir / "named.conf"
        conf.write_text(cp.named_conf(zone_files(org, lab.dir), lab.dir, sorted({a for v in ns.values() for a in v}),
                                      s.internal_network))
        lab.start("perim", ["named", "-g", "-n", "1", "-c", str(conf)], ready="running")
        if haproxy.poll() is not None:  # it stopped (a bind or a file error): say why, blame no client
            raise RuntimeError("haproxy stopped: " + haproxy.stdout.read()[-2000:])
        lab.facts = {"org": org, "plan": plan, "certs": certs, "addresses": addresses, "endpoints": endpoints,
                     "pool servers": sorted({ip for ip, _, _ in servers}), "flow names": flow_names,
                     "client": {"internal": client, "external": ANY_HOST}, "dns": ns, "mail_hosts": mail_hosts}
        yield lab


def _stub_specs(org, plan, certs, addresses, servers, binds, endpoints):
    """One stub per address that HAProxy or a client connects to and that HAProxy does not hold:
    the pools' servers, and the components reached without HAProxy (Edge, DirectAccess, VPN, NLS, Front
    End SIP). Each binds, per port, the certificates the real server binds there (clientproof.PRESENTS)."""
    by_address = {r["address"]: (r["id"], r["component"]) for _, r in addresses.iterrows()}
    wanted = {(ip, port, (pool,)) for ip, port, pool in servers}
    for address, port in {(a, port) for _, _, planned, port, _ in endpoints for a in planned}:
        address_id, component = by_address[address]
        if component and org.design.component(component).kind == "vip":
            continue  # a VIP: only HAProxy listens there, so a missing listener fails
        wanted.add((address, port, (address_id, component)))
    specs = {}
    for ip, port, keys in sorted(wanted):
        if f"{ip}:{port}" in binds:
            continue
        spec = specs.setdefault(ip, {"id": f"stub-{keys[0]}", "binds": [[ip]], "tcp": set(), "tls": {}})
        spec["tcp"].add(port)
        bound = cp.presents(plan, [k for k in keys if k], port)
        if bound:
            spec["tls"][port] = [[str(certs / f"{c}.pem"), _names(plan, c)] for c in bound]
            if port in cp.STARTTLS_PORTS:
                spec.setdefault("starttls", []).append(port)
    return specs


def _names(plan, cert) -> list[str]:
    """The host names a server binds a certificate to: its subject and its SANs."""
    row = plan.loc[cert]
    return [row["subject"]] + [n for n in row["subject alternative names"].split("; ") if n]


def _verify(lab, view):
    """Resolve every name of ``view`` at its name server from its client, connect to each address, check
    the handshake; returns (names, handshakes, failures)."""
    f = lab.facts
    mine = [e for e in f["endpoints"] if e[0] == view]
    ca = f["certs"] / ("intranet-trust.pem" if view == "internal" else "public-ca.pem")
    first, *others = f["dns"][view]
    probes = [{"proto": "smtp" if port in cp.STARTTLS_PORTS else "tls", "name": name, "dns": first,
               "src": f["client"][view], "port": port, "sni": name, "ca": str(ca), "strict": True, "every": True,
               "timeout": TLS_TIMEOUT}
              for _, name, _, port, _ in mine]
    # every other name server of the view answers too (one name each; the first answers them all)
    checks = [{"proto": "none", "name": mine[0][1], "dns": ns, "src": f["client"][view]} for ns in others]
    # every name of a flow in the view resolves to its planned addresses, TLS or not (A/V Edge, XMPP, ...)
    names = [n for n in f["flow names"] if n[0] == view]
    lookups = [{"proto": "none", "name": name, "dns": first, "src": f["client"][view]} for _, name, _ in names]
    answers = lab.probe("inet" if view == "external" else "intra", probes + checks + lookups, mode="resolve")
    answers, checked, looked = (answers[:len(probes)], answers[len(probes):len(probes) + len(checks)],
                                answers[len(probes) + len(checks):])
    failures, handshakes, good = [], 0, {}
    for ns, got in zip(others, checked):
        if not got or got.get("addresses") is None:
            failures.append((mine[0][1], ns, "no DNS answer from this name server", (got or {}).get("error")))
    resolved = 0
    for (_, name, planned), got in zip(names, looked):
        if got and got.get("addresses") is not None and set(planned) <= set(got["addresses"]):
            resolved += 1
        else:
            failures.append((name, "resolve", f"the plan says {list(planned)}", got))
    for (_, name, planned, port, why), got in zip(mine, answers):
        ok = True
        if got is None or got.get("addresses") is None:
            failures.append((name, port, why, f"no DNS answer from {first}", (got or {}).get("error")))
            ok = False
        elif not set(planned) <= set(got["addresses"]):
            failures.append((name, port, why, f"resolves to {got['addresses']}, the plan says {list(planned)}"))
            ok = False
        else:
            for a, reply in zip(got["addresses"], got["replies"]):
                if reply and not reply.startswith("TLS-ERROR"):
                    handshakes += 1
                if not (reply or "").startswith("stub-"):  # validated, and a server behind it answered
                    ok = False
                    failures.append((name, f"{a}:{port}", why, reply or "no connection"))
        good[name] = good.get(name, True) and ok
    return good, handshakes, failures, (resolved, len(names))


def _record(org, **counts):
    cp.FIGURES.setdefault(org.scenario.name, {}).update(counts)


def test_the_tls_oracle_covers_every_row(org):
    """Every TCP row of a flow reaching a named address is said to start with TLS or not."""
    from officenet.derive.addresses import address_plan
    s = org.scenario
    assert cp.untyped_rows(org, address_plan(org.design, s.public_network, s.internal_network).frame()) == []


@pytest.mark.parametrize("view", ["internal", "external"])
def test_a_client_verifies_every_name_it_uses(lab, view):
    org = lab.facts["org"]
    good, handshakes, failures, (resolved, flow_names) = _verify(lab, view)
    assert len(good) >= 5 and flow_names >= len(good)
    _record(org, **{f"{view} name servers": len(lab.facts["dns"][view]), f"{view} names": len(good),
                    f"{view} names verified": sum(good.values()), f"{view} names resolved": resolved,
                    f"{view} flow names": flow_names,
                    f"{view} handshakes": handshakes, f"{view} failures": len(failures)})
    assert not failures, f"{len(failures)} of the {view} view's names fail:\n" + "\n".join(map(str, failures))


def egress_probes(org, addresses, mail_hosts, pool_servers=()):
    """(server or None, address, probe) for every address of the plan and every pool server of the
    exported HAProxy file: a server's needed ports, and the ports every other address (and a server,
    where it does not need them) must not get out on."""
    plan_ids = dict(zip(addresses["id"], addresses["address"]))
    mail = ANY_HOST if mail_hosts is None else str(ipaddress.ip_network(mail_hosts[0]).network_address + 10)
    out, needed = [], {}
    for server, (ids, needs) in cp.EGRESS.items():
        for proto, port, dest, condition in needs:
            if cp.answer(org, condition):
                for i in ids:
                    if i in plan_ids:
                        needed.setdefault(plan_ids[i], set()).add((proto, port))
                        anyone = V6_CLIENT if ":" in plan_ids[i] else ANY_HOST
                        out.append((server, plan_ids[i], {"proto": proto, "src": plan_ids[i], "port": port,
                                                          "dst": mail if dest == "mail" else anyone}))
    for address in sorted(set(addresses["address"]) | set(pool_servers)):
        anyone = V6_CLIENT if ":" in address else ANY_HOST  # an Internet host of the address's family
        for proto, port in cp.EGRESS_DENIED:
            if (proto, port) not in needed.get(address, set()):
                out.append((None, address, {"proto": proto, "src": address, "port": port, "dst": anyone}))
    return out


def test_servers_reach_the_internet_and_no_other(lab):
    f = lab.facts
    org = f["org"]
    probes = egress_probes(org, f["addresses"], f["mail_hosts"], f["pool servers"])
    spec = {"id": "internet", "tcp": sorted({p["port"] for _, _, p in probes if p["proto"] == "tcp"}),
            "udp": sorted({p["port"] for _, _, p in probes if p["proto"] == "udp"}),
            "addresses": lab.addresses("inet")}
    lab.serve("inet", spec)
    replies = lab.probe("perim", [dict(p, timeout=1.0) for _, _, p in probes])
    got: dict[str, list] = {}
    leaks = []
    for (server, address, p), reply in zip(probes, replies):
        passed = bool(reply) and reply.startswith("internet")
        if server:
            got.setdefault((server, p["proto"], p["port"]), []).append((address, passed))
        elif passed:
            leaks.append((address, p["proto"], p["port"]))
    blocked = sorted(k for k, v in got.items() if not any(ok for _, ok in v))
    denied = [p for (server, _, p) in probes if server is None]
    lab.run("gw", "nft flush ruleset")  # control: without the ruleset every probe gets through
    control = lab.probe("perim", [dict(p, timeout=1.0) for _, _, p in probes])
    lab.run("gw", ["nft", "-f", str(lab.dir / "gateway.nft")])
    _record(org, **{"egress probes": len(probes), "egress needs": len(got), "egress passed": len(got) - len(blocked),
                    "egress drops": len(denied) - len(leaks), "egress denied probes": len(denied)})
    lost = [p for (_, _, p), r in zip(probes, control) if not (r and r.startswith("internet"))]
    assert not lost, f"without the ruleset these probes still fail, so their drop is not the ruleset's: {lost}"
    assert len(got) >= 8 and len(denied) >= 50
    assert not blocked and not leaks, (f"needed but dropped: {blocked}\n" if blocked else "") + (
        f"not needed but let out: {leaks}" if leaks else "")
