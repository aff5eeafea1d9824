"""The immutable ``Design``: every table of the reference design, with queries.

A ``Design`` is built once by ``officenet.load`` and passed to every function
that derives an artefact from it. Nothing in it changes after loading, so the
same call always gives the same answer.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from itertools import count
from types import MappingProxyType
from typing import Callable, Mapping, TypeVar

from .records import (TABLES, Address, AuthMethod, CertificateName, Component, Correction, DnsRecord, ExchangeVdir, Flow,
                      Answer, GatewayOption, LbRule, Link, NrptRule, Port, Product, RemoteAccess, Rule, Source, TrafficType, Url,
                      UserType, VendorRow, VipService, VpnProtocol, Zone)

T = TypeVar("T")
_MISSING = object()

@dataclass(frozen=True, eq=False)
class Design:
    sources: tuple[Source, ...]
    zones: tuple[Zone, ...]
    products: tuple[Product, ...]
    components: tuple[Component, ...]
    user_types: tuple[UserType, ...]
    traffic_types: tuple[TrafficType, ...]
    links: tuple[Link, ...]
    flows: tuple[Flow, ...]
    ports: tuple[Port, ...]
    authentication: tuple[AuthMethod, ...]
    urls: tuple[Url, ...]
    corrections: tuple[Correction, ...]
    addresses: tuple[Address, ...] = ()
    dns_records: tuple[DnsRecord, ...] = ()
    certificates: tuple[CertificateName, ...] = ()
    exchange_vdirs: tuple[ExchangeVdir, ...] = ()
    lb_rules: tuple[LbRule, ...] = ()
    vip_services: tuple[VipService, ...] = ()
    remote_access: tuple[RemoteAccess, ...] = ()
    nrpt_rules: tuple[NrptRule, ...] = ()
    vpn_protocols: tuple[VpnProtocol, ...] = ()
    vendor_rows: tuple[VendorRow, ...] = ()
    # Read from the same folder, though not tables of the network itself (records.OTHER_TABLES):
    # the options of the gateway's allow-list and the rules of the design checks.
    gateway_options: tuple[GatewayOption, ...] = ()
    checks: tuple[Rule, ...] = ()
    answers: tuple[Answer, ...] = ()
    data_dir: str = ""
    # CSV line of each row, for error messages: (table, id) -> line.
    lines: Mapping[tuple[str, str], int] = field(default_factory=dict, repr=False)

    @classmethod
    def from_tables(cls, tables: dict[str, list[tuple[int, object]]], data_dir: str = "") -> "Design":
        lines = {}
        for name, rows in tables.items():
            for line, rec in rows:
                lines[(name, _key(rec))] = line
        kwargs = {name: tuple(rec for _, rec in rows) for name, rows in tables.items()}
        return cls(**kwargs, data_dir=data_dir, lines=MappingProxyType(lines))

    def __reduce__(self):
        # Pickled as its tables alone (indexes are rebuilt on use), so a design can go to a worker
        # process; read-only mappings do not pickle, so ``lines`` travels as a plain dict.
        tables = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "lines"}
        return _unpickle, (tables, dict(self.lines))

    # --- look-ups -----------------------------------------------------------
    @cached_property
    def _index(self) -> Mapping[str, Mapping[str, object]]:
        out = {}
        for name in TABLES:  # every table the loader knows, so a new one needs no edit here
            out[name] = MappingProxyType({_key(r): r for r in getattr(self, name)})
        return MappingProxyType(out)

    def get(self, table: str, key: str):
        """The row ``key`` of ``table``; KeyError names the known ids when it is missing."""
        try:
            return self._index[table][key]
        except KeyError:
            known = ", ".join(sorted(self._index.get(table, {})))
            raise KeyError(f"no {table} row '{key}'; known: {known}") from None

    def component(self, key: str) -> Component:
        return self.get("components", key)

    def traffic_type(self, key: str) -> TrafficType:
        return self.get("traffic_types", key)

    def zone_of(self, component_id: str) -> str:
        return self.component(component_id).zone

    def is_outside(self, endpoint: str) -> bool:
        """True for a zone or component beyond the gateway router (Internet, cloud)."""
        known = self._outside.get(endpoint)
        if known is not None:
            return known
        zone = endpoint if endpoint in self._index["zones"] else self.zone_of(endpoint)  # raises, naming the ids
        return self.get("zones", zone).kind == "external"

    @cached_property
    def _outside(self) -> Mapping[str, bool]:
        # Asked for every hop of every flow: one dict look-up instead of three.
        external = {z.id: z.kind == "external" for z in self.zones}
        return MappingProxyType({**external, **{c.id: external[c.zone] for c in self.components
                                                if c.zone in external}})

    def children(self, parent: str) -> tuple[Component, ...]:
        return tuple(c for c in self.components if c.parent == parent)

    def label(self, key: str) -> str:
        """Short human label of any component, zone, product, traffic type or user type."""
        return self._labels.get(key, key)

    @cached_property
    def _labels(self) -> Mapping[str, str]:
        # Asked for every hop of every trace: one look-up. Earlier tables win a shared id.
        out: dict[str, str] = {}
        for table in ("products", "traffic_types", "zones", "components"):
            for row in getattr(self, table):
                out[_key(row)] = getattr(row, "short_label", None) or row.name
        return MappingProxyType(out)

    def derived(self, build: Callable[["Design"], T]) -> T:
        """``build(self)``, computed once per design (the design never changes, so neither does what is
        derived from it): a table another module reads on every call, or a dict it fills as it goes.
        ``build`` is the key: pass a module-level function, never a new lambda."""
        found = self._derived.get(build, _MISSING)
        if found is _MISSING:
            found = self._derived[build] = build(self)
        return found

    @cached_property
    def _derived(self) -> dict:
        return {}

    # --- queries ------------------------------------------------------------
    def select_flows(self, user_type: str | None = None, product: str | None = None,
                     traffic_type: str | None = None) -> tuple[Flow, ...]:
        """Flows matching every given criterion (None matches all)."""
        for table, key in (("user_types", user_type), ("products", product), ("traffic_types", traffic_type)):
            if key is not None:
                self.get(table, key)
        return tuple(f for f in self.flows
                     if (user_type is None or f.user_type == user_type)
                     and (product is None or f.product == product)
                     and (traffic_type is None or f.traffic_type == traffic_type))

    # --- connections: the vocabulary of the trace, the checks and the gateway ------
    # A port row is a connection between two ends (a component or a zone): ``from_`` opens
    # it and ``to`` listens, or either side does for a two-way row. A flow's path is a list
    # of hops (components); an end "matches" a hop when it names the hop or its zone.

    @cached_property
    def routers(self) -> frozenset[str]:
        """Ids of the routers: hops that a connection passes through without ending there."""
        return frozenset(c.id for c in self.components if c.kind == "router")

    def matches(self, endpoint: str, hop: str) -> bool:
        """True when a port row's end ``endpoint`` is the component ``hop`` of a path: the
        component itself, its zone, or (for a VPN or DirectAccess server) an internal zone."""
        ends = self._hop_endpoints.get(hop)
        if ends is None:
            return endpoint == hop or endpoint == self.zone_of(hop)  # not a component: KeyError names the ids
        return endpoint in ends

    def ends_matching(self, hop: str) -> tuple[str, ...]:
        """The port ends that match the component ``hop`` (see ``matches``)."""
        ends = self._hop_endpoints.get(hop)
        if ends is None:
            self.component(hop)  # not a component: KeyError names the ids
        return ends

    def listens(self, port: Port, hop: str) -> bool:
        """True when ``hop`` may receive ``port``'s connection: it is the listening end
        (either end of a two-way row)."""
        return any(self.matches(end, hop) for end in port.listeners)

    def opens(self, port: Port, hop: str) -> bool:
        """True when ``hop`` may open ``port``'s connection (either end of a two-way row)."""
        return any(self.matches(end, hop) for end in port.openers)

    def positions(self, flow: Flow) -> dict[str, list[int]]:
        """Port end -> the indexes of the hops of ``flow``'s path it matches, in order.

        The trace asks "does this end match that hop" for every port and hop of a flow;
        one small index per flow answers all of them."""
        index: dict[str, list[int]] = {}
        hop_ends = self._hop_endpoints
        for i, hop in enumerate(flow.path):
            ends = hop_ends.get(hop)
            if ends is None:
                ends = (hop, self.zone_of(hop))  # not a component: KeyError names the ids
            for end in ends:
                if end in index:
                    index[end].append(i)
                else:
                    index[end] = [i]
        return index

    @cached_property
    def _hop_endpoints(self) -> Mapping[str, tuple[str, ...]]:
        """Component id -> the port ends that match it as a hop of a flow: itself and its zone.
        Tuples of strings, each end once: the garbage collector stops tracking them, as it
        cannot stop tracking sets (a large design has thousands of components)."""
        internal = tuple(z.id for z in self.zones if z.kind == "internal")
        # A VPN or DirectAccess server puts its clients on the intranet: what leaves
        # the tunnel is opened like an internal client's connection.
        return MappingProxyType({c.id: tuple(dict.fromkeys((c.id, c.zone) + (internal if c.kind == "remote_access" else ())))
                                 for c in self.components})

    def spans(self, port: Port, flow: Flow) -> list[tuple[int, int]]:
        """Hop index pairs (i, j) of ``flow``'s path where ``port``'s connection runs from hop i
        to hop j: its ends match in order (either order for a two-way row), only routers lie
        between them (every other hop, such as an Edge, a VIP or a tunnel server, ends a
        connection and opens another), and it carries the flow's traffic type or is a tunnel
        that carries any."""
        if port.traffic_type != flow.traffic_type and port.traffic_type not in self._carriers:
            self.traffic_type(port.traffic_type)  # an unknown traffic type: KeyError names the ids
            return []
        pos, path, gate = self.positions(flow), flow.path, self.routers
        out = set()
        for a, b in port.connections:
            ends = pos.get(b, ())
            for i in pos.get(a, ()):
                for j in range(i + 1, len(path)):
                    if j in ends:
                        out.add((i, j))
                        break
                    if path[j] not in gate:
                        break
        return sorted(out)

    def connections(self, flow: Flow) -> tuple[tuple[Port, tuple[tuple[int, int], ...]], ...]:
        """(port, spans) of every port row opened along ``flow``, in table order (see ``spans``).

        Rather than test every port against the flow, walk the hop pairs (i, j) that a
        connection could span (only routers between them) and take the rows whose
        (opener, listener) ends match that pair of hops. One answer is shared by the flows that
        open the same connections: few new objects for Python's garbage collector to track."""
        route = self.route(flow)  # the same route from many branch offices is walked once
        found = self._by_route.get(route)
        if found is None:
            found = self._by_route[route] = self._walk(flow)
        return found

    def route(self, flow: Flow) -> tuple:
        """What all a flow opens depends on: its traffic type and the shape of each hop (``hop_shapes``).
        Flows with the same route open the same connections, trace alike and pass or fail the same checks."""
        shapes = self.hop_shapes
        try:
            return (flow.traffic_type, *[shapes[hop] for hop in flow.path])
        except KeyError:
            for hop in flow.path:
                self.component(hop)  # not a component: KeyError names the ids
            raise

    def _walk(self, flow: Flow) -> tuple[tuple[Port, tuple[tuple[int, int], ...]], ...]:
        """``connections`` of one flow, worked out hop pair by hop pair."""
        path, gate, carriers, tt = flow.path, self.routers, self._carriers, flow.traffic_type
        pair_rows, opening, listening = self._pair_rows, self.opening_ends, self.listening_ends
        spans: dict[int, tuple[tuple[int, int], ...]] = {}  # port position -> its spans, ascending
        for i in range(len(path) - 1):
            matched = set()  # rows seen from hop i: a connection ends at its first match
            ends_a = opening.get(path[i])
            if ends_a is None:
                self.component(path[i])  # not a component: KeyError names the ids
            for j in range(i + 1, len(path)):
                ends_b = listening.get(path[j])
                if ends_b is None:
                    self.component(path[j])
                rows = pair_rows.get((ends_a, ends_b))
                if rows is None:
                    rows = pair_rows[(ends_a, ends_b)] = self._rows_between(ends_a, ends_b)
                for number, position, traffic_type in rows:
                    if (traffic_type != tt and traffic_type not in carriers) or number in matched:
                        continue
                    matched.add(number)
                    port_spans = spans.get(position)
                    if port_spans is None:
                        spans[position] = ((i, j),)
                    elif port_spans[-1] != (i, j):  # not the same span through another pair of ends
                        spans[position] = port_spans + ((i, j),)
                if path[j] not in gate:
                    break
        key = tuple(sorted(spans.items()))
        found = self._shared.get(key)
        if found is None:
            ports = self.ports
            found = self._shared[key] = tuple((ports[position], port_spans) for position, port_spans in key)
        return found

    @cached_property
    def _by_route(self) -> dict:
        # (traffic type, hop shapes) -> connections: flows along the same route share the walk.
        return {}

    @cached_property
    def _shared(self) -> dict:
        # One answer per distinct set of (port, spans): flows along the same route share it.
        return {}

    def _rows_between(self, ends_a: tuple[str, ...], ends_b: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
        """The rows that a hop with ends ``ends_a`` may open to a hop with ends ``ends_b`` (see ``_ports_by_ends``)."""
        by_ends = self._ports_by_ends
        parts = [rows for a in ends_a for b in ends_b if (rows := by_ends.get((a, b)))]
        return parts[0] if len(parts) == 1 else tuple(row for part in parts for row in part)

    @cached_property
    def hop_shapes(self) -> Mapping[str, int]:
        """Component id -> a number for all that port rows see of it as a hop: the ends it opens and
        listens on, its kind, inside or outside. Two flows with the same connections whose hops have
        the same numbers trace and check alike (the same route from thousands of branch offices)."""
        numbers: dict[tuple, int] = {}
        opening, listening = self.opening_ends, self.listening_ends
        return MappingProxyType({c.id: numbers.setdefault((opening[c.id], listening[c.id], c.kind,
                                                           self.is_outside(c.id)), len(numbers))
                                 for c in self.components})

    @cached_property
    def _pair_rows(self) -> dict:
        # (opening ends, listening ends) -> rows between two hops with those ends: paths share
        # them, so each pair is looked up once.
        return {}

    @cached_property
    def opening_ends(self) -> Mapping[str, tuple[str, ...]]:
        """Component id -> those of its ends (``_hop_endpoints``) that open some port row. Hops
        with the same such ends share answers in ``_pair_rows``: the thousands of branch offices
        of a large design, which no row names, open what their zone opens."""
        opening = {a for a, _ in self._ports_by_ends}
        return MappingProxyType({hop: tuple(e for e in ends if e in opening) for hop, ends in self._hop_endpoints.items()})

    @cached_property
    def listening_ends(self) -> Mapping[str, tuple[str, ...]]:
        """Component id -> those of its ends that listen on some port row (as ``opening_ends``)."""
        listening = {b for _, b in self._ports_by_ends}
        return MappingProxyType({hop: tuple(e for e in ends if e in listening) for hop, ends in self._hop_endpoints.items()})

    @cached_property
    def _ports_by_ends(self) -> Mapping[tuple[str, str], tuple[tuple[int, int, str], ...]]:
        """(opener, listener) -> the rows with those ends (both orders for two-way rows), each as
        (its number, the port's position in the table, the port's traffic type): plain numbers
        and strings, cheap to compare and hash in ``connections``, which asks for millions."""
        index: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
        number = count()
        for position, p in enumerate(self.ports):
            for a, b in dict.fromkeys(p.connections):
                index.setdefault((a, b), []).append((next(number), position, p.traffic_type))
        return MappingProxyType({k: tuple(v) for k, v in index.items()})

    @cached_property
    def _carriers(self) -> frozenset[str]:
        """Traffic types of tunnels, which carry any other traffic type."""
        return frozenset(t.id for t in self.traffic_types if t.carrier)

    def ports_serving(self, flow: Flow) -> tuple[Port, ...]:
        """The port rows opened along ``flow``, in table order."""
        return tuple([port for port, _ in self.connections(flow)])

    def ports_at(self, component: str) -> tuple[Port, ...]:
        """The port rows that have ``component`` as one of their ends, in table order."""
        return self._ports_by_component.get(component, ())

    @cached_property
    def _ports_by_component(self) -> Mapping[str, tuple[Port, ...]]:
        index: dict[str, list[Port]] = {}
        for p in self.ports:
            for end in dict.fromkeys((p.from_, p.to)):
                index.setdefault(end, []).append(p)
        return MappingProxyType({k: tuple(v) for k, v in index.items()})

    @cached_property
    def _port_position(self) -> Mapping[str, int]:
        return MappingProxyType({p.id: i for i, p in enumerate(self.ports)})

    def ports_for(self, flows) -> tuple[Port, ...]:
        """Port rows serving any of ``flows``, in table order."""
        flows = tuple(flows)
        if len(flows) == 1:
            return self.ports_serving(flows[0])
        position = self._port_position
        wanted = {p.id: p for f in flows for p in self.ports_serving(f)}
        return tuple(sorted(wanted.values(), key=lambda p: position[p.id]))


def _key(rec) -> str:
    return getattr(rec, "id", None) or getattr(rec, "key")


def _unpickle(tables: dict, lines: dict) -> Design:
    return Design(**tables, lines=MappingProxyType(lines))
