"""The DOT text: structure, highlighting, legend, determinism and escaping."""
import re

import officenet
from officenet import View
from officenet.derive.diagram import DIM, LINK, figure, to_dot
from officenet.edge.render import svg

from helpers import edit
from officenet.edge.display import figure_html


def edges(dot):
    """(from, to, attributes) of every edge line."""
    return [(m[1], m[2], m[3]) for m in re.finditer(r'^\s*"(\w+)" -> "(\w+)" \[(.*)\]$', dot, re.M)]


def test_zones_become_clusters_and_servers_hold_their_tiers(design):
    dot = to_dot(design)
    for zone in ("internet", "cloud", "perimeter", "internal"):
        assert f'subgraph "cluster_{zone}"' in dot
    server = dot[dot.index('subgraph "cluster_sharepoint_server"'):]
    server = server[:server.index("\n    }")]
    for tier in ("sharepoint_fe", "sharepoint_search", "sharepoint_batch", "sharepoint_db"):
        assert f'"{tier}"' in server
    assert "front end / client access tier" in dot and "database / storage tier" in dot


def test_load_balancer_cluster_holds_the_three_vips(design):
    dot = to_dot(design)
    lb = dot[dot.index('subgraph "cluster_lb_rp"'):]
    lb = lb[:lb.index("}")]
    assert all(f'"{v}"' in lb for v in ("lync_vip", "sharepoint_vip", "exchange_vip"))


def test_legend_lists_the_traffic_types_drawn_in_their_colours(design):
    drawn = figure(design)
    assert '"legend"' not in drawn.dot  # the legend is HTML beside the picture, not in it
    used = sorted({f.traffic_type for f in design.flows}, key=lambda t: design.traffic_type(t).order)
    flow_entries = [e for e in drawn.legend if e.colour not in (DIM, LINK)]
    assert [e.colour for e in flow_entries] == [design.traffic_type(t).colour for t in used]
    assert all(e.label.startswith(design.traffic_type(t).name) for e, t in zip(flow_entries, used))
    added = [t for t in used if not design.traffic_type(t).in_poster]
    assert sum(e.label.endswith("(added)") for e in flow_entries) == len(added) > 0
    # every entry's colour is on an edge of the DOT text, and no edge colour is missing from the legend
    colours = {m for m in re.findall(r'-> "\w+" \[.*?color="(#[0-9a-f]{6})"', drawn.dot)}
    assert {e.colour for e in drawn.legend} == colours


def test_a_selection_legend_names_only_what_it_lights(design):
    drawn = figure(design, View(user_type="partner_companies", product="sharepoint"))
    assert [e.label for e in drawn.legend][:1] == [design.traffic_type("sharepoint_client").name]
    assert DIM in [e.colour for e in drawn.legend] and len(drawn.legend) <= 3


def test_selected_flows_are_coloured_and_the_rest_dimmed(design):
    dot = to_dot(design, View(user_type="partner_companies", product="sharepoint"))
    purple = design.traffic_type("sharepoint_client").colour
    lit = [(a, b) for a, b, attrs in edges(dot) if f'color="{purple}"' in attrs]
    assert lit == [("gateway_router", "sharepoint_vip"), ("partner_companies", "gateway_router"),
                   ("sharepoint_vip", "sharepoint_fe")]
    dim = [e for e in edges(dot) if 'color="#d0d0d0"' in e[2]]
    assert len(dim) > 20
    # The selected hops are labelled with their ports.
    assert any(a == "gateway_router" and b == "sharepoint_vip" and 'label="TCP 443"' in attrs
               for a, b, attrs in edges(dot))


def test_everything_view_colours_every_flow_edge(design):
    dot = to_dot(design)
    flow_edges = [e for e in edges(dot) if 'arrowhead="none"' not in e[2]]
    assert flow_edges and not [e for e in flow_edges if 'color="#d0d0d0"' in e[2]]


def test_same_input_same_text(design):
    view = View(traffic_type="lync_web")
    assert to_dot(design, view) == to_dot(officenet.load(), view)


def test_hostile_labels_are_escaped_in_dot_and_svg(data_copy):
    edit(data_copy, "components", "lync_edge", short_label='Edge <script>alert("x")</script> & "quoted"',
         name='Edge "name" with \\ backslash')
    design = officenet.load(data_copy)
    dot = to_dot(design)
    assert "<script>" not in dot
    # a long name is drawn on two lines (split at a space): each half escaped
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in dot and "&amp; &quot;quoted&quot;" in dot
    assert 'tooltip="Edge \\"name\\" with \\\\ backslash"' in dot
    rendered = svg(dot)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_html_table_escapes_and_colours(data_copy):
    from officenet.derive.tables import html_table, port_matrix
    edit(data_copy, "ports", "ex_ext_443", purpose='<img src=x onerror="alert(1)">')
    design = officenet.load(data_copy)
    text = html_table(design, port_matrix(design))
    assert "<img" not in text and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in text
    orange = design.traffic_type("exchange_client").colour
    assert f"border-left:6px solid {orange}" in text


def test_legend_of_a_design_without_office_web_apps_still_renders(design):
    from officenet.derive.apply import apply_scenario
    from officenet.edge.render import svg
    from officenet.model.scenario import Scenario
    derived = apply_scenario(design, Scenario.default_for(design).with_(products=("lync", "sharepoint", "exchange")))
    drawn = figure(derived)
    assert "Office Web Apps" not in [e.label for e in drawn.legend]  # no Office Web Apps traffic is drawn
    assert "<svg" in svg(drawn.dot) and "officenet-legend" in figure_html(drawn)


def test_auth_matrix_follows_the_products_that_have_authentication_rows(design):
    from dataclasses import replace
    from officenet.derive.apply import apply_scenario
    from officenet.model.scenario import Scenario
    assert list(officenet.auth_matrix(design).columns) == ["Lync", "SharePoint", "Exchange"]
    derived = apply_scenario(design, Scenario.default_for(design).with_(products=("sharepoint", "exchange")))
    assert list(officenet.auth_matrix(derived).columns) == ["SharePoint", "Exchange"]
    extra = replace(design.authentication[0], id="owas_test", product="owas")
    assert "Office Web Apps" in officenet.auth_matrix(replace(design, authentication=(*design.authentication, extra),
                                                              lines={})).columns


def test_every_traffic_type_has_a_line_style_of_its_own(design):
    """Told apart in black and white, not by colour alone: each traffic type's stroke differs."""
    from officenet.derive.drawing import STROKES, stroke_attrs, swatch_html
    styles = [t.style for t in design.traffic_types]
    assert len(set(styles)) == len(styles), styles
    drawn = {t.id: tuple(sorted(stroke_attrs("#000000", t.style, "2").items())) for t in design.traffic_types}
    assert len(set(drawn.values())) == len(drawn), drawn
    assert len({swatch_html("#000000", s) for s in STROKES}) == len(STROKES)  # the legend tells them apart too


def test_table_cells_keep_their_whole_text_and_addresses_whole(design):
    """No 50-character cut; prose wraps at words; an address, a port range or a source key never breaks inside."""
    import pandas as pd
    from officenet.derive.table_html import cell_html, frame_html
    long = "x " * 60 + "end"
    html_text = frame_html(pd.DataFrame({"reason": [long], "net": ["198.51.100.0/24"]}, index=pd.Index(["a"], name="id")))
    assert long in html_text and "..." not in html_text
    assert '<span class="on-nb" style="white-space:nowrap">198.51.100.0/24</span>' in html_text
    assert "white-space:nowrap\">50000-59999</span>" in cell_html("TCP 50000-59999")
    assert "white-space:nowrap\">L-EDGEPORT</span>" in cell_html("L-EDGEPORT")
    assert cell_html("<script>") == "&lt;script&gt;"
