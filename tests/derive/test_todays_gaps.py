"""Three requirements of today's planning pages the ledger once found missing (issue 22), now rows of the
current release: the A/V Edge's media ranges (SFB-EDGE's external table), Exchange as a host of Office Online
Server (X-OOS), SharePoint's OpenID Connect metadata egress (SP-OIDC). The 2013 poster keeps its own rows."""
import pytest

import officenet
from officenet.derive.apply import apply_scenario
from officenet.derive.checks import blocking_problems, run_checks
from officenet.derive.organisation import organisation
from officenet.derive.routes import ports_for
from officenet.loading.loader import load
from officenet.loading.scenario_file import load_scenario
from officenet.model.scenario import Scenario, ScenarioError

from conftest import ROOT
from helpers import rows, write


@pytest.fixture(scope="module")
def current():
    return load(release="current")


@pytest.fixture(scope="module")
def allow_list(design):
    return organisation(design, load_scenario(ROOT / "scenarios" / "contoso-current.yaml")).allow_list()


def test_todays_av_edge_relays_media_out_on_tcp_and_udp_with_no_option(current, allow_list):
    ranges = {p.protocol: p for p in current.ports if p.id in ("edge_av_tcp_range", "edge_av_udp_range")}
    assert set(ranges) == {"TCP", "UDP"}
    for p in ranges.values():  # the table's row: A/V Edge -> any, outbound only, no condition
        assert (p.from_, p.to, p.direction, p.port, p.optional, p.source) == (
            "lync_edge", "internet", "one-way", (50000, 59999), False, "SFB-EDGE")
    assert "av_range" not in {o.id for o in current.gateway_options}
    edge_av = next(a for a in current.addresses if a.id == "edge_av")
    assert {"edge_av_tcp_range", "edge_av_udp_range"} <= set(edge_av.ports)
    for proto in ("tcp", "udp"):
        permit = allow_list.loc[f"out-lync-edge-{proto}-50000-59999"]
        assert (permit["direction"], permit["from address"], permit["to address"], permit["option"]) == (
            "outbound", edge_av.address, "any", "")
    assert not [n for n in allow_list.index if n.startswith("in-") and "50000" in n]  # no inbound range


def test_the_2013_edge_keeps_its_optional_tcp_range_only(design):
    tcp = next(p for p in design.ports if p.id == "edge_av_tcp_range")
    assert tcp.optional and tcp.source == "L-EDGEPORT"
    assert "edge_av_udp_range" not in {p.id for p in design.ports}
    assert "edge_av_tcp_range" in next(o for o in design.gateway_options if o.id == "av_range").ports


def test_a_scenario_of_today_cannot_ask_for_the_av_range_option(design):
    with pytest.raises(ScenarioError) as info:
        Scenario.default_for(design, release="current", lync_av_range=True)
    assert "lync_av_range" in {p.column for p in info.value.problems}


def test_exchange_is_a_host_of_office_online_server_today(current, design):
    flow = next(f for f in current.flows if f.id == "exchange_owas")
    assert flow.path == ("exchange_mailbox", "owas_fe") and "X-OOS" in flow.source
    assert [(p.id, p.protocol, p.port) for p in ports_for(current, [flow])] == [("ex_to_owas_443", "TCP", (443, 443))]
    assert "exchange_owas" not in {f.id for f in design.flows}  # Exchange 2013 cannot use Office Web Apps Server


def test_the_owas_for_exchange_check_is_the_2013_posters(design, current):
    assert "owas_for_exchange" in {r.id for r in design.checks}
    assert "owas_for_exchange" not in {r.id for r in current.checks}
    assert blocking_problems(current) == ()  # its function has its row in another release
    hosts = ("lync", "sharepoint", "exchange")
    for release, fires in (("2013", True), ("current", False)):
        scenario = Scenario.default_for(design, release=release, owas_hosts=hosts)
        found = [f for f in run_checks(apply_scenario(design, scenario), scenario) if f.check == "owas_for_exchange"]
        assert bool(found) is fires, release


def test_a_check_function_without_a_row_in_any_release_still_blocks(data_copy):
    path = data_copy / "checks.csv"
    write(path, [r for r in rows(path) if r["id"] != "owas_for_exchange"])
    for release in ("2013", "current"):
        problems = blocking_problems(officenet.load(data_copy, release=release))
        assert [p.found for p in problems] == [""] and "owas_for_exchange" in problems[0].expected, release


def test_todays_sharepoint_reads_its_oidc_metadata_from_a_translated_address(current, design, allow_list):
    row = next(p for p in current.ports if p.id == "sp_oidc_443")
    assert (row.protocol, row.port, row.from_, row.to, row.optional, row.source) == (
        "TCP", (443, 443), "sharepoint_fe", "internet", False, "SP-OIDC")
    address = next(a for a in current.addresses if a.id == "sharepoint_outbound")
    assert address.view == "external" and address.ports == ("sp_oidc_443",)
    permit = allow_list.loc["out-sharepoint-fe-tcp-443"]
    assert (permit["from address"], permit["to address"], permit["port rows"]) == (address.address, "any", "sp_oidc_443")
    assert any(d.id == "sp_oidc_provider" for d in current.export_decisions)
    assert "sp_oidc_443" not in {p.id for p in design.ports}
