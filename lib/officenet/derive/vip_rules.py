"""The VIP table against the port rows: what the check vip_port_mismatch finds (see derive/checks.py)."""
from __future__ import annotations

from typing import Iterator

from ..model.design import Design


def vip_port_mismatch(d: Design) -> Iterator[tuple[str, str]]:
    """The port rows through each VIP agree with the VIP table (vip_services.csv): a port
    row into the VIP on its listener port and one from the VIP to its backend on the
    backend port, which differs where the VIP translates (443 -> 4443)."""
    components = {c.id for c in d.components}
    ports = [p for p in d.ports if p.protocol in ("TCP", "UDP")]
    for v in d.vip_services:
        if not v.component or v.component not in components or v.backend not in components:
            continue
        into = any(p.to == v.component and p.protocol == v.protocol and p.port[0] <= v.listener_port[0] <= p.port[1]
                   for p in ports)
        out = [p for p in ports if p.from_ == v.component and p.to == v.backend and p.protocol == v.protocol]
        if not into:
            yield (f"vip_services:{v.id}", f"{d.label(v.component)} should listen on {v.protocol} "
                   f"{v.listener_port[0]} but no port row leads into it on that port")
        if out and not any(p.port[0] <= v.backend_port[0] <= p.port[1] for p in out):
            found = ", ".join(f"{p.protocol} {p.port[0]} ({p.id})" for p in out)
            yield (f"vip_services:{v.id}", f"{d.label(v.component)} forwards {v.protocol} {v.listener_port[0]} to "
                   f"{d.label(v.backend)} on {v.backend_port[0]}, but the port rows say {found}")


def vip_listens(d: Design) -> Iterator[tuple[str, str]]:
    """The other half of vip_port_mismatch: every port row that ends at a VIP of the VIP table
    finds a listener there (POP/IMAP once ended at an Exchange VIP that listened on 443 and 25)."""
    listeners = {(v.component, v.protocol, v.listener_port[0]) for v in d.vip_services if v.component}
    vips = {c for c, _, _ in listeners}
    for p in d.ports:
        if p.to in vips and p.protocol in ("TCP", "UDP") and (p.to, p.protocol, p.port[0]) not in listeners:
            yield (f"ports:{p.id}", f"{p.protocol} {p.port[0]} ends at {d.label(p.to)}, which has no listener on "
                   f"that port in vip_services.csv")
