"""Remote access: suitability as data, the plan (DOT + gateway ports) and the explorer."""

from officenet.derive import remoteaccess as ra
from officenet.explorers.remoteaccess_explorer import RemoteAccessExplorer

from conftest import check_golden
from helpers import only_problem

ROAMING = {"lync": "lync_edge", "sharepoint": "directaccess", "exchange": "reverse_proxy"}


def test_suitability_rules(design):
    m = ra.suitability_matrix(design)
    assert m.loc["DirectAccess", "Lync"] == "not recommended"
    assert m.loc["VPN gateway", "Lync"] == "not recommended"
    assert m.loc["Reverse proxy: UAG (out of support)", "Lync"] == "not supported"
    assert m.loc["Reverse proxy: UAG (out of support)", "Exchange"] == "not recommended"  # LIFE-2020
    assert m.loc["Lync Edge + reverse proxy", "Lync"] == "recommended"


def test_directaccess_ports_follow_the_product_docs(design):
    p = ra.plan(design, "roaming_employees", ROAMING)
    ids = [port.id for port in p.ports()]
    assert {"da_iphttps_443", "da_teredo_3544", "da_6to4_41"} <= set(ids)
    table = ra.port_list(design, p)
    assert table.loc["da_6to4_41", "protocol"] == "IP protocol" and table.loc["da_6to4_41", "ports"] == "41"
    assert "51" not in set(table["ports"])  # the poster's AH (51) is an erratum
    assert table.loc["da_esp_50", "optional"] == "yes"
    assert "er_da_ports" in {c.id for c in ra.related_corrections(design, p)}


def test_the_port_list_follows_the_choice(design):
    da = ra.plan(design, "roaming_employees", ROAMING)
    vpn = ra.plan(design, "roaming_employees", {**ROAMING, "sharepoint": "vpn"})
    assert "vpn_ike_500" in {p.id for p in vpn.ports()} and "da_iphttps_443" not in {p.id for p in vpn.ports()}
    assert "vpn_gateway" in vpn.dot and "directaccess_server" not in vpn.dot
    assert da.dot != vpn.dot and not da.warnings


def test_federation_ports_only_for_partners(design):
    partners = {p.id for p in ra.plan(design, "partner_companies", ROAMING).ports()}
    roaming = {p.id for p in ra.plan(design, "roaming_employees", ROAMING).ports()}
    assert "edge_access_5061" in partners and "edge_access_5061" not in roaming
    assert "edge_access_443" in roaming


def test_lync_over_vpn_warns_with_reason_and_source(design):
    p = ra.plan(design, "roaming_employees", {**ROAMING, "lync": "vpn"})
    (w,) = p.warnings
    assert "not recommended" in w and "split tunnelling" in w and "EN: Remote access options" in w
    assert 'style="dashed"' in p.dot


def test_tunnels_for_partners_warn(design):
    p = ra.plan(design, "partner_companies", {"sharepoint": "vpn"})
    assert any("roaming employees" in w for w in p.warnings)


def test_explorer_redraws(design):
    ex = RemoteAccessExplorer(design)
    assert ex.selection["lync"] == "lync_edge" and ex.selection["user_type"] == "roaming_employees"
    before = ex.output.value
    assert "Every choice is supported" in before
    ex.controls["lync"].value = "directaccess"
    after = ex.output.value.replace("<wbr>", "")  # long ids may wrap after an underscore
    assert after != before and "<svg" in after
    assert "IPsec protection adds latency to audio and video" in after and "da_teredo_3544" in after
    assert "edge_access_443" not in after
    ex.controls["lync"].value = "uag"
    assert "does not support UAG" in ex.output.value
    ex.controls["user_type"].value = "individual_partners"
    assert "does not use Exchange" in ex.output.value


def test_explorer_static_views(design):
    views = RemoteAccessExplorer(design).static_views()
    assert len(views) == 1 + 2 + 3 + 3 + 3 and all("<svg" in h for _, h in views)


def test_golden(design):
    p = ra.plan(design, "roaming_employees", ROAMING)
    check_golden("dot/remote_access_roaming.dot", p.dot)
    check_golden("tables/remote_access_ports.csv", ra.port_list(design, p).to_csv(lineterminator="\n"))
    check_golden("tables/remote_access_suitability.csv", ra.suitability_table(design).to_csv(lineterminator="\n"))


def test_bad_input_unknown_port_in_the_list(data_copy):
    line, p = only_problem(data_copy, "remote_access", "vpn_lync", ports="vpn_ike_500; vpn_natt_450")
    assert (p.file, p.row, p.column) == ("remote_access.csv", line, "ports") and "vpn_natt_450" in p.fix


def test_bad_input_unknown_option(data_copy):
    _, p = only_problem(data_copy, "remote_access", "vpn_lync", option="sslvpn")
    assert p.column == "option" and "directaccess" in p.expected


def test_decision_table(design):
    t = ra.decision_table(design, {"roaming_employees": ROAMING, "individual_partners": ROAMING})
    assert len(t) == 3 + 2  # individual partners do not use Exchange
    row = t[(t["user type"] == "Roaming employees") & (t["product"] == "SharePoint")].iloc[0]
    assert row["option"] == "DirectAccess" and "UDP 3544*" in row["gateway ports"] and "IP 41*" in row["gateway ports"]
