"""Applying a scenario re-derives the design."""
import pytest

from officenet.derive.apply import CHOICE_ROWS, apply_scenario
from officenet.derive.routes import ports_for
from officenet.loading.design_rules import consistency_problems
from officenet.model.scenario import Scenario
from officenet.loading.scenario_file import load_scenario

from conftest import ROOT


def test_reference_scenario_gives_the_reference_design(design):
    derived = apply_scenario(design, Scenario.default_for(design))
    for table in ("components", "links", "flows", "urls", "authentication"):
        assert getattr(derived, table) == getattr(design, table), table
    # The XMPP rows are the one choice the reference leaves off (er_xmpp_optional).
    assert derived.ports == tuple(p for p in design.ports if f"ports:{p.id}" not in CHOICE_ROWS["xmpp"])
    assert apply_scenario(design, Scenario(xmpp=True)).ports == design.ports


def test_fabrikam_without_office_web_apps_and_with_directaccess(design):
    derived = apply_scenario(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design))
    ids = {c.id for c in derived.components}
    assert not {"owas_server", "owas_fe", "vpn_gateway"} & ids and "directaccess_server" in ids
    assert not [f for f in derived.flows if f.product == "owas"]
    roaming_sp = [f for f in derived.flows if f.user_type == "roaming_employees" and f.product == "sharepoint"]
    assert [f.path for f in roaming_sp] == [("roaming_employees", "gateway_router", "directaccess_server",
                                             "sharepoint_vip", "sharepoint_fe")]
    assert {u.url for u in derived.urls} >= {"https://partnerweb.fabrikam.com", "https://meet.fabrikam.com"}
    assert not [u for u in derived.urls if "contoso" in u.url]
    assert consistency_problems(derived) == []


def test_lync_through_directaccess_takes_the_internal_path(design):
    derived = apply_scenario(design, Scenario.default_for(design).with_(remote_access={"lync": "directaccess"}))
    flow = next(f for f in derived.flows if f.id == "roaming_lync_sip_via_directaccess")
    assert flow.path == ("roaming_employees", "gateway_router", "directaccess_server", "lync_pool")
    assert {p.id for p in ports_for(derived, [flow])} >= {"int_lync_sip_5061", "da_iphttps_443"}
    assert consistency_problems(derived) == []


def test_sharepoint_published_through_the_reverse_proxy(design):
    derived = apply_scenario(design, Scenario.default_for(design).with_(remote_access={"sharepoint": "reverse_proxy"}))
    roaming_sp = [f for f in derived.flows if f.user_type == "roaming_employees" and f.product == "sharepoint"]
    assert [f.path for f in roaming_sp] == [("roaming_employees", "gateway_router", "sharepoint_vip", "sharepoint_fe")]
    assert not {"directaccess_server", "vpn_gateway"} & {c.id for c in derived.components}


def test_direct_mail_accepts_smtp_from_any_mail_host_and_no_federation_drops_partner_lync(design):
    from officenet.derive.addresses import gateway_addresses
    from officenet.derive.checks import run_checks
    scenario = Scenario.default_for(design).with_(mail="direct", federation=False)
    derived = apply_scenario(design, scenario)
    smtp = next(f for f in derived.flows if f.id == "partner_smtp")
    assert smtp.path[:3] == ("partner_companies", "mail_hosts", "gateway_router")
    assert gateway_addresses(derived, eop=False)["mail_hosts"] is None  # any Internet mail host
    assert gateway_addresses(derived, eop=True)["mail_hosts"] is not None
    assert run_checks(derived, scenario) == []
    assert not [f for f in derived.flows if f.user_type == "partner_companies" and f.product == "lync"]


def dangling_references(design):
    """(table, row, column, value) for every reference that names no row of the design."""
    import re
    from dataclasses import fields
    from officenet.model.records import TABLES, column_name
    ids = {name: {getattr(r, "id", None) or getattr(r, "key") for r in getattr(design, name)} for name in TABLES}
    out = []
    for name, record_type in TABLES.items():
        for rec in getattr(design, name):
            for f in fields(record_type):
                kind, ref, value = f.metadata["kind"], f.metadata["ref"], getattr(rec, f.name)
                if kind in ("ref", "opt_ref"):
                    values = [value] if value else []
                elif kind in ("refs", "path"):
                    values = list(value)
                elif kind == "dns_template":
                    ref, values = "addresses", [x[3:] for x in re.findall(r"\{(ip:[^{}]*)\}", value)]
                else:
                    continue
                out += [(name, rec.id, column_name(f), v) for v in values if v not in ids[ref]]
    return out


@pytest.mark.parametrize("answers", [
    {"products": ("lync", "sharepoint", "exchange"), "remote_access": {"sharepoint": "directaccess"}},
    {"products": ("sharepoint", "exchange")},
    {"products": ("lync",), "mail": "direct"},
])
def test_a_derived_design_refers_only_to_its_own_rows(design, answers):
    assert dangling_references(design) == []
    derived = apply_scenario(design, Scenario.default_for(design).with_(**answers))
    assert dangling_references(derived) == []
    assert consistency_problems(derived) == []
