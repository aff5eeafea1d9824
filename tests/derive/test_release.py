"""The release axis: the 2013 poster and today's supported successors are rows of the same tables
(releases.csv and an optional releases column), picked by load(release=) or a scenario's release
answer. Every expectation is read from the data (lifecycle.csv, eop_ranges.csv, releases.csv), so
the tests follow the tables."""
import datetime
import ipaddress
import re

import pytest

from officenet import DesignError
from officenet.derive.apply import apply_scenario
from officenet.derive.checks import run_checks
from officenet.derive.diagram import to_dot
from officenet.derive.lifecycle import lifecycle_table
from officenet.derive.loadbalancing import decision_table, rule_matrix, rule_table
from officenet.derive.organisation import organisation
from officenet.derive.reconcile import reconciliation, unmapped
from officenet.derive.remoteaccess import suitability_matrix, suitability_table
from officenet.derive.tables import port_matrix
from officenet.edge.exports import export_texts
from officenet.loading.loader import load
from officenet.loading.scenario_file import load_scenario
from officenet.model.scenario import Scenario, ScenarioError, scenario_from_dict

from conftest import ROOT
from helpers import edit, rows, write

TODAY = "2026-12-06"  # the lifecycle check's day: given, never the clock


@pytest.fixture(scope="module")
def current():
    return load(release="current")


@pytest.fixture(scope="module")
def org_current(design):
    return organisation(design, load_scenario(ROOT / "scenarios" / "contoso-current.yaml"))


@pytest.fixture(scope="module")
def org_2013(design):
    return organisation(design, load_scenario(ROOT / "scenarios" / "contoso.yaml"))


@pytest.fixture(scope="module")
def texts(org_current):
    return export_texts(org_current, serial=1)


# --- the axis ------------------------------------------------------------------------------------

def test_load_reads_the_reference_release_unless_told(design, current):
    assert design.release == "2013" and current.release == "current"
    reference = [r.id for r in design.releases if r.reference]
    assert reference == ["2013"]
    assert design.get("products", "exchange").name == "Exchange Server 2013"
    assert current.get("products", "exchange").name == "Exchange Server Subscription Edition"


def test_a_row_of_one_release_is_absent_from_the_other(design, current):
    assert "exchange_cas" in {c.id for c in design.components}
    assert "exchange_cas" not in {c.id for c in current.components}
    assert {"directaccess_server", "exchange_cas"}.isdisjoint(c.id for c in current.components)
    ports = {p.port[0] for p in current.ports if p.protocol == "TCP"}
    assert 5269 not in ports and 23456 not in ports
    assert {5269, 23456} <= {p.port[0] for p in design.ports}


def test_a_scenario_picks_the_release_and_defaults_to_the_reference(design):
    assert Scenario().release is None and Scenario().checked(design).release == "2013"
    assert apply_scenario(design, Scenario()).release == "2013"
    s = load_scenario(ROOT / "scenarios" / "contoso-current.yaml")
    assert s.release == "current"
    derived = apply_scenario(design, s)  # the 2013 design in, today's rows out: no code branch
    assert derived.release == "current"
    assert derived.get("products", "lync").name == "Skype for Business Server Subscription Edition"


def test_yaml_reads_release_2013_as_a_number_and_it_still_names_the_release(design):
    s = scenario_from_dict({"release": 2013, "name": "Numbers"}, design=design)
    assert s.release == "2013" and s.vocabulary.release == "2013"


@pytest.mark.parametrize("answers, field", [
    ({"release": "2014"}, "release"),
    ({"release": "current", "xmpp": True}, "xmpp"),  # the XMPP proxy is gone from today's Edge
    ({"release": "current", "teredo": True}, "teredo"),  # and DirectAccess with it
    ({"release": "current", "remote_access": {"sharepoint": "directaccess"}}, "remote_access.sharepoint"),
    ({"release": "current", "reverse_proxy": "tmg"}, "reverse_proxy"),  # TMG and UAG: out of support since 2020
    ({"release": "current", "reverse_proxy": "uag"}, "reverse_proxy"),
    ({"today": "6 December 2026"}, "today"),
])
def test_a_release_refuses_the_answers_its_rows_cannot_give(design, answers, field):
    with pytest.raises(ScenarioError) as info:
        Scenario.default_for(design, **answers)
    assert field in {p.column for p in info.value.problems}, info.value


def test_the_choices_follow_the_release(design):
    current = Scenario(release="current").checked(design)
    assert current.remote_access["sharepoint"] == "vpn"  # the only tunnel left
    assert "exchange_web" in current.load_balancing and "exchange_cas" not in current.load_balancing


def test_a_release_is_data(data_copy, current):
    """A third release added as rows (today's rows, one product renamed): a scenario may name it, and
    every derivation follows, with no change to the code."""
    records = rows(data_copy / "releases.csv")
    records.append({**records[-1], "id": "next", "name": "A release after current", "order": "3"})
    write(data_copy / "releases.csv", records)
    for path in data_copy.glob("*.csv"):
        table = rows(path)
        if table and "releases" in table[0]:
            for r in table:
                if r["releases"] == "current":
                    r["releases"] = "current; next"
            write(path, table)
    products = rows(data_copy / "products.csv")
    products.append({**next(p for p in products if p["id"] == "owas" and p["releases"] == "current; next"),
                     "name": "A successor of Office Online Server", "releases": "next"})
    for p in products:
        if p["id"] == "owas" and p["releases"] == "current; next":
            p["releases"] = "current"
    write(data_copy / "products.csv", products)
    nxt = load(data_copy, release="next")
    assert nxt.release == "next" and nxt.get("products", "owas").name == "A successor of Office Online Server"
    assert {c.id for c in nxt.components} == {c.id for c in current.components}
    s = Scenario.default_for(load(data_copy), release="next")
    derived = apply_scenario(load(data_copy), s)
    assert derived.get("products", "owas").name == "A successor of Office Online Server"
    texts = export_texts(organisation(load(data_copy), s), serial=1)
    assert "ssl-min-ver TLSv1.2" in texts["loadbalancer/haproxy.cfg"]  # the floor of the row it copied


def test_a_releases_cell_naming_no_release_is_a_problem(data_copy):
    line = edit(data_copy, "ports", "edge_xmpp_5269", releases="2031")
    with pytest.raises(DesignError) as info:
        load(data_copy)
    (p,) = info.value.problems
    assert (p.file, p.row, p.column) == ("ports.csv", line, "releases") and p.found == "2031"


def test_loading_an_unknown_release_names_the_known_ones(data_copy):
    with pytest.raises(DesignError) as info:
        load(data_copy, release="2016")
    assert "2013, current" in str(info.value)


# --- what the current scenario exports ------------------------------------------------------------

def test_no_xmpp_ports_anywhere_in_the_exports(texts):
    for name, text in texts.items():
        if name.startswith(("acl/", "loadbalancer/")):
            assert not re.search(r"\b(5269|23456)\b", text), name
    assert not any("xmpp" in text.lower() for name, text in texts.items() if name.startswith("dns/"))


def test_no_separate_client_access_role(org_current, texts):
    for name, text in texts.items():
        assert "exchange_cas" not in text and "Client Access" not in text, name
    assert "exchange_cas" not in to_dot(org_current.design)
    matrix = port_matrix(org_current.design)
    assert "Client Access" not in matrix.to_csv()
    assert "be_exchange_vip_443_exchange_mailbox" in texts["loadbalancer/haproxy.cfg"]


def test_inbound_smtp_only_from_the_eop_snapshot(org_current, org_2013):
    eop = [r.network for r in org_current.design.eop_ranges if ipaddress.ip_network(r.network).version == 4]
    assert eop and all(r.captured == datetime.date(2022, 7, 29) for r in org_current.design.eop_ranges)
    for org in (org_current, org_2013):  # both releases use the snapshot
        allow = org.allow_list()
        smtp = allow[(allow["direction"] == "inbound") & (allow["ports"] == "25")]
        assert len(smtp) == 1 and smtp.iloc[0]["from address"] == ", ".join(eop)
        nft = org.acls(("nftables",))["nftables"]
        line = next(l for l in nft.splitlines() if "tcp dport 25" in l and "iifname" in l)
        assert "ip saddr { " + ", ".join(eop) + " }" in line


def test_haproxy_refuses_tls_below_the_release_floor(texts, org_2013, design, current):
    floor = {r.id: r.tls_floor for r in design.releases}
    assert floor == {"2013": "", "current": "TLSv1.2"}
    cfg = texts["loadbalancer/haproxy.cfg"]
    assert "ssl-default-bind-options ssl-min-ver TLSv1.2" in cfg
    assert "ssl-default-server-options ssl-min-ver TLSv1.2" in cfg
    assert "ssl-min-ver" not in org_2013.haproxy()  # the poster's export is unchanged


def test_exchange_bridges_tls_with_its_own_certificate(texts, org_current):
    """Extended Protection: no offloading; the VIP re-encrypts with the certificate the servers hold."""
    cfg = texts["loadbalancer/haproxy.cfg"]
    front = cfg.split("frontend fe_exchange_vip_443", 1)[1].split("\nfrontend ", 1)[0]
    cert = next(c.certificate for c in org_current.design.certificates if c.id == "ex_mail")
    assert f"ssl crt /etc/haproxy/certs/{cert}.pem" in front
    backend = cfg.split("\nbackend be_exchange_vip_443_exchange_mailbox", 1)[1].split("\nbackend ", 1)[0]
    servers = [l for l in backend.splitlines() if l.strip().startswith("server ")]
    assert servers and all(" ssl verify required" in s for s in servers)
    vdirs = {v.vdir for v in org_current.design.exchange_vdirs}
    assert {f"/{v}/healthcheck.htm" for v in vdirs} <= set(re.findall(r"uri (\S+)", backend))


def test_remote_access_by_always_on_vpn(org_current):
    d = org_current.design
    ids = {c.id for c in d.components}
    assert "vpn_gateway" in ids and "directaccess_server" not in ids
    assert d.component("vpn_gateway").short_label == "Always On VPN"
    allow = org_current.allow_list()
    vpn = allow[allow["to"] == d.label("vpn_gateway")]
    assert {("UDP", "500"), ("UDP", "4500")} <= set(zip(vpn["protocol"], vpn["ports"]))
    assert not any("DirectAccess" in v for v in allow["to"])
    assert not d.nrpt_rules
    radius = {p.port[0] for p in d.ports if p.from_ == "vpn_gateway" and p.to == "internal" and p.protocol == "UDP"}
    assert radius == {1812, 1813, 1645, 1646}  # users authenticated by Network Policy Server (AOVPN: the four default ports)


def _labels(design) -> set[str]:
    """Every label the remote-access and load-balancing tables show for products, options and workloads."""
    suit, matrix = suitability_table(design), suitability_matrix(design)
    return (set(suit["product"]) | set(suit["option"]) | set(matrix.index) | set(matrix.columns)
            | set(rule_table(design)["workload"]) | set(rule_matrix(design).index)
            | set(decision_table(design).index))


def test_todays_labels_name_todays_products(current):
    labels = _labels(current)
    assert not {l for l in labels if "Lync" in l or "Office Web Apps Server" in l}, labels
    for key in ("lync", "lync_edge"):  # the names come from today's rows
        assert any(current.label(key) in l for l in labels), (key, labels)
    assert "exchange web" not in labels  # today's Exchange workload has a name of its own


def test_the_2013_labels_read_as_the_poster_workbook_always_wrote_them(design):
    assert {"Lync Edge + reverse proxy", "Reverse proxy: UAG (out of support)", "DirectAccess", "VPN gateway",
            "Lync SIP (Front End pool)", "Lync web, internal", "Lync web, external", "Exchange Client Access",
            "SharePoint web front ends", "Office Web Apps Server"} <= _labels(design)


def test_sharepoint_se_signs_in_with_openid_connect(current, design):
    methods = {(a.product, a.method) for a in current.authentication}
    assert ("sharepoint", "OpenID Connect 1.0") in methods
    assert ("sharepoint", "OpenID Connect 1.0") not in {(a.product, a.method) for a in design.authentication}


# --- lifecycle ------------------------------------------------------------------------------------

def _lifecycle(org_scenario_file, today=TODAY):
    design = load()
    s = load_scenario(ROOT / "scenarios" / org_scenario_file).with_(today=today)
    return [f for f in run_checks(apply_scenario(design, s), s) if f.check == "lifecycle"]


def test_lifecycle_fires_on_the_2013_design_with_dates_and_successors(design):
    found = {f.subject: f.detail for f in _lifecycle("contoso.yaml")}
    for row in (r for r in design.lifecycle if r.release == "2013" and r.policy == "fixed"):
        detail = found[f"lifecycle:{row.id}"]
        assert str(row.extended_end) in detail and str(row.mainstream_end) in detail and row.successor in detail
    assert "Always On VPN" in found["lifecycle:directaccess"]


def test_lifecycle_is_quiet_on_the_successors_but_for_office_online_server(current):
    found = _lifecycle("contoso-current.yaml")
    oos = next(r for r in current.lifecycle if r.id == "owas_oos")
    assert [f.subject for f in found] == ["lifecycle:owas_oos"]  # ends 2026-12-31: within a year, correctly
    assert str(oos.extended_end) in found[0].detail and "in 25 days" in found[0].detail
    assert _lifecycle("contoso-current.yaml", today="2025-12-30") == []  # more than a year before its end


def test_lifecycle_needs_a_given_day():
    assert _lifecycle("contoso.yaml", today=None) == []


def test_lifecycle_table_lists_both_releases(design):
    table = lifecycle_table(design, datetime.date.fromisoformat(TODAY))
    assert set(table["release"]) == {r.name for r in design.releases}
    assert table.loc[table["product"] == "Exchange Server 2013", "state"].item() == "ended"


def test_the_reconciliation_covers_todays_planning_pages(current):
    """Today's vendor rows (Exchange SE roles, load balancing, Extended Protection; Office Online Server;
    Always On VPN; EOP's ranges) are each held by a row of the current design or left out with a reason."""
    assert unmapped(current) == []
    counts = reconciliation(current)
    assert (counts["unmapped"] == 0).all()
    ours = {r.id for r in current.vendor_rows} - {r.id for r in load().vendor_rows}
    assert {"xse_roles", "xse_extended_protection", "oos_ports", "aovpn_radius"} <= ours
