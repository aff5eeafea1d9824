"""The test organisation of the issue: fabrikam.com, DirectAccess for roaming employees,
no Office Web Apps. Findings, gateway ports, DNS records and certificate names, asserted."""
import pytest

from officenet.derive.organisation import organisation
from officenet.loading.scenario_file import load_scenario

from conftest import ROOT


@pytest.fixture(scope="module")
def fab(design):
    return organisation(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design))


def test_findings_are_one_warning_about_lync_through_directaccess(fab):
    assert [(f.check, f.severity, f.subject) for f in fab.findings()] == [
        ("lync_via_tunnel", "warning", "remote_access.lync")]
    light = fab.stoplight()
    assert light.loc["lync_via_tunnel", "light"] == "amber"
    assert set(light.drop(index="lync_via_tunnel")["light"]) == {"green"}


def test_gateway_ports(fab):
    allow = fab.allow_list()
    inbound = {(r.protocol, r.ports, r.to) for r in allow[allow.direction == "inbound"].itertuples()}
    # DirectAccess: IP-HTTPS always; the Edge keeps partners and anonymous users; no VPN, no OWAS.
    assert ("TCP", "443", "DirectAccess") in inbound
    assert {("TCP", "5061", "Lync Edge"), ("UDP", "3478", "Lync Edge"), ("TCP", "443", "Lync VIP"),
            ("TCP", "443", "SharePoint VIP"), ("TCP", "443", "Exchange VIP"), ("TCP", "25", "Exchange VIP")} <= inbound
    assert not [r for r in allow.itertuples() if "VPN" in r.to or "VPN" in r._6]
    assert "Office Web Apps" not in " ".join(allow["traffic type"])
    da = allow[allow.to == "DirectAccess"]
    assert set(da["to address"]) == {"203.0.113.30"}  # IP-HTTPS to the address da. resolves to; no Teredo


def test_dns_records(fab):
    records = fab.records()
    ext = set(records[records.view == "external"].name)
    intr = set(records[records.view == "internal"].name)
    assert {"sip.fabrikam.com", "webcon.fabrikam.com", "av.fabrikam.com", "lyncdiscover.fabrikam.com",
            "webext.fabrikam.com", "meet.fabrikam.com", "dial.fabrikam.com", "mail.fabrikam.com",
            "autodiscover.fabrikam.com", "partnerweb.fabrikam.com", "da.fabrikam.com"} <= ext
    assert {"lyncdiscoverinternal.fabrikam.com", "pool01.fabrikam.com", "nls.corp.fabrikam.com"} <= intr
    assert "lyncdiscover.fabrikam.com" not in intr and "lyncdiscoverinternal.fabrikam.com" not in ext
    assert not any("officewebapps" in n or n.startswith("vpn.") for n in ext | intr)


def test_certificate_names(fab):
    names = fab.certificate_names()
    on = names[names.role != "none"]
    rp = set(on[on.certificate == "reverse_proxy"].name)
    assert rp == {"webext.fabrikam.com", "dial.fabrikam.com", "meet.fabrikam.com", "lyncdiscover.fabrikam.com"}
    # Fabrikam answers no XMPP: no xmpp name and no root domain on the Edge (er_xmpp_optional)
    assert set(on[on.certificate == "edge_external"].name) == {"sip.fabrikam.com", "webcon.fabrikam.com"}
    assert set(on[on.certificate == "directaccess_iphttps"].name) == {"da.fabrikam.com"}
    assert "owas" not in set(on.certificate) and "vpn" not in set(on.certificate)
