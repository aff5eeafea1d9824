"""Trace one flow hop by hop: which connection each hop receives and on which ports,
where the gateway router must permit it, where a VIP or proxy translates a port,
and who answers at the end. A hop with nothing to receive it is a finding.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .design import Design


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
        return head + self.steps.to_html(escape=True)


def _ports_text(ports) -> str:
    """'TCP 443, (TCP 80)': optional ports in brackets."""
    items = {(p.protocol, p.port, p.optional) for p in ports}
    required = {(proto, port) for proto, port, opt in items if not opt}
    shown = sorted({(proto, port, opt) for proto, port, opt in items if not opt or (proto, port) not in required})
    return ", ".join((f"({proto} {_num(port)})" if opt else f"{proto} {_num(port)}") for proto, port, opt in
                     sorted(shown, key=lambda t: (t[2], t[0], t[1])))


def _num(port) -> str:
    lo, hi = port
    return str(lo) if lo == hi else f"{lo}-{hi}"


def trace_flow(design: Design, flow_id: str) -> Trace:
    """Hop-by-hop table of one flow (pure)."""
    rows, findings = trace_rows(design, flow_id)
    return Trace(flow_id, pd.DataFrame(rows).set_index("step"), findings)


def trace_rows(design: Design, flow_id: str) -> tuple[list[dict], tuple[str, ...]]:
    """The steps of a trace as plain rows, and its findings (cheap enough to run on every flow)."""
    flow = design.get("flows", flow_id)
    ports = design.ports_for([flow])
    rows, findings = [], []
    for i, hop in enumerate(flow.path):
        comp = design.component(hop)
        row = {"step": i + 1, "hop": design.label(hop), "id": hop, "kind": comp.kind.replace("_", " "),
               "zone": design.label(comp.zone), "receives": "", "gateway permit": "", "translation": "", "answers": ""}
        if i == 0:
            row["receives"] = "(starts the flow)"
        elif comp.kind == "router":
            crossing = _crossing_ports(design, flow, i, ports)
            row["gateway permit"] = _ports_text(crossing) if crossing else ""
            row["receives"] = "(routes)"
            if not crossing and _leaves_or_enters(design, flow, i):
                findings.append(f"no gateway permit for the connection through {hop}")
                row["gateway permit"] = "MISSING"
        else:
            incoming = [p for p in ports if _listens(design, p, hop) and _opened_before(design, p, flow, i)]
            if not incoming and not (design.is_outside(hop) and design.is_outside(flow.path[i - 1])):
                findings.append(f"no port row for the connection into {hop}")
                row["receives"] = "MISSING"
            else:
                row["receives"] = _ports_text(incoming) or "(outside the network)"
            # A device that ends one connection and opens the next may change the port.
            outgoing = [p for p in ports if _opens(design, p, hop) and _opened_after(design, p, flow, i)]
            required_in = [p for p in incoming if not p.optional]
            required_out = [p for p in outgoing if not p.optional]
            if comp.kind == "remote_access" and outgoing:
                row["translation"] = f"tunnel ends; client opens {_ports_text(required_out or outgoing)}"
            elif required_in and required_out and {p.port for p in required_in} != {p.port for p in required_out}:
                row["translation"] = f"{_ports_text(required_in)} → {_ports_text(required_out)}"
        if i == len(flow.path) - 1:
            row["answers"] = f"{design.label(hop)}" + (f" ({comp.tier.replace('_', ' ')} tier)" if comp.tier else "")
        rows.append(row)
    return rows, tuple(findings)


def _listens(design: Design, port, hop) -> bool:
    return design._endpoint_matches(port.to, hop) or (port.direction == "two-way" and design._endpoint_matches(port.from_, hop))


def _opens(design: Design, port, hop) -> bool:
    return design._endpoint_matches(port.from_, hop) or (port.direction == "two-way" and design._endpoint_matches(port.to, hop))


def _opened_before(design: Design, port, flow, i) -> bool:
    """The port's other end is an earlier hop of the flow (so this connection arrives at hop i)."""
    ends = [port.from_] + ([port.to] if port.direction == "two-way" else [])
    return any(design._endpoint_matches(e, h) for e in ends for h in flow.path[:i])


def _opened_after(design: Design, port, flow, i) -> bool:
    """The port's other end is a later hop of the flow (so this hop opens it onwards)."""
    ends = [port.to] + ([port.from_] if port.direction == "two-way" else [])
    return any(design._endpoint_matches(e, h) for e in ends for h in flow.path[i + 1:])


def _crossing_ports(design: Design, flow, i, ports):
    """Ports whose connection passes the router at hop i."""
    before, after = flow.path[:i], flow.path[i + 1:]
    out = []
    for p in ports:
        for a, b in ((p.from_, p.to), (p.to, p.from_)) if p.direction == "two-way" else ((p.from_, p.to),):
            if any(design._endpoint_matches(a, h) for h in before) and any(design._endpoint_matches(b, h) for h in after[:1]):
                out.append(p)
                break
    return out


def _leaves_or_enters(design: Design, flow, i) -> bool:
    return design.is_outside(flow.path[i - 1]) != design.is_outside(flow.path[i + 1]) if i + 1 < len(flow.path) else False
