"""The overview widget: changing a drop-down redraws the diagram and the port table."""
from officenet import View
from officenet.explorer import Explorer, render_frame


def test_changing_the_user_type_redraws(design):
    ex = Explorer(design)
    before_svg, before_ports = ex.diagram.value, ex.ports.value
    assert ex.frame.port_count == len(design.ports)
    ex.user_type.value = "roaming_employees"
    assert ex.view == View(user_type="roaming_employees")
    assert ex.diagram.value != before_svg and ex.diagram.value.startswith("<svg")
    assert ex.ports.value != before_ports
    assert "Roaming employees" in ex.caption.value
    assert "da_iphttps_443" in ex.ports.value and "edge_int_psom_8057" not in ex.ports.value


def test_product_and_traffic_type_narrow_the_ports(design):
    ex = Explorer(design)
    ex.product.value = "exchange"
    exchange = ex.frame.port_count
    ex.traffic_type.value = "exchange_mail"
    assert 0 < ex.frame.port_count < exchange
    assert "ex_smtp_in_25" in ex.ports.value and "ex_ext_443" not in ex.ports.value


def test_returning_to_a_seen_view_reuses_its_frame(design):
    ex = Explorer(design)
    first = ex.frame
    ex.user_type.value = "internal_employees"
    ex.user_type.value = None
    assert ex.frame is first


def test_static_html_fallback_for_pages_without_a_kernel(design):
    bundle = Explorer(design)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "<svg" in bundle["text/html"] and "port rows" in bundle["text/html"]


def test_frame_is_a_pure_function_of_the_view(design):
    a = render_frame(design, View(product="lync"))
    b = render_frame(design, View(product="lync"))
    assert a.dot == b.dot and a.ports_html == b.ports_html
