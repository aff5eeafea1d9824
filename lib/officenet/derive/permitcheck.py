"""Permit questions answered twice: by officenet's permit table and by aerleon's own ACL check.

A question is one packet at the gateway's outside interface, entering or leaving:
source, destination, protocol, destination port. officenet answers with the first
permit of that direction that matches it; aerleon answers with the first term of the
``-in`` or ``-out`` filter that its ``AclCheck`` matches exactly, on the very policy
officenet hands aerleon to render the ACLs. Agreement on every question is tested; the
benchmark compares their speed.
"""
from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from typing import Mapping

from ..model.design import Design
from .acls import acl_policy
from .gateway import Permit, permits

# A host on the Internet (a client, or a server our servers call), from a documentation
# range that the address plan leaves free.
INTERNET_CLIENT = "192.0.2.77"
CLOSED_PORT = 3389  # RDP: no permit of the design opens it
# The client's own (ephemeral) port. Asked with "any" source port, aerleon would also match the
# stateless return terms of UDP permits (source port 53 or 500 to any port), which answer replies.
CLIENT_PORT = 50123
DENIED = None


@dataclass(frozen=True)
class Question:
    src: str
    dst: str
    protocol: str
    port: int
    sport: int = CLIENT_PORT
    direction: str = "inbound"  # which of the outside interface's filters sees it


def _host(addresses: tuple[str, ...] | None) -> str:
    if addresses is None:
        return INTERNET_CLIENT
    net = ipaddress.ip_network(addresses[0])
    return str(net.network_address if net.num_addresses <= 2 else next(net.hosts()))


def questions(rows: tuple[Permit, ...]) -> list[Question]:
    """For every TCP/UDP permit, inbound and outbound: its own packet (permitted), the same
    packet to a closed port (denied), and where the permit names the Internet end's addresses,
    the packet with another Internet host at that end."""
    out = []
    for r in rows:
        if r.protocol not in ("TCP", "UDP"):
            continue
        src, dst = _host(r.from_addresses), _host(r.to_addresses)
        out.append(Question(src, dst, r.protocol, r.ports[0], direction=r.direction))
        out.append(Question(src, dst, r.protocol, CLOSED_PORT, direction=r.direction))
        if r.direction == "inbound" and r.from_addresses is not None:
            out.append(Question(INTERNET_CLIENT, dst, r.protocol, r.ports[0]))
        if r.direction == "outbound" and r.to_addresses is not None:
            out.append(Question(src, INTERNET_CLIENT, r.protocol, r.ports[0], direction="outbound"))
    return out


def _inside(address: str, networks: tuple[str, ...] | None) -> bool:
    ip = ipaddress.ip_address(address)
    return networks is None or any(ip in ipaddress.ip_network(n) for n in networks)


def officenet_answer(rows: tuple[Permit, ...], q: Question) -> str | None:
    """Name of the first permit of ``q``'s direction that lets it through, or None (denied)."""
    for r in rows:
        if (r.direction == q.direction and r.protocol == q.protocol and r.ports[0] <= q.port <= r.ports[1]
                and _inside(q.src, r.from_addresses) and _inside(q.dst, r.to_addresses)):
            return r.name
    return DENIED


class AerleonCheck:
    """aerleon's AclCheck over the two filters of the outside interface officenet renders for Cisco."""

    def __init__(self, design: Design, options=None, addresses: Mapping | None = None,
                 name: str = "officenet-gateway"):
        from aerleon.lib import naming, policy, policy_builder  # deferred: aerleon is heavy
        policies, definitions = acl_policy(design, options, ("cisco",), addresses, name)
        defs = naming.Naming()
        defs.ParseDefinitionsObject(definitions, "officenet")
        # aerleon logs every term it parses. The level goes back afterwards: acls.generate
        # listens for aerleon's warnings to refuse a dropped term, and would hear none.
        absl = logging.getLogger("absl")
        level = absl.level
        absl.setLevel(logging.ERROR)
        try:
            self.policy = policy.FromBuilder(policy_builder.PolicyBuilder(policies[0], defs))
        finally:
            absl.setLevel(level)
        self.filters = {"inbound": f"{name}-in", "outbound": f"{name}-out"}

    def answer(self, q: Question) -> str | None:
        from aerleon.lib.aclcheck import AclCheck
        check = AclCheck(self.policy, q.src, q.dst, q.sport, q.port, q.protocol.lower())
        for match in check.ExactMatches():
            if match.filter == self.filters[q.direction]:
                return match.term if "accept" in match.action else DENIED
        return DENIED


def compare_answers(design: Design, options=None, addresses: Mapping | None = None) -> list[tuple]:
    """(question, officenet's answer, aerleon's answer) for every question; equal answers agree."""
    rows = permits(design, options, addresses)
    checker = AerleonCheck(design, options, addresses)
    return [(q, officenet_answer(rows, q), checker.answer(q)) for q in questions(rows)]
