"""The definite errors of issue 20, each read from the exported files of contoso and fabrikam.

Every test here failed on the export before its fix (the commit that added it says how it was
seen failing): a client's name missing from a certificate, a rule missing from the gateway, a
layer-4 listener where layer 7 is required, an NRPT that sends Lync the wrong way.
"""
import ipaddress
import re

import dns.zone
import pandas as pd
import pytest

from officenet.edge import exports
from officenet.derive.gateway import permits
from officenet.derive.organisation import organisation
from officenet.loading.scenario_file import load_scenario

from conftest import ROOT

SCENARIOS = ("contoso", "fabrikam")


@pytest.fixture(scope="module", params=SCENARIOS)
def org(request, design):
    return organisation(design, load_scenario(ROOT / "scenarios" / f"{request.param}.yaml", design))


@pytest.fixture(scope="module")
def texts(org):
    return exports.export_texts(org, serial=1)


def plan_of(texts) -> pd.DataFrame:
    from io import StringIO
    return pd.read_csv(StringIO(texts["certificates/certificate-plan.csv"]), keep_default_na=False).set_index("certificate")


def sans(plan, cert) -> list[str]:
    return [n for n in plan.loc[cert, "subject alternative names"].split("; ") if n]


def zone_names(texts, view, origin) -> set[str]:
    zone = dns.zone.from_text(texts[f"dns/{view}-{origin}.zone"], origin=origin, relativize=False)
    return {n.to_text().rstrip(".") for n in zone.nodes}


# --- 1. every name a client uses is a SAN, the subject included ------------------------------------


def test_every_subject_is_repeated_as_a_subject_alternative_name(texts):
    plan = plan_of(texts)
    missing = {cert: row["subject"] for cert, row in plan.iterrows() if row["subject"] not in sans(plan, cert)}
    assert not missing, f"clients ignore the CN once a SAN list exists (RFC 6125 6.4.4): {missing}"


def test_the_sharepoint_intranet_name_is_on_its_certificate(org, texts):
    plan = plan_of(texts)
    d = org.scenario.domain
    assert {f"intranet.{d}", f"teams.{d}", f"my.{d}"} <= set(sans(plan, "sharepoint_intranet"))


# --- 2. the Lync pool's certificates carry the pool and the servers --------------------------------


def test_lync_default_and_web_internal_certificates_carry_pool_and_server_names(org, texts):
    plan, d = plan_of(texts), org.scenario.domain
    servers = {f"fe01.{d}", f"fe02.{d}"}
    assert {f"pool01.{d}"} | servers <= set(sans(plan, "lync_default"))
    assert {f"pool01.{d}", f"webint.{d}"} | servers <= set(sans(plan, "lync_web_internal"))
    # and each server name resolves on the intranet, to that server's address
    assert servers <= zone_names(texts, "internal", d)


# --- 6. the Lync web VIPs balance each request (layer 7) ------------------------------------------


def frontend_blocks(cfg: str) -> dict[str, str]:
    return dict(re.findall(r"^frontend fe_(\S+)\n(.*?)(?=^\S|\Z)", cfg, re.M | re.S))


@pytest.mark.parametrize("listener", ["lync_web_ext_vip_4443", "lync_web_ext_vip_8080", "lync_web_int_vip_80",
                                      "lync_web_int_vip_443"])
def test_lync_web_vips_run_at_layer_7(texts, listener):
    fronts = frontend_blocks(texts["loadbalancer/haproxy.cfg"])
    assert listener in fronts, sorted(fronts)
    assert "    mode http\n" in fronts[listener]  # the defaults say tcp: layer 4
    assert "prefer-last-server" not in texts["loadbalancer/haproxy.cfg"].replace("option prefer-last-server stays off", "")


def test_the_external_web_vip_bridges_tls_with_the_pools_web_external_certificate(texts):
    front = frontend_blocks(texts["loadbalancer/haproxy.cfg"])["lync_web_ext_vip_4443"]
    assert "ssl crt /etc/haproxy/certs/lync_web_external.pem" in front


# --- 3. the servers that must reach the Internet get out -------------------------------------------


def nft_rules(texts) -> list[str]:
    return [l.strip() for l in texts["acl/gateway-nftables.nft"].splitlines() if l.strip().endswith("accept")]


def address_of(org, row_id) -> str:
    from officenet.derive.addresses import address_plan
    plan = address_plan(org.design, org.scenario.public_network, org.scenario.internal_network)
    return next(row.address for row in plan if row.id == row_id)


def test_the_intranet_resolvers_and_exchange_reach_the_internet(org, texts):
    rules = nft_rules(texts)
    resolver = address_of(org, "resolver_nat")
    for proto in ("udp", "tcp"):
        assert any(f"oifname \"outside\" ip saddr {resolver}/32 {proto} dport 53" in r for r in rules), proto
    exchange = address_of(org, "smtp_outbound")
    assert any(f"ip saddr {exchange}/32 tcp dport 443" in r for r in rules)  # federated sharing
    assert any(f"ip saddr {exchange}/32 tcp dport 80" in r for r in rules)  # revocation checks


def test_the_exchange_dns_row_of_the_vendor_table_is_held(design):
    [row] = [r for r in design.vendor_rows if r.id == "x_dns"]
    assert "ports:resolver_dns_udp_53" in row.held_in and not row.left_out


# --- 4. the public name servers answer, and there are two ------------------------------------------


def test_every_public_name_server_gets_dns_in_and_there_are_two(org, texts):
    d = org.scenario.domain
    zone = dns.zone.from_text(texts[f"dns/external-{d}.zone"], origin=d, relativize=False)
    servers = {r.target.to_text().rstrip(".") for r in zone.find_rdataset(d + ".", "NS")}
    addresses = {zone.find_rdataset(s + ".", "A")[0].address for s in servers}
    assert len(servers) >= 2 and len(addresses) >= 2  # RFC 2182 5
    rules = nft_rules(texts)
    for a in addresses:
        for proto in ("udp", "tcp"):
            assert any(re.search(rf"iifname \"outside\" ip daddr \{{[^}}]*\b{re.escape(a)}/32\b[^}}]*\}} {proto} dport 53 ", r)
                       or f"ip daddr {a}/32 {proto} dport 53 " in r for r in rules), (a, proto)


# --- 5. DirectAccess: each transition only where it belongs ---------------------------------------


def da_permits(org):
    return [r for r in permits(org.design, *org.gateway()) if "directaccess_server" in (r.from_, r.to)]


def test_ip_https_goes_only_to_the_address_its_name_resolves_to(org, texts):
    d = org.scenario.domain
    zone = dns.zone.from_text(texts[f"dns/external-{d}.zone"], origin=d, relativize=False)
    iphttps = zone.find_rdataset(f"da.{d}.", "A")[0].address
    [row] = [r for r in da_permits(org) if "da_iphttps_443" in r.port_ids]
    assert row.to_addresses == (f"{iphttps}/32",)


def test_the_teredo_address_appears_only_with_teredo(org):
    assert not org.scenario.teredo and not org.scenario.six_to_four
    second = address_of(org, "da_teredo")
    used = {a for r in permits(org.design, *org.gateway()) for a in (r.to_addresses or ()) + (r.from_addresses or ())}
    assert not any(ipaddress.ip_address(second) in ipaddress.ip_network(a) for a in used)


@pytest.fixture(scope="module")
def ipv6_da(design):
    from dataclasses import replace
    s = load_scenario(ROOT / "scenarios" / "contoso.yaml", design)
    return organisation(design, replace(s, directaccess_ipv6=True, teredo=True))


def test_directaccess_on_the_ipv6_internet_opens_esp_ike_icmpv6_on_ipv6_only(ipv6_da):
    rows = {tuple(r.port_ids): r for r in da_permits(ipv6_da)}
    v6 = [r for r in da_permits(ipv6_da) if {"da_esp_50", "da_ike_500", "da_icmpv6_58"} & set(r.port_ids)]
    assert {p for r in v6 for p in r.port_ids} == {"da_esp_50", "da_ike_500", "da_icmpv6_58"}, rows
    for r in v6:
        ends = r.to_addresses if r.direction == "inbound" else r.from_addresses
        assert ends and all(ipaddress.ip_network(a).version == 6 for a in ends), (r.name, ends)
    texts = ipv6_da.acls()
    da_v4 = (address_of(ipv6_da, "da_public"), address_of(ipv6_da, "da_teredo"))
    rules = [l for l in texts["nftables"].splitlines() if l.strip().endswith("accept")]
    assert any("ip6 daddr 2001:db8:113::30/128 meta l4proto esp" in l for l in rules)
    wrong = [l for l in rules if any(a in l for a in da_v4) and ("esp" in l or "icmpv6" in l or "dport 500" in l)]
    assert not wrong


# --- 7. one statement of where NAT happens, and three platforms matching the same packets ----------


def test_the_export_states_where_nat_happens_and_every_platform_matches_the_translated_source(org, texts):
    readme = texts["README.txt"]
    assert "Where NAT happens" in readme and "nat_where" in readme
    translated = address_of(org, "smtp_outbound")
    # the same source on the three platforms: the address the internal firewall translates to
    assert f"oifname \"outside\" ip saddr {translated}/32" in texts["acl/gateway-nftables.nft"]
    assert f"permit tcp host {translated} " in texts["acl/gateway-cisco.acl"]
    assert f"{translated}/32;" in texts["acl/gateway-juniper.jcl"]
    nat = next(d for d in org.design.export_decisions if d.id == "nat_where")
    assert "postrouting" in nat.reason and nat.source


# --- 8. Lync over DirectAccess: no Lync exemption, and the check catches one -----------------------


def test_lync_over_directaccess_keeps_no_lync_exemption(org, texts):
    lync_tunnel = org.scenario.remote_access.get("lync") == "directaccess"
    exempt_lync = [r.id for r in org.design.nrpt_rules if r.product == "lync" and r.kind == "exemption"]
    assert bool(exempt_lync) != lync_tunnel or not org.design.nrpt_rules
    if lync_tunnel:  # fabrikam: the applied script resolves sip. through the tunnel, as the ACL comments say
        script = texts["dns/directaccess-nrpt.ps1"]
        assert f"'sip.{org.scenario.domain}'" not in script
        da_flows = org.allow_list().loc["in-directaccess-server-tcp-443", "flows"]
        assert "roaming_lync_web_via_directaccess" in da_flows  # what the ACL comments say: Lync in the tunnel


def test_the_nrpt_check_catches_lync_exemptions_when_lync_goes_through_directaccess(design):
    from dataclasses import replace
    from officenet.derive.checks import Context, run_checks
    fab = organisation(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design))
    assert not [f for f in fab.findings() if f.check == "nrpt_split_brain"]
    # the NRPT as it was before the fix: every Lync exemption kept
    lync_rows = tuple(r for r in design.nrpt_rules if r.product == "lync" and r.id not in ("nrpt_xmpp", "nrpt_xmpp_srv"))
    broken = replace(fab.design, nrpt_rules=fab.design.nrpt_rules + lync_rows)
    found = [f for f in run_checks(broken, fab.scenario, context=Context(broken, fab.scenario))
             if f.check == "nrpt_split_brain"]
    items = [f.detail for f in found]
    assert any(f"sip.{fab.scenario.domain} is exempt" in i for i in items), items


def test_the_nrpt_export_is_a_script_of_microsoft_cmdlets(design):
    fab = organisation(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design))
    script = exports.export_texts(fab, serial=1)["dns/directaccess-nrpt.ps1"]
    adds = [l for l in script.splitlines() if l.startswith("Add-DAClientDnsConfiguration")]
    assert len(adds) == len(fab.design.nrpt_rules)
    rules = [l for l in adds if "-DnsIPAddress" in l]
    assert {"'corp.fabrikam.com'", "'fabrikam.com'"} <= {re.search(r"-DnsSuffix ('[^']+')", l).group(1) for l in rules}
    assert any("'nls.corp.fabrikam.com'" in l and "-DnsIPAddress" not in l for l in adds)  # an exemption
    assert "param(" in script and "[Parameter(Mandatory = $true)][string[]]$DnsIPAddress" in script


# --- missing items built --------------------------------------------------------------------------


def test_dkim_and_dmarc_records_are_published_with_eop(org, texts):
    d = org.scenario.domain
    zone = dns.zone.from_text(texts[f"dns/external-{d}.zone"], origin=d, relativize=False)
    token = d.replace(".", "-")
    for n in (1, 2):
        [cname] = zone.find_rdataset(f"selector{n}._domainkey.{d}.", "CNAME")
        assert cname.target.to_text().startswith(f"selector{n}-{token}._domainkey.")
    [dmarc] = zone.find_rdataset(f"_dmarc.{d}.", "TXT")
    assert b"".join(dmarc.strings).startswith(b"v=DMARC1; p=")


def test_inbound_filters_drop_spoofed_sources_and_every_deny_logs(texts):
    cisco = texts["acl/gateway-cisco.acl"]
    assert " deny ip 10.0.0.0 0.255.255.255 any log" in cisco  # RFC 2827
    denies = [l for l in cisco.splitlines() if l.startswith(" deny ")]
    assert denies and all(l.endswith(" log") for l in denies)
    assert "log prefix" in texts["acl/gateway-nftables.nft"] and "syslog;" in texts["acl/gateway-juniper.jcl"]


def test_every_left_out_requirement_and_decision_is_in_the_readme_with_its_source(org, texts):
    readme = texts["README.txt"]
    for d in org.design.export_decisions:
        assert f"  {d.id}: " in readme and d.source
    assert {"ecp_powershell_external", "rp_crl_egress", "da_crl_egress", "owas_vip"} <= {
        d.id for d in org.design.export_decisions if d.kind == "left_out"}
