"""A deterministic address plan: documentation ranges by default (RFC 5737 for the public side),
one address per component that needs one, allocated in id order so the same design and
scenario always give the same plan.
"""
from __future__ import annotations

import ipaddress

import pandas as pd

from .design import Design

FIRST_HOST = 10  # leave the low addresses to routers and gateways


EOP_PLACEHOLDER = "198.51.100.0/24"  # RFC 5737 TEST-NET-2, standing for the EOP ranges Microsoft publishes
TEREDO_PORT = 3544  # DA-ADV: a DirectAccess server with Teredo needs two consecutive public addresses


def published(design: Design) -> list[str]:
    """Components with a public address: those a port row joins to the outside."""
    out, components = set(), {c.id for c in design.components}
    for p in design.ports:
        for here, there in ((p.from_, p.to), (p.to, p.from_)):
            if here in components and not design.is_outside(here) and design.is_outside(there):
                out.add(here)
    return sorted(out)


def _teredo(design: Design) -> set[str]:
    return {p.to for p in design.ports if p.protocol == "UDP" and p.port[0] <= TEREDO_PORT <= p.port[1]}


def internal(design: Design) -> list[str]:
    """Components with an intranet address: servers, pools, VIPs and the Edge internal side."""
    return sorted(c.id for c in design.components
                  if c.kind not in ("user_type", "mail_host", "server", "load_balancer")
                  and design.get("zones", c.zone).kind != "external")


def _allocate(network: str, ids: list[str], pairs: set[str] = frozenset()) -> dict[str, str]:
    """One address per id in order; ids in ``pairs`` get an even-aligned pair (given as a /31)."""
    net = ipaddress.ip_network(network)
    offset, out = FIRST_HOST, {}
    for cid in ids:
        if cid in pairs:
            offset += offset % 2
        if offset + (2 if cid in pairs else 1) >= net.num_addresses - 1:
            raise ValueError(f"the network {network} has too few addresses for {len(ids)} components; "
                             "choose a larger prefix in the scenario")
        address = net.network_address + offset
        out[cid] = f"{address}/31" if cid in pairs else str(address)
        offset += 2 if cid in pairs else 1
    return out


def address_plan(design: Design, public_network: str = "203.0.113.0/24",
                 internal_network: str = "10.10.0.0/16") -> pd.DataFrame:
    """component, side (public / internal), address."""
    rows = [{"component": cid, "side": "public", "address": a}
            for cid, a in _allocate(public_network, published(design), _teredo(design)).items()]
    rows += [{"component": cid, "side": "internal", "address": a}
             for cid, a in _allocate(internal_network, internal(design)).items()]
    return pd.DataFrame(rows, columns=["component", "side", "address"])


def lookup(plan: pd.DataFrame, component: str, side: str) -> str:
    """The address (first of a pair) of a component on one side."""
    match = plan[(plan.component == component) & (plan.side == side)]
    if match.empty:
        raise KeyError(f"no {side} address for {component}")
    return match.address.iloc[0].split("/")[0]


def gateway_addresses(design: Design, public_network: str = "203.0.113.0/24",
                      internal_network: str = "10.10.0.0/16", eop: bool = True) -> dict:
    """Address objects for the gateway ACLs: None means any address (users on the Internet)."""
    plan = address_plan(design, public_network, internal_network)
    out: dict = {z.id: None for z in design.zones if z.kind == "external"}
    for c in design.components:
        if design.is_outside(c.id):
            out[c.id] = (EOP_PLACEHOLDER,) if (c.kind == "mail_host" and eop) else None
    for row in plan[plan.side == "public"].itertuples():
        out[row.component] = (row.address if "/" in row.address else row.address + "/32",)
    return out


def member_address(internal_network: str, pool_index: int, member: int) -> str:
    """Address of server ``member`` of the ``pool_index``-th pool: blocks of 16 from host 1024."""
    net = ipaddress.ip_network(internal_network)
    offset = 1024 + 16 * pool_index + member + 1
    if offset >= net.num_addresses - 1:
        raise ValueError(f"the network {internal_network} is too small for the pool members; use a larger prefix")
    return str(net.network_address + offset)
