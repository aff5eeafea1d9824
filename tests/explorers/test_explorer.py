"""The overview explorer: changing a drop-down redraws the diagram and the port table."""
from officenet import View
from officenet.explorers.overview_explorer import OverviewExplorer
from officenet.edge.overview_frame import render_frame


def test_changing_the_user_type_redraws(design):
    ex = OverviewExplorer(design)
    before = ex.output.value
    assert f"<b>{len(design.ports)}</b> port rows" in before
    ex.controls["user_type"].value = "roaming_employees"
    assert ex.view == View(user_type="roaming_employees")
    after = ex.output.value.replace("<wbr>", "")  # long ids may wrap after an underscore
    assert after != before and "<svg" in after and "<?xml" not in after
    assert "Roaming employees" in after
    assert "da_iphttps_443" in after and "edge_int_psom_8057" not in after


def test_product_and_traffic_type_narrow_the_ports(design):
    ex = OverviewExplorer(design)
    ex.controls["product"].value = "exchange"
    exchange = ex.frame.port_count
    ex.controls["traffic_type"].value = "exchange_mail"
    assert 0 < ex.frame.port_count < exchange
    shown = ex.output.value.replace("<wbr>", "")  # long ids may wrap after an underscore
    assert "ex_smtp_in_25" in shown and "ex_ext_443" not in shown


def test_returning_to_a_seen_view_reuses_its_html(design):
    ex = OverviewExplorer(design)
    first = ex.output.value
    ex.controls["user_type"].value = "internal_employees"
    ex.controls["user_type"].value = None
    assert ex.output.value is first


def test_static_html_fallback_for_pages_without_a_kernel(design):
    bundle = OverviewExplorer(design)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "<svg" in bundle["text/html"] and "port rows" in bundle["text/html"]


def test_static_views_cover_every_single_choice(design):
    views = OverviewExplorer(design).static_views()
    expected = 1 + len(design.user_types) + len(design.products) + len(design.traffic_types)
    assert len(views) == expected
    labels = [label for label, _ in views]
    assert "User type: Roaming employees" in labels and len(set(labels)) == expected
    default = views[0][1]
    assert all(html != default for _, html in views[1:])  # every choice changes the picture


def test_frame_is_a_pure_function_of_the_view(design):
    a = render_frame(design, View(product="lync"))
    b = render_frame(design, View(product="lync"))
    assert a.dot == b.dot and a.ports_html == b.ports_html


def test_diagrams_fit_the_output_and_full_size_wraps_the_same_view_and_back(design):
    from officenet.derive.drawing import SVG_STYLE
    explorer = OverviewExplorer(design)
    plain = explorer.output.value
    assert f'<svg style="{SVG_STYLE}"' in plain and "max-width:100%" in SVG_STYLE  # fitted as it opens
    explorer.fit.value = True
    assert explorer.output.value.endswith(plain + "</div>") and "max-width:none" in explorer.output.value
    explorer.controls["user_type"].value = "roaming_employees"
    assert 'class="officenet-full"' in explorer.output.value and "Roaming employees" in explorer.output.value
    explorer.fit.value = False
    assert "officenet-full" not in explorer.output.value


def test_all_choices_show_as_selected(design):
    explorer = OverviewExplorer(design)
    box = explorer.controls["user_type"]
    assert (box.index, box.label) == (0, "(all)") and explorer.selection["user_type"] is None
    box.value = "roaming_employees"
    box.value = None  # code may still say None for "all"
    assert (box.index, box.label) == (0, "(all)") and explorer.selection["user_type"] is None


def test_the_redraws_port_table_is_the_port_matrix_as_html_for_every_view(design):
    """The overview's table comes from each row's HTML made once per design; it must be what
    html_table makes of port_matrix (protocol and ports in one cell), rows and order, for every
    single and paired selection."""
    from officenet.derive.tables import html_table, port_matrix, port_rows_shown, port_table_html
    views = [View()] + [View(**{dim: row.id}) for dim, table in (("user_type", "user_types"), ("product", "products"),
                                                                   ("traffic_type", "traffic_types"))
                        for row in getattr(design, table)]
    views += [View(user_type=u.id, product=p.id) for u in design.user_types for p in design.products]
    assert any(port_table_html(design, v)[1] == 0 for v in views)  # an empty selection is among them
    for v in views:
        frame = port_matrix(design, v)
        assert port_table_html(design, v) == (html_table(design, port_rows_shown(frame)), len(frame)), v
