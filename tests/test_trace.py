"""Flow trace: listeners, gateway permits, port translation, and findings on broken data."""

import officenet
from officenet import View
from officenet.derive.diagram import to_dot
from officenet.derive.trace import trace_flow

from helpers import drop_rows


def drop_ports(data_dir, *ids):
    drop_rows(data_dir, "ports", *ids)


def test_lync_web_through_the_reverse_proxy(design):
    t = trace_flow(design, "roaming_lync_web")
    assert t.ok
    steps = t.steps.set_index("id")
    assert steps.loc["gateway_router", "gateway permit"] == "TCP 443, (TCP 80)"
    assert steps.loc["lync_vip", "translation"] == "TCP 443 → TCP 4443"
    assert steps.loc["lync_pool", "answers"] == "Front End pool (front end tier)"


def test_directaccess_tunnel_ends_at_its_server(design):
    steps = trace_flow(design, "roaming_sharepoint_da").steps.set_index("id")
    assert "TCP 443" in steps.loc["gateway_router", "gateway permit"]
    assert "(UDP 3544)" in steps.loc["gateway_router", "gateway permit"]
    assert steps.loc["directaccess_server", "translation"] == "tunnel ends; client opens TCP 443"


def test_every_reference_flow_traces_cleanly(design):
    assert [f.id for f in design.flows if not trace_flow(design, f.id).ok] == []


def test_missing_listener_is_a_finding(data_copy):
    drop_ports(data_copy, "rp_to_web_4443", "rp_to_web_8080")
    t = trace_flow(officenet.load(data_copy), "roaming_lync_web")
    assert t.findings == ("no port row for the connection into lync_web_ext_vip",)
    assert t.steps.set_index("id").loc["lync_web_ext_vip", "receives"] == "MISSING"


def test_missing_gateway_permit_is_a_finding(data_copy):
    # Point the reverse proxy's listeners elsewhere (other tables refer to their ids).
    from helpers import edit
    for pid in ("rp_lync_443", "rp_lync_80"):
        edit(data_copy, "ports", pid, to="lync_edge")
    t = trace_flow(officenet.load(data_copy), "roaming_lync_web")
    assert "no gateway permit for the connection through gateway_router" in t.findings
    assert t.steps.set_index("id").loc["gateway_router", "gateway permit"] == "MISSING"


def test_trace_highlights_one_flow_on_the_diagram(design):
    dot = to_dot(design, View(flow="roaming_lync_web"))
    blue = design.traffic_type("lync_web").colour
    lit = [line for line in dot.splitlines() if f'color="{blue}"' in line and "->" in line]
    assert len(lit) == 4  # roaming -> gateway -> Lync VIP -> external web VIP -> pool
    assert "flow roaming_lync_web" in dot


def test_trace_html_escapes(design):
    assert "<table" in trace_flow(design, "mail_inbound")._repr_html_()


def test_each_site_of_a_multi_site_design_traces_like_the_reference(design):
    """The per-design indexes (ports by flow, hop ends, routers) keep each site's flows to its own rows."""
    from officenet.loading.synthetic import multi_site
    from officenet.derive.trace import trace_rows
    two = multi_site(design, 2)
    zones = {z.id for z in design.zones}
    for flow in design.flows:
        rows, findings = trace_rows(design, flow.id)
        copy_rows, copy_findings = trace_rows(two, flow.id + "__s001")
        assert copy_findings == findings
        assert copy_rows == [{**r, "id": r["id"] if r["id"] in zones else r["id"] + "__s001"} for r in rows]


def test_a_branch_office_starts_its_trace_as_itself(design):
    """A branch office of the multi-site design copies its user type's row but keeps its own id
    (the trace's per-design table of hops holds every component, offices included)."""
    from officenet.loading.synthetic import multi_site
    from officenet.derive.trace import trace_rows
    site = multi_site(design, 1, branches=2)
    branch_flows = [f for f in site.flows if f.id.endswith("_b01")]
    assert branch_flows
    for flow in branch_flows:
        first = trace_rows(site, flow.id)[0][0]
        original = trace_rows(site, flow.id.removesuffix("_b01"))[0][0]
        assert first["id"] == flow.path[0] != original["id"]
        assert {**first, "id": ""} == {**original, "id": ""}
