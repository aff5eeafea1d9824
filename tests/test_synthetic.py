"""The synthetic multi-site design used by the benchmark is a valid design."""
from officenet.derive.checks import run_checks
from officenet.derive.routes import ports_for
from officenet.loading.design_rules import consistency_problems
from officenet.model.scenario import Scenario
from officenet.loading.synthetic import multi_site


def test_two_sites_double_the_reference(design):
    two = multi_site(design, 2)
    assert len(two.components) == 2 * len(design.components)
    assert len(two.flows) == 2 * len(design.flows)
    assert consistency_problems(two) == []
    one_flow = design.flows[0]
    copy = two.get("flows", one_flow.id + "__s001")
    assert {p.id for p in ports_for(two, [copy])} == {p.id + "__s001" for p in ports_for(design, [one_flow])}


def test_branches_add_offices_with_their_flows(design):
    site = multi_site(design, 1, branches=2)
    offices = [c for c in site.components if c.id.endswith(("_b00", "_b01"))]
    assert len(offices) == 2 * len([u for u in design.user_types if u.external])
    assert consistency_problems(site) == []
    assert run_checks(site, Scenario.default_for(design)) == []
