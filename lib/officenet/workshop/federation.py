"""Exercise 2: the ports the gateway opens for Lync federation with partner companies."""
from __future__ import annotations

import re
from typing import Iterable, Mapping

from ..derive.gateway import gateway_crossings, scenario_gateway
from ..derive.tables import crossing
from ..derive.routes import ports_for
from ..model.design import Design
from ..model.records import Port
from ..model.scenario import Scenario
from .feedback import Feedback, empty_answer


DIRECTION = {"inbound": "in", "outbound": "out", "both": "both"}


def federation_options(design: Design) -> frozenset[str]:
    """The gateway options federation turns on (the A/V Edge's TCP 50000-59999): those a scenario with
    federation opens and the same scenario without it does not, as the gateway itself decides."""
    with_, _ = scenario_gateway(design, Scenario.default_for(design, federation=True, lync_av_range=False))
    without, _ = scenario_gateway(design, Scenario.default_for(design, federation=False, lync_av_range=False))
    return frozenset(k for k, on in with_.items() if on and not without.get(k))


def federation_port_rows(design: Design) -> tuple[Port, ...]:
    """Port rows of partner companies' Lync flows, and those of the options federation needs."""
    flows = [f for f in design.flows if f.user_type == "partner_companies" and f.product == "lync"]
    options = federation_options(design)
    needed = {pid for o in design.gateway_options if o.id in options for pid in o.ports}
    return ports_for(design, flows) + tuple(p for p in design.ports if p.id in needed)


def federation_gateway_ports(design: Design) -> set[tuple[str, int, str]]:
    """(protocol, first port, in/out/both) the gateway must open for partner companies' Lync traffic."""
    sides: dict[tuple[str, int], set[str]] = {}
    for p in federation_port_rows(design):
        side = crossing(design, p.from_, p.to, p.direction)
        if side in DIRECTION:
            sides.setdefault((p.protocol, p.port[0]), set()).add(DIRECTION[side])
    # One rule per port: a port opened in both directions by any row is 'both'.
    return {(proto, port, "both" if "both" in d or d == {"in", "out"} else d.pop())
            for (proto, port), d in sides.items()}


def edge_own_rules(design: Design) -> dict[tuple[str, int, str], str]:
    """Rules the servers on partner federation's path open for their own traffic (the Edge's DNS look-ups
    of federation SRV records): {rule: purpose}."""
    on_path = {h for f in design.flows if f.user_type == "partner_companies" and f.product == "lync" for h in f.path}
    out = {}
    for c in gateway_crossings(design):
        side = crossing(design, c.port.from_, c.port.to, c.port.direction)
        if c.own_traffic_of in on_path and side in DIRECTION:
            out[(c.port.protocol, c.port.port[0], DIRECTION[side])] = c.port.purpose
    return out


def gateway_port_rows(design: Design) -> dict[tuple[str, int], Port]:
    """(protocol, first port) -> a port row crossing the gateway (a flow's or a server's own), optional ones
    included: every rule a learner may choose from."""
    rows: dict[tuple[str, int], Port] = {}
    for c in gateway_crossings(design):
        rows.setdefault((c.port.protocol, c.port.port[0]), c.port)
    return dict(sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])))


DIRECTION_WORDS = {"in": "in", "inbound": "in", "out": "out", "outbound": "out", "both": "both", "two-way": "both"}


RANGE_RE = re.compile(r"^\s*([0-9]{1,5})\s*[-–]\s*[0-9]{1,5}\s*$")


def port_rule(item):
    """(PROTOCOL, port, direction) from an answer item, or None when it has another shape. A range
    ("50000-59999") stands for its first port, as every rule is named by it."""
    if not isinstance(item, (tuple, list)) or len(item) != 3:
        return None
    proto, port, direction = item
    if isinstance(port, float):
        port = int(port) if port.is_integer() else None
    if isinstance(port, str) and RANGE_RE.match(port):
        port = RANGE_RE.match(port).group(1)
    try:
        number = int(str(port).strip())  # 443, "443" or 443.0, never True
    except ValueError:
        return None
    return str(proto).strip().upper(), number, DIRECTION_WORDS.get(str(direction).strip().lower(), str(direction))


def _other_uses(design: Design, proto: str, port: int) -> list[str]:
    """Flows of the design whose gateway crossing uses this port (for a hint about a port that is not needed)."""
    uses = []
    for f in design.flows:
        for p in ports_for(design, [f]):
            if (p.protocol, p.port[0]) == (proto, port) and crossing(design, p.from_, p.to, p.direction) in DIRECTION:
                uses.append(f.id)
                break
    return uses


def _federation_hint(design: Design, expected, rule) -> str:
    p, n, d = rule
    row = gateway_port_rows(design).get((p, n))
    text = f"{p} {row.range_text() if row else n}"
    if d not in ("in", "out", "both"):
        return f"{text}: the direction is \"in\", \"out\" or \"both\", not {d!r}"
    same_port = [e for e in expected if e[:2] == (p, n)]
    if same_port:
        return f"{text}: right port, check the direction (who opens the connection?)"
    other_protocol = [e for e in expected if e[1] == n]
    if other_protocol:
        return f"{text}: right number, wrong protocol (check TCP or UDP)"
    uses = _other_uses(design, p, n)
    partner = [u for u in uses if u.startswith("partner_")]
    if uses and not partner:
        return f"{text}: a port of other users' traffic ({', '.join(sorted(uses)[:2])}), not of partner federation"
    if uses:
        return f"{text}: partners use it, but not for Lync federation ({', '.join(sorted(partner)[:2])})"
    own = [c for c in gateway_crossings(design) if (c.port.protocol, c.port.port[0]) == (p, n) and c.own_traffic_of]
    if own:
        return (f"{text}: {design.label(own[0].own_traffic_of)} opens it for its own traffic "
                f"({own[0].port.purpose}), not for partner federation")
    return f"{text}: no flow through the gateway uses it; is it an internal port?"


def check_federation_ports(design: Design, answer: Iterable[tuple[str, int, str]] | None) -> Feedback:
    """``answer``: a set of (protocol, port, direction) with direction 'in', 'out' or 'both'."""
    name = "Open the gateway for Lync federation"
    expected = federation_gateway_ports(design)
    rows = gateway_port_rows(design)
    text = lambda t: f"{t[0]} {rows[t[:2]].range_text() if t[:2] in rows else t[1]} {t[2]}"
    if empty_answer(answer):
        return Feedback(name, missing=(f"{len(expected)} port rules",),
                        hints=("Federation reaches the Access Edge; media goes to the A/V Edge. The poster's legend "
                               "lists the federation ports.",))
    if isinstance(answer, (str, bytes, Mapping)) or not hasattr(answer, "__iter__"):
        return Feedback(name, wrong=(repr(answer)[:80],), hints=('Write a set of rules: {("TCP", 5061, "both")}',))
    given, wrong, hints = set(), [], []
    for item in answer:
        rule = port_rule(item)
        if rule is None:
            wrong.append(repr(item)[:80])
            hints.append(f"{repr(item)[:80]}: write each rule as (protocol, port, direction), "
                         "such as (\"TCP\", 5061, \"both\")")
        else:
            given.add(rule)
    # The same port given 'in' and 'out' is one rule both ways.
    for p, n in {(p, n) for p, n, d in given}:
        if {(p, n, "in"), (p, n, "out")} <= given:
            given -= {(p, n, "in"), (p, n, "out")}
            given.add((p, n, "both"))
            hints.append(f"{p} {n}: one rule with \"both\" says in and out at once")
    harmless = edge_own_rules(design)
    for rule in sorted(given - expected, key=str):
        if rule in harmless:  # right, though the gateway opens it whether or not the organisation federates
            hints.append(f"{text(rule)}: right, the Edge's own traffic ({harmless[rule]}); the gateway opens it "
                         "with or without federation, so it is not counted")
            continue
        wrong.append(text(rule))
        hints.append(_federation_hint(design, expected, rule))
    # What is missing is counted, not listed, so the check does not give the answer away; a rule whose port
    # the learner gave with a wrong direction or protocol is already under Wrong.
    near = {(p, n) for p, n, _ in given} | {n for _, n, _ in given}
    untouched = [e for e in expected - given if e[:2] not in near and e[1] not in near]
    missing = (f"{len(untouched)} more port rule{'s' if len(untouched) > 1 else ''}",) if untouched else ()
    return Feedback(name, tuple(map(text, sorted(given & expected))), missing, tuple(wrong), tuple(hints))
