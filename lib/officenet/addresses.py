"""A deterministic address plan: documentation ranges by default (RFC 5737 for the public side),
one address per component that needs one, allocated in id order so the same design and
scenario always give the same plan.
"""
from __future__ import annotations

import ipaddress

import pandas as pd

from .design import Design

FIRST_HOST = 10  # leave the low addresses to routers and gateways


def published(design: Design) -> list[str]:
    """Components with a public address: what the gateway router publishes."""
    kinds = {"edge", "remote_access", "vip"}
    return sorted(c.id for c in design.components
                  if c.kind in kinds and design.get("zones", c.zone).kind == "edge")


def internal(design: Design) -> list[str]:
    """Components with an intranet address: servers, pools, VIPs and the Edge internal side."""
    return sorted(c.id for c in design.components
                  if c.kind not in ("user_type", "mail_host", "server", "load_balancer")
                  and design.get("zones", c.zone).kind != "external")


def _allocate(network: str, ids: list[str]) -> dict[str, str]:
    net = ipaddress.ip_network(network)
    hosts = net.hosts()
    for _ in range(FIRST_HOST - 1):
        next(hosts, None)
    out = {}
    for cid in ids:
        host = next(hosts, None)
        if host is None:
            raise ValueError(f"the network {network} has too few addresses for {len(ids)} components; "
                             "choose a larger prefix in the scenario")
        out[cid] = str(host)
    return out


def address_plan(design: Design, public_network: str = "203.0.113.0/24",
                 internal_network: str = "10.10.0.0/16") -> pd.DataFrame:
    """component, side (public / internal), address."""
    rows = [{"component": cid, "side": "public", "address": a}
            for cid, a in _allocate(public_network, published(design)).items()]
    rows += [{"component": cid, "side": "internal", "address": a}
             for cid, a in _allocate(internal_network, internal(design)).items()]
    return pd.DataFrame(rows, columns=["component", "side", "address"])


def lookup(plan: pd.DataFrame, component: str, side: str) -> str:
    match = plan[(plan.component == component) & (plan.side == side)]
    if match.empty:
        raise KeyError(f"no {side} address for {component}")
    return match.address.iloc[0]


def member_address(internal_network: str, pool_index: int, member: int) -> str:
    """Address of server ``member`` of the ``pool_index``-th pool: blocks of 16 from host 1024."""
    net = ipaddress.ip_network(internal_network)
    offset = 1024 + 16 * pool_index + member + 1
    if offset >= net.num_addresses - 1:
        raise ValueError(f"the network {internal_network} is too small for the pool members; use a larger prefix")
    return str(net.network_address + offset)
