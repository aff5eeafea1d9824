"""The migration explorer: each release's diagram with the differences of derive.migration marked."""
import pytest

from officenet.derive.organisation import organisation
from officenet.explorers.migration_explorer import MigrationExplorer
from officenet.loading.scenario_file import load_scenario

from conftest import ROOT


@pytest.fixture(scope="module")
def orgs(design):
    return (organisation(design, load_scenario(ROOT / "scenarios" / "contoso.yaml")),
            organisation(design, load_scenario(ROOT / "scenarios" / "contoso-current.yaml")))


def test_explorer_shows_each_release_with_its_differences(orgs):
    views = dict(MigrationExplorer(*orgs).static_views())
    assert len(views) == 5 and all("<svg" in v for v in views.values())
    default = views["Default view"]
    assert "<b>5</b> items removed" in default and "in-directaccess-server-tcp-443" in default
    after = next(v for k, v in views.items() if k.startswith("Release"))
    # today's release adds two outbound permits: the A/V Edge's UDP media range and SharePoint's OIDC metadata
    assert "<b>2</b> items added or changed" in after and "in-directaccess" not in after
    assert "out-lync-edge-udp-50000-59999" in after and "out-sharepoint-fe-tcp-443" in after
