"""The exports on the real programs: BIND (named-checkzone, named with two views), nftables in a
gateway namespace between an Internet and a perimeter namespace, HAProxy with stub pools, end to
end from a client on the Internet, and the Cisco and Juniper text through a real parser.

Every expectation comes from the library's own tables (the allow list, records(), the VIP
services), so the tests follow the data. Without root or network namespaces they skip with the
reason; namespaces and processes have unique names and are removed even when a test fails."""
from __future__ import annotations

import ipaddress
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
from officenet.firewall import permits
from officenet.organisation import organisation
from officenet.scenario import load_scenario

from conftest import ROOT
from realnet import Lab, missing_requirements

SCENARIOS = ("contoso", "fabrikam")
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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def expected_rdata(row) -> str:
    from officenet.dns import _rdata_text
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
    proc = subprocess.Popen(["timeout", "120", "named", "-g", "-n", "1", "-c", str(conf)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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
        proc.kill()
        proc.wait(10)


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
