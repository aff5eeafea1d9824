"""The immutable ``Design``: every table of the reference design, with queries.

A ``Design`` is built once by ``officenet.load`` and passed to every function
that derives an artefact from it. Nothing in it changes after loading, so the
same call always gives the same answer.

It holds the tables and simple queries on them (a row by id, a label, inside or
outside), with the look-up tables those need. What is derived from a design, such
as the routes its flows take through the port rows, lives in ``officenet.derive``
(``derive.routes`` owns the one cache of what is computed once per design).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from types import MappingProxyType
from typing import Mapping

from .records import (TABLES, Address, Answer, AuthMethod, CertificateName, Component, Correction, DnsRecord, EopRange,
                      ExchangeVdir, ExportDecision, Flow, GatewayOption, LbRule, Lifecycle, Link, NrptRule, Port, Product,
                      Release, RemoteAccess, Requirement, Rule, Source, TrafficType, Url, UserType, VendorRow, VipService,
                      VpnProtocol, Zone)

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
    releases: tuple[Release, ...] = ()
    lifecycle: tuple[Lifecycle, ...] = ()
    eop_ranges: tuple[EopRange, ...] = ()
    export_decisions: tuple[ExportDecision, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    # Read from the same folder, though not tables of the network itself (records.OTHER_TABLES):
    # the options of the gateway's allow-list and the rules of the design checks.
    gateway_options: tuple[GatewayOption, ...] = ()
    checks: tuple[Rule, ...] = ()
    answers: tuple[Answer, ...] = ()
    data_dir: str = ""
    release: str = ""  # the release its rows were read for (releases.csv); reader builds the others (loader)
    reader: Callable[[str], "Design"] | None = field(default=None, compare=False, repr=False)
    # CSV line of each row, for error messages: (table, id) -> line.
    lines: Mapping[tuple[str, str], int] = field(default_factory=dict, repr=False)

    @classmethod
    def from_tables(cls, tables: dict[str, list[tuple[int, object]]], data_dir: str = "", release: str = "",
                    reader: Callable[[str], "Design"] | None = None) -> "Design":
        lines = {(name, _key(rec)): line for name, rows in tables.items() for line, rec in rows}
        kwargs = {name: tuple(rec for _, rec in rows) for name, rows in tables.items()}
        return cls(**kwargs, data_dir=data_dir, release=release, reader=reader, lines=MappingProxyType(lines))

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

    @cached_property
    def routers(self) -> frozenset[str]:
        """Ids of the routers: hops that a connection passes through without ending there (which
        port rows a flow opens, and where: ``officenet.derive.routes``)."""
        return frozenset(c.id for c in self.components if c.kind == "router")


def _key(rec) -> str:
    return getattr(rec, "id", None) or getattr(rec, "key")


def _unpickle(tables: dict, lines: dict) -> Design:
    return Design(**tables, lines=MappingProxyType(lines))
