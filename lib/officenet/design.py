"""The immutable ``Design``: every table of the reference design, with queries.

A ``Design`` is built once by ``officenet.load`` and passed to every function
that derives an artefact from it. Nothing in it changes after loading, so the
same call always gives the same answer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Mapping

from .records import (TABLES, Address, AuthMethod, CertificateName, Component, Correction, DnsRecord, ExchangeVdir, Flow, LbRule, Link,
                      NrptRule, Port, Product, RemoteAccess, Source, TrafficType, Url, UserType, VendorRow, VipService, VpnProtocol, Zone)
from .errors import Problem

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
        for table in ("components", "zones", "traffic_types", "products"):
            row = self._index[table].get(key)
            if row is not None:
                return getattr(row, "short_label", None) or row.name
        return key

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

    def _endpoint_matches(self, endpoint: str, hop: str) -> bool:
        ends = self._hop_endpoints.get(hop)
        if ends is None:
            return endpoint == hop or endpoint == self.zone_of(hop)  # not a component: KeyError names the ids
        return endpoint in ends

    @cached_property
    def _hop_endpoints(self) -> Mapping[str, frozenset[str]]:
        """Component id -> the port ends that match it as a hop of a flow: itself and its zone.
        The flow and trace code asks this for every port and hop, so it is one look-up."""
        internal = tuple(z.id for z in self.zones if z.kind == "internal")
        # A VPN or DirectAccess server puts its clients on the intranet: what leaves
        # the tunnel is opened like an internal client's connection.
        return MappingProxyType({c.id: frozenset((c.id, c.zone) + (internal if c.kind == "remote_access" else ()))
                                 for c in self.components})

    def port_serves(self, port: Port, flow: Flow) -> bool:
        """True when ``port`` is opened along ``flow``: its ends lie on the path in order
        (either order for two-way ports) and it carries the flow's traffic type
        or is a tunnel that carries any."""
        if port.traffic_type != flow.traffic_type and not self.traffic_type(port.traffic_type).carrier:
            return False
        path = flow.path
        ends = [(port.from_, port.to)]
        if port.direction == "two-way":
            ends.append((port.to, port.from_))
        # A connection spans hops i..j; only routers may lie between its ends,
        # since every other hop (Edge, VIP, tunnel server) ends it and opens another.
        for a, b in ends:
            for i, hop in enumerate(path):
                if not self._endpoint_matches(a, hop):
                    continue
                for h in path[i + 1:]:
                    if self._endpoint_matches(b, h):
                        return True
                    if h not in self._routers:
                        break
        return False

    @cached_property
    def _routers(self) -> frozenset[str]:
        return frozenset(c.id for c in self.components if c.kind == "router")

    @cached_property
    def _ports_by_component(self) -> Mapping[str, tuple[Port, ...]]:
        """Ports indexed by their component ends; ports between two zones under '*'."""
        zones = self._index["zones"]
        index: dict[str, list[Port]] = {}
        for p in self.ports:
            ends = {e for e in (p.from_, p.to) if e not in zones} or {"*"}
            for end in ends:
                index.setdefault(end, []).append(p)
        return MappingProxyType({k: tuple(v) for k, v in index.items()})

    @cached_property
    def _ports_by_flow(self) -> Mapping[str, frozenset[str]]:
        # A port can only serve a flow if one of its component ends is a hop of the flow.
        by_end = self._ports_by_component
        out = {}
        for f in self.flows:
            candidates = {p.id: p for k in (*f.path, "*") for p in by_end.get(k, ())}
            out[f.id] = frozenset(pid for pid, p in candidates.items() if self.port_serves(p, f))
        return MappingProxyType(out)

    @cached_property
    def _port_position(self) -> Mapping[str, int]:
        return MappingProxyType({p.id: i for i, p in enumerate(self.ports)})

    def ports_for(self, flows) -> tuple[Port, ...]:
        """Port rows serving any of ``flows``, in table order."""
        wanted = set().union(*(self._ports_by_flow[f.id] for f in flows))
        position = self._port_position
        return tuple(self.ports[i] for i in sorted(position[pid] for pid in wanted))

    def consistency_problems(self) -> list[Problem]:
        """Rules that span rows or tables; each problem names the file, row and column."""
        problems = []
        linked = {frozenset((l.a, l.b)) for l in self.links}
        for f in self.flows:
            line = self.lines.get(("flows", f.id))
            for a, b in zip(f.path, f.path[1:]):
                if frozenset((a, b)) not in linked:
                    problems.append(Problem("flows.csv", line, "path",
                                            "consecutive hops joined by a row of links.csv",
                                            found=f"{a} > {b}",
                                            fix=f"add a link between {a} and {b} to links.csv, or correct the path"))
            if f.user_type and f.path[0] != f.user_type:
                problems.append(Problem("flows.csv", line, "path", f"a path that starts at its user type '{f.user_type}'",
                                        found=f.path[0], fix="start the path with the user type, or clear user_type"))
        for u in self.user_types:
            if self.component(u.id).kind != "user_type":
                problems.append(Problem("user_types.csv", self.lines.get(("user_types", u.id)), "id",
                                        "a component of kind user_type", found=u.id,
                                        fix="set kind to user_type in components.csv"))
        for c in self.components:
            if c.parent == c.id:
                problems.append(Problem("components.csv", self.lines.get(("components", c.id)), "parent",
                                        "a parent other than the component itself", found=c.parent,
                                        fix="clear the parent or name the containing device"))
        for l in self.links:
            if l.a == l.b:
                problems.append(Problem("links.csv", self.lines.get(("links", l.id)), "b",
                                        "two different components", found=l.b, fix="link two different components"))
        ports = {p.id: p for p in self.ports}
        for a in self.addresses:
            for pid in a.ports:
                if a.component not in (ports[pid].from_, ports[pid].to):
                    problems.append(Problem("addresses.csv", self.lines.get(("addresses", a.id)), "ports",
                                            f"port rows that start or end at the address's component '{a.component}'",
                                            found=pid, fix=f"remove {pid}, or give the address the component it serves"))
        return problems


def _key(rec) -> str:
    return getattr(rec, "id", None) or getattr(rec, "key")

