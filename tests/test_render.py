"""The Graphviz edge: a diagram drawn in the background is the one ``svg`` draws."""
import pytest

from officenet import View
from officenet.derive.diagram import to_dot
from officenet.edge.overview_frame import render_frame
from officenet.edge.render import GraphvizFailed, PendingSvg, SvgCache, svg


def test_a_pending_drawing_gives_the_same_svg_as_svg(design):
    for view in (View(), View(user_type="roaming_employees"), View(product="lync", traffic_type="lync_web")):
        dot = to_dot(design, view)
        assert PendingSvg(dot).result() == svg(dot)


def test_a_broken_graph_says_what_graphviz_said():
    with pytest.raises(GraphvizFailed, match=r"exit status \d+.*syntax error"):
        PendingSvg("digraph { a -> }").result()


def test_the_cache_remembers_what_it_started_and_the_frame_uses_it(design):
    cache = SvgCache()
    view = View(user_type="roaming_employees")
    frame = render_frame(design, view, cache)
    assert cache._items[frame.dot] == svg(frame.dot) and frame.svg in svg(frame.dot)
    again = cache.start(frame.dot)  # cached: no new process
    assert again() == cache._items[frame.dot]
    plain = render_frame(design, view, svg)  # any callable DOT -> SVG still works
    assert plain.svg == frame.svg and plain.ports_html == frame.ports_html
