"""The address plan: the rows of ``data/addresses.csv``, moved into the organisation's networks.

One plan serves every artefact: DNS records, gateway ACLs and the load-balancer file.
The table's public addresses sit in ``REFERENCE_PUBLIC`` and its intranet addresses in
``REFERENCE_INTERNAL``; a scenario's own networks keep each address's host number
(203.0.113.21 becomes 192.0.2.21 in 192.0.2.0/24), so the plan stays deterministic and a
reader can match the two plans by eye.
"""
from __future__ import annotations

import ipaddress
from dataclasses import astuple, dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

import pandas as pd

from ..model.design import Design
from ..model.records_naming import REFERENCE_NETWORKS
from .routes import per_design

REFERENCE_PUBLIC = REFERENCE_NETWORKS["external"]  # RFC 5737 TEST-NET-3
REFERENCE_INTERNAL = REFERENCE_NETWORKS["internal"]  # RFC 1918
# RFC 5737 TEST-NET-2: stands for EOP only in a design built in memory without eop_ranges.csv rows.
EOP_PLACEHOLDER = "198.51.100.0/24"


class AddressPlanError(ValueError):
    """The address plan does not fit the organisation's networks, or misses a component."""


@lru_cache(maxsize=65536)
def _address_number(address: str) -> int:
    # A large design holds thousands of addresses, moved for every scenario: parse each once.
    return int(ipaddress.ip_address(address))


@lru_cache(maxsize=65536)
def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(text)


def _rebase(address: str, old: ipaddress.IPv4Network, new: ipaddress.IPv4Network, row_id: str) -> str:
    if _network(address).version == 6:
        return address  # an IPv6 placeholder (RFC 3849 documentation prefix): the scenario gives no IPv6 prefix
    offset = _address_number(address) - int(old.network_address)
    if not 0 <= offset < old.num_addresses:
        raise AddressPlanError(f"addresses.csv row '{row_id}': {address} is outside {old}; every address of "
                               f"that view must sit in {old} so that it can move into your network")
    if offset >= new.num_addresses - 1:
        raise AddressPlanError(f"addresses.csv row '{row_id}' has host number {offset}, which does not fit "
                               f"in {new}; choose a larger network (a shorter prefix) in the scenario")
    return str(new.network_address + offset)


@dataclass(frozen=True, slots=True)
class PlannedAddress:
    """One row of addresses.csv, moved into the organisation's networks."""

    id: str
    view: str  # external or internal
    component: str  # '' for an address no component holds
    address: str
    description: str


class AddressPlan(tuple):
    """The answer of ``address_plan``: its ``PlannedAddress`` rows in the table's order, which the
    DNS records, the gateway and the load-balancer file read; ``frame()`` shows them as a table."""

    __slots__ = ()
    COLUMNS = ("id", "view", "component", "address", "description")

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([astuple(row) for row in self], columns=list(self.COLUMNS))


def address_plan(design: Design, public_network: str = REFERENCE_PUBLIC,
                 internal_network: str = REFERENCE_INTERNAL) -> AddressPlan:
    """id, view, component, address: every row of addresses.csv in the given networks."""
    networks = {"external": (ipaddress.ip_network(REFERENCE_PUBLIC), ipaddress.ip_network(public_network)),
                "internal": (ipaddress.ip_network(REFERENCE_INTERNAL), ipaddress.ip_network(internal_network))}
    return AddressPlan(PlannedAddress(a.id, a.view, a.component or "", _rebase(a.address, *networks[a.view], a.id),
                                      a.description) for a in design.addresses)


def ip_map(plan: AddressPlan) -> dict[str, str]:
    """Address id -> address, as ``dns.dns_records(addresses=...)`` takes it."""
    return {row.id: row.address for row in plan}


def lookup(plan: AddressPlan, component: str, view: str) -> str:
    """The first address of a component in one view."""
    for row in plan:
        if row.component == component and row.view == view:
            return row.address
    raise AddressPlanError(f"addresses.csv has no {view} address for the component '{component}'; "
                           f"add a row with view '{view}' and component '{component}'")


def eop_networks(design: Design) -> tuple[str, ...]:
    """The IPv4 networks EOP sends and receives SMTP from: the dated snapshot of Microsoft's published
    Exchange Online ranges (eop_ranges.csv). The gateway's address plan is IPv4, so the IPv6 rows of the
    snapshot are recorded there but enter no permit."""
    nets = tuple(r.network for r in design.eop_ranges if ipaddress.ip_network(r.network).version == 4)
    return nets or (EOP_PLACEHOLDER,)


@dataclass(frozen=True, slots=True)
class GatewayEnds:
    """What the gateway's address plan needs to know of a design's port ends, worked out once per
    design (``gateway_ends``) rather than asked of the ``Design`` end by end for every plan."""

    outside: Mapping[str, str]  # zone or component beyond the gateway router -> its kind; zones first, table order
    published: tuple[str, ...]  # components behind the gateway that a port row joins to the outside
    served: tuple[tuple[str, str, str], ...]  # (external address id, owner, port row id) it alone serves


def gateway_ends(design: Design) -> GatewayEnds:
    """The design's ``GatewayEnds``, computed once per design (``routes.per_design``): every scenario's
    plan, the permits and the checks read the same ends."""
    return per_design(design, _gateway_ends)


def _gateway_ends(design: Design) -> GatewayEnds:
    outside = {z.id: z.kind for z in design.zones if z.kind == "external"}
    outside.update((c.id, c.kind) for c in design.components if design.is_outside(c.id))
    components = {c.id for c in design.components}
    published = sorted({here for p in design.ports for here, there in ((p.from_, p.to), (p.to, p.from_))
                        if here in components and here not in outside and there in outside})
    # An address that names its port rows (the Edge's Access, Web Conferencing and A/V interfaces)
    # is the only one for those rows; with no drawn component, it serves the inside end of the row (a zone).
    ports = {p.id: p for p in design.ports}
    served = []
    for a in design.addresses:
        if a.ports and a.view == "external":
            for port_id in a.ports:
                owner = a.component
                if not owner and port_id in ports:
                    port = ports[port_id]
                    owner = port.to if port.from_ in outside else port.from_
                served.append((a.id, owner, port_id))
    return GatewayEnds(MappingProxyType(outside), tuple(published), tuple(served))


def gateway_addresses(design: Design, public_network: str = REFERENCE_PUBLIC,
                      internal_network: str = REFERENCE_INTERNAL, eop: bool = True) -> dict:
    """Address objects for the gateway ACLs: None means any address (users on the Internet).
    Keys are endpoints, and (component, port row id) where one address serves that row alone.

    A component that the Internet reaches must have a public address in the plan: a
    missing one would silently widen its permits to any address, so it is an error.
    """
    plan = address_plan(design, public_network, internal_network)
    ends = gateway_ends(design)
    eop_ranges = eop_networks(design) if eop else None
    out: dict = {end: eop_ranges if kind == "mail_host" else None for end, kind in ends.outside.items()}
    address_of = ip_map(plan)
    public: dict[str, list] = {}
    for row in plan:
        if row.view == "external":
            public.setdefault(row.component, []).append(_network(row.address))
    served: dict[tuple[str, str], list] = {}
    for address_id, owner, port_id in ends.served:
        served.setdefault((owner, port_id), []).append(_network(address_of[address_id]))
    for key, nets in served.items():
        out[key] = tuple(str(n) for n in ipaddress.collapse_addresses(nets))
    for component in ends.published:
        mine = public.get(component, [])
        if not mine:
            raise AddressPlanError(f"addresses.csv has no external address for '{component}', which the "
                                   "Internet reaches; add a row with view 'external' and that component")
        # Consecutive addresses become one network (the DirectAccess pair is one /31).
        out[component] = tuple(str(n) for version in (4, 6)
                               for n in ipaddress.collapse_addresses(m for m in mine if m.version == version))
    return out


def member_address(internal_network: str, pool_index: int, member: int) -> str:
    """Address of server ``member`` of the ``pool_index``-th pool: blocks of 16 from host 1024."""
    net = ipaddress.ip_network(internal_network)
    offset = 1024 + 16 * pool_index + member + 1
    if offset >= net.num_addresses - 1:
        raise AddressPlanError(f"the network {internal_network} is too small for the pool members; "
                               "use a larger prefix")
    return str(net.network_address + offset)
