"""Trace one flow hop by hop: which connection each hop receives and on which ports,
where the gateway router must permit it, where a VIP or proxy translates a port,
and who answers at the end. A hop with nothing to receive it is a finding.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..model.design import Design
from ..model.records import range_text
from .routes import connections, per_design, positions, route as route_of


@dataclass(frozen=True)
class Trace:
    flow: str
    steps: pd.DataFrame
    findings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.findings

    def _repr_html_(self) -> str:
        import html
        head = f"<p><b>Trace of {html.escape(self.flow)}</b>: " + (
            "permitted and answered end to end." if self.ok else
            "<span style='color:#b22222'>" + html.escape("; ".join(self.findings)) + "</span>") + "</p>"
        from .table_html import frame_html
        return head + frame_html(self.steps)


def _ports_text(ports, known: dict[tuple[str, ...], str]) -> str:
    """'TCP 443, (TCP 80)': optional ports in brackets. ``known`` holds the texts already made
    for one design, by port ids (unique in a design, as ``Design.get`` needs)."""
    key = tuple([p.id for p in ports])
    text = known.get(key)
    if text is None:
        text = known[key] = _items_text(frozenset([(p.protocol, p.port, p.optional) for p in ports]))
    return text


def _known_texts(design: Design) -> dict[tuple[str, ...], str]:
    # Filled as traces of the design ask: a trace of every flow asks for the same rows' text again
    # and again, and ids make a cheaper key than the rows' protocols and ports.
    return {}


@lru_cache(maxsize=4096)
def _items_text(items: frozenset) -> str:
    # Few distinct port sets recur on every flow of a large design: format each once.
    required = {(proto, port) for proto, port, opt in items if not opt}
    shown = sorted({(proto, port, opt) for proto, port, opt in items if not opt or (proto, port) not in required})
    return ", ".join((f"({proto} {range_text(port)})" if opt else f"{proto} {range_text(port)}")
                     for proto, port, opt in sorted(shown, key=lambda t: (t[2], t[0], t[1])))


def _hop_rows(design: Design) -> tuple[dict[str, dict], dict[str, tuple[str, str]]]:
    """Component id -> its row wherever it is a hop, with its own columns filled (the step and
    what the trace finds left blank); and -> its kind and its answer as the last hop. Built
    once per design (``routes.per_design``): a trace of every flow asks for each hop again and again.
    Two tables of plain strings, which the garbage collector does not need to track."""
    rows, facts = {}, {}
    for c in design.components:
        rows[c.id] = {"step": 0, "hop": design.label(c.id), "id": c.id, "kind": c.kind.replace("_", " "),
                      "zone": design.label(c.zone), "receives": "", "gateway permit": "", "translation": "",
                      "answers": ""}
        facts[c.id] = (c.kind, design.label(c.id) + (f" ({c.tier.replace('_', ' ')} tier)" if c.tier else ""))
    return rows, facts


def trace_flow(design: Design, flow_id: str) -> Trace:
    """Hop-by-hop table of one flow (pure)."""
    rows, findings = trace_rows(design, flow_id)
    return Trace(flow_id, pd.DataFrame(rows).set_index("step"), findings)


def trace_rows(design: Design, flow_id: str) -> tuple[list[dict], tuple[str, ...]]:
    """The steps of a trace as plain rows, and its findings (cheap enough to run on every flow)."""
    flow = design.get("flows", flow_id)
    route = route_of(design, flow)  # a hop that is not a component: KeyError names the ids
    hop_rows, hop_facts = per_design(design, _hop_rows)
    # Flows along the same route (such as one route from thousands of branch offices) have the same
    # steps: work them out once.
    cache = per_design(design, _steps_cache)
    steps = cache.get(route)
    if steps is None:
        ports = [p for p, _ in connections(design, flow)]
        steps = cache[route] = tuple(_steps(design, flow, ports, per_design(design, _known_texts)))
    last = len(flow.path) - 1
    rows, findings = [], []
    for i, (hop, (receives, permit, translation, finding)) in enumerate(zip(flow.path, steps)):
        row = hop_rows[hop].copy()
        row["step"], row["receives"], row["gateway permit"], row["translation"] = i + 1, receives, permit, translation
        if i == last:
            row["answers"] = hop_facts[hop][1]
        if finding:
            findings.append(finding.format(hop=hop))
        rows.append(row)
    return rows, tuple(findings)


def _steps_cache(design: Design) -> dict:
    # routes.route -> the steps of the flows along it: a tuple of tuples of strings, which the garbage
    # collector stops tracking (a list would stay tracked for as long as the design lives).
    return {}


def _steps(design: Design, flow, ports, known) -> list[tuple[str, str, str, str]]:
    """Per hop of ``flow``: what it receives, the gateway permit, the translation, and a finding
    ({hop} for the hop's id) or ''."""
    path = flow.path
    # For each hop: the ports it receives from an earlier hop, and those it opens to a later one.
    pos = positions(design, flow)
    incoming_at: list[list] = [[] for _ in path]
    outgoing_at: list[list] = [[] for _ in path]
    for p in ports:
        # Hop indexes where the row may be received and opened, ascending, each once.
        if p.direction == "two-way":  # either end opens and listens
            listen = opens = sorted({i for end in (p.from_, p.to) for i in pos.get(end, ())})
        else:
            listen, opens = pos.get(p.to, ()), pos.get(p.from_, ())
        if opens and listen:
            first_open, last_listen = opens[0], listen[-1]
            for i in listen:
                if i > first_open:
                    incoming_at[i].append(p)
            for i in opens:
                if i < last_listen:
                    outgoing_at[i].append(p)
    steps = []
    for i, hop in enumerate(path):
        kind = design.component(hop).kind
        receives = permit = translation = finding = ""
        if i == 0:
            receives = "(starts the flow)"
        elif kind == "router":
            crossing = _crossing_ports(pos, i, ports)
            permit = _ports_text(crossing, known) if crossing else ""
            receives = "(routes)"
            if not crossing and _leaves_or_enters(design, flow, i):
                finding, permit = "no gateway permit for the connection through {hop}", "MISSING"
        else:
            incoming = incoming_at[i]
            if not incoming and not (design.is_outside(hop) and design.is_outside(path[i - 1])):
                finding, receives = "no port row for the connection into {hop}", "MISSING"
            else:
                receives = _ports_text(incoming, known) or "(outside the network)"
            # A device that ends one connection and opens the next may change the port.
            outgoing = outgoing_at[i]
            if outgoing or kind == "remote_access":
                required_in = [p for p in incoming if not p.optional]
                required_out = [p for p in outgoing if not p.optional]
                if kind == "remote_access" and outgoing:
                    translation = f"tunnel ends; client opens {_ports_text(required_out or outgoing, known)}"
                elif required_in and required_out and {p.port for p in required_in} != {p.port for p in required_out}:
                    translation = f"{_ports_text(required_in, known)} → {_ports_text(required_out, known)}"
        steps.append((receives, permit, translation, finding))
    return steps


def _crossing_ports(pos, i, ports):
    """Ports whose connection passes the router at hop i: opened at an earlier hop, received at the next."""
    out = []
    for p in ports:
        for a, b in p.connections:
            opened = pos.get(a)  # hop indexes in path order: the first is the earliest
            if opened and opened[0] < i and i + 1 in pos.get(b, ()):
                out.append(p)
                break
    return out


def _leaves_or_enters(design: Design, flow, i) -> bool:
    return design.is_outside(flow.path[i - 1]) != design.is_outside(flow.path[i + 1]) if i + 1 < len(flow.path) else False
