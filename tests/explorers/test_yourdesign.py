"""The your-design form and views: widgets in, scenario and results out; bad answers are shown."""
import base64
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile

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
                      folder=tmp_path / "scenarios", export_dir=tmp_path / "out")


def test_form_gives_back_the_scenario_it_was_given(app):
    assert app.form.scenario() == load_scenario(ROOT / "scenarios" / "fabrikam.yaml")


def test_a_widget_change_updates_the_findings(app):
    assert "lync_via_tunnel" in app.findings.value and "uag_for_lync" in app.findings.value
    before = app.findings.value
    app.form.reverse_proxy.value = "uag"
    assert app.org.scenario.reverse_proxy == "uag"
    assert app.findings.value != before and "2 red" not in before
    assert [f.check for f in app.org.findings() if f.severity == "error"] == ["uag_for_lync"]


def test_a_bad_domain_is_shown_under_its_field_and_the_results_are_marked(app):
    findings = app.findings.value
    app.form.texts["domain"].value = "https://fabrikam"
    error = app.form.errors["domain"]
    assert "https://fabrikam" in error.value and error.layout.display is None
    # the other fields say nothing; the results are the last valid answers', faded and said so
    assert all(box.value == "" for key, box in app.form.errors.items() if key != "domain")
    assert "not valid" in app.status.value and "last valid answers (Fabrikam)" in app.status.value
    assert "officenet-stale" in app.tabs._dom_classes and app.findings.value == findings
    assert app.save_button.disabled and app.save() is None and app.export() == []
    app.form.texts["domain"].value = "fabrikam.com"
    assert app.org is not None and app.status.value == "" and error.value == "" and error.layout.display == "none"
    assert "officenet-stale" not in app.tabs._dom_classes and not app.save_button.disabled


def test_trace_follows_the_flow_choice_and_the_design(app):
    assert "roaming_lync_web_via_directaccess" in [v for _, v in app.flow.options]
    app.flow.value = "roaming_lync_web_via_directaccess"
    assert "Trace of roaming_lync_web_via_directaccess" in app.trace.value and "<svg" in app.trace.value
    app.form.remote_access["lync"].value = "lync_edge"  # the flow disappears: the choice falls back
    assert app.flow.value in [v for _, v in app.flow.options]
    assert "roaming_lync_web_via_directaccess" not in [v for _, v in app.flow.options]


def test_save_and_export_write_files_and_offer_them_for_download(app, tmp_path):
    app.form.texts["name"].value = "Northwind Traders"
    assert app.save_name.value == "my-northwind-traders.yaml"  # the file follows the name
    path = app.save()
    assert path == tmp_path / "scenarios" / "my-northwind-traders.yaml"
    assert load_scenario(path) == app.org.scenario
    assert [v for _, v in app.designs.options] == ["", str(path)] and app.designs.value == str(path)
    assert _downloads(app.saved.value) == {"my-northwind-traders.yaml": path.read_bytes()}
    written = app.export()
    assert (tmp_path / "out" / "loadbalancer" / "haproxy.cfg") in written and "Wrote" in app.exported.value
    links = _downloads(app.exported.value)
    assert len(links) == len(written) + 1  # one per file, and the zip
    with zipfile.ZipFile(io.BytesIO(links["out.zip"])) as archive:
        assert sorted(archive.namelist()) == sorted(f"out/{p.relative_to(tmp_path / 'out').as_posix()}" for p in written)
        assert archive.read("out/loadbalancer/haproxy.cfg") == (tmp_path / "out" / "loadbalancer" / "haproxy.cfg").read_bytes()
    assert links["haproxy.cfg"] == (tmp_path / "out" / "loadbalancer" / "haproxy.cfg").read_bytes()
    app.form.mail.value = "direct"  # the export no longer matches the answers: it says so
    assert "export again" in app.exported.value


def _downloads(page: str) -> dict[str, bytes]:
    return {name: base64.b64decode(data) for name, data in
            re.findall(r'<a class="officenet-download" download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', page)}


def in_a_new_process(folder, lines: str) -> list[str]:
    """What ``lines`` print in a new Python process (a kernel restarted) whose your-design app keeps its
    designs in ``folder`` and starts from Fabrikam."""
    script = ("import officenet; from officenet.loading.scenario_file import load_scenario\n"
              "from officenet.explorers.yourdesign_explorer import YourDesign\n"
              f"app = YourDesign(officenet.load(), load_scenario({str(ROOT / 'scenarios' / 'fabrikam.yaml')!r}), "
              f"folder={str(folder)!r})\n" + lines)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "lib")}).stdout.splitlines()


def test_a_saved_design_comes_back_after_a_kernel_restart(design, tmp_path):
    """Saved in one Python process, the design is where a new process's form starts (a restarted kernel)."""
    folder = tmp_path / "scenarios"
    shutil.copytree(ROOT / "scenarios", folder)
    app = YourDesign(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml"), folder=folder)
    assert app.form.texts["domain"].value == "fabrikam.com"
    app.form.texts["domain"].value = "northwind.example"
    app.form.remote_access["sharepoint"].value = "reverse_proxy"
    app.form.vpn_protocols["sstp"].value = True
    saved = app.save()
    out = in_a_new_process(folder, "s = app.form.scenario(); print(s.domain, s.remote_access['sharepoint'], "
                                   "','.join(s.vpn_protocols))\nprint(app.designs.value); print(app.started.value)")
    assert out[0] == "northwind.example reverse_proxy ikev2,sstp"
    assert out[1] == str(saved) and "last saved design, my-fabrikam.yaml" in out[2]
    # and the list offers the project's scenarios to open instead
    assert app.open(folder / "contoso.yaml").domain == "contoso.com"
    assert app.form.texts["domain"].value == "contoso.com" and app.save_name.value == "my-contoso-reference-design.yaml"


def test_a_saved_design_that_no_longer_loads_is_said_and_the_example_shown(design, tmp_path):
    (tmp_path / "my-broken.yaml").write_text("domain: https://x\n")
    app = YourDesign(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml"), folder=tmp_path)
    assert app.form.texts["domain"].value == "fabrikam.com"
    assert "my-broken.yaml did not load" in app.started.value and "Fabrikam" in app.started.value


def test_export_failure_is_reported_in_the_page(app, tmp_path):
    (tmp_path / "blocker").write_text("a file where the folder's parent should be")
    app.export_dir.value = str(tmp_path / "blocker" / "out")
    assert app.export() == [] and "not a valid scenario" in app.exported.value


IDS = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b|^(dns|layer4|layer7|vpn|eop|direct|generic|tmg|uag|iis_arr)$")


def _labels(form) -> list[str]:
    labels = [w.description for w in form.all_widgets()]
    return labels + [label for w in form.all_widgets() if hasattr(w, "options") for label, _ in w.options]


def test_every_label_of_the_form_is_words_not_an_id(app):
    labels = _labels(app.form)
    assert not [t for t in labels if IDS.search(t)], "labels that are ids"
    assert "SharePoint Server 2013" in labels and "Layer 7 load balancer" in labels and "VPN or DirectAccess" in labels
    assert "DirectAccess 6to4 (IP protocol 41)" in labels  # gateway_options.csv's own label
    assert "Products of" in labels and "The 2013 poster" in labels and "Today's supported successors" in labels
    app.form.release.value = "current"  # the lists of today's editions, named by their own tables
    labels = _labels(app.form)
    assert not [t for t in labels if IDS.search(t)], "labels that are ids"
    assert "SharePoint Server Subscription Edition" in labels and "SharePoint Server 2013" not in labels
    assert "DirectAccess 6to4 (IP protocol 41)" in labels  # greyed out, still named in words


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


def test_jupyterlab_reaches_the_saved_designs_through_the_notebooks_link(design, tmp_path):
    """JupyterLab serves notebooks/ only (make lab's --notebook-dir): notebooks/scenarios links to ../scenarios,
    where the app saves, so its file browser lists and opens a saved design."""
    from jupyter_server.services.contents.filemanager import FileContentsManager
    link = ROOT / "notebooks" / "scenarios"
    assert link.is_symlink() and link.resolve() == (ROOT / "scenarios").resolve()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "scenarios").symlink_to(os.readlink(link))
    app = YourDesign(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml"), folder=tmp_path / "scenarios")
    app.save()
    contents = FileContentsManager(root_dir=str(tmp_path / "notebooks"))
    assert [c["name"] for c in contents.get("scenarios")["content"]] == ["my-fabrikam.yaml"]
    assert "domain: fabrikam.com" in contents.get("scenarios/my-fabrikam.yaml")["content"]


def test_answers_the_release_lacks_are_greyed_out(design, tmp_path):
    """Today's editions have no XMPP gateway, no A/V range option and no DirectAccess: the form offers none."""
    current = YourDesign(design, load_scenario(ROOT / "scenarios" / "contoso-current.yaml", design),
                         folder=tmp_path / "scenarios", export_dir=tmp_path / "out")
    greyed = {k for k, w in current.form.flags.items() if w.disabled}
    assert greyed == {"xmpp", "lync_av_range", "teredo", "six_to_four", "directaccess_ipv6"}
    assert all(not current.form.flags[k].value for k in greyed)
    assert current.form.scenario() == load_scenario(ROOT / "scenarios" / "contoso-current.yaml")
    # the same form given a 2013 design again offers them all
    current.form.set_scenario(load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design))
    assert not any(w.disabled for w in current.form.flags.values())


CURRENT = ROOT / "scenarios" / "contoso-current.yaml"


@pytest.fixture
def current_app(design, tmp_path):
    return YourDesign(design, load_scenario(CURRENT, design), folder=tmp_path / "scenarios",
                      export_dir=tmp_path / "out")


def test_a_current_scenario_round_trips_through_the_lists_of_its_release(current_app):
    form = current_app.form
    assert form.scenario() == load_scenario(CURRENT)
    assert form.release.value == "current" and form.design.release == "current"
    assert "exchange_web" in form.load_balancing and "exchange_cas" not in form.load_balancing
    assert not [k for k, w in form.remote_access.items() if "directaccess" in [v for _, v in w.options]]
    assert form.products["exchange"].description == "Exchange Server Subscription Edition"


def test_a_current_scenario_shows_findings_trace_comparison_and_exports_of_its_release(current_app, design):
    app = current_app
    org = organisation(design, load_scenario(CURRENT, design))
    assert app.org.design.release == "current" and app.findings.value == findings_html(org)
    assert "Contoso (current editions)" in app.findings.value
    assert "owas_for_exchange" not in app.findings.value  # a check of the 2013 release only (checks.csv)
    flows = [v for _, v in app.flow.options]
    assert flows and flows == [f.id for f in org.design.flows if f.id in flows]
    assert not [f for f in flows if "directaccess" in f] and "<svg" in app.trace.value
    # compared with Contoso on the same products: the answers are today's reference, not a migration
    assert "No difference" in app.comparison.value
    assert "Contoso (reference design, today&#x27;s supported successors)" in app.comparison.value
    written = app.export()
    haproxy = next(p for p in written if p.name == "haproxy.cfg").read_text()
    assert "ssl-min-ver TLSv1.2" in haproxy and haproxy == org.haproxy()
    assert load_scenario(app.save()) == load_scenario(CURRENT)


def test_a_saved_current_design_comes_back_after_a_kernel_restart(design, tmp_path):
    folder = tmp_path / "scenarios"
    app = YourDesign(design, load_scenario(CURRENT, design), folder=folder)
    app.form.load_balancing["exchange_web"].value = "layer4"
    saved = app.save()
    out = in_a_new_process(folder, "s = app.form.scenario(); print(app.form.release.value, s.release, "
                                   "app.org.design.release)\nprint(s.load_balancing['exchange_web'], "
                                   "app.form.flags['xmpp'].disabled); print(app.started.value)")
    assert out[:2] == ["current current current", "layer4 True"]
    assert f"last saved design, {saved.name}" in out[2]


def test_switching_the_release_in_the_form_refits_it_and_keeps_what_both_offer(app, design):
    """Fabrikam (2013, DirectAccess) moved onto today's editions: the lists are today's, the answers today offers
    stay, DirectAccess gives way to the release's reference answer, and the new widgets drive the results."""
    old_exchange = app.form.products["exchange"]
    app.form.release.value = "current"
    s = app.org.scenario
    assert s.release == "current" and app.org.design.release == "current" and s.domain == "fabrikam.com"
    assert dict(s.remote_access) == {"lync": "lync_edge", "sharepoint": "vpn", "exchange": "reverse_proxy",
                                     "owas": "reverse_proxy"}
    assert s.load_balancing["exchange_web"] == "layer7" and "exchange_cas" not in s.load_balancing
    assert s.products == ("lync", "sharepoint", "exchange") and s.vpn_protocols == ("ikev2",)
    assert {k for k, w in app.form.flags.items() if w.disabled} == {"xmpp", "lync_av_range", "teredo",
                                                                     "six_to_four", "directaccess_ipv6"}
    assert app.form.products["exchange"] is not old_exchange  # rebuilt, and observed:
    app.form.load_balancing["exchange_web"].value = "layer4"
    assert app.org.scenario.load_balancing["exchange_web"] == "layer4"
    app.form.remote_access["sharepoint"].value = "reverse_proxy"
    assert app.org.scenario.remote_access["sharepoint"] == "reverse_proxy"
    assert "Contoso (reference design, today&#x27;s supported successors)" in app.comparison.value
    app.form.release.value = "2013"  # and back: the 2013 lists, the answers both releases offer kept
    s = app.org.scenario
    assert s.release == "2013" and "exchange_cas" in s.load_balancing
    assert s.remote_access["sharepoint"] == "reverse_proxy" and not any(w.disabled for w in app.form.flags.values())
    assert "Contoso (reference design)</h4>" in app.comparison.value


def test_opening_a_saved_design_of_another_release_refits_the_form(app, design, tmp_path):
    shutil.copy(CURRENT, tmp_path / "contoso-current.yaml")
    assert app.open(tmp_path / "contoso-current.yaml").release == "current"
    assert app.form.release.value == "current" and app.org.scenario == load_scenario(CURRENT)
    app.form.texts["domain"].value = "contoso.example"  # the texts stay observed, the new lists too
    app.form.mail.value = "direct"
    assert (app.org.scenario.domain, app.org.scenario.mail, app.org.scenario.release) == ("contoso.example",
                                                                                          "direct", "current")
    app.open(ROOT / "scenarios" / "fabrikam.yaml")
    assert app.form.release.value == "2013" and app.org.scenario == load_scenario(ROOT / "scenarios" / "fabrikam.yaml")
