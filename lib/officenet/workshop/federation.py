"""Exercise 2: the ports the gateway opens for Lync federation with partner companies."""
from __future__ import annotations

from typing import Iterable, Mapping

from ..model.design import Design
from ..derive.tables import crossing
from ..derive.routes import ports_for
from .feedback import Feedback, empty_answer


DIRECTION = {"inbound": "in", "outbound": "out", "both": "both"}


def federation_gateway_ports(design: Design) -> set[tuple[str, int, str]]:
    """(protocol, first port, in/out/both) the gateway must open for partner companies' Lync traffic."""
    flows = [f for f in design.flows if f.user_type == "partner_companies" and f.product == "lync"]
    sides: dict[tuple[str, int], set[str]] = {}
    for p in ports_for(design, flows):
        side = crossing(design, p.from_, p.to, p.direction)
        if side in DIRECTION:
            sides.setdefault((p.protocol, p.port[0]), set()).add(DIRECTION[side])
    # One rule per port: a port opened in both directions by any row is 'both'.
    return {(proto, port, "both" if "both" in d or d == {"in", "out"} else d.pop())
            for (proto, port), d in sides.items()}


DIRECTION_WORDS = {"in": "in", "inbound": "in", "out": "out", "outbound": "out", "both": "both", "two-way": "both"}


def port_rule(item):
    """(PROTOCOL, port, direction) from an answer item, or None when it has another shape."""
    if not isinstance(item, (tuple, list)) or len(item) != 3:
        return None
    proto, port, direction = item
    if isinstance(port, float):
        port = int(port) if port.is_integer() else None
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
    text = f"{p} {n}"
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
    return f"{text}: no flow through the gateway uses it; is it an internal port?"


def check_federation_ports(design: Design, answer: Iterable[tuple[str, int, str]] | None) -> Feedback:
    """``answer``: a set of (protocol, port, direction) with direction 'in', 'out' or 'both'."""
    name = "Open the gateway for Lync federation"
    expected = federation_gateway_ports(design)
    text = lambda t: f"{t[0]} {t[1]} {t[2]}"
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
    for rule in sorted(given - expected, key=str):
        wrong.append(text(rule))
        hints.append(_federation_hint(design, expected, rule))
    # What is missing is counted, not listed, so the check does not give the answer away; a rule whose port
    # the learner gave with a wrong direction or protocol is already under Wrong.
    near = {(p, n) for p, n, _ in given} | {n for _, n, _ in given}
    untouched = [e for e in expected - given if e[:2] not in near and e[1] not in near]
    missing = (f"{len(untouched)} more port rule{'s' if len(untouched) > 1 else ''}",) if untouched else ()
    return Feedback(name, tuple(map(text, sorted(given & expected))), missing, tuple(wrong), tuple(hints))
