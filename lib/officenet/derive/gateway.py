"""The gateway router's allow-list, derived from the flows.

The poster's gateway router carries ACLs that "permit very specific incoming and
outgoing IP-based traffic": an allow-list, everything else denied. This module
derives that list from the design instead of typing it:

1. **Flow rule.** A port row crosses the gateway when the gateway router lies
   between its two ends on the path of a flow it serves (``derive.routes``
   finds the ports along a flow; here we also look at which hops the connection
   spans).
2. **Own-traffic rule.** A port row that serves no flow at all, but joins a
   server behind the gateway to the outside (the Lync Edge's DNS queries and CRL
   downloads, the A/V Edge's outbound TCP 50000-59999 media to federated
   partners), is the server's own connection. It crosses the gateway because
   the server reaches the outside only through it (``links.csv``).

Optional port rows enter only when their gateway option (``gateway_options.csv``
of the design's folder, ``Design.gateway_options``) is on; the defaults follow
the poster. Two-way ports give an inbound and an outbound permit.

Everything here is pure: a design, options and an address plan in, permits and
DataFrames out. ``officenet.derive.acls`` renders the permits as ACLs, and
``officenet.derive.gateway_views`` draws them.
"""
from __future__ import annotations

import ipaddress
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterable, Mapping

import pandas as pd

from .addresses import gateway_addresses, gateway_ends
from ..model.design import Design
from ..model.records import Port, range_text
from .routes import connections as connections_of, per_design, route as route_of


# --- options ----------------------------------------------------------------


def vpn_option(design: Design) -> dict[str, str]:
    """Scenario answer in vpn_protocols -> the gateway option it turns on."""
    return {o.vpn_protocol: o.id for o in design.gateway_options if o.vpn_protocol}


def option_table(design: Design) -> pd.DataFrame:
    """The options with their port rows, their default (the poster's, unless a correction says otherwise) and source."""
    return pd.DataFrame([{"id": o.id, "option": o.label, "port rows": ", ".join(o.ports),
                          "default": "on" if o.poster else "off", "why": o.why, "source": o.source}
                         for o in design.gateway_options]).set_index("id")


def resolve_options(design: Design, options: Mapping[str, bool] | Iterable[str] | None = None) -> frozenset[str]:
    """Enabled option ids: the poster's defaults, overridden by ``options``.

    ``options`` is a mapping {option id: on?} or an iterable of the ids to turn on
    (all others off). An unknown id is an error that lists the known ones.
    """
    known = {o.id for o in design.gateway_options}
    defaults = {o.id for o in design.gateway_options if o.poster}
    if isinstance(options, str):
        options = (options,)
    if options is None:
        return frozenset(defaults)
    given = dict(options) if isinstance(options, Mapping) else {k: True for k in options}
    enabled = set(defaults) if isinstance(options, Mapping) else set()
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValueError(f"unknown gateway option {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    for key, on in given.items():
        (enabled.add if on else enabled.discard)(key)
    return frozenset(enabled)


def option_of(design: Design) -> dict[str, str]:
    """port id -> the gateway option that lists it (the loader checks that such rows are optional).

    A row the design does not have is skipped: an organisation without Lync has no Edge rows."""
    ports = {p.id for p in design.ports}
    return {pid: o.id for o in design.gateway_options for pid in o.ports if pid in ports}


# --- which port rows cross the gateway ----------------------------------------


@dataclass(frozen=True, slots=True)
class Crossing:
    """One port row that crosses the gateway, with the flows that need it (empty: own traffic)."""

    port: Port
    flows: tuple[str, ...]
    own_traffic_of: str = ""


def _neighbours(design: Design) -> dict[str, tuple[str, ...]]:
    """Component -> the components linked to it, sorted: tuples of strings, which the garbage collector
    stops tracking (a set per component of a large design would stay tracked)."""
    out: dict[str, tuple[str, ...]] = {}
    for link in design.links:
        out[link.a] = out.get(link.a, ()) + (link.b,)
        out[link.b] = out.get(link.b, ()) + (link.a,)
    return {node: tuple(sorted(set(linked))) for node, linked in out.items()}


def behind_gateway(design: Design, component: str, neighbours: Mapping[str, tuple[str, ...]] | None = None) -> bool:
    """True when every chain of links from ``component`` to the outside passes a router."""
    gate = design.routers
    neighbours = _neighbours(design) if neighbours is None else neighbours
    seen, todo = {component}, [component]
    while todo:
        node = todo.pop()
        if design.is_outside(node):
            return False
        for nxt in neighbours.get(node, ()):
            if nxt not in gate and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return True


def gateway_crossings(design: Design) -> tuple[Crossing, ...]:
    """Every port row that crosses the gateway (optional ones included), in table order. Worked out
    once per design (``routes.per_design``): the permits of every choice of options, the checks and
    the integrity rules all read it."""
    return per_design(design, _crossings)


def _crossings(design: Design) -> tuple[Crossing, ...]:
    crossing: dict[str, list[str]] = defaultdict(list)
    served: set[str] = set()
    # Flows along the same route (routes.route) open the same connections: which cross is worked out once.
    crossing_rows: dict[tuple, tuple[str, ...]] = {}
    for flow in design.flows:
        route = route_of(design, flow)
        rows = crossing_rows.get(route)
        if rows is None:
            connections = connections_of(design, flow)
            served.update(port.id for port, _ in connections)
            # Only routers lie inside a span: a span longer than one link passes one.
            rows = crossing_rows[route] = tuple(
                port.id for port, hop_spans in connections if any(j - i > 1 for i, j in hop_spans))
        for port_id in rows:
            crossing[port_id].append(flow.id)
    components = {c.id for c in design.components}
    zones = {z.id for z in design.zones}
    neighbours = _neighbours(design)
    outside = gateway_ends(design).outside
    out = []
    for port in design.ports:
        if port.id in crossing:
            out.append(Crossing(port, tuple(sorted(crossing[port.id]))))
        elif port.id not in served and (port.from_ in outside) != (port.to in outside):
            inside = port.to if port.from_ in outside else port.from_
            # A zone behind the gateway stands for servers the poster does not draw (the name
            # servers): the addresses that serve the row say which (addresses.csv 'ports').
            if (inside in components and behind_gateway(design, inside, neighbours)) or inside in zones:
                out.append(Crossing(port, (), own_traffic_of=inside))
    return tuple(out)


# --- addresses -----------------------------------------------------------------


def scenario_gateway(design: Design, scenario) -> tuple[dict[str, bool], dict]:
    """The options and the address plan a scenario gives the gateway: its Lync A/V range (asked
    for, or needed by federation), POP/IMAP, XMPP, DirectAccess transitions and VPN protocols,
    its networks, and EOP's ranges or any mail host for port 25."""
    scenario = scenario.checked(design)
    federates = scenario.federation and "lync" in scenario.products
    known = {o.id for o in design.gateway_options}
    # Federation needs the A/V Edge's outbound range: it turns the option on where the release has one
    # (today's Edge opens the range with no option at all: its port rows are not optional).
    options = {"av_range": scenario.lync_av_range or (federates and "av_range" in known),
               "pop_imap": scenario.pop_imap, "xmpp": scenario.xmpp and federates, "teredo": scenario.teredo, "six_to_four": scenario.six_to_four,
               "da_ipv6": scenario.directaccess_ipv6, "da_ipv6_icmpv6": scenario.directaccess_ipv6 and scenario.teredo,
               "exchange_federation": scenario.federation and "exchange" in scenario.products,
               **{option: v in scenario.vpn_protocols for v, option in vpn_option(design).items()}}
    # A release without an option's rows (today's has no XMPP proxy and no DirectAccess) has no such option;
    # the scenario refuses to turn one on there (scenario.validate), so only "off" answers are dropped here.
    options = {k: v for k, v in options.items() if k in known or v}
    return options, gateway_addresses(design, scenario.public_network, scenario.internal_network,
                                      eop=scenario.mail == "eop")


def _addresses(design: Design, endpoint: str, plan: Mapping[str, tuple[str, ...] | None],
               port_ids: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The address objects of ``endpoint`` for a permit of ``port_ids``: the addresses that serve
    those port rows where the plan names some (keys (endpoint, port id)), else the endpoint's own."""
    specific = [plan[(endpoint, pid)] for pid in port_ids if (endpoint, pid) in plan]
    if specific and len(specific) == len(port_ids):
        value = tuple(str(n) for n in ipaddress.collapse_addresses(
            ipaddress.ip_network(a) for found in specific for a in found))
    elif endpoint not in plan:
        raise ValueError(f"the address plan has no entry for '{endpoint}' ({design.label(endpoint)}); "
                         f"add {endpoint!r}: ('203.0.113.x/32',) or None for any address")
    else:
        value = plan[endpoint]
    if value is None:
        return None
    if isinstance(value, str):
        value = (value,)
    out = []
    for text in value:
        try:
            out.append(_network_text(text))
        except ValueError as exc:
            raise ValueError(f"address plan entry for '{endpoint}': {text!r} is not an address or network "
                             f"({exc}); write it like 203.0.113.10/32") from None
    return tuple(out)


@lru_cache(maxsize=65536)
def _network_text(text: str) -> str:
    # A large design names the same few thousand networks in every permit: parse each once.
    return str(ipaddress.ip_network(text, strict=True))


def address_text(addresses: tuple[str, ...] | None) -> str:
    if addresses is None:
        return "any"
    return ", ".join(a.removesuffix("/32").removesuffix("/128") for a in addresses)


# --- the allow-list -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Permit:
    name: str
    direction: str  # inbound or outbound
    protocol: str
    ports: tuple[int, int]
    from_: str
    to: str
    from_addresses: tuple[str, ...] | None
    to_addresses: tuple[str, ...] | None
    traffic_types: tuple[str, ...]
    flows: tuple[str, ...]
    port_ids: tuple[str, ...]
    source: str
    options: tuple[str, ...] = ()
    # The permitted ports as written in tables and term names ('443', '50000-59999'), worked out once as
    # the permit is made: its term name, its ACL service and its table row all read it.
    ports_text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ports_text", range_text(self.ports))

    @property
    def inside(self) -> str:
        return self.to if self.direction == "inbound" else self.from_

    @property
    def outside(self) -> str:
        return self.from_ if self.direction == "inbound" else self.to


ALLOW_LIST_COLUMNS = ["action", "direction", "protocol", "ports", "from", "from address", "to", "to address",
                      "traffic type", "flows", "port rows", "option", "source"]


class Permits(tuple):
    """The answer of ``permits``: its ``Permit`` rows in the allow-list's order, which the ACLs, the
    checks, SPF and the permit questions read; ``frame()`` shows them as the allow-list table
    (with the design's labels, hence the design it was derived from)."""

    def __new__(cls, rows, design: Design):
        answer = super().__new__(cls, rows)
        answer.design = design
        return answer

    def __reduce__(self):
        return Permits, (tuple(self), self.design)

    def frame(self) -> pd.DataFrame:
        """One row per permit, indexed by the ACL term name."""
        label, design = self.design.label, self.design
        rows = [{
            "permit": r.name, "action": "permit", "direction": r.direction, "protocol": r.protocol,
            "ports": r.ports_text if r.protocol != "IP" else f"protocol {r.ports[0]}",
            "from": label(r.from_), "from address": address_text(r.from_addresses),
            "to": label(r.to), "to address": address_text(r.to_addresses),
            "traffic type": ", ".join(design.traffic_type(t).name for t in r.traffic_types),
            "flows": ", ".join(r.flows), "port rows": ", ".join(r.port_ids), "option": ", ".join(r.options),
            "source": r.source,
        } for r in self]
        return pd.DataFrame(rows, columns=["permit"] + ALLOW_LIST_COLUMNS).set_index("permit")


def permits(design: Design, options=None, addresses: Mapping | None = None) -> Permits:
    """The gateway's permits for ``options`` (see ``resolve_options``) and an address plan."""
    enabled = resolve_options(design, options)
    options_of = option_of(design)
    # By default the placeholders of officenet.derive.addresses: RFC 5737 documentation ranges for our
    # published addresses and for Exchange Online Protection, the plan the DNS and load-balancer
    # exports use. Replace them with your own addresses and the EOP ranges Microsoft publishes.
    plan = gateway_addresses(design) if addresses is None else addresses
    outside = gateway_ends(design).outside
    groups: dict[tuple, list[Crossing]] = defaultdict(list)
    for c in gateway_crossings(design):
        p = c.port
        if p.optional:
            if p.id not in options_of:
                raise ValueError(f"optional port row '{p.id}' crosses the gateway but no gateway option lists it; "
                                 f"add it to an option in gateway_options.csv")
            if options_of[p.id] not in enabled:
                continue
        pairs = [(p.from_, p.to)] + ([(p.to, p.from_)] if p.direction == "two-way" else [])
        for a, b in pairs:
            direction = "inbound" if a in outside else "outbound"
            groups[(direction, p.protocol, p.port, a, b)].append(c)
    comp_order = {c.id: i for i, c in enumerate(design.components)}
    tt_order = {t.id: t.order for t in design.traffic_types}
    rows = []
    for (direction, protocol, port, a, b), crossings in groups.items():
        ports = [c.port for c in crossings]
        flows = sorted({f for c in crossings for f in c.flows})
        own = sorted({c.own_traffic_of for c in crossings if c.own_traffic_of})
        sources: list[str] = []
        for p in ports:
            for part in (s.strip() for s in p.source.split(";")):
                if part not in sources:
                    sources.append(part)
        rows.append(Permit(
            name="", direction=direction, protocol=protocol, ports=port, from_=a, to=b,
            from_addresses=_addresses(design, a, plan, tuple(p.id for p in ports)),
            to_addresses=_addresses(design, b, plan, tuple(p.id for p in ports)),
            traffic_types=tuple(sorted({p.traffic_type for p in ports}, key=lambda t: tt_order[t])),
            flows=tuple(flows) + tuple(f"(opened by {design.label(o)}: no flow)" for o in own),
            port_ids=tuple(p.id for p in ports), source="; ".join(sources),
            options=tuple(sorted({options_of[p.id] for p in ports if p.optional}))))
    rows.sort(key=lambda r: (r.direction != "inbound", comp_order.get(r.inside, 0), r.protocol, r.ports,
                             comp_order.get(r.outside, -1), r.outside))
    return Permits(_named(rows), design)


def _named(rows: list[Permit]) -> list[Permit]:
    """Term names derived from the permit: in-lync-edge-tcp-443; the outside end is added on a clash."""
    def base(r: Permit) -> str:
        ports = r.ports_text
        proto = "ip" + ports if r.protocol == "IP" else f"{r.protocol.lower()}-{ports}"
        return f"{'in' if r.direction == 'inbound' else 'out'}-{r.inside.replace('_', '-')}-{proto}"

    counts = defaultdict(int)
    for r in rows:
        counts[base(r)] += 1
    out = []
    for r in rows:
        name = base(r)
        if counts[name] > 1:
            name += f"-{'from' if r.direction == 'inbound' else 'to'}-{r.outside.replace('_', '-')}"
        out.append(replace(r, name=name))
    return out


def gateway_allow_list(design: Design, options=None, addresses: Mapping | None = None) -> pd.DataFrame:
    """The permits the gateway router needs, one row per permit, indexed by the ACL term name
    (``permits(...).frame()``).

    ``options``: {option id: on?} over the poster's defaults (see ``option_table``);
    ``addresses``: {endpoint id: (network, ...) or None for any}, by default RFC 5737 placeholders.
    """
    return permits(design, options, addresses).frame()

