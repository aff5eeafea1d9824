"""One test per check that triggers it and one that does not."""
import pytest

import officenet
from officenet import DesignError
from officenet.derive.apply import apply_scenario
from officenet.derive.checks import CHECKS, blocking_problems, run_checks
from officenet.derive.stoplight import stoplight
from officenet.loading.loader import load_rules
from officenet.model.scenario import Scenario

from helpers import edit

# check id -> (scenario answers that trigger it, answers that keep it quiet)
CASES = {
    "lync_web_dns_lb": ({"load_balancing": {"lync_web_internal": "dns"}},
                        {"load_balancing": {"lync_web_internal": "layer7"}}),
    "lync_via_tunnel": ({"remote_access": {"lync": "directaccess"}}, {"remote_access": {"lync": "lync_edge"}}),
    "uag_for_lync": ({"reverse_proxy": "uag"}, {"reverse_proxy": "iis_arr"}),
    "owas_for_exchange": ({"owas_hosts": ("lync", "sharepoint", "exchange")}, {"owas_hosts": ("lync",)}),
    "aol_public_im": ({"public_im": True}, {"public_im": False}),
}


def findings_for(design, check, **answers):
    scenario = Scenario.default_for(design).with_(**answers)
    return [f for f in run_checks(apply_scenario(design, scenario), scenario) if f.check == check]


@pytest.mark.parametrize("check", sorted(CASES))
def test_check_triggers(design, check):
    found = findings_for(design, check, **CASES[check][0])
    assert len(found) == 1 and found[0].severity in ("error", "warning")


@pytest.mark.parametrize("check", sorted(CASES))
def test_check_stays_quiet(design, check):
    assert findings_for(design, check, **CASES[check][1]) == []


def test_tunnel_warning_also_for_vpn(design):
    assert findings_for(design, "lync_via_tunnel", remote_access={"lync": "vpn"})


def test_checks_about_lync_are_quiet_without_lync(design):
    answers = {"products": ("sharepoint", "exchange"), "reverse_proxy": "uag", "public_im": True,
               "load_balancing": {"lync_web_internal": "dns", "lync_web_external": "dns"}}
    scenario = Scenario.default_for(design).with_(**answers)
    found = run_checks(apply_scenario(design, scenario), scenario)
    # UAG publishing Exchange and SharePoint is no Lync matter, but it is out of support (LIFE-2020).
    assert [f.check for f in found] == ["reverse_proxy_out_of_support"]


def test_flow_without_listener_triggers(data_copy):
    for port in (443, 80, 110, 995, 143, 993, 587):  # every Exchange client row from the VIP to Client Access
        edit(data_copy, "ports", f"ex_vip_cas_{port}", to="exchange_mailbox")
    design = officenet.load(data_copy)
    found = [f for f in run_checks(design, Scenario()) if f.check == "flow_without_listener"]
    assert {f.subject for f in found} == {"flows:partner_exchange_sharing", "flows:roaming_exchange",
                                          "flows:internal_exchange"}
    assert all("exchange_cas" in f.detail for f in found)


def test_flow_without_listener_quiet_on_the_reference(design):
    assert not [f for f in run_checks(design, Scenario.default_for(design)) if f.check == "flow_without_listener"]


def test_every_rule_has_a_function_and_a_source():
    rules = load_rules()
    assert {r.id for r in rules} == set(CHECKS)
    assert all(r.source and r.reason and r.fix for r in rules)


def test_rule_without_function_is_a_clear_error(data_copy):
    with (data_copy / "checks.csv").open("a") as fh:
        fh.write("made_up,error,x,Title,Reason,Fix,,,,EN\n")
    design = officenet.load(data_copy)  # loading reads; which rule has its function is a derivation's question
    p = blocking_problems(design)[0]
    assert (p.file, p.column, p.found) == ("checks.csv", "id", "made_up") and p.row == len(load_rules()) + 2
    # It is an error finding, and no export is written while it stands.
    found = run_checks(design, Scenario.default_for(design))
    assert [(f.check, f.severity) for f in found] == [("design_integrity", "error")] and "made_up" in found[0].detail
    from officenet.derive.organisation import organisation
    from officenet.edge.exports import export_texts
    with pytest.raises(DesignError, match="made_up"):
        export_texts(organisation(design, Scenario()))


def test_stoplight_orders_red_amber_green(design):
    scenario = Scenario.default_for(design).with_(reverse_proxy="uag", public_im=True)
    table = stoplight(run_checks(apply_scenario(design, scenario), scenario), design.checks)
    assert list(table["light"])[:2] == ["red", "amber"] and set(table["light"][2:]) == {"green"}
    assert table.loc["uag_for_lync", "findings"] == 1


RDP = {"protocol": "TCP", "port": 3389, "to": "exchange_cas"}
HTTPS_VIP = {"protocol": "TCP", "port": 443, "to": "exchange_vip"}


def only(findings, check):
    return [f for f in findings if f.check == check]


def test_permit_without_flow_triggers_on_an_unneeded_rule(design):
    found = only(run_checks(design, Scenario.default_for(design).with_(gateway_rules=(RDP,))), "permit_without_flow")
    assert [f.subject for f in found] == ["gateway_rules[0]"] and "3389" in found[0].detail


def test_permit_without_flow_quiet_for_a_rule_the_flows_need(design):
    assert not only(run_checks(design, Scenario.default_for(design).with_(gateway_rules=(HTTPS_VIP,))), "permit_without_flow")


def test_any_to_internal_triggers_for_a_rule_into_the_intranet(design):
    found = only(run_checks(design, Scenario.default_for(design).with_(gateway_rules=(RDP,))), "any_to_internal")
    assert [f.subject for f in found] == ["gateway_rules[0]"]


def test_any_to_internal_quiet_for_the_reference_and_for_a_vip(design):
    assert not only(run_checks(design, Scenario.default_for(design).with_(gateway_rules=(HTTPS_VIP,))), "any_to_internal")


def test_flow_not_permitted_triggers_when_its_ports_are_gone(data_copy):
    for pid in ("rp_lync_443", "rp_lync_80"):  # other tables refer to their ids: point them elsewhere
        edit(data_copy, "ports", pid, to="lync_edge")
    found = only(run_checks(officenet.load(data_copy), Scenario()), "flow_not_permitted")
    assert {f.subject for f in found} == {"flows:roaming_lync_web", "flows:individual_lync_web"}


def test_flow_not_permitted_quiet_on_the_reference(design):
    assert not only(run_checks(design, Scenario.default_for(design)), "flow_not_permitted")


# --- names: DNS records and certificates ---------------------------------------------
from dataclasses import replace  # noqa: E402


def with_rows(design, table, drop=(), change=None, add=()):
    """The design with rows of one table dropped, changed ({id: {column: value}}) or added."""
    rows = [replace(r, **(change or {}).get(r.id, {})) for r in getattr(design, table) if r.id not in drop]
    return replace(design, **{table: tuple(rows) + tuple(add)}, lines={})


def dns_row(design, rid):
    return next(r for r in design.dns_records if r.id == rid)


# check id -> function of the reference design giving a design that breaks the rule once
BROKEN_NAMES = {
    "name_on_certificate": lambda d: with_rows(d, "certificates", drop={"edge_webcon"}),
    "name_in_dns": lambda d: with_rows(d, "dns_records", drop={"int_admin"}),
    "lyncdiscover_external_only": lambda d: with_rows(
        d, "dns_records", add=[replace(dns_row(d, "ext_lyncdiscover"), id="int_lyncdiscover", view="internal")]),
    "lyncdiscoverinternal_internal_only": lambda d: with_rows(
        d, "dns_records", add=[replace(dns_row(d, "int_lyncdiscoverinternal"), id="ext_ldi", view="external",
                                       value="{ip:edge_access}")]),
    "internal_namespace_private": lambda d: with_rows(d, "dns_records", change={"int_nls": {"view": "external"}}),
    "srv_targets": lambda d: with_rows(d, "dns_records", change={"ext_sip_tls": {"value": "sip2.{domain}"}}),
    "one_spf": lambda d: with_rows(d, "dns_records", add=[replace(dns_row(d, "ext_spf"), id="ext_spf2")]),
    "mx_to_eop": lambda d: with_rows(d, "dns_records", change={"ext_mx": {"value": "mail.{domain}"}}),
}


@pytest.mark.parametrize("check", sorted(BROKEN_NAMES))
def test_name_check_triggers(design, check):
    found = only(run_checks(BROKEN_NAMES[check](design), Scenario.default_for(design)), check)
    assert len(found) == 1, found
    others = {f.check for f in run_checks(BROKEN_NAMES[check](design), Scenario.default_for(design))} - {check}
    assert others <= {"name_in_dns", "name_on_certificate", "srv_targets"}  # a missing name may show twice


@pytest.mark.parametrize("check", sorted(BROKEN_NAMES))
def test_name_check_quiet_on_the_reference_and_fabrikam(design, check):
    from officenet.loading.scenario_file import load_scenario
    from conftest import ROOT
    assert not only(run_checks(design, Scenario.default_for(design)), check)
    fabrikam = load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design)
    assert not only(run_checks(apply_scenario(design, fabrikam), fabrikam), check)


def test_name_on_certificate_names_the_missing_name(design):
    (f,) = only(run_checks(BROKEN_NAMES["name_on_certificate"](design), Scenario.default_for(design)), "name_on_certificate")
    assert f.subject == "dns:webcon.contoso.com"


def test_name_in_dns_names_the_certificate_row_and_view(design):
    (f,) = only(run_checks(BROKEN_NAMES["name_in_dns"](design), Scenario.default_for(design)), "name_in_dns")
    assert f.subject == "certificates:fe_webint_admin" and "internal DNS" in f.detail


def test_mx_rule_is_quiet_for_direct_mail(design):
    scenario = Scenario.default_for(design).with_(mail="direct")
    assert not only(run_checks(apply_scenario(design, scenario), scenario), "mx_to_eop")


def test_vip_port_mismatch_triggers_on_a_wrong_forwarding_port(design):
    broken = with_rows(design, "ports", change={"rp_to_web_4443": {"port": (443, 443)}})
    found = only(run_checks(broken, Scenario.default_for(design)), "vip_port_mismatch")
    assert {f.subject for f in found} == {"vip_services:rp_lync_443", "vip_services:hlb_ext_4443",
                                          "ports:rp_to_web_4443"}  # 443 now ends where nothing listens on 443
    assert any("on 4443, but the port rows say TCP 443 (rp_to_web_4443)" in f.detail for f in found)


def test_vip_port_mismatch_quiet_on_the_reference(design):
    assert not only(run_checks(design, Scenario.default_for(design)), "vip_port_mismatch")


def test_a_broken_checks_file_is_a_clear_error(data_copy):
    (data_copy / "checks.csv").write_text("id,severity,applies_to,title,reason,fix,statement,product,about,source\n"
                                          "uag_for_lync,error,x,T,R,F,,lync,uag,EN\n"
                                          "aol_public_im,warning,x,T,R,a fix, with a comma,,lync,,EN\n")
    with pytest.raises(DesignError) as info:
        load_rules(data_copy)
    p = info.value.problems[0]
    assert (p.file, p.row) == ("checks.csv", 3) and "quote" in p.fix
