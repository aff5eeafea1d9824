"""A design that loads gives every artefact: the walk of tests/artefacts.py over the reference design and
over the organisations of the shipped scenarios (the fuzzer walks mutated designs the same way)."""
import pytest

from officenet.derive.organisation import organisation
from officenet.loading.scenario_file import load_scenario

from artefacts import walk
from conftest import ROOT


def test_walk_of_the_reference_design(design):
    out = walk(design)
    flows, users = len(design.flows), len(design.user_types)
    assert sum(k.startswith("trace:") for k in out) == flows
    assert sum(k.startswith("dot:flow:") for k in out) == flows
    assert sum(k.startswith("remote:") for k in out) == users
    assert {k for k in out if k.startswith("zone:")} >= {"zone:external:contoso.com", "zone:internal:contoso.com"}
    assert len(out["export"]) >= 10 and "loadbalancer/haproxy.cfg" in out["export"]
    assert all(v is not None for v in out.values())


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
def test_walk_of_each_shipped_scenario(design, name):
    scenario = load_scenario(ROOT / "scenarios" / name, design)
    org = organisation(design, scenario)
    out = walk(org.design, scenario, every_flow=False)
    assert out["export"]["scenario.yaml"].startswith("name:")
