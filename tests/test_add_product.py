"""A product added as data: a copy of data/ gains a fictional product, and every derivation
(overview diagram, port matrix, scenario choices, checks, exports) shows it with no code change."""
import csv
import shutil

import pytest

from officenet.derive.diagram import to_dot
from officenet.edge.exports import export_texts
from officenet.loading.loader import load
from officenet.derive.organisation import organisation
from officenet.model.scenario import Scenario, ScenarioError, choices
from officenet.loading.scenario_file import load_scenario
from officenet.derive.tables import port_matrix

from conftest import ROOT

# A fictional product (no fact about a real one): officenet's own modelling, so every row cites OFFICENET.
NEW_ROWS = {
    "products": [["contoso_chat", "Contoso Chat", "Chat", "OFFICENET"]],
    "traffic_types": [["chat_client", "Contoso Chat client", "#008080", "teal", "solid", "no", "no", "11",
                       "Chat clients to the Contoso Chat front ends over HTTPS", "OFFICENET"]],
    "components": [
        ["chat_vip", "Contoso Chat VIP", "Chat VIP", "vip", "perimeter", "lb_rp", "", "contoso_chat", "", "",
         "Virtual IP for Contoso Chat", "OFFICENET"],
        ["chat_server", "Contoso Chat", "Chat", "server", "internal", "", "", "contoso_chat", "", "",
         "Contoso Chat servers", "OFFICENET"],
        ["chat_fe", "Contoso Chat front ends", "Chat front ends", "tier_role", "internal", "chat_server", "front_end",
         "contoso_chat", "2", "Chat databases", "Contoso Chat front-end servers", "OFFICENET"]],
    "links": [["router_chat_vip", "gateway_router", "chat_vip", "Published Contoso Chat VIP", "OFFICENET"],
              ["chat_vip_fe", "chat_vip", "chat_fe", "Contoso Chat VIP to its front ends", "OFFICENET"],
              ["internal_chat_vip", "internal_employees", "chat_vip", "Internal chat reaches the VIP", "OFFICENET"]],
    "flows": [["roaming_chat", "roaming_employees", "contoso_chat", "chat_client",
               "roaming_employees > gateway_router > chat_vip > chat_fe", "Roaming employees chat", "OFFICENET"],
              ["internal_chat", "internal_employees", "contoso_chat", "chat_client",
               "internal_employees > chat_vip > chat_fe", "Internal employees chat", "OFFICENET"]],
    "ports": [["chat_ext_4430", "TCP", "4430", "internet", "chat_vip", "one-way", "chat_client",
               "Contoso Chat clients from the Internet", "no", "OFFICENET"],
              ["chat_int_4430", "TCP", "4430", "internal", "chat_vip", "one-way", "chat_client",
               "Contoso Chat clients on the intranet", "no", "OFFICENET"],
              ["chat_vip_fe_4430", "TCP", "4430", "chat_vip", "chat_fe", "one-way", "chat_client",
               "Contoso Chat VIP to the front ends", "no", "OFFICENET"]],
    "addresses": [["chat_public", "external", "203.0.113.40", "203.0.113.0/24",
                   "TEST-NET-3 (RFC 5737 documentation range)", "chat_vip", "Contoso Chat VIP on the Internet", "",
                   "RFC5737; OFFICENET"],
                  ["chat_internal", "internal", "10.10.2.40", "10.10.2.0/24",
                   "private server network (RFC 1918 10.0.0.0/8)", "chat_vip", "Contoso Chat VIP on the intranet", "",
                   "RFC1918; OFFICENET"]],
    "dns_records": [["ext_chat", "external", "chat.{domain}", "A", "{ip:chat_public}", "", "", "", "contoso_chat",
                     "Contoso Chat published", "no", "OFFICENET"],
                    ["int_chat", "internal", "chat.{domain}", "A", "{ip:chat_internal}", "", "", "", "contoso_chat",
                     "Contoso Chat on the intranet", "no", "OFFICENET"]],
    "lb_rules": [["chat_layer7", "chat_web", "contoso_chat", "method", "layer7", "recommended",
                  "Fictional: chat sessions stay on one front end", "OFFICENET"],
                 ["chat_layer4", "chat_web", "contoso_chat", "method", "layer4", "supported",
                  "Fictional: a layer 4 VIP works too", "OFFICENET"]],
    "remote_access": [["rp_chat", "reverse_proxy", "lb_rp", "contoso_chat", "supported",
                       "Fictional: the VIP publishes chat", "chat_ext_4430", "OFFICENET"],
                      ["vpn_chat", "vpn", "vpn_gateway", "contoso_chat", "supported",
                       "Fictional: chat through the tunnel", "", "OFFICENET"]],
    "vip_services": [["chat_4430", "chat_vip", "Contoso Chat VIP", "chat_vip", "yes", "chat_web",
                      "Load balancer / reverse proxy", "7", "TCP", "4430", "chat_fe", "4430", "none", "unstated",
                      "unstated", "Fictional product", "OFFICENET"]],
}


@pytest.fixture(scope="module")
def chat_design(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(ROOT / "data", folder)
    for table, rows in NEW_ROWS.items():
        with open(folder / f"{table}.csv", "a", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    return load(folder)


def test_the_overview_diagram_draws_the_product(chat_design):
    dot = to_dot(chat_design)
    assert "Contoso Chat VIP" in dot and "chat_fe" in dot and "#008080" in dot


def test_the_port_matrix_lists_its_ports(chat_design):
    frame = port_matrix(chat_design)
    chat = frame[frame.apply(lambda r: "Contoso Chat" in " ".join(map(str, r.values)), axis=1)]
    assert len(chat) == 3


def test_the_scenario_offers_it(chat_design, design, tmp_path):
    c = choices(chat_design)
    assert "contoso_chat" in c.products and "contoso_chat" not in choices(design).products
    assert c.remote_access["contoso_chat"] == ("reverse_proxy", "vpn", "directaccess")
    assert c.load_balancing["chat_web"] == ("layer7", "layer4")
    s = Scenario.default_for(chat_design)
    assert "contoso_chat" in s.products and s.remote_access["contoso_chat"] == "reverse_proxy"
    # The reference design does not know the product: a scenario naming it is checked against the design it is for.
    with pytest.raises(ScenarioError, match="contoso_chat"):
        Scenario(products=("lync", "contoso_chat")).checked(design)
    # A file naming it loads against the design that has it.
    path = tmp_path / "chat.yaml"
    path.write_text("name: Chat\nproducts: [exchange, contoso_chat]\nremote_access:\n  contoso_chat: vpn\n")
    assert load_scenario(path, chat_design).remote_access["contoso_chat"] == "vpn"
    with pytest.raises(ScenarioError, match="contoso_chat"):
        load_scenario(path, design)


def test_the_checks_and_exports_see_it(chat_design):
    s = Scenario.default_for(chat_design)
    org = organisation(chat_design, s)
    assert "chat_vip" in {c.id for c in org.design.components}
    # The certificate plan has no row for the new name: the checks say so (certificates.csv is the fix).
    assert [(f.check, f.subject) for f in org.findings() if "chat" in f.subject + f.detail] \
        == [("name_on_certificate", "dns:chat.contoso.com")]
    texts = export_texts(org, platforms=("nftables",), serial=1)
    assert "chat 3600 IN A 203.0.113.40" in texts["dns/external-contoso.com.zone"]
    assert "chat 3600 IN A 10.10.2.40" in texts["dns/internal-contoso.com.zone"]
    assert 'ip daddr 203.0.113.40/32 tcp dport 4430 ct state new accept' in texts["acl/gateway-nftables.nft"]
    haproxy = texts["loadbalancer/haproxy.cfg"]
    assert "bind 203.0.113.40:4430" in haproxy and "server chat_fe_2 10.10.4.2:4430 check" in haproxy
    assert "contoso_chat: reverse_proxy" in texts["scenario.yaml"]
    # A rule the gateway already has, to the new VIP on a port no flow uses: the checks name it.
    broken = s.with_(gateway_rules=({"protocol": "TCP", "port": "8080", "to": "chat_vip"},))
    found = organisation(chat_design, broken).findings()
    assert [f.check for f in found if "8080" in f.subject + f.detail] == ["permit_without_flow"]


def test_choosing_the_tunnel_for_it_reroutes_its_flow(chat_design):
    s = Scenario.default_for(chat_design).with_(remote_access={"contoso_chat": "vpn"})
    flows = {f.id: f for f in organisation(chat_design, s).design.flows}
    assert flows["roaming_chat_via_vpn"].path[:3] == ("roaming_employees", "gateway_router", "vpn_gateway")


def test_the_your_design_form_offers_it_by_its_name(chat_design):
    """The form takes its lists from the design it is given, not from data/."""
    from officenet.explorers.scenario_form import ScenarioForm
    form = ScenarioForm(Scenario.default_for(chat_design), chat_design)
    assert form.products["contoso_chat"].description == "Contoso Chat"
    assert form.remote_access["contoso_chat"].description == "Chat"
    assert "contoso_chat" in form.scenario().products
    form.remote_access["contoso_chat"].value = "directaccess"
    assert form.scenario().remote_access["contoso_chat"] == "directaccess"
