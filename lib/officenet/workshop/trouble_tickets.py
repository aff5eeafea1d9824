"""Exercise 8, trouble tickets: find the hop where a user's connection breaks, with the trace."""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Mapping

from ..model.design import Design
from ..derive.trace import trace_flow
from .feedback import Feedback, empty_answer, id_hint
from .mistakes import broken_design


# Each ticket: the flow a user complains about, what they say, and the port rows removed behind it:
# named ones, or every row that lets the Internet reach a component (whatever protocols the data offers).
TICKETS = (
    ("partner_lync_federation", "A partner company cannot federate with us: their IM and presence never arrive.",
     ("edge_int_sip_5061",)),
    ("roaming_sharepoint_vpn", "A roaming employee on the VPN cannot reach the SharePoint intranet.",
     ("internet->vpn_gateway",)),
)


def _ticket_edits(design: Design, removed: tuple[str, ...]):
    for item in removed:
        source, arrow, target = item.partition("->")
        ids = [p.id for p in design.ports if p.from_ == source and p.to == target] if arrow else [item]
        yield from (("ports", pid, None, "a port row removed") for pid in ids)


def ticket_design(design: Design) -> Design:
    """The design after the changes behind every ticket (the learner is not told what they are)."""
    return broken_design(design, tuple(e for _, _, removed in TICKETS for e in _ticket_edits(design, removed)))


def ticket_traces(design: Design):
    """flow id -> its Trace through the ticket design."""
    broken = ticket_design(design)
    return {flow: trace_flow(broken, flow) for flow, _, _ in TICKETS}


def expected_broken_hops(design: Design) -> dict[str, str]:
    """flow id -> the first hop whose trace step shows MISSING (what the learner must find)."""
    out = {}
    for flow, trace in ticket_traces(design).items():
        missing = trace.steps[(trace.steps == "MISSING").any(axis=1)]
        out[flow] = missing["id"].iloc[0]
    return out


def check_broken_hops(design: Design, answer: Mapping[str, str] | None) -> Feedback:
    """``answer``: ticket flow id -> the component id of the first hop that breaks."""
    title = "Trouble tickets: the broken hop"
    expected = expected_broken_hops(design)
    paths = {f.id: f.path for f in design.flows if f.id in expected}
    if empty_answer(answer):
        return Feedback(title, missing=tuple(f"the broken hop of {flow}" for flow in expected),
                        hints=("Trace each flow and read it from the top: the first step that shows MISSING is "
                               "where the connection stops.",))
    if not isinstance(answer, Mapping):
        return Feedback(title, wrong=(repr(answer)[:80],),
                        hints=(f'Write a dictionary: {{"{next(iter(expected))}": "component_id"}}',))
    correct, missing, wrong, hints = [], [], [], []
    for flow, want in expected.items():
        if flow not in answer:
            missing.append(f"the broken hop of {flow}")
            continue
        given = str(answer[flow]).strip()
        path = paths[flow]
        if given == want:
            correct.append(f"{flow}: {want}")
            continue
        wrong.append(f"{flow}: {given}")
        if given not in path:
            typo = id_hint(path, given, f"hop of {flow}")
            hints.append(f"{flow}: " + (typo or f"{given} is not on this flow's path"))
        elif path.index(given) > path.index(want):
            hints.append(f"{flow}: {given} never sees the traffic; the trace breaks earlier, read it from the top")
        else:
            hints.append(f"{flow}: {given} receives its connection; look further along the trace")
    for flow in sorted(set(answer) - set(expected), key=str):
        wrong.append(f"{flow}: not a ticket of this exercise")
    return Feedback(title, tuple(correct), tuple(missing), tuple(wrong), tuple(hints))


@dataclass(frozen=True, repr=False)
class Tickets:
    """The tickets as a learner reads them: each complaint, then the trace of its flow."""

    items: tuple[tuple[str, str, object], ...]  # (flow id, complaint, Trace)

    def __repr__(self) -> str:
        return "\n\n".join(f"{complaint}\n{trace.steps.to_string()}" for _, complaint, trace in self.items)

    def _repr_html_(self) -> str:
        return "".join(f"<h4>Ticket {i}: {html.escape(complaint)}</h4>{trace._repr_html_()}"
                       for i, (_, complaint, trace) in enumerate(self.items, 1))


def tickets(design: Design) -> Tickets:
    traces = ticket_traces(design)
    return Tickets(tuple((flow, complaint, traces[flow]) for flow, complaint, _ in TICKETS))
