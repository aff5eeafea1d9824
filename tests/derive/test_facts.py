"""One test per finding of the expert review (issue 11): each failed on the data before the fix."""
import csv
from pathlib import Path

import pytest

import officenet
from officenet.derive.apply import apply_scenario
from officenet.derive.checks import Context, run_checks
from officenet.loading.loader import load_rules
from officenet.derive.gateway import gateway_allow_list
from officenet.derive.routes import ports_for
from officenet.model.scenario import Scenario, ScenarioError

from helpers import edit


def org(design, **answers):
    scenario = Scenario.default_for(design).with_(**answers)
    derived = apply_scenario(design, scenario)
    return derived, scenario, Context(derived, scenario)


def found(design, check, **answers):
    derived, scenario, ctx = org(design, **answers)
    return [f for f in run_checks(derived, scenario, context=ctx) if f.check == check]


def permitted(ctx):
    return {pid for p in ctx.permits for pid in p.port_ids}


# 1 -----------------------------------------------------------------------------------
def test_client_access_to_mailbox_is_smtp_25_and_http_444(design):
    flow = design.get("flows", "exchange_cas_mailbox")
    ports = ports_for(design, [flow])
    assert {(p.protocol, p.port) for p in ports} == {("TCP", (25, 25)), ("TCP", (444, 444))}
    assert not [p for p in design.ports if p.port == (2525, 2525)]
    text = flow.description + " ".join(p.purpose for p in ports)
    assert "not supported" in text and "domain controllers" in text


# 2 -----------------------------------------------------------------------------------
def test_directaccess_defaults_follow_the_correction(design):
    rows_ = gateway_allow_list(design)["port rows"]
    assert rows_.str.contains("da_iphttps_443").any()
    for pid in ("da_esp_50", "da_ike_500", "da_teredo_3544", "da_6to4_41"):
        assert not rows_.str.contains(pid).any(), pid
    assert not (permitted(org(design)[2]) & {"da_esp_50", "da_ike_500", "da_teredo_3544", "da_6to4_41"})


@pytest.mark.parametrize("answer, ports", [
    ({"teredo": True}, {"da_teredo_3544"}), ({"six_to_four": True}, {"da_6to4_41"}),
    ({"directaccess_ipv6": True}, {"da_esp_50", "da_ike_500"}),
])
def test_a_scenario_chooses_the_directaccess_transitions(design, answer, ports):
    assert ports <= permitted(org(design, **answer)[2])


# 3 -----------------------------------------------------------------------------------
def test_federation_opens_the_av_edge_outbound_range(design):
    assert "edge_av_tcp_range" in permitted(org(design)[2])           # Contoso: federation on, range not asked
    assert "edge_av_tcp_range" not in permitted(org(design, federation=False)[2])
    assert not found(design, "federation_av_range")


def test_federation_without_the_range_is_found(design, data_copy):
    edit(data_copy, "ports", "edge_av_tcp_range", port="50000-50999")
    broken = officenet.load(data_copy)
    assert [f.subject for f in found(broken, "federation_av_range")] == ["federation"]


# 4 -----------------------------------------------------------------------------------
XMPP_ROWS = {("ports", "edge_xmpp_5269"), ("ports", "edge_int_xmpp_23456"), ("dns_records", "ext_xmpp_srv"),
             ("dns_records", "ext_xmpp"), ("certificates", "edge_xmpp"), ("certificates", "edge_root_domain")}


def _have(design):
    return {(t, r.id) for t, _ in XMPP_ROWS for r in getattr(design, t)}


def test_xmpp_is_one_choice_for_ports_dns_and_certificates(design):
    assert design.get("ports", "edge_xmpp_5269").optional and design.get("ports", "edge_int_xmpp_23456").optional
    without, _, ctx = org(design)
    assert not (_have(without) & XMPP_ROWS) and "edge_xmpp_5269" not in permitted(ctx)
    with_, _, ctx = org(design, xmpp=True)
    assert XMPP_ROWS <= _have(with_) and "edge_xmpp_5269" in permitted(ctx)
    root = design.get("certificates", "edge_root_domain")
    assert (root.certificate, root.name) == ("edge_external", "{domain}")


# 5 -----------------------------------------------------------------------------------
def test_spf_names_every_address_that_sends_on_25(design):
    derived, scenario, ctx = org(design, mail="direct")
    spf = ctx.records[(ctx.records["type"] == "TXT") & ctx.records["value"].str.startswith("v=spf1")]
    assert len(spf) == 1
    value = spf["value"].iloc[0]
    senders = {a for p in ctx.permits if p.direction == "outbound" and p.protocol == "TCP" and p.ports == (25, 25)
               for a in p.from_addresses}
    assert senders and all(f"ip4:{a.removesuffix('/32')}" in value for a in senders), value
    assert not found(design, "spf_senders", mail="direct") and not found(design, "spf_senders")


def test_spf_without_eop_when_mail_goes_through_eop_is_found(design, data_copy):
    edit(data_copy, "dns_records", "ext_spf", value="v=spf1 -all")
    assert found(officenet.load(data_copy), "spf_senders")


# 6 -----------------------------------------------------------------------------------
def test_nrpt_resolves_the_internal_only_names_through_the_tunnel(design):
    from officenet.derive.dns import nrpt_table
    derived, scenario, ctx = org(design)
    table = nrpt_table(derived, scenario.domain, scenario.internal_namespace)
    assert {"teams.contoso.com", "intranet.contoso.com", "my.contoso.com"} <= set(table.attrs["through_tunnel"])
    exempt = set(table[table["kind"] == "exemption"]["namespace"])
    assert {"da.contoso.com", "nls.corp.contoso.com", "sip.contoso.com", "lyncdiscover.contoso.com"} <= exempt
    assert not found(design, "nrpt_split_brain")


def test_a_missing_nrpt_rule_is_found(design, data_copy):
    edit(data_copy, "nrpt_rules", "nrpt_domain", namespace="www.{domain}")  # the split-brain rule gone
    edit(data_copy, "nrpt_rules", "nrpt_nls", kind="rule")                   # the NLS no longer exempt
    subjects = {f.detail.split()[0] for f in found(officenet.load(data_copy), "nrpt_split_brain")}
    assert {"teams.contoso.com", "nls.corp.contoso.com"} <= subjects


@pytest.mark.parametrize("notebook", ["02-remote-access.ipynb", "03-dns.ipynb"])
def test_notebooks_show_the_nrpt(notebook):
    from conftest import ROOT
    assert "nrpt_table" in (ROOT / "notebooks" / notebook).read_text(encoding="utf-8")


# 7 -----------------------------------------------------------------------------------
@pytest.mark.parametrize("side", ["int", "ext"])
def test_lync_web_needs_layer7_with_mobile_clients(design, side):
    layer7 = design.get("lb_rules", f"lync_web_{side}_layer7")
    layer4 = design.get("lb_rules", f"lync_web_{side}_layer4")
    assert layer7.status == "required" and "mobile" in layer7.reason
    assert layer4.status != "required"
    assert {v.layer for v in design.vip_services if v.vip.startswith(f"lync_web_{side}")} == {"7"}


# 8 -----------------------------------------------------------------------------------
def test_the_reverse_proxy_sentence_is_about_lync_clients(design):
    c = design.get("corrections", "er_owas_exchange")
    assert c.kind != "erratum" and "Lync clients" in c.correct and "EWS" in c.correct
    rule = {r.id: r for r in load_rules()}["owas_for_exchange"]
    assert "Lync clients" in rule.reason and "EWS" in rule.reason


# 9 -----------------------------------------------------------------------------------
def test_one_exchange_namespace_at_layer4_is_a_choice_with_its_limit(design):
    from officenet.model.vocabulary import choices
    assert choices(design).load_balancing["exchange_cas"] == ("layer4", "layer7", "layer4_per_protocol")
    assert Scenario.default_for(design, load_balancing={"exchange_cas": "layer4_per_protocol"}) \
        .load_balancing["exchange_cas"] == "layer4_per_protocol"
    assert "healthcheck.htm" in design.get("lb_rules", "exchange_layer4").reason
    assert "per protocol" not in design.get("vip_services", "ex_443").probe


# 10 ----------------------------------------------------------------------------------
def test_every_port_into_a_vip_has_a_listener(design):
    listeners = {(v.component, v.protocol, v.listener_port[0]) for v in design.vip_services if v.component}
    vips = {c for c, _, _ in listeners}
    missing = [p.id for p in design.ports if p.to in vips and (p.to, p.protocol, p.port[0]) not in listeners]
    assert missing == []
    assert not found(design, "vip_port_mismatch", pop_imap=True)


def test_a_port_into_a_vip_without_listener_is_found(design, data_copy):
    edit(data_copy, "vip_services", "ex_995", listener_port="996", backend_port="996")
    assert any("995" in f.detail for f in found(officenet.load(data_copy), "vip_port_mismatch"))


def test_office_web_apps_affinity_is_the_same_on_every_vip(design):
    assert {v.persistence for v in design.vip_services if v.backend == "owas_fe"} == {"client"}


# 11 ----------------------------------------------------------------------------------
def test_tmg_uag_isa_are_out_of_support_wherever_offered(design):
    for r in design.remote_access:
        if r.option == "uag":
            assert r.status in ("not_recommended", "not_supported") and "out of support" in r.reason
    assert found(design, "reverse_proxy_out_of_support", reverse_proxy="tmg")
    assert found(design, "reverse_proxy_out_of_support", reverse_proxy="uag", products=("sharepoint", "exchange"))
    assert "out of support" in {r.id: r for r in load_rules()}["uag_for_lync"].reason  # UAG with Lync
    assert not found(design, "reverse_proxy_out_of_support", reverse_proxy="iis_arr")
    text = " ".join(r.reason + r.fix for r in load_rules()) + " ".join(r.reason for r in design.remote_access)
    for name in ("TMG", "ISA"):
        assert all("out of support" in part for part in text.split(".") if name in part), name


def test_vpn_protocols_with_status_and_ports(design):
    protocols = {v.id: v for v in design.vpn_protocols}
    assert set(protocols) == {"ikev2", "sstp", "l2tp_ipsec", "pptp"}
    spec = lambda v: {(design.get("ports", p).protocol, design.get("ports", p).port[0]) for p in v.ports}
    assert spec(protocols["sstp"]) == {("TCP", 443)}
    assert spec(protocols["l2tp_ipsec"]) == {("UDP", 500), ("UDP", 4500), ("IP", 50)}
    assert spec(protocols["pptp"]) == {("TCP", 1723), ("IP", 47)}
    assert protocols["pptp"].status == "not_recommended"
    ctx = org(design, vpn_protocols=("sstp",))[2]
    assert "vpn_sstp_443" in permitted(ctx) and "vpn_ike_500" not in permitted(ctx)
    assert found(design, "vpn_protocol_status", vpn_protocols=("ikev2", "pptp"))
    with pytest.raises(ScenarioError):
        Scenario(vpn_protocols=("openvpn",)).checked(design)


# Review of issue 22 -----------------------------------------------------------------------
SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources.csv"
# Community pages whose only address is plain HTTP (the stored copies have no https address).
HTTP_ONLY = {"X-HC", "SP-DC"}


def test_every_source_has_an_https_address():
    """A reader follows a source's address; a repository path alone is not one (SP-OIDC had only that)."""
    rows = list(csv.DictReader(SOURCES.open(encoding="utf-8")))
    missing = [r["key"] for r in rows
               if r["key"] != "OFFICENET" and r["key"] not in HTTP_ONLY and "https://" not in r["location"]]
    assert missing == []
    plain = {r["key"] for r in rows if r["location"].startswith("http://")}
    assert plain == HTTP_ONLY and {r["confidence"] for r in rows if r["key"] in plain} == {"M"}
    oidc = next(r for r in rows if r["key"] == "SP-OIDC")["location"]
    assert oidc.startswith("https://learn.microsoft.com/sharepoint/security-for-sharepoint-server/"
                           "set-up-oidc-auth-in-sharepoint-server-with-msaad")


@pytest.mark.parametrize("release, hosts", [
    ("2013", {"sharepoint_fe", "lync_pool"}),
    ("current", {"sharepoint_fe", "lync_pool", "exchange_mailbox"})])
def test_the_farm_calls_back_to_each_host_over_https(release, hosts):
    """OWAS / OOS-PLAN, topology planning: the firewall lets the farm initiate HTTP(S) requests to its
    hosts. Each host is reached from the farm on TCP 443 through the VIP of the host's own web name."""
    d = officenet.load(release=release)
    back = [f for f in d.flows if f.path[0] == "owas_fe" and f.path[-1] != "owas_fe"]
    assert {f.path[-1] for f in back} == hosts
    for f in back:
        ports = ports_for(d, [f])
        assert ports and {(p.protocol, p.port) for p in ports} == {("TCP", (443, 443))}
        assert all(("OWAS" if release == "2013" else "OOS-PLAN") in p.source for p in ports)
    key = "owas_farm_calls_hosts" if release == "2013" else "oos_farm_calls_hosts"
    assert d.get("requirements", key).status == "held"


def test_the_callbacks_cross_the_internal_firewall_not_the_gateway(design):
    """The farm sits on the intranet and the SharePoint VIP in the perimeter: the zone-pair view shows the
    callback at the internal firewall (Intranet to Perimeter), and no gateway permit carries it."""
    from officenet.derive.gateway_views import zone_pair_matrix
    matrix = zone_pair_matrix(design)
    assert "TCP 443" in matrix.loc["Intranet → Perimeter", "Office Web Apps"]
    from officenet.derive.gateway import permits
    carried = {f for p in permits(design) for f in p.flows}
    assert carried and not {"owas_sharepoint_callback", "owas_lync_callback"} & carried


@pytest.mark.parametrize("release", ["2013", "current"])
def test_centralized_logging_is_not_optional_at_the_edge(release):
    """L-EDGEPORT and SFB-EDGE list TCP 50001-50003 to the Edge's internal interface without condition."""
    row = officenet.load(release=release).get("ports", "edge_int_cls_50001")
    assert not row.optional and row.port == (50001, 50003)
    assert "L-EDGEPORT" in row.source and "SFB-EDGE" in row.source
