"""The gateway explorer: toggles redraw the allow-list and the ACL text."""
from officenet import GatewayExplorer


def test_default_is_the_poster_on_cisco(design):
    ex = GatewayExplorer(design)
    html = ex.output.value
    assert ex.selection == {"av_range": True, "pop_imap": True, "platform": "cisco"}
    assert "<svg" in html and "<?xml" not in html
    assert "in-exchange-vip-tcp-993" in html and "out-lync-edge-tcp-50000-59999" in html
    assert "ip access-list extended officenet-gateway-in" in html
    assert "SharePoint port 443 in and out" in html  # co_sp_inout shown where it matters


def test_turning_pop_imap_off_removes_its_permits_and_acl_lines(design):
    ex = GatewayExplorer(design)
    ex.controls["pop_imap"].value = False
    html = ex.output.value
    assert "in-exchange-vip-tcp-993" not in html and "eq 993" not in html
    assert "in-exchange-vip-tcp-443" in html


def test_turning_the_av_range_off(design):
    ex = GatewayExplorer(design)
    ex.controls["av_range"].value = False
    html = ex.output.value
    assert "out-lync-edge-tcp-50000-59999" not in html and "range 50000 59999" not in html
    assert "A/V port range direction" not in html


def test_platform_switches_the_acl_text(design):
    ex = GatewayExplorer(design)
    ex.controls["platform"].value = "juniper"
    assert "term in-lync-edge-tcp-443 {" in ex.output.value
    ex.controls["platform"].value = "nftables"
    assert "hook forward" in ex.output.value and "ip access-list" not in ex.output.value


def test_acl_text_is_escaped(design):
    html = GatewayExplorer(design, platform="nftables").output.value
    pre = html[html.index("<pre"):html.index("</pre>")]
    assert 'comment &quot;inbound: port rows' in pre and 'comment "' not in pre


def test_static_views_are_small_and_distinct(design):
    views = GatewayExplorer(design).static_views()
    assert len(views) == 1 + 1 + 1 + 2
    assert len({h for _, h in views}) == len(views)
