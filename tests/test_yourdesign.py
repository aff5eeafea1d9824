"""The your-design form and views: widgets in, scenario and results out; bad answers are shown."""
import pytest

from officenet.derive.organisation import organisation
from officenet.model.scenario import Scenario
from officenet.loading.scenario_file import load_scenario
from officenet.explorers.yourdesign_explorer import YourDesign
from officenet.edge.organisation_views import compare_html, findings_html, trace_html

from conftest import ROOT


@pytest.fixture
def app(design, tmp_path):
    return YourDesign(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design),
                      scenario_path=tmp_path / "mine.yaml", export_dir=tmp_path / "out")


def test_form_gives_back_the_scenario_it_was_given(app):
    assert app.form.scenario() == load_scenario(ROOT / "scenarios" / "fabrikam.yaml")


def test_a_widget_change_updates_the_findings(app):
    assert "lync_via_tunnel" in app.findings.value and "uag_for_lync" in app.findings.value
    before = app.findings.value
    app.form.reverse_proxy.value = "uag"
    assert app.org.scenario.reverse_proxy == "uag"
    assert app.findings.value != before and "2 red" not in before
    assert [f.check for f in app.org.findings() if f.severity == "error"] == ["uag_for_lync"]


def test_a_bad_domain_is_shown_not_raised(app):
    app.form.texts["domain"].value = "https://fabrikam"
    assert app.org is None and "domain" in app.status.value and "not a valid scenario" in app.status.value
    app.form.texts["domain"].value = "fabrikam.com"
    assert app.org is not None and app.status.value == ""


def test_trace_follows_the_flow_choice_and_the_design(app):
    assert "roaming_lync_web_via_directaccess" in [v for _, v in app.flow.options]
    app.flow.value = "roaming_lync_web_via_directaccess"
    assert "Trace of roaming_lync_web_via_directaccess" in app.trace.value and "<svg" in app.trace.value
    app.form.remote_access["lync"].value = "lync_edge"  # the flow disappears: the choice falls back
    assert app.flow.value in [v for _, v in app.flow.options]
    assert "roaming_lync_web_via_directaccess" not in [v for _, v in app.flow.options]


def test_save_and_export_write_files(app, tmp_path):
    path = app.save()
    assert load_scenario(path) == app.org.scenario
    written = app.export()
    assert (tmp_path / "out" / "loadbalancer" / "haproxy.cfg") in written and "Wrote" in app.status.value


def test_export_failure_is_reported_in_the_page(app, tmp_path):
    (tmp_path / "blocker").write_text("a file where the folder's parent should be")
    app.export_dir.value = str(tmp_path / "blocker" / "out")
    assert app.export() == [] and "not a valid scenario" in app.status.value


def test_pure_views_escape_and_show_both_diagrams(design):
    org = organisation(design, Scenario.default_for(design).with_(name="<b>Evil & Co</b>"))
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in findings_html(org) and "<b>Evil" not in findings_html(org)
    both = compare_html(organisation(design, Scenario.default_for(design)), org)
    assert both.count("<svg") == 2 and "No difference" in both
    assert trace_html(org, "roaming_lync_web").count("<svg") == 1


def test_comparison_shows_whole_items(design):
    from officenet.loading.scenario_file import load_scenario
    fab = organisation(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design))
    page = compare_html(organisation(design, Scenario.default_for(design)), fab)
    assert "roaming_sharepoint_vpn · Roaming employees → Gateway router → VPN gateway → SharePoint VIP" in page
    assert "..." not in page.split("<svg")[0]


def test_static_views_for_handouts_show_findings_diagram_trace_and_comparison(app):
    views = dict(app.static_views())
    assert list(views)[0] == "Findings and diagram" and "<svg" in views["Findings and diagram"]
    assert any(label.startswith("Trace of ") and "<svg" in body for label, body in views.items())
    assert views["Compare with the reference"].count("<svg") == 2
