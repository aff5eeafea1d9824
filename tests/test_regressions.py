"""Bugs the property-based tests (tests/test_fuzz.py) found, each pinned by one example."""
import itertools

import pytest

from officenet import workshop
from officenet.derive.organisation import organisation
from officenet.derive.remoteaccess import suitability_table
import officenet
from officenet.model.scenario import Scenario
from officenet.model.vocabulary import choices

PRODUCTS = choices(officenet.load()).products

from artefacts import walk


@pytest.mark.parametrize("check, answer", [
    ("check_sharepoint_paths", [[]]),
    ("check_sharepoint_paths", False),
    ("check_sharepoint_paths", {"roaming_employees": "gateway_router"}),
    ("check_federation_ports", "0"),
    ("check_federation_ports", False),
    ("check_federation_ports", [("TCP", "four", "in")]),
    ("check_remote_access", "0"),
    ("check_remote_access", False),
    ("check_load_balancing", [1, 2]),
    ("check_mistakes", 5),
])
def test_workshop_answer_of_another_shape_gets_feedback(design, check, answer):
    feedback = getattr(workshop, check)(design, answer)
    assert not feedback.passed and (feedback.wrong or feedback.missing)
    assert feedback.hints, "a learner is told how to write the answer"


def test_federation_ports_accept_numbers_written_as_text_or_float(design):
    expected = workshop.federation_gateway_ports(design)
    answer = [(p.lower(), str(n) if i % 2 else float(n), d) for i, (p, n, d) in enumerate(sorted(expected))]
    assert workshop.check_federation_ports(design, answer).passed


@pytest.mark.parametrize("products", [p for n in (1, 2) for p in itertools.combinations(PRODUCTS, n)])
def test_every_product_subset_derives_every_artefact(design, products):
    scenario = Scenario.default_for(design).with_(products=products)
    org = organisation(design, scenario)
    components = {c.id for c in org.design.components}
    assert all(hop in components for f in org.design.flows for hop in f.path)
    walk(org.design, scenario, every_flow=False)


def test_office_web_apps_alone_keeps_only_its_own_flow(design):
    org = organisation(design, Scenario.default_for(design).with_(products=("owas",)))
    assert [f.id for f in org.design.flows if f.product == "owas"] == ["internal_owas"]


def test_remote_access_table_without_rows(design):
    org = organisation(design, Scenario.default_for(design).with_(products=("owas",)))
    assert not org.design.remote_access
    table = suitability_table(org.design)
    assert table.empty and list(table.columns) == ["product", "option", "status", "reason", "source"]


@pytest.mark.parametrize("changes, column", [
    ({"view": "internal"}, "network"),  # a public address in the internal view cannot move into the intranet
    ({"address": "203.0.113.255"}, "address"),  # the broadcast address has no place in a scenario's network
])
def test_address_outside_its_views_reference_network(data_copy, changes, column):
    import officenet
    from officenet import DesignError
    from helpers import edit
    line = edit(data_copy, "addresses", "edge_access", **changes)
    with pytest.raises(DesignError) as info:
        officenet.load(data_copy)
    assert [(p.file, p.row, p.column) for p in info.value.problems] == [("addresses.csv", line, column)]


@pytest.mark.parametrize("rule, field", [
    ({"protocol": "TCP", "port": "443", "to": ["x"]}, "to"),  # was a TypeError in the checks
    ({"protocol": "TCP", "port": "443", "to": "x", "from": {"a": 1}}, "from"),
    ({"protocol": "TCP", "port": "99999", "to": "exchange_cas"}, "port"),
    ({"protocol": "TCP", "port": "1" + "0" * 5000, "to": "exchange_cas"}, "port"),  # was Python's digit limit
    ({"protocol": "IP", "port": "256", "to": "lync_edge"}, "port"),
    ({"protocol": "TCP", "port": "443", "to": None}, "to"),
])
def test_gateway_rule_of_the_wrong_shape_is_a_scenario_error(rule, field):
    from officenet.model.scenario import ScenarioError
    with pytest.raises(ScenarioError) as info:
        Scenario(gateway_rules=(rule,))
    (p,) = info.value.problems
    assert p.column == f"gateway_rules[0].{field}" and len(str(p)) < 400


def test_valid_gateway_rules_still_load(design):
    rules = ({"protocol": "TCP", "port": 443, "to": "exchange_cas"},
             {"protocol": "UDP", "port": "50000-59999", "to": "lync_edge", "from": "any"},
             {"protocol": "IP", "port": "41", "to": "lync_edge"})
    org = organisation(design, Scenario(gateway_rules=rules))
    assert {f.subject for f in org.findings()} >= {"gateway_rules[0]"}


@pytest.mark.parametrize("name", ["two\nlines", "nul\x00", "x" * 101])
def test_scenario_name_is_one_short_line(name):
    from officenet.model.scenario import ScenarioError
    with pytest.raises(ScenarioError) as info:
        Scenario(name=name)
    assert [p.column for p in info.value.problems] == ["name"]


@pytest.mark.parametrize("table, row_id, column, value", [
    ("zones", "internet", "name", "Cloud mail"),  # two zones named alike broke the zone-pair list (pandas)
    ("products", "lync", "short_label", "Exchange"),
    ("components", "lync_edge", "short_label", "Exchange VIP"),
    ("traffic_types", "exchange_mail", "name", "Exchange client"),
])
def test_labels_that_key_tables_are_unique(data_copy, table, row_id, column, value):
    import officenet
    from officenet import DesignError
    from helpers import edit, rows
    assert value in {r[column] for r in rows(data_copy / f"{table}.csv")}
    line = edit(data_copy, table, row_id, **{column: value})
    with pytest.raises(DesignError) as info:
        officenet.load(data_copy)
    (p,) = info.value.problems
    assert (p.file, p.column, p.found) == (f"{table}.csv", column, value)
    assert p.row == line or f"(row {line} has it)" in p.expected  # names both rows


@pytest.mark.parametrize("table, row_id, changes", [
    ("zones", "internet", {"kind": "edge"}),  # Internet users in a zone that is not outside: a KeyError in
    ("user_types", "internal_employees", {"external": "yes"}),  # the remote-access diagram
])
def test_user_type_external_matches_its_zone(data_copy, table, row_id, changes):
    import officenet
    from officenet import DesignError
    from helpers import edit
    edit(data_copy, table, row_id, **changes)
    with pytest.raises(DesignError) as info:
        officenet.load(data_copy)
    assert {(p.file, p.column) for p in info.value.problems} == {("user_types.csv", "external")}
    assert all("zones.csv (row" in p.fix for p in info.value.problems)


def test_shared_listener_needs_the_name_of_each_further_pool(data_copy):
    # Cutting dns_records.csv down loaded, then the HAProxy export failed (LbConfigError) far away.
    from helpers import blocked, drop_rows
    drop_rows(data_copy, "dns_records", "ext_owas")
    (p,) = blocked(data_copy)
    assert (p.file, p.column) == ("dns_records.csv", "product") and "'owas'" in p.expected and "lync_vip" in p.expected


@pytest.mark.parametrize("changes", [{"kind": "edge"}, {"kind": "internal"}])
def test_mail_hosts_stay_beyond_the_gateway(data_copy, changes):
    # The cloud zone made an edge zone loaded, then the gateway permits had no address for the mail hosts.
    import officenet
    from officenet import DesignError
    from helpers import edit
    edit(data_copy, "zones", "cloud", **changes)
    with pytest.raises(DesignError) as info:
        officenet.load(data_copy)
    assert {(p.file, p.column) for p in info.value.problems} == {("components.csv", "zone")}


def test_perimeter_beyond_the_gateway_is_an_error(data_copy):
    import officenet
    from officenet import DesignError
    from helpers import edit
    edit(data_copy, "zones", "perimeter", kind="external")
    with pytest.raises(DesignError) as info:
        officenet.load(data_copy)
    assert {(p.file, p.column) for p in info.value.problems} == {("components.csv", "zone")}
    assert all("zones.csv (row 4)" in p.fix for p in info.value.problems)


@pytest.mark.parametrize("name", ["a b.{domain}", "x" * 64 + ".{domain}", "sip..{domain}"])
def test_a_dns_name_with_a_label_no_zone_can_hold_is_refused_at_load(data_copy, name):
    # make fuzz: a mutated owner name loaded, then the zone export failed inside dnspython.
    import officenet
    from officenet import DesignError
    from helpers import edit
    edit(data_copy, "dns_records", "ext_sip", name=name)
    with pytest.raises(DesignError) as info:
        officenet.load(data_copy)
    assert any((p.file, p.column) == ("dns_records.csv", "name") and "DNS name" in p.expected
               for p in info.value.problems)
