"""Load balancing: rules as data, VIP listeners, the checker, the diagram and the explorer."""
import pytest

import officenet
from officenet import DesignError
from officenet.derive import loadbalancing as lb
from officenet.explorers.loadbalancing_explorer import LoadBalancingExplorer

from conftest import check_golden
from helpers import edit


def test_lync_web_needs_a_hardware_load_balancer(design):
    for workload in ("lync_web_internal", "lync_web_external"):
        (f,) = [f for f in lb.check(design, workload, "dns", "none") if f.aspect == "method"]
        assert f.status == "not_supported" and f.is_warning and "L-LB" in f.text()
        assert lb.recommended(design, workload)["method"] == "layer7"  # mobile clients: L-HLB


def test_affinity_per_lync_web_vip(design):
    assert lb.recommended(design, "lync_web_internal")["affinity"] == "source_address"
    assert lb.recommended(design, "lync_web_external")["affinity"] == "none"
    internal = {v.persistence for v in design.vip_services if v.vip == "lync_web_int_vip"}
    external = {v.persistence for v in design.vip_services if v.vip == "lync_web_ext_vip"}
    assert internal == {"source_address"} and external == {"none"}
    assert {v.idle_timeout for v in design.vip_services if v.vip.startswith("lync_web")} == {1800}


def test_recommended_choices_per_product(design):
    assert lb.recommended(design, "lync_sip")["method"] == "dns"
    assert lb.recommended(design, "exchange_cas") == {"method": "layer4", "affinity": "none"}
    assert lb.recommended(design, "sharepoint_web")["affinity"] == "none"
    assert lb.recommended(design, "owas")["method"] == "layer7"


def test_an_undocumented_choice_is_a_warning_not_a_silent_pass(design):
    (method, affinity) = lb.check(design, "lync_web_external", "layer7", "source_address")
    assert method.status == "required" and not method.is_warning
    assert affinity.rule is None and affinity.is_warning and "say nothing" in affinity.text()


def test_port_translation_of_the_lync_external_web_services(design):
    table = lb.vip_table(design, "lync_web_external")
    assert table.loc["rp_lync_443", "backend port"] == "4443" and table.loc["rp_lync_443", "translation"] == "yes"
    assert table.loc["rp_lync_80", "backend port"] == "8080"


def test_the_owas_vip_is_marked_as_added(design):
    row = lb.vip_table(design).loc["owas_vip_443"]
    assert row["on the poster"] == "added by officenet" and "OFFICENET" in row["source"]
    assert "added by officenet" in lb.to_dot(design, "owas")


def test_the_hlb_correction_shows_for_lync_web(design):
    ids = {c.id for c in lb.related_corrections(design, "lync_web_internal")}
    assert "tr_hlb" in ids
    assert "tr_hlb" not in {c.id for c in lb.related_corrections(design, "exchange_cas")}
    assert "tr_tiers" not in ids  # only the VIPs, their devices and pools, not the whole server


def test_explorer_redraws_with_warnings(design):
    ex = LoadBalancingExplorer(design)
    assert ex.selection == {"workload": "lync_sip", "method": "dns", "affinity": "none"}
    first = ex.output.value
    assert "check the warnings" not in first and "DNS load balanced" in first
    ex.controls["workload"].value = "lync_web_internal"
    after = ex.output.value
    assert after != first and "<svg" in after and "check the warnings" in after
    assert "DNS load balancing: not supported" in after
    assert "hlb_int_443" in after and "Hardware load balancing for Lync web" in after
    ex.controls["method"].value = "layer4"
    ex.controls["affinity"].value = "source_address"
    assert "check the warnings" not in ex.output.value


def test_explorer_static_views(design):
    views = LoadBalancingExplorer(design).static_views()
    assert len(views) == 1 + 5 + 2 + 2
    assert all("<svg" in h for _, h in views)


def test_dot_escapes_labels(design):
    import dataclasses
    v = dataclasses.replace(design.vip_services[0], vip_label='A <b>&"x"')
    d = dataclasses.replace(design, vip_services=(v,) + design.vip_services[1:])
    dot = lb.to_dot(d)
    assert "A &lt;b&gt;&amp;&quot;x&quot;" in dot and "<b>" not in dot


@pytest.mark.parametrize("workload", [None, "lync_web_external"])
def test_golden_dot(design, workload):
    check_golden(f"dot/lb_{workload or 'all'}.dot", lb.to_dot(design, workload))


def test_golden_tables(design):
    check_golden("tables/lb_rules.csv", lb.rule_table(design).to_csv(lineterminator="\n"))
    check_golden("tables/vip_services.csv", lb.vip_table(design).to_csv(lineterminator="\n"))


def load_error(data_dir):
    with pytest.raises(DesignError) as info:
        officenet.load(data_dir)
    assert len(info.value.problems) == 1, str(info.value)
    return info.value.problems[0]


def test_bad_input_an_affinity_given_as_a_method(data_copy):
    line = edit(data_copy, "lb_rules", "exchange_layer4", choice="cookie")
    p = load_error(data_copy)
    assert (p.file, p.row, p.column) == ("lb_rules.csv", line, "choice")
    assert "for aspect method" in p.expected and "layer4" in p.fix


def test_bad_input_an_added_vip_without_officenet_source(data_copy):
    line = edit(data_copy, "vip_services", "owas_vip_443", source="OWAS")
    p = load_error(data_copy)
    assert (p.file, p.row, p.column) == ("vip_services.csv", line, "source") and "OFFICENET" in p.fix


def test_bad_input_a_poster_vip_without_component(data_copy):
    line = edit(data_copy, "vip_services", "ex_443", component="")
    p = load_error(data_copy)
    assert (p.file, p.row, p.column) == ("vip_services.csv", line, "component") and "in_poster" in p.fix


def test_bad_input_workload_name(data_copy):
    line = edit(data_copy, "lb_rules", "exchange_layer4", workload="Exchange CAS")
    p = load_error(data_copy)
    assert (p.file, p.row, p.column) == ("lb_rules.csv", line, "workload")


def test_decision_table_follows_the_choices(design):
    best = lb.decision_table(design)
    assert best.loc["Lync web, internal", "affinity"] == "Source address"
    assert best.loc["Lync SIP (Front End pool)", "VIPs"] == "(none: DNS)"
    bad = lb.decision_table(design, {"lync_web_internal": {"method": "dns"}})
    assert bad.loc["Lync web, internal", "method status"] == "not supported"
