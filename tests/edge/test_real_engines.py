"""The exports on the real programs: BIND (named-checkzone, named with two views), nftables in a
gateway namespace between an Internet and a perimeter namespace, HAProxy with stub pools, end to
end from a client on the Internet, and the Cisco and Juniper text through a real parser.

Every expectation comes from the library's own tables (the allow list, records(), the VIP
services), so the tests follow the data. Without root or network namespaces they skip with the
reason; namespaces and processes have unique names and are removed even when a test fails."""
from __future__ import annotations

import ipaddress
import json
import re
import shutil
import socket
import subprocess

import dns.exception
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.query
import dns.rdatatype
import pytest

from officenet import load
from officenet.derive.gateway import permits
from officenet.derive.lbconfig import tls_floor
from officenet.derive.organisation import organisation
from officenet.loading.scenario_file import load_scenario
from officenet.derive.trace import trace_rows

import clientproof as cp

from browser import free_port
from conftest import ROOT
from realnet import Lab, missing_requirements, stop

SCENARIOS = ("contoso", "fabrikam", "contoso-current", "everything")
ANY_HOST = "198.18.0.10"  # RFC 2544 benchmarking range: stands for any host on the Internet
GW_OUTSIDE = "198.18.0.1/15"
V6_CLIENT, V6_GW_OUT, V6_GW_IN, V6_SERVER = "2001:db8:1::10", "2001:db8:1::1", "2001:db8:2::1", "2001:db8:2::10"
PROTO = {"TCP": "tcp", "UDP": "udp"}

_why_not = None


def netns_or_skip():
    global _why_not
    if _why_not is None:
        _why_not = missing_requirements() or ""
    if _why_not:
        pytest.skip(_why_not)


@pytest.fixture(scope="module", params=SCENARIOS)
def org(request):
    return organisation(load(), load_scenario(ROOT / "scenarios" / f"{request.param}.yaml"))


# --- DNS ---------------------------------------------------------------------------------------


def zone_files(org, directory):
    out = []
    for name, text in org.zone_texts().items():
        view, origin = name[:-len(".zone")].split("-", 1)
        path = directory / name
        path.write_text(text)
        out.append((view, origin, path))
    return out


def test_named_checkzone_accepts_every_zone(org, tmp_path):
    if shutil.which("named-checkzone") is None:
        pytest.fail("named-checkzone is not installed: make setup installs bind9utils")
    zones = zone_files(org, tmp_path)
    assert len(zones) == 3
    for view, origin, path in zones:
        # -i local: integrity checks within the zone only, so named-checkzone never asks outside DNS
        # for the out-of-zone MX target; -k fail: a bad host name fails the zone
        result = subprocess.run(["named-checkzone", "-k", "fail", "-i", "local", origin, str(path)],
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 0 and "OK" in result.stdout, (view, origin, result.stdout, result.stderr)


def named_conf(zones, directory, port, internal_clients) -> str:
    views = []
    for view, clients in (("internal", internal_clients), ("external", ["any"])):
        body = "".join(f'    zone "{origin}" {{ type primary; file "{path}"; }};\n'
                       for v, origin, path in zones if v == view)
        views.append(f'view "{view}" {{\n    match-clients {{ {"; ".join(clients)}; }};\n'
                     f'    recursion no;\n{body}}};\n')
    return (f'options {{\n    directory "{directory}";\n    pid-file "{directory}/named.pid";\n'
            f'    listen-on port {port} {{ 127.0.0.1; }};\n    listen-on-v6 {{ none; }};\n'
            '    dnssec-validation no;\n};\n' + "".join(views))


def expected_rdata(row) -> str:
    from officenet.derive.dns.zones import _rdata_text
    return _rdata_text(row)


def test_named_serves_both_views_by_source_address(org, tmp_path):
    """A real named on loopback (a free port): 127.0.0.2 is the intranet, anything else the
    Internet; every record of records() is asked in its view and compared, rdata by rdata."""
    if shutil.which("named") is None:
        pytest.fail("named is not installed: make setup installs bind9")
    zones = zone_files(org, tmp_path)
    port = free_port()
    conf = tmp_path / "named.conf"
    conf.write_text(named_conf(zones, tmp_path, port, ["127.0.0.2"]))
    proc = subprocess.Popen(["timeout", "120", "named", "-g", "-n", "1", "-c", str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        ready = _wait_named(port)
        assert ready, "named did not answer on 127.0.0.1:%d" % port
        records = org.records()
        source = {"internal": "127.0.0.2", "external": "127.0.0.1"}
        served = 0
        for (view, name, rtype), group in records.groupby(["view", "name", "type"]):
            answer = dns.query.udp(dns.message.make_query(name, rtype), "127.0.0.1", port=port,
                                   source=source[view], timeout=3)
            got = sorted(r.to_text() for rrset in answer.answer for r in rrset
                         if rrset.rdtype == dns.rdatatype.from_text(rtype))
            want = sorted(dns.rdata.from_text("IN", rtype, expected_rdata(r)).to_text()
                          for _, r in group.iterrows())
            assert answer.rcode() == 0 and got == want, (view, name, rtype, got, want)
            served += len(group)
        assert served == len(records)
        # the views differ: the intranet-only name is unknown on the Internet
        ldi = f"lyncdiscoverinternal.{org.scenario.domain}"
        outside = dns.query.udp(dns.message.make_query(ldi, "A"), "127.0.0.1", port=port, source="127.0.0.1", timeout=3)
        assert outside.rcode() == dns.rcode.NXDOMAIN
    finally:
        stop(proc)


def _wait_named(port) -> bool:
    import time
    end = time.time() + 20
    while time.time() < end:
        try:
            dns.query.udp(dns.message.make_query("example.invalid", "A"), "127.0.0.1", port=port, timeout=0.5)
            return True
        except (dns.exception.Timeout, OSError):
            time.sleep(0.2)
    return False


# --- nftables in a gateway namespace ----------------------------------------------------------


def _outside_host(addresses, v6: bool = False) -> list[str]:
    """One host for each outside address object (None: any host on the Internet, of the rule's family)."""
    if addresses is None:
        return [V6_CLIENT if v6 else ANY_HOST]
    return [str(ipaddress.ip_network(n).network_address + 10) for n in addresses]


def _v6(r) -> bool:
    """An IPv6 rule: one of its address objects is IPv6 ('any' alone is IPv4's)."""
    return any(":" in n for n in (r.from_addresses or ()) + (r.to_addresses or ()))


def _inside_hosts(addresses) -> list[str]:
    return [str(a) for n in addresses for a in ipaddress.ip_network(n)]


def _proto(r) -> str:
    return "ip%d" % r.ports[0] if r.protocol == "IP" else PROTO[r.protocol]


def allowed(rows, proto, src, dst, port) -> bool:
    """What the allow list says of one packet (the expectation, from the library's permits)."""
    def inside(address, nets, v6):
        return nets is None and (":" in address) == v6 or nets is not None and any(
            ipaddress.ip_address(address) in ipaddress.ip_network(n) for n in nets)
    return any(_proto(r) == proto and (proto.startswith("ip") or r.ports[0] <= port <= r.ports[1])
               and inside(src, r.from_addresses, _v6(r)) and inside(dst, r.to_addresses, _v6(r)) for r in rows)


def gateway_probes(org):
    """(namespace, probe, expected reply?) for every allow-list row and the negatives around them."""
    rows = permits(org.design, *org.gateway())
    other = str(ipaddress.ip_network(org.scenario.public_network).network_address + 200)
    out = []
    for r in rows:
        ports = sorted({r.ports[0], r.ports[1]}) if r.protocol != "IP" else [0]
        v6 = _v6(r)
        if r.direction == "inbound":
            pairs = [("inet", s, d) for s in _outside_host(r.from_addresses, v6) for d in _inside_hosts(r.to_addresses)]
        else:
            pairs = [("perim", s, d) for s in _inside_hosts(r.from_addresses)
                     for d in _outside_host(r.to_addresses, v6)]
        for ns, src, dst in pairs:
            for port in ports:
                out.append((ns, {"proto": _proto(r), "src": src, "dst": dst, "port": port}, "allow-list"))
        if r.direction != "inbound" or r.protocol == "IP":
            continue
        src, dst = _outside_host(r.from_addresses, v6)[0], _inside_hosts(r.to_addresses)[0]
        other_proto = "udp" if r.protocol == "TCP" else "tcp"
        out += [("inet", {"proto": "tcp", "src": src, "dst": dst, "port": 3389}, "closed port"),
                ("inet", {"proto": other_proto, "src": src, "dst": dst, "port": r.ports[0]}, "other protocol"),
                ("inet", {"proto": _proto(r), "src": src, "dst": V6_SERVER if v6 else other, "port": r.ports[0]},
                 "other host"),
                ("perim", {"proto": _proto(r), "src": dst, "dst": V6_CLIENT if v6 else ANY_HOST, "port": r.ports[0]},
                 "reverse"),
                ("inet", {"proto": _proto(r), "src": V6_CLIENT, "dst": V6_SERVER, "port": r.ports[0]}, "IPv6")]
        if r.from_addresses is not None:
            out.append(("inet", {"proto": _proto(r), "src": V6_CLIENT if v6 else ANY_HOST, "dst": dst,
                                 "port": r.ports[0]}, "other source"))
    out.append(("inet", {"proto": "tcp", "src": V6_CLIENT, "dst": V6_SERVER, "port": 3389}, "IPv6"))  # the case
    unique, seen = [], set()
    for ns, p, kind in out:
        key = (ns, tuple(sorted(p.items())))
        if key not in seen:
            seen.add(key)
            expect = allowed(rows, p["proto"], p["src"], p["dst"], p["port"])
            if kind == "allow-list" or not expect:
                unique.append((ns, p, kind, expect))
    return rows, unique


def build_gateway(lab, org, ruleset: str, outside_nets=()):
    """inet (Internet) -- gw (nftables) -- perim (the public addresses of the plan)."""
    public = ipaddress.ip_network(org.scenario.public_network)
    lab.link("gw", "outside", "inet", "eth0")
    lab.link("gw", "inside", "perim", "eth0")
    lab.addr("gw", "outside", GW_OUTSIDE, V6_GW_OUT + "/64")
    lab.addr("inet", "eth0", ANY_HOST + "/15", V6_CLIENT + "/64")
    for net in outside_nets:  # the mail hosts' range (EOP's placeholder): one host in the Internet namespace
        n = ipaddress.ip_network(net)
        lab.addr("gw", "outside", f"{n.network_address + 1}/{n.prefixlen}")
        lab.addr("inet", "eth0", f"{n.network_address + 10}/{n.prefixlen}")
    lab.run("inet", f"ip route add default via {GW_OUTSIDE.split('/')[0]}")
    lab.run("inet", f"ip -6 route add default via {V6_GW_OUT}")
    gw_in = public.network_address + public.num_addresses - 2
    lab.addr("gw", "inside", f"{gw_in}/{public.prefixlen}", V6_GW_IN + "/64")
    from officenet.derive.addresses import address_plan
    plan = address_plan(org.design, org.scenario.public_network, org.scenario.internal_network)
    hosts = sorted({row.address for row in plan if row.view == "external"} | {str(public.network_address + 200)})
    # an IPv6 address of the plan (a documentation placeholder) is a host of its own: /128
    lab.addr("perim", "eth0", *[f"{h}/{public.prefixlen if ':' not in h else 128}" for h in hosts], V6_SERVER + "/64")
    lab.run("perim", f"ip route add default via {gw_in}")
    lab.run("perim", f"ip -6 route add default via {V6_GW_IN}")
    for h in hosts:  # the gateway's way to a planned IPv6 host, which sits outside the link's /64
        if ":" in h:
            lab.run("gw", ["ip", "-6", "route", "add", h, "via", V6_SERVER])
    for key in ("net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1", "net.ipv4.conf.all.rp_filter=0"):
        lab.run("gw", ["sysctl", "-q", "-w", key])
    path = lab.dir / "gateway.nft"
    path.write_text(ruleset)
    lab.run("gw", ["nft", "-f", str(path)])


def _listen_spec(probes, ident, addresses):
    # UDP and raw sockets answer from each address, so that a reply leaves from the address asked
    spec = {"id": ident, "tcp": set(), "udp": set(), "ip": set(), "addresses": addresses}
    for p in probes:
        if p["proto"].startswith("ip"):
            spec["ip"].add(int(p["proto"][2:]))
        else:
            spec[p["proto"]].add(p["port"])
    return {k: sorted(v) if isinstance(v, set) else v for k, v in spec.items()}


def _by_namespace(probes):
    out = {"inet": [], "perim": []}
    for ns, p, kind, expect in probes:
        out[ns].append((p, kind, expect))
    return out


GATEWAY_FIGURES: dict[str, dict] = {}


def test_nftables_gateway_passes_exactly_the_allow_list(org):
    netns_or_skip()
    rows, probes = gateway_probes(org)
    ours = [ipaddress.ip_network(org.scenario.public_network), ipaddress.ip_network(org.scenario.internal_network)]
    eop = sorted({n for r in rows for n in (r.from_addresses or ()) + (r.to_addresses or ())
                  if ":" not in n and not any(ipaddress.ip_network(n).subnet_of(o) for o in ours)})
    by_ns = _by_namespace(probes)
    positives = [p for p in probes if p[3]]
    negatives = [p for p in probes if not p[3]]
    assert len(positives) >= len(rows) and len(negatives) >= 20
    assert {k for _, _, k, _ in negatives} >= {"closed port", "other protocol", "other host", "reverse", "IPv6"}
    with Lab("inet", "gw", "perim") as lab:
        build_gateway(lab, org, org.acls(("nftables",))["nftables"], eop)
        # listeners on every address of both sides, for every port a probe tries
        lab.serve("perim", _listen_spec([p for p, _, _ in by_ns["inet"]], "perimeter", lab.addresses("perim")))
        lab.serve("inet", _listen_spec([p for p, _, _ in by_ns["perim"]], "internet", lab.addresses("inet")))
        runs = {}
        for run in ("ruleset", "flushed"):
            if run == "flushed":
                lab.run("gw", "nft flush ruleset")
            runs[run] = {ns: lab.probe(ns, [dict(p, timeout=1.0) for p, _, _ in items]) for ns, items in by_ns.items()}
    wrong, passed = [], 0
    for ns, items in by_ns.items():
        for (p, kind, expect), reply in zip(items, runs["ruleset"][ns]):
            if bool(reply) != expect:
                wrong.append((kind, ns, p, reply))
            if reply:  # the reply came back (an ICMPv6 echo: from the destination's kernel)
                assert ("perimeter" if ns == "inet" else "internet") in reply or reply.startswith("echo reply")
                passed += 1
    assert not wrong, "\n".join(map(str, wrong))
    assert passed == len(positives)
    control = [(kind, p) for ns, items in by_ns.items() for (p, kind, _), reply in zip(items, runs["flushed"][ns])
               if not reply]
    assert not control, f"without the ruleset these probes still fail, so their drop is not the ruleset's: {control}"
    GATEWAY_FIGURES[org.scenario.name] = {"rows": len(rows), "allowed": passed, "dropped": len(negatives)}
    print(f"\n{org.scenario.name}: {len(rows)} allow-list rows, {passed} probes passed with replies, "
          f"{len(negatives)} dropped, control run without the ruleset: all {len(probes)} passed")


# --- Cisco and Juniper through a real parser ---------------------------------------------------


def _net(text: str) -> str:
    return str(ipaddress.ip_network(text if "/" in text else text + ("/128" if ":" in text else "/32")))


def _cisco_permits(parse, acl: str) -> dict:
    """term name -> (protocol, sources, destinations, ports) of the permits of one Cisco ACL (of a parse)."""
    [block] = parse.find_objects(rf"^ip access-list extended {acl}$|^ipv6 access-list {acl}$")
    out, term = {}, None
    for line in (c.text.split() for c in block.children):
        if line[0] == "remark" and len(line) == 2 and line[1].startswith(("in-", "out-", "return-", "path-")):
            term = line[1]
        elif line[0] == "permit" and term and term.startswith(("in-", "out-")):
            proto, rest = line[1], line[2:]
            addrs = []
            for _ in range(2):
                if rest[0] == "any":
                    addrs.append(None)
                    rest = rest[1:]
                elif rest[0] == "host":
                    addrs.append(_net(rest[1]))
                    rest = rest[2:]
                elif "/" in rest[0]:  # an IPv6 prefix
                    addrs.append(_net(rest[0]))
                    rest = rest[1:]
                else:
                    bits = sum(bin(int(o)).count("1") for o in rest[1].split("."))
                    addrs.append(str(ipaddress.ip_network(f"{rest[0]}/{32 - bits}")))
                    rest = rest[2:]
                if _ == 0 and rest and rest[0] in ("eq", "range"):
                    rest = rest[2 if rest[0] == "eq" else 3:]
            ports = ((int(rest[1]), int(rest[1])) if rest and rest[0] == "eq" else
                     (int(rest[1]), int(rest[2])) if rest and rest[0] == "range" else None)
            _merge(out, term, proto, addrs[0], addrs[1], ports)
    return out


# the names the three platforms write for IP protocols
IP_PROTOCOL_NAMES = {"esp": 50, "gre": 47, "ipv6": 41, "icmpv6": 58, "icmp6": 58, "ipv6-icmp": 58}


def _ip_proto(word: str) -> str:
    """tcp, udp, or ipN for an IP protocol given by name or number (esp, 50, ip50 -> ip50)."""
    word = word.removeprefix("ip") if word[2:].isdigit() else word
    number = IP_PROTOCOL_NAMES.get(word, int(word) if word.isdigit() else None)
    return word if number is None else f"ip{number}"


def _merge(out, term, proto, src, dst, ports):
    proto = _ip_proto(proto)
    old = out.get(term, (proto, set(), set(), ports))
    old[1].add(src)
    old[2].add(dst)
    out[term] = old


def _juniper_permits(parse, filt: str) -> dict:
    [block] = parse.find_objects(rf"filter {filt}$")
    out = {}
    for term in block.children:
        name = term.text.split()[-1]
        if not term.text.strip().startswith("term ") or not name.startswith(("in-", "out-")):
            continue
        fields = {"source-address": [], "destination-address": [], "protocol": None, "next-header": None,
                  "destination-port": None}
        for part in term.all_children:
            words = part.text.split()
            if words[0] in fields and len(words) == 2:
                fields[words[0]] = words[1]
            elif part.parent.text.split()[0] in ("source-address", "destination-address") and words[0][:1].isdigit():
                fields[part.parent.text.split()[0]].append(str(ipaddress.ip_network(words[0].rstrip(";"))))
        port = fields["destination-port"]
        ports = tuple(int(x) for x in port.split("-")) if port else None
        ports = (ports[0], ports[-1]) if ports else None
        out[name] = (_ip_proto(fields["protocol"] or fields["next-header"]), set(fields["source-address"]) or {None},
                     set(fields["destination-address"]) or {None}, ports)
    return out


def _nft_permits(text: str) -> dict:
    out = {}
    for name, body in re.findall(r"chain (\S+) \{\n(.*?)\n    \}", text, re.S):
        if not name.startswith(("in-", "out-")):
            continue
        for rule in (l.strip() for l in body.splitlines() if l.strip().endswith("accept")):
            sets = {}
            for key in ("saddr", "daddr"):
                m = re.search(rf"ip6? {key} (\{{[^}}]*\}}|\S+)", rule)
                sets[key] = {_net(a.strip()) for a in m.group(1).strip("{} ").split(",")} if m else {None}
            m = re.search(r"(tcp|udp) dport (\d+)(?:-(\d+))?", rule)
            proto = m.group(1) if m else _ip_proto(re.search(r"(?:ip protocol|meta l4proto) (\w+)", rule).group(1))
            ports = (int(m.group(2)), int(m.group(3) or m.group(2))) if m else None
            old = out.get(name, (proto, set(), set(), ports))
            old[1].update(sets["saddr"])
            old[2].update(sets["daddr"])
            out[name] = old
    return out


def _normal(permit_map):
    out = {}
    for name, (proto, src, dst, ports) in permit_map.items():
        src = frozenset(src) if src != {None} else None
        dst = frozenset(dst) if dst != {None} else None
        out[name] = (proto, _collapse(src), _collapse(dst), ports)
    return out


def _collapse(nets):
    if nets is None:
        return None
    return frozenset(str(n) for n in ipaddress.collapse_addresses(ipaddress.ip_network(x) for x in nets))


def test_cisco_and_juniper_permit_what_nftables_permits(org):
    texts = org.acls()
    rows = permits(org.design, *org.gateway())
    expected = {r.name: (_proto(r), _collapse(r.from_addresses), _collapse(r.to_addresses),
                         None if r.protocol == "IP" else r.ports) for r in rows}
    nft = _normal(_nft_permits(texts["nftables"]))
    from ciscoconfparse2 import CiscoConfParse
    cisco_parse = CiscoConfParse(texts["cisco"].splitlines())  # each text parsed once: the parser is slow
    junos = CiscoConfParse(texts["juniper"].splitlines(), syntax="junos")
    cisco = _normal({k: v for acl in ("officenet-gateway-in", "officenet-gateway-out", "ipv6-officenet-gateway-in",
                                      "ipv6-officenet-gateway-out")
                     for k, v in _cisco_permits(cisco_parse, acl).items()})
    juniper = _normal({k: v for f in ("officenet-gateway-in4", "officenet-gateway-out4", "officenet-gateway-in6",
                                      "officenet-gateway-out6") for k, v in _juniper_permits(junos, f).items()})
    assert len(expected) == len(rows) >= 15
    assert nft == expected
    assert cisco == nft
    assert juniper == nft
    # IPv6 meets a filter too, path-MTU errors pass, and the filters are bound to the outside interface
    [interface] = cisco_parse.find_objects(r"^interface ")
    bound = {c.text.strip() for c in interface.children}
    assert {"ip access-group officenet-gateway-in in", "ip access-group officenet-gateway-out out",
            "ipv6 traffic-filter ipv6-officenet-gateway-in in", "ipv6 traffic-filter ipv6-officenet-gateway-out out"} <= bound
    [v6] = cisco_parse.find_objects(r"^ipv6 access-list ipv6-officenet-gateway-in$")
    v6_lines = [c.text.strip() for c in v6.children]
    assert "permit icmp any any 2" in v6_lines and v6_lines[-1] == "deny ipv6 any any log"  # ICMPv6 packet too big; denials logged
    [v4] = cisco_parse.find_objects(r"^ip access-list extended officenet-gateway-in$")
    assert "permit icmp any any 3 4" in [c.text.strip() for c in v4.children]
    inputs = {c.text.strip() for c in junos.find_objects(r"^\s+input ")}
    assert inputs == {"input officenet-gateway-in4", "input officenet-gateway-in6"}
    assert all(len(c) <= 128 for c in re.findall(r'comment "([^"]*)"', texts["nftables"]))  # nft's limit


# --- HAProxy with stub pools, and end to end from the Internet ---------------------------------


def _haproxy_model(cfg: str):
    """Frontends (binds, TLS, SNI routes, default) and backends (balance, servers) of the file."""
    fronts, backs, cur = {}, {}, None
    for line in cfg.splitlines():
        words = line.split()
        if line.startswith("frontend "):
            cur = fronts.setdefault(words[1], {"binds": [], "tls": False, "sni": {}, "default": None, "http": False})
        elif line.startswith("backend "):
            cur = backs.setdefault(words[1], {"balance": None, "servers": [], "check_ssl": False, "httpchk": []})
        elif not line.startswith(" "):
            cur = None
        elif cur is not None and words:
            if words[0] == "bind":
                cur["binds"].append(words[1])
                cur["tls"] = cur["tls"] or "ssl" in words
                if "crt" in words:
                    cur["crt"] = words[words.index("crt") + 1].rsplit("/", 1)[-1].removesuffix(".pem")
            elif words[0] == "use_backend" and "sni" in line:  # by server name (path rules: below one name)
                for name in re.search(r"-i (.*) \}", line).group(1).split():
                    cur["sni"][name] = words[1]
            elif words == ["mode", "http"] and "binds" in cur:
                cur["http"] = True
            elif words[0] == "default_backend":
                cur["default"] = words[1]
            elif words[0] == "balance":
                cur["balance"] = words[1]
            elif words[:2] == ["http-check", "connect"]:
                cur["check_ssl"] = "ssl" in words
            elif words[:2] == ["http-check", "send"]:  # ... uri <path> [ver <version>] [hdr <name> <value>]...
                cur["httpchk"].append(words[words.index("uri") + 1])
            elif words[0] == "server":
                # an HTTPS probe opens TLS with the server's own check options (check-ssl: layer 4)
                cur["check_ssl"] = cur["check_ssl"] or "check-ssl" in words
                ip, port = words[2].rsplit(":", 1)
                check_port = int(words[words.index("port") + 1]) if "port" in words else None
                cur["servers"].append({"name": words[1], "ip": ip, "port": int(port), "check_port": check_port,
                                       "ssl": "ssl" in words, "check_sni": words[words.index("check-sni") + 1]
                                       if "check-sni" in words else None})
    return fronts, backs


def _final_servers(fronts, backs, address, sni):
    """(server name, ip, port) a connection to ``address`` with ``sni`` may end on, following VIP chains."""
    front = next((f for f in fronts.values() if address in f["binds"]), None)
    if front is None:
        return None
    back = backs[front["sni"].get(sni, front["default"])]
    out = set()
    for s in back["servers"]:
        deeper = _final_servers(fronts, backs, f"{s['ip']}:{s['port']}", sni)
        out |= deeper if deeper is not None else {(s["name"], s["ip"], s["port"])}
    return out


def _front_ca(plan, certs, front) -> str:
    """The test CA that issued the certificate a TLS-terminating frontend presents."""
    return str(certs / f"{plan.loc[front['crt'], 'issuer']}-ca.pem")


def _ca_of(plan, certs, stub_pem, ends) -> str:
    """The test CA that issued the certificate the pool presents (passthrough listeners)."""
    for _, ip, port in sorted(ends or ()):
        if (ip, port) in stub_pem:
            cert = stub_pem[(ip, port)].rsplit("/", 1)[-1][:-len(".pem")]
            return str(certs / f"{plan.loc[cert, 'issuer']}-ca.pem")
    return str(certs / "internal-ca.pem")


def _stats(sock_path) -> list[dict]:
    import csv
    import io
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(str(sock_path))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return list(csv.DictReader(io.StringIO(data.decode().lstrip("# "))))


def test_haproxy_and_end_to_end_from_the_internet(org):
    netns_or_skip()
    import time

    from officenet.derive.addresses import address_plan
    from officenet.derive.certificates import certificate_plan
    from pki import write_plan_certificates
    rows = permits(org.design, *org.gateway())
    ours = [ipaddress.ip_network(org.scenario.public_network), ipaddress.ip_network(org.scenario.internal_network)]
    eop = sorted({n for r in rows for n in (r.from_addresses or ()) + (r.to_addresses or ())
                  if ":" not in n and not any(ipaddress.ip_network(n).subnet_of(o) for o in ours)})
    with Lab("inet", "gw", "perim") as lab:
        build_gateway(lab, org, org.acls(("nftables",))["nftables"], eop)
        certs = lab.dir / "certs"
        plan = certificate_plan(org.certificate_names())
        write_plan_certificates(plan, certs)
        sock = lab.dir / "haproxy.sock"
        cfg = org.haproxy(cert_dir=str(certs))
        fronts, backs = _haproxy_model(cfg)
        # test tuning only: the stats socket, and health checks every 200 ms
        run_cfg = cfg.replace("global\n", f"global\n    stats socket {sock} level admin\n", 1).replace(
            "defaults\n", "defaults\n    default-server inter 200ms fall 2 rise 2\n", 1)
        (lab.dir / "haproxy.cfg").write_text(run_cfg)
        addresses = address_plan(org.design, org.scenario.public_network, org.scenario.internal_network)
        internal = {row.address for row in addresses if row.view == "internal"}
        servers = {(s["name"], s["ip"]): s for b in backs.values() for s in b["servers"]}
        binds = {a for f in fronts.values() for a in f["binds"]}
        for ip in sorted(internal | {ip for _, ip in servers}):
            lab.run("perim", ["ip", "addr", "add", f"{ip}/32", "dev", "lo"])
        # stub pools: one listener per server address, TLS where HAProxy or a chain before it speaks TLS
        tls_needed = set()
        for f in fronts.values():
            for b in ([backs[f["default"]]] + [backs[x] for x in f["sni"].values()]):
                for s in b["servers"]:
                    if s["ssl"] or b["check_ssl"] or (f["tls"] is False and any(
                            f"{x['ip']}:{x['port']}" in f["binds"] and x["ssl"] for bb in backs.values()
                            for x in bb["servers"])):
                        tls_needed.add((s["ip"], s["port"]))
        pem = {c: str(certs / f"{c}.pem") for c in plan.index}
        internal_pem = next(pem[c] for c, r in plan.iterrows() if r["issuer"] == "internal")
        # a pool member presents the certificate of the plan its server binds on that port (the client
        # proofs' oracle, clientproof.PRESENTS: the Front End's web internal one on 443, Exchange's...); HAProxy
        # verifies its name, so any other certificate of the pool's would be refused
        stub_pem = {}
        for bn, b in backs.items():  # be_<vip>_<port>_<pool>
            for x in b["servers"]:
                bound = cp.presents(plan, [cp.backend_pool(bn)], x["port"])
                if bound:
                    stub_pem[(x["ip"], x["port"])] = pem[bound[0]]
        failing, failing_in = {}, set()  # (server, ip) -> {path: status}; (backend, server) expected DOWN
        for bn, b in backs.items():  # one server of each HTTP-probed pool answers 500 on one probed path
            if b["httpchk"] and len(b["servers"]) > 1:
                failing.setdefault((b["servers"][-1]["name"], b["servers"][-1]["ip"]), {})[b["httpchk"][0]] = 500
                failing_in.add((bn, b["servers"][-1]["name"]))
        check_log = lab.dir / "requests.log"  # every HTTP request a stub answers: request line and Host
        by_ip: dict[str, dict] = {}
        check_listeners: dict[tuple[str, int], str] = {}
        for name, ip, s in ((x["name"], x["ip"], x) for b in backs.values() for x in b["servers"]):
            if f"{ip}:{s['port']}" in binds:
                continue  # a VIP behind a VIP: HAProxy itself listens there
            spec = by_ip.setdefault(ip, {"id": name, "binds": [[ip]], "tcp": set(), "tls": {}, "statuses": {},
                                         "log": str(check_log)})
            spec["tcp"].add(s["port"])
            if s["check_port"]:  # the probe's own port: a process of its own, stopped later on
                check_listeners[(ip, s["check_port"])] = name
            if (ip, s["port"]) in tls_needed:
                spec["tls"][s["port"]] = stub_pem.get((ip, s["port"]), internal_pem)
            spec["statuses"].update(failing.get((name, ip), {}))
        # components the Internet reaches without HAProxy (Edge, DirectAccess, VPN): a stub on their address
        inbound = [r for r in rows if r.direction == "inbound"]
        direct = {}
        for r in inbound:
            for host in _inside_hosts(r.to_addresses):
                if r.protocol != "IP" and f"{host}:{r.ports[0]}" not in binds:
                    d = direct.setdefault(host, {"id": f"direct-{r.to}", "binds": [[host]], "tcp": set(), "udp": set(),
                                                 "addresses": [host]})
                    d[PROTO[r.protocol]].add(r.ports[0])
        lab.serve("perim", [{k: sorted(v) if isinstance(v, set) else v for k, v in spec.items()}
                            for spec in list(by_ip.values()) + list(direct.values())])
        probe_procs = {key: lab.serve("perim", {"id": name + "-probe", "binds": [[key[0]]], "tcp": [key[1]]})
                       for key, name in sorted(check_listeners.items())}
        lab.start("perim", ["haproxy", "-db", "-f", str(lab.dir / "haproxy.cfg")])
        # named on the Internet side serves the external view to the client
        zones = zone_files(org, lab.dir)
        conf = lab.dir / "named.conf"
        conf.write_text(named_conf(zones, lab.dir, 53, [str(n) for n in ours]).replace("127.0.0.1", ANY_HOST))
        lab.start("inet", ["named", "-g", "-n", "1", "-c", str(conf)], ready="running")

        # health probes: every server UP except the one whose probed path fails
        deadline, state = time.time() + 15, {}
        while time.time() < deadline:
            time.sleep(0.3)
            try:
                state = {(r["pxname"], r["svname"]): r["status"] + " " + r["check_status"] + " " + r["last_chk"]
                         for r in _stats(sock)
                         if r["svname"] not in ("FRONTEND", "BACKEND")}
            except OSError:
                continue
            if state and all(v.split()[0] in ("UP", "DOWN") for v in state.values()):
                want = {k: "DOWN" if k in failing_in else "UP" for k in state}
                if {k: v.split()[0] for k, v in state.items()} == want:
                    break
        expected_down = {k for k in state if k in failing_in}
        assert state and {k for k, v in state.items() if v.startswith("DOWN")} == expected_down, \
            "\n".join(f"{k}: {v}" for k, v in sorted(state.items()))
        assert len(state) == sum(len(b["servers"]) for b in backs.values())
        # the HTTP probes ask as a client does: HTTP/1.1, with the name the check verifies on the certificate
        seen = [json.loads(line) for line in check_log.read_text().splitlines()]
        seen = [r for r in seen if r["line"].count(" ") >= 2]  # request lines only: a check cut short logs none
        asked = 0
        for b in backs.values():
            for x in b["servers"] if b["httpchk"] else ():
                mine = {(r["line"], r["host"]) for r in seen if r["id"] == x["name"] and r["port"] == x["port"]
                        and r["line"].split(" ")[1] in b["httpchk"]}
                assert mine and x["check_sni"], (x["name"], b["httpchk"])
                assert {(line.split(" ")[2], host) for line, host in mine} == {("HTTP/1.1", x["check_sni"])}, mine
                asked += 1
        assert asked >= 2

        # every external flow: resolve the published name, cross the gateway, reach the right backend
        records = org.records()
        ext_a = records[(records.view == "external") & (records.type == "A")]
        trips, why = [], []
        for r in inbound:
            if not r.flows or r.flows[0].startswith("(") or r.protocol == "IP" or _v6(r):  # IPv6: the nftables test
                continue
            hosts = set(_inside_hosts(r.to_addresses))
            names = sorted(set(ext_a[ext_a.value.isin(hosts)]["name"]))
            assert names, f"no published name for {r.name}"
            src = _outside_host(r.from_addresses)[0]
            for name in names:
                address = ext_a[ext_a.name == name]["value"].iloc[0]
                target = f"{address}:{r.ports[0]}"
                ends = _final_servers(fronts, backs, target, name)
                front = next((f for f in fronts.values() if target in f["binds"]), None)
                tls = front is not None and (front["tls"] or any((ip, port) in tls_needed for _, ip, port in ends))
                probe = {"proto": "tls" if tls else "http" if front is not None and front["http"] else PROTO[r.protocol],
                         "name": name, "dns": ANY_HOST, "src": src,
                         "port": r.ports[0], "sni": name, "ca": _front_ca(plan, certs, front) if front and front["tls"] else _ca_of(plan, certs, stub_pem, ends),
                         "timeout": 3}
                trips.append((r, name, address, ends, probe))
        answers = lab.probe("inet", [t[-1] for t in trips], mode="resolve")
        pool_of = {(x["name"], x["ip"], x["port"]): cp.backend_pool(bn)
                   for bn, b in backs.items() for x in b["servers"]}
        down = {(x["name"], x["ip"], x["port"]) for bn, b in backs.items() for x in b["servers"]
                if (bn, x["name"]) in failing_in}
        confirmed, flows_confirmed = 0, set()
        for (r, name, address, ends, probe), got in zip(trips, answers):
            assert got["addresses"] == [address], (name, got)
            reply = got["reply"] or ""
            if ends is None:
                ok = reply.startswith(f"direct-{r.to} {address}:{r.ports[0]}") or \
                    reply.startswith(f"direct-{r.to} udp:{r.ports[0]}")
                reached = (r.to, r.protocol, r.ports[0])
            else:
                hit = [(n, ip, port) for n, ip, port in ends - down if reply.startswith(f"{n} {ip}:{port}")]
                ok = bool(hit)
                reached = (pool_of[hit[0]], "TCP", hit[0][2]) if hit else None
            # the hop-by-hop trace of the flows through the component reached says the same: that hop
            # receives that port (a shared listener serves several products: the name tells which)
            mine = [f for f in r.flows if ok and reached[0] in org.design.get("flows", f).path]
            if ok and not mine:
                why.append((r.name, "no flow of the permit passes", reached))
            for flow in mine:
                steps = {row["id"]: row["receives"] for row in trace_rows(org.design, flow)[0]}
                if re.search(rf"\b{reached[1]} {reached[2]}\b", steps[reached[0]]):
                    flows_confirmed.add(flow)
                else:
                    why.append((flow, "trace", reached, steps[reached[0]]))
            if not ok:
                why.append((r.name, r.flows, name, probe["proto"], reply))
            confirmed += ok
        assert not why, "\n".join(map(str, why))
        external_flows = {f for r in inbound for f in r.flows if not f.startswith("(")}
        assert flows_confirmed == external_flows and len(external_flows) >= 8

        # every listener (public and intranet addresses) and every SNI route, asked from the perimeter
        all_a = records[records.type == "A"]
        asks, translations = [], []
        client = sorted(internal)[0]
        for fname, f in sorted(fronts.items()):
            for bind in f["binds"]:
                ip, port = bind.rsplit(":", 1)
                names = sorted(set(all_a[all_a.value == ip]["name"]))
                if not names and f["tls"]:
                    # no name points at it (the VIP behind the reverse proxy): the proxy forwards its clients'
                    # host names, which the certificate the listener presents carries; HAProxy sends the host
                    # name on to the pool and verifies it there, so an address alone would be refused
                    names = [plan.loc[f["crt"], "subject"]]
                for name in names or [None]:
                    ends = _final_servers(fronts, backs, bind, name)
                    tls = f["tls"] or any((e_ip, e_port) in tls_needed for _, e_ip, e_port in ends)
                    ca = _front_ca(plan, certs, f) if f["tls"] else _ca_of(plan, certs, stub_pem, ends)
                    asks.append({"proto": "tls" if tls else "http" if f["http"] else "tcp", "src": client, "dst": ip, "port": int(port),
                                 "sni": name, "ca": ca, "timeout": 3})
                    translations.append((fname, bind, name, ends - down))
        wrong = []
        for (fname, bind, name, ends), reply in zip(translations, lab.probe("perim", asks)):
            if not any((reply or "").startswith(f"{n} {ip}:{port}") for n, ip, port in ends):
                wrong.append((fname, bind, name, reply))
        assert not wrong, "\n".join(map(str, wrong))
        assert {t[0] for t in translations} == set(fronts)  # every frontend was asked
        routes = {(f, n) for f, _, n, _ in translations if n in fronts[f]["sni"]}
        assert routes == {(f, n) for f, fr in fronts.items() for n in fr["sni"]}  # every SNI route taken

        # the release's TLS floor (releases.csv): where HAProxy ends TLS, a client offering only the version
        # below it gets the server's protocol-version alert, and one offering the floor itself gets through
        floor = tls_floor(org.design)
        below = {"TLSv1.2": "TLSv1.1", "TLSv1.3": "TLSv1.2"}.get(floor)
        floor_asks = [(a, t) for a, t in zip(asks, translations) if fronts[t[0]]["tls"]] if below else []
        for version in (below, floor) if below else ():
            replies = lab.probe("perim", [dict(a, tls_version=version) for a, _ in floor_asks])
            for (a, (fname, bind, name, ends)), reply in zip(floor_asks, replies):
                if version == below:
                    assert reply and "PROTOCOL_VERSION" in reply.upper(), (fname, version, reply)
                else:
                    assert any((reply or "").startswith(f"{n} {ip}:{port}") for n, ip, port in ends), (fname, reply)
        assert bool(floor_asks) == bool(below)  # a floor is proven on at least one terminating listener

        # persistence: source affinity keeps an intranet client on one server; round robin spreads
        spread = {}
        for fname, f in fronts.items():
            b = backs[f["default"]]
            if f["tls"] or len(b["servers"]) < 2 or any((s["ip"], s["port"]) in tls_needed for s in b["servers"]):
                continue
            address = next(a for a in f["binds"] if a.split(":")[0] in internal)
            ip, port = address.split(":")
            proto = "http" if f["http"] else "tcp"  # a layer-7 listener waits for a request
            replies = lab.probe("perim", [{"proto": proto, "src": ip, "dst": ip, "port": int(port), "timeout": 2}
                                          for _ in range(8)])
            spread[fname] = (b["balance"], {x.split()[0] for x in replies if x})

        # the probe port is what counts: close one server's probe port, keep its service ports open
        stopped = 0
        if probe_procs:
            (ip, check_port), proc = max(probe_procs.items())
            stop(proc)
            gone = {(bn, x["name"]) for bn, b in backs.items() for x in b["servers"]
                    if x["ip"] == ip and x["check_port"] == check_port}
            deadline = time.time() + 10
            while time.time() < deadline:
                time.sleep(0.3)
                after = {(r["pxname"], r["svname"]): r["status"] for r in _stats(sock)
                         if r["svname"] not in ("FRONTEND", "BACKEND")}
                if all(after[k].startswith("DOWN") for k in gone):
                    break
            assert {k for k, v in after.items() if v.startswith("DOWN")} == gone | expected_down, after
            service = next(x["port"] for b in backs.values() for x in b["servers"]
                           if x["ip"] == ip and (ip, x["port"]) not in tls_needed)
            [still] = lab.probe("perim", [{"proto": "tcp", "src": ip, "dst": ip, "port": service, "timeout": 2}])
            assert still and still.startswith(check_listeners[(ip, check_port)])  # the service itself still answers
            stopped = len(gone)
    for fname, (balance, seen) in spread.items():
        assert len(seen) == (1 if balance == "source" else 2), (fname, balance, seen)
    assert any(b == "source" for b, _ in spread.values()) and any(b == "roundrobin" for b, _ in spread.values())
    print(f"\n{org.scenario.name}: {len(translations)} listener/name pairs translated to the right pool port "
          f"({len(routes)} SNI routes), {len(fronts)} frontends, {len(state)} servers checked by their probes "
          f"({len(expected_down)} failing its HTTP probe as set up, {asked} asked by HTTP/1.1 probes with their certificate's "
          f"name as Host, {stopped} going down when their probe port "
          f"closed), {confirmed} of {len(trips)} published names reached the right backend through named and the "
          f"gateway, covering all {len(flows_confirmed)} external flows")
