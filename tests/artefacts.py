"""Every artefact officenet derives from a design: the tables, diagrams, zone files, ACLs, load-balancer
file, certificate plan, checks, traces and the export folder's texts. ``walk`` makes them all, so a test
(or the fuzzer) can ask that any design that loads gives each of them without a traceback."""
from __future__ import annotations

from officenet import (auth_matrix, component_table, corrections_table, dns_checks, dns_dot, dns_records,
                       edge_external_table, edge_internal_table, flow_table, legend_table, port_matrix, url_table,
                       zone_origins, zone_pair_matrix, zone_pair_ports, zone_text)
from officenet.derive import loadbalancing as lb
from officenet.derive import remoteaccess as ra
from officenet.derive.acls import render_acls
from officenet.derive.certificates import certificate_names, certificate_plan, certificate_text
from officenet.derive.checks import run_checks
from officenet.derive.stoplight import stoplight
from officenet.derive.diagram import to_dot
from officenet.edge.exports import export_texts
from officenet.derive.gateway import gateway_allow_list, option_table
from officenet.derive.gateway_views import gateway_dot
from officenet.derive.lbconfig import haproxy_config, sni_from_dns
from officenet.derive.organisation import ARTEFACTS, organisation
from officenet.model.scenario import Scenario
from officenet.derive.trace import trace_flow
from officenet.model.view import View
from officenet.derive.walkthrough import anonymous_lync, auth_rows, exchange_vdirs, urls_for


def walk(design, scenario: Scenario | None = None, every_flow: bool = True, exports: bool = True) -> dict[str, object]:
    """name -> artefact, for every artefact of ``design`` (and of the organisation of ``scenario``).
    ``every_flow=False`` traces three flows only; ``exports=False`` leaves out the slow ACL rendering
    (aerleon), the checks and the organisation's export folder, for the fuzzer's many examples."""
    out: dict[str, object] = {}
    out["port_matrix"] = port_matrix(design)
    out["flow_table"] = flow_table(design)
    out["auth_matrix"] = auth_matrix(design)
    out["corrections"] = corrections_table(design)
    out["legend"] = legend_table(design)
    out["components"] = component_table(design)
    out["urls"] = url_table(design)
    out["dot"] = to_dot(design)
    for u in design.user_types:
        out[f"dot:{u.id}"] = to_dot(design, View(user_type=u.id))
        out[f"auth:{u.id}"] = auth_rows(design, u.id)
        out[f"urls:{u.id}"] = urls_for(design, u.id)
        choices = {p: ra.options_for(design, p)[0] for p in ra.products(design) if ra.options_for(design, p)}
        plan = ra.plan(design, u.id, choices)
        out[f"remote:{u.id}"] = (plan.dot, ra.port_list(design, plan))
    for f in design.flows if every_flow else design.flows[:3]:
        out[f"trace:{f.id}"] = trace_flow(design, f.id)._repr_html_()
        out[f"dot:flow:{f.id}"] = to_dot(design, View(flow=f.id))
    out["exchange_vdirs"] = exchange_vdirs(design)
    out["anonymous_lync"] = anonymous_lync(design)
    records = dns_records(design)
    out["dns"] = records
    out["dns_checks"] = dns_checks(records, rules=design.checks)
    for view in ("external", "internal"):
        out[f"dns_dot:{view}"] = dns_dot(design, view)
        for origin in zone_origins(design, view):
            out[f"zone:{view}:{origin}"] = zone_text(design, view, zone=origin)
    names = certificate_names(design)
    out["certificate_plan"] = certificate_plan(names)
    out["certificate_text"] = certificate_text(names, "check")
    out["options"] = option_table(design)
    out["allow_list"] = gateway_allow_list(design)
    out["gateway_dot"] = gateway_dot(design)
    out["zone_pairs"] = (zone_pair_matrix(design), zone_pair_ports(design))
    if any(c.id == "lync_edge" for c in design.components):
        out["edge"] = (edge_external_table(design), edge_internal_table(design))
    if exports:
        out["acls"] = render_acls(design, platforms=("cisco", "juniper", "nftables"))
    out["haproxy"] = haproxy_config(design, sni=sni_from_dns(design, records))
    out["lb_rules"] = (lb.rule_matrix(design), lb.vip_table(design), lb.decision_table(design), lb.to_dot(design))
    for w in lb.workloads(design):
        out[f"lb:{w}"] = (lb.rule_table(design, w), lb.to_dot(design, w), lb.recommended(design, w))
    out["remote_access"] = (ra.suitability_matrix(design), ra.suitability_table(design))
    if not exports:
        return out
    scenario = scenario or Scenario.default_for(design)
    out["stoplight"] = stoplight(run_checks(design, scenario), design.checks)
    org = organisation(design, scenario)
    for name in ARTEFACTS:
        out[f"org:{name}"] = org.artefact(name)
    out["export"] = export_texts(org)
    return out
