"""The gateway router's allow-list, derived from the flows, and its ACLs through aerleon.

The poster's gateway router carries ACLs that "permit very specific incoming and
outgoing IP-based traffic": an allow-list, everything else denied. This module
derives that list from the design instead of typing it:

1. **Flow rule.** A port row crosses the gateway when the gateway router lies
   between its two ends on the path of a flow it serves (``Design.port_serves``
   finds the ports along a flow; here we also look at which hops the connection
   spans).
2. **Own-traffic rule.** A port row that serves no flow at all, but joins a
   server behind the gateway to the outside (the Lync Edge's DNS queries and CRL
   downloads, the A/V Edge's outbound TCP 50000-59999 media to federated
   partners), is the server's own connection. It crosses the gateway because
   the server reaches the outside only through it (``links.csv``).

Optional port rows enter only when their ``GatewayOption`` is on; the defaults
follow the poster. Two-way ports give an inbound and an outbound permit.

Everything here is pure: a design, options and an address plan in, DataFrames
and ACL text out. ``write_acls`` is the thin edge that writes files.
"""
from __future__ import annotations

import functools
import ipaddress
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from .addresses import gateway_addresses
from .design import Design
from .loader import load_table
from .records import Flow, GatewayOption, Port, range_text
from .scenario import atomic_write

# --- options ----------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def gateway_options(data_dir: str | None = None) -> tuple[GatewayOption, ...]:
    """The gateway options of data/gateway_options.csv (read once by the checked loader)."""
    return tuple(r for _, r in load_table("gateway_options", data_dir))


def vpn_option() -> dict[str, str]:
    """Scenario answer in vpn_protocols -> the gateway option it turns on."""
    return {o.vpn_protocol: o.id for o in gateway_options() if o.vpn_protocol}


def __getattr__(name: str):
    # The former constants OPTIONS and VPN_OPTION, now read from data/gateway_options.csv.
    if name == "OPTIONS":
        return gateway_options()
    if name == "VPN_OPTION":
        return vpn_option()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def option_table() -> pd.DataFrame:
    """The options with their port rows, their default (the poster's, unless a correction says otherwise) and source."""
    return pd.DataFrame([{"id": o.id, "option": o.label, "port rows": ", ".join(o.ports),
                          "default": "on" if o.poster else "off", "why": o.why, "source": o.source}
                         for o in gateway_options()]).set_index("id")


def resolve_options(options: Mapping[str, bool] | Iterable[str] | None = None) -> frozenset[str]:
    """Enabled option ids: the poster's defaults, overridden by ``options``.

    ``options`` is a mapping {option id: on?} or an iterable of the ids to turn on
    (all others off). An unknown id is an error that lists the known ones.
    """
    known = {o.id for o in gateway_options()}
    if isinstance(options, str):
        options = (options,)
    if options is None:
        return frozenset(o.id for o in gateway_options() if o.poster)
    given = dict(options) if isinstance(options, Mapping) else {k: True for k in options}
    if isinstance(options, Mapping):
        enabled = {o.id for o in gateway_options() if o.poster}
    else:
        enabled = set()
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValueError(f"unknown gateway option {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    for key, on in given.items():
        (enabled.add if on else enabled.discard)(key)
    return frozenset(enabled)


def _option_of(design: Design) -> dict[str, str]:
    """port id -> option id; an option naming a non-optional port row is an error.

    A row the design does not have is skipped: an organisation without Lync has no Edge rows."""
    out = {}
    # Copies of a row for other sites (id__site, see officenet.synthetic) share its option.
    copies: dict[str, list[str]] = {}
    for p in design.ports:
        copies.setdefault(p.id.split("__", 1)[0], []).append(p.id)
    for o in gateway_options():
        for pid in (c for base in o.ports for c in copies.get(base, ())):
            port = design.get("ports", pid)
            if not port.optional:
                raise ValueError(f"gateway option '{o.id}' lists port row '{pid}', which ports.csv does not "
                                 f"mark optional; mark it optional or remove it from the option")
            out[pid] = o.id
    return out


# --- which port rows cross the gateway ----------------------------------------


@dataclass(frozen=True)
class Crossing:
    """One port row that crosses the gateway, with the flows that need it (empty: own traffic)."""

    port: Port
    flows: tuple[str, ...]
    own_traffic_of: str = ""


def spans(design: Design, port: Port, flow: Flow) -> list[tuple[int, int]]:
    """Hop index pairs (i, j) of ``flow``'s path where ``port``'s connection runs from hop i to hop j
    (``Design.spans``)."""
    return design.spans(port, flow)


def _neighbours(design: Design) -> dict[str, set[str]]:
    out = defaultdict(set)
    for link in design.links:
        out[link.a].add(link.b)
        out[link.b].add(link.a)
    return out


def behind_gateway(design: Design, component: str, neighbours: Mapping[str, set[str]] | None = None) -> bool:
    """True when every chain of links from ``component`` to the outside passes a router."""
    gate = design.routers
    neighbours = _neighbours(design) if neighbours is None else neighbours
    seen, todo = {component}, [component]
    while todo:
        node = todo.pop()
        if design.is_outside(node):
            return False
        for nxt in sorted(neighbours.get(node, set()) - seen):
            if nxt not in gate:
                seen.add(nxt)
                todo.append(nxt)
    return True


def gateway_crossings(design: Design) -> tuple[Crossing, ...]:
    """Every port row that crosses the gateway (optional ones included), in table order."""
    crossing: dict[str, list[str]] = defaultdict(list)
    served: set[str] = set()
    for flow in design.flows:
        for port, hop_spans in design.connections(flow):
            served.add(port.id)
            # Only routers lie inside a span: a span longer than one link passes one.
            for i, j in hop_spans:
                if j - i > 1:
                    crossing[port.id].append(flow.id)
                    break
    components = {c.id for c in design.components}
    neighbours = _neighbours(design)
    out = []
    for port in design.ports:
        if port.id in crossing:
            out.append(Crossing(port, tuple(sorted(crossing[port.id]))))
        elif port.id not in served and design.is_outside(port.from_) != design.is_outside(port.to):
            inside = port.to if design.is_outside(port.from_) else port.from_
            if inside in components and behind_gateway(design, inside, neighbours):
                out.append(Crossing(port, (), own_traffic_of=inside))
    return tuple(out)


# --- addresses -----------------------------------------------------------------

ANY = None

# Placeholders come from officenet.addresses: documentation ranges of RFC 5737, 203.0.113.0/24
# (TEST-NET-3) for our published addresses and 198.51.100.0/24 (TEST-NET-2) standing for
# Exchange Online Protection, the same plan the DNS and load-balancer exports use.
# Replace them with your own addresses and the EOP ranges Microsoft publishes.
def placeholder_addresses(design: Design) -> dict:
    return gateway_addresses(design)


def scenario_gateway(design: Design, scenario) -> tuple[dict[str, bool], dict]:
    """The options and the address plan a scenario gives the gateway: its Lync A/V range (asked
    for, or needed by federation), POP/IMAP, XMPP, DirectAccess transitions and VPN protocols,
    its networks, and EOP's ranges or any mail host for port 25."""
    federates = scenario.federation and "lync" in scenario.products
    options = {"av_range": scenario.lync_av_range or federates, "pop_imap": scenario.pop_imap,
               "xmpp": scenario.xmpp and federates, "teredo": scenario.teredo, "six_to_four": scenario.six_to_four,
               "da_ipv6": scenario.directaccess_ipv6,
               **{option: v in scenario.vpn_protocols for v, option in vpn_option().items()}}
    return options, gateway_addresses(design, scenario.public_network, scenario.internal_network,
                                      eop=scenario.mail == "eop")


ADDRESS_NOTES = {
    "mail_hosts": "EOP: replace with the Exchange Online Protection ranges (EOP-CONN: allow all of them)",
    "exchange_mailbox": "public (NAT) address of outbound SMTP from the Mailbox servers",
    "directaccess_server": "two consecutive addresses, as Teredo requires",
    "lync_edge": "the three external addresses of the consolidated Edge (Access, Web Conferencing, A/V)",
}


def network_name(endpoint: str) -> str:
    """Name of an endpoint's address object in the ACLs: LYNC_EDGE, MAIL_HOSTS ..."""
    return endpoint.upper()


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
            out.append(str(ipaddress.ip_network(text, strict=True)))
        except ValueError as exc:
            raise ValueError(f"address plan entry for '{endpoint}': {text!r} is not an address or network "
                             f"({exc}); write it like 203.0.113.10/32") from None
    return tuple(out)


def address_text(addresses: tuple[str, ...] | None) -> str:
    if addresses is None:
        return "any"
    return ", ".join(a.removesuffix("/32").removesuffix("/128") for a in addresses)


# --- the allow-list -----------------------------------------------------------


@dataclass(frozen=True)
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

    @property
    def inside(self) -> str:
        return self.to if self.direction == "inbound" else self.from_

    @property
    def outside(self) -> str:
        return self.from_ if self.direction == "inbound" else self.to

    def range_text(self) -> str:
        """The permitted ports as written in tables and term names: '443', '50000-59999'."""
        return range_text(self.ports)


def permits(design: Design, options=None, addresses: Mapping | None = None) -> tuple[Permit, ...]:
    """The gateway's permits for ``options`` (see ``resolve_options``) and an address plan."""
    enabled = resolve_options(options)
    option_of = _option_of(design)
    plan = placeholder_addresses(design) if addresses is None else addresses
    groups: dict[tuple, list[Crossing]] = defaultdict(list)
    for c in gateway_crossings(design):
        p = c.port
        if p.optional:
            if p.id not in option_of:
                raise ValueError(f"optional port row '{p.id}' crosses the gateway but no gateway option lists it; "
                                 f"add it to an option in data/gateway_options.csv")
            if option_of[p.id] not in enabled:
                continue
        pairs = [(p.from_, p.to)] + ([(p.to, p.from_)] if p.direction == "two-way" else [])
        for a, b in pairs:
            direction = "inbound" if design.is_outside(a) else "outbound"
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
            options=tuple(sorted({option_of[p.id] for p in ports if p.optional}))))
    rows.sort(key=lambda r: (r.direction != "inbound", comp_order.get(r.inside, 0), r.protocol, r.ports,
                             comp_order.get(r.outside, -1), r.outside))
    return tuple(_named(rows))


def _named(rows: list[Permit]) -> list[Permit]:
    """Term names derived from the permit: in-lync-edge-tcp-443; the outside end is added on a clash."""
    def base(r: Permit) -> str:
        ports = r.range_text()
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
        out.append(Permit(**{**r.__dict__, "name": name}))
    return out


ALLOW_LIST_COLUMNS = ["action", "direction", "protocol", "ports", "from", "from address", "to", "to address",
                      "traffic type", "flows", "port rows", "option", "source"]


def gateway_allow_list(design: Design, options=None, addresses: Mapping | None = None) -> pd.DataFrame:
    """The permits the gateway router needs, one row per permit, indexed by the ACL term name.

    ``options``: {option id: on?} over the poster's defaults (see ``option_table``);
    ``addresses``: {endpoint id: (network, ...) or None for any}, by default RFC 5737 placeholders.
    """
    rows = [{
        "permit": r.name, "action": "permit", "direction": r.direction, "protocol": r.protocol,
        "ports": r.range_text() if r.protocol != "IP" else f"protocol {r.ports[0]}",
        "from": design.label(r.from_), "from address": address_text(r.from_addresses),
        "to": design.label(r.to), "to address": address_text(r.to_addresses),
        "traffic type": ", ".join(design.traffic_type(t).name for t in r.traffic_types),
        "flows": ", ".join(r.flows), "port rows": ", ".join(r.port_ids), "option": ", ".join(r.options),
        "source": r.source,
    } for r in permits(design, options, addresses)]
    return pd.DataFrame(rows, columns=["permit"] + ALLOW_LIST_COLUMNS).set_index("permit")


# --- tables for the notebook ----------------------------------------------------


def zone_of_endpoint(design: Design, endpoint: str) -> str:
    return endpoint if endpoint in {z.id for z in design.zones} else design.zone_of(endpoint)


def zone_pair_matrix(design: Design) -> pd.DataFrame:
    """Zone pair (who opens → who listens) x traffic type: the ports, '(…)' optional, '↔' two-way."""
    zone_order = {z.id: z.order for z in design.zones}
    types = sorted(design.traffic_types, key=lambda t: t.order)
    cells: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for p in sorted(design.ports, key=lambda p: (p.protocol, p.port, p.id)):
        pair = (zone_of_endpoint(design, p.from_), zone_of_endpoint(design, p.to))
        text = f"{'IP' if p.protocol == 'IP' else p.protocol} {p.range_text()}" + ("↔" if p.direction == "two-way" else "")
        text = f"({text})" if p.optional else text
        if text not in cells[pair][p.traffic_type]:
            cells[pair][p.traffic_type].append(text)
    pairs = sorted(cells, key=lambda z: (zone_order[z[0]], zone_order[z[1]]))
    index = pd.Index([f"{design.label(a)} → {design.label(b)}" for a, b in pairs], name="zones")
    data = {t.name: [", ".join(cells[pair].get(t.id, [])) for pair in pairs] for t in types}
    frame = pd.DataFrame(data, index=index)
    frame = frame.loc[:, (frame != "").any(axis=0)]
    outside = {z.id for z in design.zones if z.kind == "external"}
    frame.insert(0, "gateway", ["crosses" if (a in outside) != (b in outside) else "" for a, b in pairs])
    return frame


def zone_pair_ports(design: Design) -> pd.DataFrame:
    """The zone-pair matrix as a list: zones, gateway, traffic type, ports; pairs crossing the gateway first."""
    matrix = zone_pair_matrix(design)
    cells = matrix.drop(columns="gateway").stack()
    cells = cells[cells != ""].rename("ports").reset_index().rename(columns={"level_1": "traffic type"})
    cells.insert(1, "gateway", cells["zones"].map(matrix["gateway"]))
    return cells.sort_values("gateway", ascending=False, kind="stable").reset_index(drop=True)


def _edge_rows(design: Design, edge: str, outside: bool) -> pd.DataFrame:
    rows = []
    for p in design.ports_at(edge):
        if p.from_ == p.to:
            continue
        peer = p.from_ if p.to == edge else p.to
        if design.is_outside(peer) != outside:
            continue
        if p.direction == "two-way":
            direction = "inbound and outbound"
        else:
            direction = "inbound" if p.to == edge else "outbound"
        rows.append({"id": p.id, "protocol": p.protocol, "port": p.range_text(), "peer": design.label(peer),
                     "direction (at the Edge)": direction,
                     "purpose": p.purpose, "optional": "yes" if p.optional else "", "source": p.source})
    return pd.DataFrame(rows, columns=["id", "protocol", "port", "peer", "direction (at the Edge)", "purpose",
                                       "optional", "source"]).set_index("id")


def edge_external_table(design: Design, edge: str = "lync_edge") -> pd.DataFrame:
    """The Lync Edge's external interface: rows with a peer outside the gateway."""
    return _edge_rows(design, edge, outside=True)


def edge_internal_table(design: Design, edge: str = "lync_edge") -> pd.DataFrame:
    """The Lync Edge's internal interface: rows with a peer on the intranet."""
    return _edge_rows(design, edge, outside=False)


@dataclass(frozen=True)
class FlowSelection:
    """A view of explicit flows (duck-types ``View`` for ``diagram.to_dot``)."""

    flow_ids: tuple[str, ...]
    title: str

    def flows(self, design: Design):
        return tuple(f for f in design.flows if f.id in self.flow_ids)

    @property
    def is_everything(self) -> bool:
        return False

    def describe(self, design: Design) -> str:
        return self.title


def crossing_flows(design: Design, options=None) -> tuple[str, ...]:
    """Ids of the flows that need at least one permit on the gateway."""
    return tuple(sorted({f for r in permits(design, options) for f in r.flows if not f.startswith("(")}))


def wrap_ports(text: str, width: int = 18) -> str:
    """A port list broken after its commas into lines of about ``width`` characters."""
    lines, line = [], ""
    for part in text.split(", "):
        candidate = f"{line}, {part}" if line else part
        if line and len(candidate) > width:
            lines.append(line + ",")
            line = part
        else:
            line = candidate
    return "\n".join(lines + [line])


def gateway_figure(design: Design, options=None, addresses: Mapping | None = None):
    """The design with what crosses the gateway lit: one edge per inside end, direction and
    traffic type, labelled with its permitted ports; everything else greyed."""
    from .diagram import LINK, layer, layout

    rows = permits(design, options, addresses)
    gate = sorted(design.routers)
    flows = {f.id: f for f in design.flows}
    lit = set(gate) | {r.inside for r in rows}
    outside_hops: set[tuple[str, str]] = set()
    for r in rows:
        for fid in r.flows:
            if fid in flows:
                path = flows[fid].path
                for a, b in zip(path, path[1:]):
                    if b in gate and design.is_outside(a):
                        outside_hops.add((a, flows[fid].traffic_type))
                        lit.add(a)
                    if a in gate and design.is_outside(b):
                        outside_hops.add((b, flows[fid].traffic_type))
                        lit.add(b)
    g = layout(design, "officenet_gateway", "what crosses the gateway router", lit, False)
    tt = {t.id: t for t in design.traffic_types}
    router = gate[0]

    def meaning(t):
        return tt[t].name + ("" if tt[t].in_poster else " (added)")

    for outside, t in sorted(outside_hops):
        g.edge(outside, router, colour=tt[t].colour, style=tt[t].style, meaning=meaning(t), order=tt[t].order,
               penwidth="1.6", arrowhead="none", tooltip=f"{tt[t].name}: {design.label(outside)} reaches the gateway")
    grouped: dict[tuple[str, str, str], list[Permit]] = defaultdict(list)
    for r in rows:
        for t in r.traffic_types:
            grouped[(r.inside, r.direction, t)].append(r)
    for (inside, direction, t), these in sorted(grouped.items()):
        by_proto: dict[str, list[str]] = defaultdict(list)
        for r in these:
            text = r.range_text()
            if text not in by_proto[r.protocol]:
                by_proto[r.protocol].append(text)
        # one protocol a line: a long single line widened the gateway's column past a page
        label = ("in " if direction == "inbound" else "out ") + "\n".join(
            wrap_ports(f"{'IP' if p == 'IP' else p} {', '.join(v)}") for p, v in sorted(by_proto.items()))
        a, b = (router, inside) if direction == "inbound" else (inside, router)
        # a label on an edge that spans columns is laid out mid-way and opens a gap as wide as
        # itself: such edges (to the intranet) get an external label, placed after the layout
        far = layer(design, design.component(inside)) > 2
        g.edge(a, b, colour=tt[t].colour, fontcolor=tt[t].colour, style=tt[t].style, meaning=meaning(t),
               order=tt[t].order, penwidth="2", label=None if far else label, xlabel=label if far else None,
               tooltip=f"{tt[t].name}, {direction}: " + ", ".join(r.name for r in these))
    drawn = {frozenset((router, r.inside)) for r in rows} | {frozenset((o, router)) for o, _ in outside_hops}
    for link in sorted(design.links, key=lambda l: l.id):
        if frozenset((link.a, link.b)) not in drawn:
            g.edge(link.a, link.b, colour=LINK, style="dotted", meaning="not crossing", order=101,
                   arrowhead="none", tooltip=link.description)
    return g.figure("Traffic types crossing the gateway")


def gateway_dot(design: Design, options=None, addresses: Mapping | None = None) -> str:
    """DOT text of ``gateway_figure``."""
    return gateway_figure(design, options, addresses).dot


# --- ACL export through aerleon -----------------------------------------------------


class AclExportError(ValueError):
    """The ACLs cannot be rendered: unknown platform, unsupported feature or aerleon's own error."""


@dataclass(frozen=True)
class Platform:
    """What officenet asks of one aerleon generator."""

    target: str  # aerleon's name
    title: str
    stateful: bool  # keeps connection state: no return-traffic terms needed
    suffix: str
    outside: str  # interface towards the Internet (placeholder name: replace with yours)
    inside: str  # interface towards the perimeter network

    def header(self, filter_name: str, family: str = "mixed") -> str:
        # mixed: one filter for IPv4 and one for IPv6, so that IPv6 never bypasses the allow-list
        if self.target == "nftables":
            return f"{family} forward"
        return f"{filter_name} {family}"


PLATFORMS: Mapping[str, Platform] = {
    "cisco": Platform("cisco", "Cisco IOS extended access lists", False, ".acl",
                      "GigabitEthernet0/0", "GigabitEthernet0/1"),
    "juniper": Platform("juniper", "Juniper Junos firewall filters", False, ".jcl", "ge-0/0/0", "ge-0/0/1"),
    "nftables": Platform("nftables", "Linux nftables (stateful, forward hook)", True, ".nft", "outside", "inside"),
}
NFT_COMMENT_MAX = 128  # nft refuses longer comments

def platform(name: str) -> Platform:
    if name in PLATFORMS:
        return PLATFORMS[name]
    from aerleon.lib import plugin_supervisor  # deferred: aerleon is heavy, loaded only to name an unknown platform
    known = ", ".join(PLATFORMS)
    if any(t == name for t, _, _ in plugin_supervisor.BUILTIN_GENERATORS):
        raise AclExportError(f"aerleon has a '{name}' generator, but officenet has not declared what it "
                             f"supports (state, header); use one of {known}, or add it to firewall.PLATFORMS")
    raise AclExportError(f"no ACL platform '{name}': aerleon has no such generator; use one of {known}")


_AERLEON_PROTOCOL = {"TCP": "tcp", "UDP": "udp"}
WINDOWS_DYNAMIC = (49152, 65535)  # WIN-DYNPORT: default since Windows Server 2008
DYNAMIC_SERVICE = "UDP_WINDOWS_DYNAMIC"
_IP_PROTOCOL_NAMES = {50: "esp", 51: "ah", 47: "gre"}


def _service(r: Permit) -> tuple[str, list[dict]]:
    text = r.range_text()
    return f"{r.protocol}_{text.replace('-', '_')}", [{"port": text, "protocol": _AERLEON_PROTOCOL[r.protocol]}]


def _network_object(names: dict, endpoint: str, addrs: tuple[str, ...]) -> str:
    """The name of an address object: the endpoint's name for the first set of addresses it is
    used with, then one named after the addresses (the Edge's interfaces each get their own)."""
    name = network_name(endpoint)
    if names.get(name, addrs) != addrs:
        name = name + "_" + "_".join(re.sub(r"[./]", "_", a.removesuffix("/32")) for a in addrs)
    names[name] = addrs
    return name


def _comment(r: Permit, limit: int | None) -> str:
    """What a permit is for: its port rows and flows; with a ``limit`` (nft's 128 characters)
    the flows become a count, and the port rows are cut with '...' when still too long."""
    text = f"{r.direction}: port rows {', '.join(r.port_ids)}; flows {', '.join(r.flows)}"
    if limit is None or len(text) <= limit:
        return text
    text = f"{r.direction}: port rows {', '.join(r.port_ids)}; {len(r.flows)} flows"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _term(r: Permit, names: dict, services: dict, reverse: bool = False, plat: Platform | None = None) -> dict:
    """An aerleon term; ``reverse`` gives the return traffic of ``r`` for stateless filters.
    On a stateful platform the term also names the interface the connection enters or leaves by."""
    src, dst = (r.to, r.from_) if reverse else (r.from_, r.to)
    src_addr, dst_addr = (r.to_addresses, r.from_addresses) if reverse else (r.from_addresses, r.to_addresses)
    limit = NFT_COMMENT_MAX if plat is not None and plat.target == "nftables" else None
    term = {"name": ("return-" + r.name) if reverse else r.name,
            "comment": (f"return traffic of {r.name}" if reverse else _comment(r, limit)),
            "action": "accept"}
    if plat is not None and plat.stateful:
        term["source-interface" if r.direction == "inbound" else "destination-interface"] = plat.outside
    for key, endpoint, addrs in (("source-address", src, src_addr), ("destination-address", dst, dst_addr)):
        if addrs is not None:
            term[key] = _network_object(names, endpoint, addrs)
    if r.protocol == "IP":
        term["protocol"] = _IP_PROTOCOL_NAMES.get(r.ports[0], str(r.ports[0]))
    else:
        term["protocol"] = _AERLEON_PROTOCOL[r.protocol]
        service, definition = _service(r)
        services[service] = definition
        term["source-port" if reverse else "destination-port"] = service
        if reverse and r.protocol == "TCP":
            term["option"] = "tcp-established"
        if reverse and r.protocol == "UDP" and r.direction == "outbound":
            # A reply to our own server's UDP query goes to the port it chose: Windows Server takes it
            # from its dynamic range (WIN-DYNPORT). Replies to a well-known port (IKE 500, STUN 3478)
            # are the inbound permits' business, so nothing else from the Internet gets in this way.
            services[DYNAMIC_SERVICE] = [{"port": f"{WINDOWS_DYNAMIC[0]}-{WINDOWS_DYNAMIC[1]}", "protocol": "udp"}]
            term["destination-port"] = DYNAMIC_SERVICE
            term["comment"] += f" (to the Windows dynamic ports {WINDOWS_DYNAMIC[0]}-{WINDOWS_DYNAMIC[1]})"
    return term


# A stateless filter sees no connection: without these, path-MTU discovery breaks (RFC 4890 for ICMPv6,
# RFC 1191 for IPv4) and a large TLS response stalls. Only the error messages it needs pass.
PATH_MTU_TERMS = [
    {"name": "path-mtu-icmp", "comment": "ICMP destination unreachable, fragmentation needed (RFC 1191)",
     "protocol": "icmp", "icmp-type": "unreachable", "icmp-code": 4, "action": "accept"},
    {"name": "path-mtu-icmpv6", "comment": "ICMPv6 packet too big (RFC 4890)",
     "protocol": "icmpv6", "icmp-type": "packet-too-big", "action": "accept"},
]


def acl_policy(design: Design, options=None, platforms: Iterable[str] = ("cisco", "juniper"),
               addresses: Mapping | None = None, name: str = "officenet-gateway") -> tuple[list[dict], dict]:
    """aerleon's own input: the policies (one per platform) and the naming definitions.

    Stateless platforms get two filters for the outside interface, ``NAME-in`` and
    ``NAME-out``, each with the return traffic of the other direction's permits
    (TCP: ``tcp-established``; UDP answering a client outside: the service's source
    port to any port, since IKE, NAT-T and STUN clients may use well-known ports;
    UDP answering our server: from the service's port to Windows' dynamic ports);
    stateful platforms get one forward filter. Every filter ends with a deny term.
    """
    rows = permits(design, options, addresses)
    chosen = [platform(p) for p in platforms]
    if not chosen:
        raise AclExportError("no platform asked for; use one or more of " + ", ".join(PLATFORMS))
    networks: dict[str, tuple[str, ...]] = {}
    services: dict[str, list[dict]] = {}
    inbound = [r for r in rows if r.direction == "inbound"]
    outbound = [r for r in rows if r.direction == "outbound"]
    family = "mixed"  # every filter covers IPv4 and IPv6: an IPv6 packet meets the same allow-list
    deny = {"name": "deny-everything-else", "comment": "the gateway ACLs are an allow-list", "action": "deny"}

    def returns(these):
        return [_term(r, networks, services, reverse=True) for r in these if r.protocol != "IP"]

    policies = []
    for plat in chosen:
        if plat.stateful:
            # ICMP errors about a permitted connection (fragmentation needed, packet too big) are
            # conntrack's 'related' state, which aerleon's nftables base chain accepts.
            filters = [{"header": {"targets": {plat.target: plat.header(name, family)},
                                   "comment": f"{name}: permits in both directions through the gateway router"},
                        "terms": [_term(r, networks, services, plat=plat) for r in inbound + outbound] + [deny]}]
        else:
            filters = [
                {"header": {"targets": {plat.target: plat.header(f"{name}-in", family)},
                            "comment": f"{name}-in: traffic entering from the Internet (outside interface, in)"},
                 "terms": [_term(r, networks, services) for r in inbound] + returns(outbound) + PATH_MTU_TERMS
                 + [deny]},
                {"header": {"targets": {plat.target: plat.header(f"{name}-out", family)},
                            "comment": f"{name}-out: traffic leaving to the Internet (outside interface, out)"},
                 "terms": [_term(r, networks, services) for r in outbound] + returns(inbound) + PATH_MTU_TERMS
                 + [deny]},
            ]
        policies.append({"filename": f"{name}-{plat.target}", "filters": filters})
    definitions = {
        "networks": {k: {"values": [{"address": a, "comment": k.lower().replace("_", " ")} for a in v]}
                     for k, v in sorted(networks.items())},
        "services": dict(sorted(services.items())),
    }
    return policies, definitions


def render_acls(design: Design, options=None, platforms: Iterable[str] = ("cisco", "juniper"),
                addresses: Mapping | None = None, name: str = "officenet-gateway") -> dict[str, str]:
    """{platform: ACL text} rendered by aerleon from the allow-list. Pure: no files written."""
    platforms = tuple(platforms)
    policies, definitions = acl_policy(design, options, platforms, addresses, name)
    out = generate(policies, definitions)
    texts = {}
    for plat_name, pol in zip(platforms, policies):
        key = pol["filename"] + PLATFORMS[plat_name].suffix
        if key not in out:
            raise AclExportError(f"aerleon rendered nothing for platform '{plat_name}' (it may have skipped "
                                 f"every term as unsupported); files rendered: {', '.join(sorted(out)) or 'none'}")
        texts[plat_name] = _bind(PLATFORMS[plat_name], name, out[key])
    return texts


def _bind(plat: Platform, name: str, text: str) -> str:
    """The ACL text with the lines that bind it to the outside interface (aerleon writes the
    filters only). nftables names the interface in each rule (iifname/oifname) instead; there
    the one fix is dropping the copy of each IPv4 rule that aerleon's mixed family repeats."""
    if plat.target == "nftables":
        lines: list[str] = []
        for line in text.splitlines():
            if not (lines and line == lines[-1] and line.strip().endswith("accept")):
                lines.append(line)
        return "\n".join(lines) + "\n"
    # aerleon's names for a mixed filter: Cisco prefixes the IPv6 list, Junos suffixes 4 and 6.
    v4, v6 = ((f"{name}-{{d}}", f"ipv6-{name}-{{d}}") if plat.target == "cisco"
              else (f"{name}-{{d}}4", f"{name}-{{d}}6"))
    for filt in (v4, v6):
        for d in ("in", "out"):
            if filt.format(d=d) not in text:
                raise AclExportError(f"aerleon's {plat.target} output has no filter {filt.format(d=d)} to bind "
                                     f"to {plat.outside}")
    if plat.target == "cisco":
        # aerleon writes ICMPv6 as protocol 58 followed by a type; IOS takes a type only after the
        # 'icmp' keyword, which in an IPv6 list means ICMPv6.
        text = re.sub(r"^( (?:permit|deny)) 58 (any|host \S+|\S+/\d+) (any|host \S+|\S+/\d+) (\d+)",
                      r"\1 icmp \2 \3 \4", text, flags=re.M)
        binding = ["interface " + plat.outside,
                   " description outside: towards the Internet (replace with your interface)",
                   f" ip access-group {v4.format(d='in')} in", f" ip access-group {v4.format(d='out')} out",
                   f" ipv6 traffic-filter {v6.format(d='in')} in", f" ipv6 traffic-filter {v6.format(d='out')} out",
                   "exit"]
    else:
        binding = ["interfaces {", f"    {plat.outside} {{",
                   "        description \"outside: towards the Internet (replace with your interface)\";",
                   "        unit 0 {"]
        for fam, filt in (("inet", v4), ("inet6", v6)):
            binding += [f"            family {fam} {{", "                filter {",
                        f"                    input {filt.format(d='in')};",
                        f"                    output {filt.format(d='out')};",
                        "                }", "            }"]
        binding += ["        }", "    }", "}"]
    return text.rstrip("\n") + "\n\n" + "\n".join(binding) + "\n"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def generate(policies: list[dict], definitions: dict) -> dict[str, str]:
    """Call aerleon's Generate API; its errors and its 'will not be rendered' warnings become AclExportError.

    aerleon skips a term it cannot render on a platform with a mere warning; an
    allow-list that silently loses a permit is wrong, so that is an error here.
    """
    # Deferred: aerleon is heavy and only rendering needs it.
    from aerleon import api
    from aerleon.aclgen import ACLGeneratorError, ACLParserError
    from aerleon.lib import naming

    defs = naming.Naming()
    handler = _Collect()
    absl_logger = logging.getLogger("absl")
    absl_logger.addHandler(handler)
    try:
        defs.ParseDefinitionsObject(definitions, "officenet")
        out = api.Generate(policies, defs)
    except (ACLGeneratorError, ACLParserError, naming.Error) as exc:
        raise AclExportError(f"aerleon could not render the ACLs: {exc}") from exc
    finally:
        absl_logger.removeHandler(handler)
    dropped = [m for m in handler.messages if "will not be rendered" in m or "skipping" in m]
    if dropped:
        raise AclExportError("aerleon dropped terms it does not support: " + "; ".join(dropped))
    return dict(sorted(out.items()))


def write_acls(texts: Mapping[str, str], directory: str | Path, name: str = "officenet-gateway") -> list[Path]:
    """Write each platform's text to DIRECTORY/NAME-PLATFORM.SUFFIX atomically (temp file + os.replace)."""
    return [atomic_write(Path(directory) / f"{name}-{plat_name}{platform(plat_name).suffix}", text)
            for plat_name, text in sorted(texts.items())]
