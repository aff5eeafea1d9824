"""Values a derivation prepares once and passes down, instead of asking the design (or a helper below
it) again at every step: the gateway's view of the port ends, a permit's port text."""
from dataclasses import replace

from officenet.derive.addresses import gateway_addresses, gateway_ends
from officenet.derive.gateway import permits


def test_the_gateway_ends_agree_with_the_design_and_are_worked_out_once(design):
    ends = gateway_ends(design)
    assert gateway_ends(design) is ends  # one per design (routes.per_design), for every plan and permit
    every = [z.id for z in design.zones] + [c.id for c in design.components]
    assert list(ends.outside) == [e for e in every if design.is_outside(e)]  # zones first, in table order
    assert ends.outside["mail_hosts"] == "mail_host" and ends.outside["internet"] == "external"
    assert {"lync_edge", "directaccess_server", "exchange_mailbox"} <= set(ends.published)
    assert not set(ends.published) & set(ends.outside)
    # An address without a component serves the inside end of its rows: the perimeter zone's name
    # servers (Internet -> perimeter) and the intranet resolvers' NAT address (internal -> Internet).
    assert ("dns_public", "perimeter", "dns_public_udp_53") in ends.served
    assert ("resolver_nat", "internal", "resolver_dns_udp_53") in ends.served
    plan = gateway_addresses(design)
    assert plan[("perimeter", "dns_public_udp_53")] == ("203.0.113.53/32", "203.0.113.54/32")  # ns1 and ns2
    assert plan["mail_hosts"] is not None and gateway_addresses(design, eop=False)["mail_hosts"] is None


def test_a_permit_writes_its_ports_once_as_it_is_made(design):
    rows = permits(design, {"av_range": True})
    texts = {(r.protocol, r.ports): r.ports_text for r in rows}
    assert texts[("TCP", (443, 443))] == "443" and texts[("TCP", (50000, 59999))] == "50000-59999"
    assert all(r.name.split("-tcp-")[-1].startswith(r.ports_text) for r in rows if r.protocol == "TCP")
    moved = replace(rows[0], ports=(80, 80))  # a changed copy writes its own ports again
    assert moved.ports_text == "80" and moved != rows[0]
    assert replace(rows[0]) == rows[0]
