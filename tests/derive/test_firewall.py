"""The gateway allow-list, its options and addresses, and the ACLs aerleon renders from it."""
import ipaddress
import re

import pytest

import officenet
from officenet.derive import gateway, gateway_views
from officenet.derive.acls import AclExportError, generate, render_acls
from officenet.edge.exports import write_acls
from officenet.derive.addresses import gateway_addresses
from officenet.model.errors import DesignError

from conftest import ROOT, check_golden
from helpers import edit


def addr(design, component):
    """The placeholder public address of a component (first of a pair)."""
    return gateway_addresses(design)[component][0].split("/")[0]


def cisco_net(design, component):
    """How Cisco writes the first address object of a component: 'host a.b.c.d' or 'a.b.c.d wildcard'."""
    net = ipaddress.ip_network(gateway_addresses(design)[component][0])
    return f"host {net.network_address}" if net.prefixlen == 32 else f"{net.network_address} {net.hostmask}"


def permit_ids(frame):
    return set(frame.index)


# --- which rows cross the gateway ----------------------------------------------

def test_only_rows_with_the_gateway_inside_their_span_cross(design):
    crossing = {c.port.id for c in gateway.gateway_crossings(design)}
    # serves roaming Lync SIP flows, but runs Edge <-> pool behind the gateway
    assert "edge_int_sip_5061" not in crossing
    assert "ex_vip_cas_443" not in crossing and "sp_sql_1433" not in crossing
    assert {"edge_access_443", "sp_ext_443", "ex_smtp_in_25", "ex_smtp_out_25", "da_iphttps_443"} <= crossing
    # every crossing row has one end outside and one inside
    for c in gateway.gateway_crossings(design):
        assert design.is_outside(c.port.from_) != design.is_outside(c.port.to), c.port.id


def test_edge_initiated_rows_without_a_flow_are_own_traffic(design):
    own = {c.port.id: c.own_traffic_of for c in gateway.gateway_crossings(design) if c.own_traffic_of}
    assert own == {"edge_av_tcp_range": "lync_edge", "edge_crl_80": "lync_edge",
                   "edge_dns_tcp_53": "lync_edge", "edge_dns_udp_53": "lync_edge",
                   # the name servers the poster does not draw stand as their zone (issue 20)
                   "dns_public_udp_53": "perimeter", "dns_public_tcp_53": "perimeter",
                   "resolver_dns_udp_53": "internal", "resolver_dns_tcp_53": "internal",
                   "ex_federation_443": "exchange_mailbox", "ex_crl_80": "exchange_mailbox"}


def test_a_server_with_its_own_way_out_is_not_behind_the_gateway(design, data_copy):
    assert gateway.behind_gateway(design, "lync_edge")
    with open(data_copy / "links.csv", "a", encoding="utf-8") as fh:
        fh.write("edge_bypass,lync_edge,partner_companies,A second uplink that bypasses the gateway,OFFICENET\n")
    bypass = officenet.load(data_copy)
    assert not gateway.behind_gateway(bypass, "lync_edge")
    assert "edge_crl_80" not in {c.port.id for c in gateway.gateway_crossings(bypass)}


def test_every_optional_crossing_row_belongs_to_an_option(design):
    listed = {p for o in design.gateway_options for p in o.ports}
    optional = {c.port.id for c in gateway.gateway_crossings(design) if c.port.optional}
    assert optional == listed


# --- the allow-list -------------------------------------------------------------

def test_default_allow_list_follows_the_poster(design):
    allow = gateway.gateway_allow_list(design)
    assert allow["action"].eq("permit").all()
    rows = allow["port rows"]
    assert rows.str.contains("edge_av_tcp_range").any()        # optional on the poster: on
    assert rows.str.contains("ex_imap4s_993").any()            # POP/IMAP on the poster: on
    assert not rows.str.contains("rp_lync_80|ex_ext_80").any()  # HTTP 80 not on the poster: off
    assert not rows.str.contains("da_teredo_3544|da_6to4_41").any()
    # IP-HTTPS is the DirectAccess default on the IPv4 Internet; ESP and IKE only on IPv6 (er_da_ports)
    assert rows.str.contains("da_iphttps_443").any() and not rows.str.contains("da_esp_50|da_ike_500").any()


def test_two_way_ports_give_both_directions(design):
    allow = gateway.gateway_allow_list(design)
    assert {"in-lync-edge-tcp-5061", "out-lync-edge-tcp-5061"} <= permit_ids(allow)
    inbound = allow.loc["in-lync-edge-tcp-5061"]
    outbound = allow.loc["out-lync-edge-tcp-5061"]
    assert (inbound["from"], inbound["to"]) == ("Partner companies", "Lync Edge")
    assert (outbound["from"], outbound["to"]) == ("Lync Edge", "Partner companies")
    # one-way SharePoint 443 is inbound only: the "out" half is return traffic (co_sp_inout)
    assert "in-sharepoint-vip-tcp-443" in allow.index
    assert not any(i.startswith("out-sharepoint-vip") for i in allow.index)


def test_permits_merge_rows_to_the_same_listener_and_keep_flows_and_sources(design):
    row = gateway.gateway_allow_list(design).loc["in-lync-edge-tcp-443"]
    assert row["port rows"] == "edge_access_443, edge_webconf_443, edge_av_tcp_443"
    assert "partner_lync_federation" in row["flows"] and "roaming_lync_media" in row["flows"]
    assert row["traffic type"] == "Lync SIP, Lync media and conferencing"
    assert row["source"].startswith("L-EDGEPORT")
    assert row["to address"] == gateway.address_text(gateway_addresses(design)["lync_edge"])
    assert row["from address"] == "any"


def test_optional_permits_name_their_option_and_own_traffic_says_so(design):
    allow = gateway.gateway_allow_list(design)
    av = allow.loc["out-lync-edge-tcp-50000-59999"]
    assert av["option"] == "av_range" and av["flows"] == "(opened by Lync Edge: no flow)"
    assert allow.loc["in-exchange-vip-tcp-993", "option"] == "pop_imap"
    assert allow.loc["in-exchange-vip-tcp-443", "option"] == ""


def test_eop_is_the_mail_peer(design):
    # EOP's networks are the IPv4 rows of the dated snapshot eop_ranges.csv, nothing typed here
    eop = ", ".join(r.network for r in design.eop_ranges if ":" not in r.network)
    assert eop.startswith("40.92.0.0/15")
    allow = gateway.gateway_allow_list(design)
    smtp_in = allow.loc["in-exchange-vip-tcp-25"]
    assert smtp_in["from"] == "Mail hosts / EOP" and smtp_in["from address"] == eop
    assert "partner_smtp" in smtp_in["flows"]
    assert allow.loc["out-exchange-mailbox-tcp-25", "to address"] == eop


@pytest.mark.parametrize("option, port", [
    ("av_range", "edge_av_tcp_range"), ("pop_imap", "ex_pop3_110"), ("http_redirects", "rp_lync_80"),
    ("da_ipv6", "da_ike_500"), ("teredo", "da_teredo_3544"), ("six_to_four", "da_6to4_41"),
])
def test_each_option_adds_and_removes_its_rows(design, option, port):
    on = gateway.gateway_allow_list(design, {option: True})["port rows"]
    off = gateway.gateway_allow_list(design, {option: False})["port rows"]
    assert on.str.contains(port).any() and not off.str.contains(port).any()


def test_options_as_a_list_turn_on_only_those(design):
    only = gateway.gateway_allow_list(design, ["teredo"])["port rows"]
    assert only.str.contains("da_teredo_3544").any()
    assert not only.str.contains("edge_av_tcp_range|ex_pop3_110|da_esp_50").any()
    assert only.str.contains("edge_access_443").any()  # mandatory rows stay


def test_a_single_option_name_is_not_split_into_letters(design):
    assert gateway.resolve_options(design, "teredo") == frozenset({"teredo"})
    assert gateway.resolve_options(design) == frozenset({"av_range", "pop_imap", "vpn_ikev2", "exchange_federation"})


def test_unknown_option_is_a_clear_error(design):
    with pytest.raises(ValueError, match="unknown gateway option av_rnage; known: av_range"):
        gateway.gateway_allow_list(design, {"av_rnage": True})


def test_option_naming_a_mandatory_row_is_a_load_error(data_copy):
    from helpers import only_problem
    _, p = only_problem(data_copy, "ports", "ex_pop3_110", optional="no")
    assert (p.file, p.column, p.found) == ("gateway_options.csv", "ports", "ex_pop3_110")
    assert p.row == 3 and "mark ex_pop3_110 optional in ports.csv" in p.fix


def test_optional_crossing_row_without_option_blocks_the_export(data_copy):
    from helpers import blocked, edit
    line = edit(data_copy, "ports", "da_iphttps_443", optional="yes")
    (p,) = blocked(data_copy)
    assert (p.file, p.row, p.column) == ("ports.csv", line, "optional") and "da_iphttps_443" in p.found


def test_optional_crossing_row_without_option_is_refused_by_permits(design):
    """A design built without the loader (such as a synthetic one) still gets the error."""
    from dataclasses import replace
    bare = replace(design, gateway_options=())
    with pytest.raises(ValueError, match=r"optional port row '\w+' crosses the gateway but no gateway option lists it"):
        gateway.gateway_allow_list(bare)


def test_address_plan_errors_name_the_endpoint_and_the_fix(design):
    plan = dict(gateway_addresses(design))
    del plan["vpn_gateway"]
    with pytest.raises(ValueError, match="no entry for 'vpn_gateway' \\(VPN gateway\\); add"):
        gateway.gateway_allow_list(design, addresses=plan)
    plan = {**gateway_addresses(design), "lync_edge": ("203.0.113.300/32",)}
    with pytest.raises(ValueError, match="'lync_edge': '203.0.113.300/32' is not an address"):
        gateway.gateway_allow_list(design, addresses=plan)


def test_own_addresses_replace_the_placeholders(design):
    plan = {**gateway_addresses(design), "partner_companies": ("192.0.2.0/28",)}
    allow = gateway.gateway_allow_list(design, addresses=plan)
    assert allow.loc["in-lync-edge-tcp-5061", "from address"] == "192.0.2.0/28"


def test_placeholders_are_documentation_ranges(design):
    import ipaddress
    docs = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
    docs.append(ipaddress.ip_network("2001:db8::/32"))  # RFC 3849
    eop = {r.network for r in design.eop_ranges}  # the one real set: Microsoft's published EOP ranges
    for endpoint, nets in gateway_addresses(design).items():
        for net in nets or ():
            assert net in eop or any(ipaddress.ip_network(net).version == d.version
                                     and ipaddress.ip_network(net).subnet_of(d) for d in docs), endpoint


def test_allow_list_golden(design):
    check_golden("tables/gateway_allow_list.csv", gateway.gateway_allow_list(design).to_csv(lineterminator="\n"))


def test_allow_list_all_options_golden(design):
    everything = {o.id: True for o in design.gateway_options}
    check_golden("tables/gateway_allow_list_all_options.csv",
                 gateway.gateway_allow_list(design, everything).to_csv(lineterminator="\n"))


# --- other tables ----------------------------------------------------------------

def test_zone_pair_matrix(design):
    m = gateway_views.zone_pair_matrix(design)
    assert m.loc["Internet → Perimeter", "gateway"] == "crosses"
    assert m.loc["Intranet → Intranet", "gateway"] == ""
    assert "(TCP 50000-59999)" in m.loc["Perimeter → Internet", "Lync media and conferencing"]
    assert "TCP 5061↔" in m.loc["Internet → Perimeter", "Lync SIP"]
    check_golden("tables/zone_pair_matrix.csv", m.to_csv(lineterminator="\n"))


def test_zone_pair_ports_lists_the_gateway_pairs_first(design):
    cells = gateway_views.zone_pair_ports(design)
    crossing = cells["gateway"].eq("crosses")
    assert crossing.iloc[:crossing.sum()].all() and not crossing.iloc[crossing.sum():].any()
    row = cells[(cells["zones"] == "Cloud mail → Perimeter")].iloc[0]
    assert (row["traffic type"], row["ports"]) == ("Exchange mail server", "TCP 25")
    assert not cells["ports"].eq("").any()


def test_edge_interface_tables(design):
    ext, int_ = gateway_views.edge_external_table(design), gateway_views.edge_internal_table(design)
    assert set(ext.index) == {p.id for p in design.ports if p.id.startswith("edge_") and not p.id.startswith("edge_int_")}
    assert set(int_.index) == {p.id for p in design.ports if p.id.startswith("edge_int_")}
    assert ext.loc["edge_access_5061", "direction (at the Edge)"] == "inbound and outbound"
    assert ext.loc["edge_av_tcp_range", "direction (at the Edge)"] == "outbound"
    assert int_.loc["edge_int_psom_8057", "direction (at the Edge)"] == "inbound"
    assert (ext["source"].str.contains("L-EDGEPORT")).all() and int_["source"].str.startswith("L-EDGEPORT").all()


def test_gateway_diagram_lights_what_crosses_the_gateway(design):
    dot = gateway_views.gateway_dot(design)
    assert "what crosses the gateway router" in dot
    # labels break into short lines (a protocol a line, a few ports a line): read them as one line
    one_line = dot.replace(",\\n", ", ").replace("\\n", "  ")
    edge = re.search(r'^  "gateway_router" -> "exchange_vip" \[(.*label="in TCP 110, 143, 443, 587, 993, 995".*)\]$',
                     one_line, re.M)
    assert edge and "#e07b00" in edge.group(1)  # Exchange client orange
    # outbound edges start at the router too (inside ends stay right of it) and point back
    assert re.search(r'^  "gateway_router" -> "lync_edge" \[.*dir="back".*label="out TCP 53, 80  UDP 53"', one_line, re.M)
    assert max(len(line) for label in re.findall(r'-> .*label="([^"]*)"', dot) for line in label.split("\\n")) <= 24
    # intranet servers no permit reaches are left out (a narrower picture); the mailbox servers, reached, stay
    assert '"exchange_cas"' not in dot and '"sharepoint_fe"' not in dot and '"exchange_mailbox"' in dot
    assert 'label="in TCP 110' not in gateway_views.gateway_dot(design, {"pop_imap": False})
    lit = set(gateway_views.crossing_flows(design))
    assert "roaming_exchange" in lit and "internal_exchange" not in lit and "mail_outbound" in lit
    assert gateway_views.gateway_dot(design) == dot
    check_golden("dot/gateway.dot", dot)


# --- ACLs through aerleon ------------------------------------------------------------

@pytest.fixture(scope="module")
def acls(design):
    return render_acls(design, platforms=("cisco", "juniper", "nftables"))


def test_cisco_acl_has_the_permits_the_returns_and_a_final_deny(acls, design):
    cisco = acls["cisco"]
    assert "ip access-list extended officenet-gateway-in" in cisco
    assert "ip access-list extended officenet-gateway-out" in cisco
    access, av = (next(a.address for a in design.addresses if a.id == i) for i in ("edge_access", "edge_av"))
    assert f" permit tcp any host {access} eq 5061" in cisco  # federation reaches the Access Edge only
    assert f" permit tcp host {access} any eq 5061" in cisco
    assert f" permit tcp 40.92.0.0 0.1.255.255 host {addr(design, 'exchange_vip')} eq 25" in cisco  # EOP (eop_ranges)
    assert f" permit tcp host {av} any range 50000 59999" in cisco
    assert f" permit 50 any {cisco_net(design, 'directaccess_server')}" not in cisco  # ESP only on IPv6 (da_ipv6)
    with_ipv6 = render_acls(design, {"da_ipv6": True}, platforms=("cisco",))["cisco"]
    assert f" permit 50 any {cisco_net(design, 'directaccess_server')}" not in with_ipv6  # IPv6 side only (DA-ADV)
    assert " permit 50 any host 2001:db8:113::30" in with_ipv6
    # SharePoint 443: in, and its return traffic out as 'established' (co_sp_inout)
    assert f" permit tcp host {addr(design, 'sharepoint_vip')} eq 443 any established" in cisco
    assert cisco.count(" deny ip any any") == 2


def test_juniper_filter_terms(acls):
    juniper = acls["juniper"]
    for term in ("in-lync-edge-tcp-443", "out-exchange-mailbox-tcp-25", "return-in-sharepoint-vip-tcp-443",
                 "deny-everything-else"):
        assert f"term {term} {{" in juniper
    block = juniper[juniper.index("term return-out-lync-edge-udp-53 {"):]
    block = block[:block.index("then accept")]
    # Replies to our Edge's DNS queries: only to Windows' dynamic ports, not to any port of the Edge.
    assert "source-port 53;" in block and "destination-port 49152-65535;" in block
    ike = juniper[juniper.index("term return-in-vpn-gateway-udp-500 {"):]
    ike = ike[:ike.index("then accept")]
    assert "source-port 500;" in ike and "destination-port" not in ike  # a client outside may answer on 500


def test_nftables_is_stateful_without_return_terms(acls, design):
    nft = acls["nftables"]
    assert "ct state established,related accept" in nft and "hook forward" in nft
    assert "return-" not in nft
    assert f"ip daddr {addr(design, 'sharepoint_vip')}/32 tcp dport 443 ct state new accept" in nft


def test_acl_options_reach_the_text(design):
    off = render_acls(design, {"pop_imap": False}, platforms=("cisco",))["cisco"]
    assert "eq 993" not in off and "eq 443" in off


@pytest.mark.parametrize("platform", ["cisco", "juniper", "nftables"])
def test_acl_golden(acls, platform):
    check_golden(f"acl/officenet-gateway-{platform}.txt", acls[platform])


def test_unknown_platform_is_a_clear_error(design):
    with pytest.raises(AclExportError, match="no ACL platform 'cisko'.*cisco, juniper, nftables"):
        render_acls(design, platforms=("cisko",))


def test_aerleon_platform_officenet_has_not_declared_is_a_clear_error(design):
    with pytest.raises(AclExportError, match="aerleon has a 'k8s' generator, but officenet has not declared"):
        render_acls(design, platforms=("k8s",))


def test_a_term_aerleon_would_silently_drop_is_an_error():
    # nftables keeps state and skips 'established' terms with a mere warning: officenet refuses.
    policies = [{"filename": "x", "filters": [{"header": {"targets": {"nftables": "inet forward"}},
                 "terms": [{"name": "ret", "protocol": "tcp", "option": "tcp-established", "action": "accept"}]}]}]
    with pytest.raises(AclExportError, match="dropped terms it does not support: .*ret"):
        generate(policies, {"networks": {}, "services": {}})


def test_aerleon_errors_become_acl_export_errors():
    policies = [{"filename": "x", "filters": [{"header": {"targets": {"cisco": "x extended"}},
                 "terms": [{"name": "t", "destination-address": "NOWHERE", "action": "accept"}]}]}]
    with pytest.raises(AclExportError, match="(?s)aerleon could not render the ACLs: .*NOWHERE"):
        generate(policies, {"networks": {}, "services": {}})


def test_ipv6_address_switches_the_filters_to_mixed(design):
    plan = {**gateway_addresses(design), ("directaccess_server", "da_esp_50"): ("2001:db8::50/127",)}
    cisco = render_acls(design, {"da_ipv6": True}, addresses=plan, platforms=("cisco",))["cisco"]
    assert "ipv6 access-list ipv6-officenet-gateway-in" in cisco
    assert " permit 50 any 2001:db8::50/127" in cisco


def test_write_acls_is_atomic_and_complete(tmp_path, acls):
    written = write_acls(acls, tmp_path / "out")
    assert [p.name for p in written] == ["officenet-gateway-cisco.acl", "officenet-gateway-juniper.jcl",
                                         "officenet-gateway-nftables.nft"]
    assert written[0].read_text() == acls["cisco"]
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]


def test_render_is_pure(design, acls):
    assert render_acls(design, platforms=("cisco", "juniper", "nftables")) == acls
    assert not re.search(r"\d{4}-\d{2}-\d{2}", acls["cisco"])  # no dates that would break golden files


def test_crossings_of_a_multi_site_design_are_each_sites_own(design):
    from officenet.loading.synthetic import multi_site
    zones = {z.id for z in design.zones}  # the servers of a zone's end (name servers) are not copied per site
    ref = {(c.port.id, c.flows, c.own_traffic_of) for c in gateway.gateway_crossings(design)}
    multi = gateway.gateway_crossings(multi_site(design, 2))
    for n in (0, 1):
        sfx = f"__s{n:03d}"
        mine = {(c.port.id, c.flows, c.own_traffic_of) for c in multi if c.port.id.endswith(sfx)}
        renamed = {(p + sfx, tuple(f + sfx for f in flows), own + sfx if own and own not in zones else own)
                   for p, flows, own in ref}
        assert mine == renamed


def test_each_edge_interface_gets_only_its_own_ports(design):
    allow = gateway.gateway_allow_list(design)
    access, webconf, av = (a.address for a in design.addresses if a.id in ("edge_access", "edge_webconf", "edge_av"))
    assert allow.loc["in-lync-edge-tcp-5061", "to address"] == access  # federation: Access Edge only
    assert allow.loc["in-lync-edge-udp-3478", "to address"] == av       # STUN: A/V Edge only
    https = [ipaddress.ip_network(n) for n in allow.loc["in-lync-edge-tcp-443", "to address"].split(", ")]
    assert {a for a in (access, webconf, av) if any(ipaddress.ip_address(a) in n for n in https)} == {access, webconf, av}
    assert sum(n.num_addresses for n in https) == 3  # and nothing else
    assert allow.loc["out-lync-edge-tcp-50000-59999", "from address"] == av


def test_an_address_serving_another_components_port_is_a_clear_error(data_copy):
    from helpers import only_problem
    line, p = only_problem(data_copy, "addresses", "edge_av", ports="sp_ext_443")
    assert (p.file, p.row, p.column, p.found) == ("addresses.csv", line, "ports", "sp_ext_443")


def test_permits_of_a_multi_site_design_are_each_sites_own_renamed(design):
    """Each site of a two-site copy gets exactly the reference's permits, in the same order,
    with its components, flows, port rows and term names renamed; addresses are the plan's."""
    from officenet.loading.synthetic import multi_site
    zones = {z.id for z in design.zones}
    everything = [o.id for o in design.gateway_options]
    # Permits of a zone's end (the name servers the poster does not draw) are the sites' shared ones
    ref = [r for r in gateway.permits(design, everything) if r.inside not in zones]
    multi = [r for r in gateway.permits(multi_site(design, 2), everything) if r.inside not in zones]
    assert len(multi) == 2 * len(ref)
    for n in (0, 1):
        sfx = f"__s{n:03d}"

        def ren(x):
            return x if x in zones else x + sfx

        def renamed(r):
            name = r.name.replace(r.inside.replace("_", "-"), ren(r.inside).replace("_", "-"), 1)
            clash = "-" + r.outside.replace("_", "-")
            if r.outside not in zones and name.endswith(clash):  # the outside end names a clash
                name += sfx.replace("_", "-")
            return gateway.Permit(name=name, direction=r.direction, protocol=r.protocol, ports=r.ports,
                                  from_=ren(r.from_), to=ren(r.to), from_addresses=r.from_addresses,
                                  to_addresses=r.to_addresses, traffic_types=r.traffic_types,
                                  flows=tuple(f if f.startswith("(") else f + sfx for f in r.flows),
                                  port_ids=tuple(p + sfx for p in r.port_ids), source=r.source, options=r.options)

        mine = [r for r in multi if r.inside.endswith(sfx)]
        assert mine == [renamed(r) for r in ref]


def test_a_design_uses_the_gateway_options_and_checks_of_its_own_folder(design, tmp_path):
    import shutil
    from helpers import edit
    from officenet.derive.checks import run_checks
    from officenet.model.scenario import Scenario
    assert gateway.vpn_option(design) == {"ikev2": "vpn_ikev2", "sstp": "vpn_sstp", "l2tp_ipsec": "vpn_l2tp",
                                          "pptp": "vpn_pptp"}
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    edit(folder, "gateway_options", "pop_imap", poster="no", label="Mail clients by POP and IMAP")
    edit(folder, "checks", "vpn_protocol_status", severity="error", title="No PPTP here")
    copy = officenet.load(folder)
    assert copy.data_dir == str(folder)
    # The copy's option: off by default, with its own label; the reference still opens POP3.
    assert gateway.option_table(copy).loc["pop_imap", ["option", "default"]].tolist() == [
        "Mail clients by POP and IMAP", "off"]
    assert gateway.gateway_allow_list(design)["port rows"].str.contains("ex_pop3_110").any()
    assert not gateway.gateway_allow_list(copy)["port rows"].str.contains("ex_pop3_110").any()
    # The copy's rule: its severity in the findings, its title in the stoplight.
    pptp = Scenario.default_for(design).with_(vpn_protocols=("pptp",))
    assert {f.severity for f in run_checks(design, pptp) if f.check == "vpn_protocol_status"} == {"warning"}
    assert {f.severity for f in run_checks(copy, pptp) if f.check == "vpn_protocol_status"} == {"error"}
    from officenet.derive.organisation import organisation
    assert organisation(copy, pptp).stoplight().loc["vpn_protocol_status", ["light", "title"]].tolist() == [
        "red", "No PPTP here"]
    # The workshop's list of checks and the DNS rules read the copy's rows too.
    from officenet import workshop
    from officenet.derive.dns import dns_checks, dns_records
    edit(folder, "checks", "one_spf", statement="Exactly one SPF text in this copy")
    copy = officenet.load(folder)
    assert workshop.rules_table(copy).loc["vpn_protocol_status", "title"] == "No PPTP here"
    assert dns_checks(dns_records(copy), rules=copy.checks).loc["one_spf", "rule"] == "Exactly one SPF text in this copy"
    assert dns_checks(dns_records(design), rules=design.checks).loc["one_spf", "rule"] != "Exactly one SPF text in this copy"


def test_a_gateway_option_naming_an_unknown_port_row_is_a_load_error(data_copy):
    text = (data_copy / "gateway_options.csv").read_text(encoding="utf-8")
    (data_copy / "gateway_options.csv").write_text(text.replace("edge_av_tcp_range", "edge_av_tcp_rnage", 1),
                                                   encoding="utf-8")
    with pytest.raises(DesignError) as info:
        officenet.load(data_copy)
    p, = info.value.problems
    assert (p.file, p.row, p.column) == ("gateway_options.csv", 2, "ports") and "edge_av_tcp_rnage" in p.found
