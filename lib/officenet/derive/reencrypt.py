"""What HAProxy verifies on the TLS connections it opens to a pool: the chain and the name.

A layer-7 listener that ends TLS opens TLS again to its pool (bridging), and a layer-4 listener whose probe
is an HTTPS GET opens TLS for its health checks. With ``verify required`` alone HAProxy checks the chain and
ignores the certificate's names when it sent no server name (HAProxy 2.6 manual, 5.2, ``verify``): any
certificate of that CA would do. So each such pool gets, from the certificate plan, the certificate its
servers present (for Exchange with Extended Protection the very certificate the VIP presents, X-EP), the CA
that issued it, and one of its names that the listener forwards: the name checked when a request carries no
host name (``verifyhost``) and the server name the health checks send (``check-sni``). A request's own host
name goes as SNI (``sni req.hdr(host)``: the manual's choice for HTTPS) and must be on that certificate too.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..model.design import Design


@dataclass(frozen=True)
class PoolTls:
    certificate: str  # the certificate of the plan the pool's servers present on that port
    ca: str           # the file of the CA that issued it: <issuer>-ca.pem
    name: str         # checked when no host name is sent: requests without one, and the health checks
    missing: tuple[str, ...] = ()  # names the listener forwards that the certificate lacks: HAProxy refuses them


class ReencryptError(ValueError):
    pass


def names_on(plan: pd.DataFrame) -> dict[str, list[str]]:
    """Certificate -> the names it carries, subject first, in the plan's order
    (``certificates.certificate_plan``: optional names are not on the certificate)."""
    return {cert: [n for n in row["subject alternative names"].split("; ") if n] for cert, row in plan.iterrows()}


def forwarded_names(plan: pd.DataFrame, presented: str, routes: dict[str, tuple[str, ...]],
                    products: dict[str, str] | None = None,
                    name_products: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """Pool -> the names a listener that presents ``presented`` forwards to it: the names it routes to that
    pool by server name (``routes``, None for the default pool), and every other name of its certificate
    to the default pool; with ``products`` (pool -> product) and ``name_products`` (name -> the products of
    its rows in certificates.csv), only those of the default pool's product: a name of another product
    reaches it only where that product's pool lost its listener, which the VIP checks report."""
    on_cert = set(names_on(plan).get(presented, ()))
    routed = {n for names in routes.values() if names for n in names}
    out = {}
    for pool, names in routes.items():
        rest = on_cert - routed
        if not names and products and name_products is not None and products.get(pool):
            rest = {n for n in rest if not name_products.get(n) or products[pool] in name_products[n]}
        out[pool] = set(names) if names else rest
    return out


def pool_tls(design: Design, plan: pd.DataFrame, pool: str, port: int, presented: str | None,
             forwarded: set[str] | None, vip_presents=None) -> PoolTls:
    """The certificate, CA and checked name for TLS from HAProxy to ``pool`` on ``port``.

    ``presented``: the certificate the listener presents (None where it passes TLS through); ``forwarded``:
    the names it forwards to this pool (None: any). ``vip_presents(vip, port)``: the certificate a VIP behind
    this one presents (a VIP in the pool's place is reached like a server)."""
    names = names_on(plan)
    if design.component(pool).kind == "vip" and vip_presents is not None:
        candidates = [c for c in [vip_presents(pool, port)] if c]
    else:
        candidates = sorted({c.certificate for c in design.certificates if c.component == pool} & set(names))
    held = candidates
    if presented in candidates:  # TLS bridged with the same certificate on the VIP and on the servers
        candidates = [presented]
    elif forwarded:  # the pool's certificate that carries most of the names forwarded (all, in a sound plan)
        overlap = {c: len(forwarded & set(names[c])) for c in candidates}
        candidates = [c for c in candidates if overlap[c] == max(overlap.values()) and overlap[c]]
    elif len(candidates) > 1:  # TLS passes through: which certificate the probe meets is not known
        candidates = []
    if not candidates:
        wanted = f" carrying any of {', '.join(sorted(forwarded))}" if forwarded else ""
        raise ReencryptError(f"'{pool}' on port {port}: no one certificate of the plan{wanted} (the pool has "
                             f"{', '.join(held) or 'none'}); HAProxy verifies the servers' certificate by name: "
                             "give the pool one certificate (certificates.csv, component) that carries every name "
                             "the VIP forwards to it")
    cert = candidates[0]
    name = next((n for n in names[cert] if forwarded is None or n in forwarded), names[cert][0])
    missing = tuple(sorted((forwarded or set()) - set(names[cert])))
    return PoolTls(cert, f"{plan.loc[cert, 'issuer']}-ca.pem", name, missing)
