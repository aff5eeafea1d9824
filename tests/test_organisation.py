"""An organisation derived from a scenario, and the comparison of two."""
from officenet.derive.organisation import compare, organisation
from officenet.model.scenario import Scenario
from officenet.loading.scenario_file import load_scenario

from conftest import ROOT


def fabrikam(design):
    return organisation(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design))


def test_compare_reference_with_itself_is_empty(design):
    a = organisation(design, Scenario.default_for(design))
    assert compare(a, organisation(design, Scenario.default_for(design))).empty


def test_compare_names_what_only_one_side_has(design):
    diff = compare(organisation(design, Scenario.default_for(design)), fabrikam(design))
    only_ref = diff[diff.side == "only in Contoso (reference design)"]
    assert set(only_ref.artefact) == {"flows", "ports", "gateway", "dns", "certificates"}
    assert "external · officewebapps01.{domain} A <address>" in set(only_ref.item)
    assert "reverse_proxy · san · officewebapps01.{domain}" in set(only_ref.item)
    assert "inbound · UDP · 500 · Internet · VPN gateway" in set(only_ref.item)
    assert any(item.startswith("roaming_sharepoint_vpn") for item in only_ref.item)
    assert any("Office Web Apps farm" in item for item in only_ref[only_ref.artefact == "ports"].item)
    only_fab = diff[diff.side == "only in Fabrikam"]
    assert set(only_fab.artefact) == {"flows", "findings"}  # the tunnelled paths, and the warning about Lync
    assert all("_via_directaccess" in item for item in only_fab[only_fab.artefact == "flows"].item)


def test_findings_show_in_the_comparison(design):
    risky = organisation(design, Scenario.default_for(design).with_(name="Risky", reverse_proxy="uag"))
    diff = compare(organisation(design, Scenario.default_for(design)), risky, artefacts=("findings",))
    assert list(diff.item) == ["uag_for_lync · reverse_proxy"] and list(diff.side) == ["only in Risky"]


def test_artefacts_are_copies(design):
    org = organisation(design, Scenario.default_for(design))
    copy = org.artefact("ports")
    copy.iloc[:, 0] = "changed"
    assert "changed" not in set(org.artefact("ports").iloc[:, 0])
