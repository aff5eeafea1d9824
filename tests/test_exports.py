"""The export folder: what it holds, that each file is what its program reads, and that a
failed export never leaves a half-written folder or loses the previous one."""
import shutil
import subprocess

import dns.zone
import pytest

from officenet.edge import exports, files
from officenet.derive.addresses import AddressPlanError
from officenet.derive.organisation import organisation
from officenet.model.scenario import Scenario
from officenet.loading.scenario_file import load_scenario

from conftest import ROOT


@pytest.fixture(scope="module")
def fab(design):
    return organisation(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design))


@pytest.fixture(scope="module")
def texts(fab):
    return exports.export_texts(fab)


def test_export_holds_acls_zones_certificates_haproxy_and_scenario(texts):
    assert set(texts) == {
        "acl/gateway-cisco.acl", "acl/gateway-juniper.jcl", "acl/gateway-nftables.nft",
        "dns/external-fabrikam.com.zone", "dns/internal-fabrikam.com.zone", "dns/internal-corp.fabrikam.com.zone",
        "dns/directaccess-nrpt.ps1",
        "certificates/certificate-plan.txt", "certificates/certificate-plan.csv",
        "loadbalancer/haproxy.cfg", "findings.csv", "scenario.yaml", "README.txt"}


def test_acls_come_from_aerleon_for_each_platform(texts):
    cisco, juniper = texts["acl/gateway-cisco.acl"], texts["acl/gateway-juniper.jcl"]
    assert cisco.startswith("! $Id:$") and "ip access-list extended officenet-gateway-in" in cisco
    assert "firewall {" in juniper and "term in-directaccess-server-tcp-443" in juniper
    assert " permit tcp any host 203.0.113.30 eq 443" in cisco  # IP-HTTPS: the address da. resolves to only
    assert "VPN_GATEWAY" not in cisco and "vpn-gateway" not in cisco  # Fabrikam has no VPN


@pytest.mark.parametrize("name,origin", [("external-fabrikam.com.zone", "fabrikam.com"),
                                         ("internal-fabrikam.com.zone", "fabrikam.com"),
                                         ("internal-corp.fabrikam.com.zone", "corp.fabrikam.com")])
def test_zone_files_parse_back(texts, name, origin):
    zone = dns.zone.from_text(texts[f"dns/{name}"], origin=origin, relativize=True)
    names = {n.to_text() for n in zone.nodes}
    if name.startswith("external"):
        assert {"sip", "lyncdiscover", "da", "@"} <= names and "lyncdiscoverinternal" not in names
    elif origin == "fabrikam.com":
        assert {"lyncdiscoverinternal", "pool01"} <= names and "lyncdiscover" not in names
    else:
        assert "nls" in names


def test_haproxy_routes_the_reverse_proxy_names_by_sni(texts):
    cfg = texts["loadbalancer/haproxy.cfg"]
    assert "officewebapps" not in cfg  # Fabrikam has no Office Web Apps: one pool on the listener
    assert "bind 203.0.113.20:443" in cfg


def test_haproxy_file_passes_haproxy_check(fab, texts, tmp_path):
    if shutil.which("haproxy") is None:
        pytest.fail("haproxy is not installed: run 'make test', which installs it")
    from officenet.derive.lbconfig import CERT_DIR
    from pki import write_plan_certificates
    write_plan_certificates(exports.certificate_plan(fab.certificate_names()), tmp_path / "certs")
    path = tmp_path / "haproxy.cfg"
    path.write_text(texts["loadbalancer/haproxy.cfg"].replace(CERT_DIR, str(tmp_path / "certs")))
    result = subprocess.run(["haproxy", "-c", "-f", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_reference_haproxy_chooses_office_web_apps_by_server_name(design):
    cfg = organisation(design, Scenario.default_for(design)).haproxy()
    assert "use_backend be_lync_vip_443_owas_fe if { ssl_fc_sni -i officewebapps01.contoso.com }" in cfg


def test_write_replaces_a_previous_export_whole(fab, tmp_path):
    target = tmp_path / "fabrikam"
    target.mkdir()
    (target / "stale.txt").write_text("from an older export")
    written = exports.write_exports(fab, target)
    assert not (target / "stale.txt").exists() and all(p.exists() for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fabrikam"]  # no staging folder left


def test_failure_while_writing_keeps_the_previous_export(fab, design, tmp_path, monkeypatch):
    target = tmp_path / "fabrikam"
    exports.write_exports(fab, target)
    before = {p.relative_to(target): p.read_text() for p in target.rglob("*") if p.is_file()}
    calls = []

    def failing(path, text):
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        path.write_text(text)
    monkeypatch.setattr(files, "_write_text", failing)
    with pytest.raises(OSError, match="disk full"):
        exports.write_exports(organisation(design, Scenario()), target)
    after = {p.relative_to(target): p.read_text() for p in target.rglob("*") if p.is_file()}
    assert after == before and sorted(p.name for p in tmp_path.iterdir()) == ["fabrikam"]


def test_a_scenario_that_cannot_render_writes_nothing(design, tmp_path):
    small = organisation(design, Scenario.default_for(design).with_(public_network="192.0.2.0/28"))
    with pytest.raises(AddressPlanError, match="choose a larger network"):
        exports.write_exports(small, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_command_line_exports_a_scenario_and_reports_findings(tmp_path, capsys):
    code = exports.main([str(ROOT / "scenarios" / "fabrikam.yaml"), "--out", str(tmp_path / "fab")])
    out = capsys.readouterr().out
    assert code == 0 and "13 files" in out and "0 red, 1 amber" in out  # with the DirectAccess NRPT script
    assert (tmp_path / "fab" / "dns" / "external-fabrikam.com.zone").exists()


def test_command_line_bad_scenario_is_a_message_not_a_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("domain: not a domain\n")
    assert exports.main([str(bad), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "field 'domain'" in err and "Traceback" not in err and not (tmp_path / "x").exists()


def test_zone_serial_is_deterministic_follows_the_records_and_grows_at_each_export(fab, monkeypatch):
    import re
    import time

    def serials(texts):
        return {name: int(re.search(r"SOA \S+ \S+ (\d+) ", text).group(1)) for name, text in texts.items()
                if name.startswith("dns/") and name.endswith(".zone")}
    first = serials(exports.export_texts(fab))
    assert first == serials(exports.export_texts(fab))  # golden-safe: same records, same serial
    assert len(first) == 3 and len(set(first.values())) == 3 and min(first.values()) > 1  # each zone's own
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert exports.export_serial() == 1800000000  # reproducible builds
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = int(time.time())
    at_export = exports.export_serial()
    assert at_export >= before and exports.export_serial(42) == 42
    stamped = serials(exports.export_texts(fab, serial=at_export))
    assert set(stamped.values()) == {at_export}
    assert all(at_export > s for s in serials(exports.export_texts(fab, serial=before - 1)).values())
