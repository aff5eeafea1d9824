"""Load-balancer configuration for the VIPs, as an HAProxy file.

The listeners (listener port, the port the pool answers on, the pool, persistence, probe, idle
timeout) are the rows of vip_services.csv that a flow of the design uses; the text is rendered with a Jinja2 template and
checked by HAProxy itself (``haproxy -c``) in the tests.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping

import jinja2

import pandas as pd

from .addresses import REFERENCE_INTERNAL, REFERENCE_PUBLIC, address_plan, lookup, member_address
from ..model.design import Design
from ..model.records import VipService
from .certificates import certificate_names, certificate_plan
from .reencrypt import PoolTls, ReencryptError, forwarded_names, pool_tls
from .routes import ports_for

TEMPLATE = Path(__file__).with_name("templates") / "haproxy.cfg.j2"


# The HAProxy template is part of the program: compiled when this module is imported, like its code, so no
# derivation opens a file.
_TEMPLATE = jinja2.Environment(autoescape=False, keep_trailing_newline=True, trim_blocks=True,
                               lstrip_blocks=True).from_string(TEMPLATE.read_text(encoding="utf-8"))
DEFAULT_IDLE_S = 1800  # used only if no row states an idle timeout
CERT_DIR = "/etc/haproxy/certs"  # where the exported file expects <certificate>.pem and internal-ca.pem
INTERNAL_CA = "internal-ca.pem"  # the enterprise CA that issued the pools' certificates (re-encryption)
# The request's host name, without a port, as the server name HAProxy sends on a re-encrypted connection:
# the manual's choice for HTTPS (5.2, sni: never the client's SNI there, since one connection may carry
# several host names); HAProxy reuses a server connection only for the same name.
REQUEST_HOST = "req.hdr(host),field(1,:)"


def vip_services(design: Design) -> list[VipService]:
    """The listeners of vip_services.csv on the design's VIPs that a flow of the design uses:
    it passes the VIP to the pool, with a port row into the VIP on the listener port and one on
    to the pool on the pool port."""
    present = {c.id for c in design.components}
    rows = [r for r in design.vip_services if r.component and r.vip in present and r.backend in present
            and _carrying_port(design, r) is not None]
    return sorted(rows, key=lambda r: (r.vip, r.listener_port[0], r.backend))


def _carrying_port(design: Design, r: VipService):
    """The first port row (in flow order) that brings a flow to this listener, or None."""
    for flow in design.flows:
        for i, hop in enumerate(flow.path[1:-1], start=1):
            if hop != r.vip or flow.path[i + 1] != r.backend:
                continue
            ports = ports_for(design, [flow])
            if not any(p.from_ == hop and p.to == r.backend and p.protocol == r.protocol
                       and p.port[0] == r.backend_port[0] for p in ports):
                continue
            for p in sorted((p for p in ports if p.to == hop and p.protocol == r.protocol),
                            key=lambda p: (p.optional, p.port)):
                if p.port[0] == r.listener_port[0]:
                    return p
    return None


def listener_purpose(design: Design, r: VipService) -> str:
    """What the listener carries, in the words of the port row that brings flows to it."""
    port = _carrying_port(design, r)
    return port.purpose if port is not None else r.note


def idle_timeout(design: Design) -> int:
    """The idle timeout of the listeners: the longest one vip_services.csv states (L-HLB: 1800 s for
    Lync web services), applied to all, since HAProxy's default is one value."""
    return max((r.idle_timeout for r in design.vip_services if r.idle_timeout), default=DEFAULT_IDLE_S)


class LbConfigError(ValueError):
    pass


def listener_row(design: Design, vip: str, port: int, backend: str):
    """The row of vip_services.csv for a listener (its persistence, probe, layer), or None."""
    for v in design.vip_services:
        if v.vip == vip and v.listener_port[0] == port and v.backend == backend:
            return v
    return None


PROBE_HTTP = re.compile(r"^(HTTPS?) GET (/\S*)")
PROBE_TCP = re.compile(r"^TCP (\d+)\b")


def health_check(design: Design, row) -> dict:
    """HAProxy's reading of a listener's probe in vip_services.csv: an HTTP(S) GET of each path
    (``<vdir>`` stands for every virtual directory of exchange_vdirs.csv), or a TCP connect to
    another port. No probe in the sources: a TCP connect to the service port."""
    probe = (row.probe if row is not None else "") or ""
    if not probe:
        return {"kind": "tcp", "port": None, "paths": (), "ssl": False}
    http = PROBE_HTTP.match(probe)
    if http:
        path = http.group(2)
        paths = tuple(path.replace("<vdir>", v.vdir) for v in design.exchange_vdirs) if "<vdir>" in path else (path,)
        return {"kind": "http", "port": None, "paths": paths, "ssl": http.group(1) == "HTTPS"}
    tcp = PROBE_TCP.match(probe)
    if tcp:
        return {"kind": "tcp", "port": int(tcp.group(1)), "paths": (), "ssl": False}
    raise LbConfigError(f"vip_services.csv row '{row.id}': probe {probe!r} is not one HAProxy can run; write it "
                        "as 'HTTPS GET /path' (<vdir> for each Exchange virtual directory) or 'TCP <port> ...'")


# Listener ports that carry HTTPS: the web ports of the Lync HLB table (443, 4443) and of the other
# products (443); 80 and 8080 carry plain HTTP (L-HLB, L-INT, X-PORTS, OWAS).
HTTPS_PORTS = frozenset({443, 4443})


def is_layer7(design: Design, vip: str, port: int) -> bool:
    """True when vip_services.csv makes the listener layer 7: it must see each HTTP request."""
    return any(v.vip == vip and v.layer == "7" and v.listener_port[0] == port for v in design.vip_services)


def _names_reaching(design: Design, vip: str, pools: set[str]) -> tuple[set[str], bool]:
    """DNS names whose address is the VIP's (and True), or, for a VIP that another VIP forwards to
    (the external web VIP behind the reverse proxy), the forwarding VIP's names of the pools' product
    (and False: those are what the forwarding VIP may send, not all of them this VIP's)."""
    def names_of(component, product=None):
        addresses = {f"{{ip:{a.id}}}" for a in design.addresses if a.component == component}
        return {r.name for r in design.dns_records if r.value in addresses and (product is None or r.product == product)}
    names = names_of(vip)
    if names:
        return names, True
    products = {design.component(p).product for p in pools}
    upstream = {v.vip for v in design.vip_services if v.backend == vip}
    return {n for u in upstream for p in products for n in names_of(u, p)}, False


def presented_certificates(design: Design, vip: str, port: int) -> list[str] | None:
    """The certificates of the plan a layer-7 VIP could present on a TLS port (the export needs exactly
    one), or None where the VIP passes TLS through to the pool."""
    if not is_layer7(design, vip, port) or port not in HTTPS_PORTS:
        return None
    certs = sorted({c.certificate for c in design.certificates if c.component == vip and c.role == "subject"})
    if not certs:
        # A hardware load balancer in front of Lync web services bridges TLS with a copy of the pool's
        # certificate: the one of the pool's certificates that carries every name resolving to this VIP.
        pools = {v.backend for v in design.vip_services if v.vip == vip and v.listener_port[0] == port}
        names, own = _names_reaching(design, vip, pools)
        held = {}
        for c in design.certificates:
            held.setdefault(c.certificate, set()).add(c.name)
        if own:
            certs = sorted({c.certificate for c in design.certificates
                            if c.component in pools and names and names <= held[c.certificate]})
        else:  # behind another VIP: the pool's certificate that carries most of the names forwarded
            overlap = {c.certificate: len(names & held[c.certificate]) for c in design.certificates if c.component in pools}
            best = max(overlap.values(), default=0)
            certs = sorted(c for c, n in overlap.items() if n == best and best > 0)
    return certs


def terminating_certificate(design: Design, vip: str, port: int) -> str | None:
    """The certificate of the plan that a layer-7 VIP presents on a TLS port (the reverse proxy's),
    or None where the VIP passes TLS through to the pool."""
    certs = presented_certificates(design, vip, port)
    if certs is None:
        return None
    if len(certs) != 1:
        raise LbConfigError(f"{design.label(vip)} terminates TLS on port {port} but certificates.csv names "
                            f"{len(certs) or 'no'} certificate{'s' if len(certs) != 1 else ''} presented by '{vip}' "
                            "with a subject; give it exactly one")
    return certs[0]


def sni_from_dns(design: Design, records) -> dict[str, tuple[str, ...]]:
    """Pool -> the host names its clients use on a shared listener, read from the DNS records.

    The reverse proxy's one public address carries the Lync web names and the Office Web
    Apps name (L-RPDNS); a name belongs to the pool of the same product behind that VIP.
    ``records`` is a table from ``dns.dns_records`` or ``dns.scenario_records``.
    """
    owner = {a.id: a.component for a in design.addresses}
    template = {r.id: r for r in design.dns_records}
    names: dict[tuple[str, str], list[str]] = {}
    for rid, row in records[(records["view"] == "external") & (records["type"] == "A")].iterrows():
        rec = template.get(rid)  # None for a row the scenario adds (direct MX)
        for ref in rec.address_ids if rec else ():
            names.setdefault((owner[ref], rec.product), []).append(row["name"])
    out = {}
    for s in vip_services(design):
        product = design.component(s.backend).product
        found = names.get((s.vip, product))
        if found:
            out[s.backend] = tuple(sorted(set(found)))
    return out


def haproxy_config(design: Design, public_network: str = REFERENCE_PUBLIC,
                   internal_network: str = REFERENCE_INTERNAL, servers_per_pool: int = 2,
                   sni: Mapping[str, str] | None = None, permitted=None, cert_dir: str = CERT_DIR,
                   names: pd.DataFrame | None = None) -> str:
    """HAProxy configuration text for every VIP service of the design (pure).

    Each listener binds every address of its VIP in the plan, so that the names of both DNS
    views reach a frontend; on a public address only where ``permitted`` (a set of (address,
    port) the gateway lets in for TCP; None: no filter) says the Internet can reach it. A
    layer-7 VIP terminates TLS on 443 with its certificate of the plan (``cert_dir``/<name>.pem)
    and re-encrypts to the pool, which the internal CA vouches for; the others pass TLS through.
    Where one listener forwards to several pools (the reverse proxy's 443 serves Lync web
    services and Office Web Apps), the pool is chosen by the TLS server name: ``sni`` maps
    a pool to the host name its clients use. A pool without a name there is an error.
    Persistence and health probes come from vip_services.csv. Every TLS connection HAProxy opens to a
    server (re-encryption, HTTPS probes) verifies the chain and the name of the certificate the plan says
    the server presents (``names``: certificates.certificate_names, by default the reference domain's;
    see reencrypt.py).
    """
    if names is None:
        names = certificate_names(design)
    addresses = address_plan(design, public_network, internal_network)
    groups = listener_groups(design)
    pools = sorted({s.backend for services in groups.values() for s in services})
    plan = certificate_plan(names)
    try:
        verified = verified_pools(design, names, sni, plan)
    except ReencryptError as exc:
        raise LbConfigError(str(exc)) from None
    frontends = []
    for (vip, port), services in groups.items():
        binds = [row.address for row in addresses if row.component == vip
                 and (row.view == "internal" or permitted is None or (row.address, port) in permitted)]
        if not binds:
            continue  # nothing reaches this listener: no client could use it
        cert = terminating_certificate(design, vip, port)
        routes = _routes(services, sni)
        unnamed = [pool for pool, names in routes.items() if names is None and pool != services[0].backend]
        if unnamed:
            raise LbConfigError(f"{design.label(vip)} port {port} forwards to several pools "
                                f"({', '.join(x.backend for x in services)}); name the host name of '{unnamed[0]}' "
                                "in sni= so that the listener can choose the pool by TLS server name")
        backends = []
        for s in services:
            members = [(row.id, row.address) for row in addresses if row.component == s.backend and row.view == "internal"]
            if design.component(s.backend).kind == "vip":  # a VIP behind a VIP: one address
                servers = [(s.backend, lookup(addresses, s.backend, "internal"))]
            elif members:  # servers the address plan names (the Front End pool's)
                servers = members
            else:
                servers = [(f"{s.backend}_{n + 1}", member_address(internal_network, pools.index(s.backend), n))
                           for n in range(servers_per_pool)]
            host = routes[s.backend]
            row = listener_row(design, vip, port, s.backend)
            check = health_check(design, row)
            tls = None
            found = verified.get((vip, port, s.backend))
            if found is not None:  # HAProxy speaks TLS to the servers: it verifies chain and name
                # the checks speak TLS: an HTTPS probe, or a TCP probe of a TLS server on its own port
                tls = {"ca": f"{cert_dir.rstrip('/')}/{found.ca}", "name": found.name, "certificate": found.certificate,
                       "check": check["ssl"] or (cert is not None and check["port"] is None)}
            if check["kind"] == "http":
                check = dict(check, host=probe_host(design, plan, s, found))
            backends.append({"name": f"{vip}_{port}_{s.backend}", "pool_port": s.backend_port[0],
                             "persistence": row.persistence if row is not None else "none",
                             "check": check, "servers": servers, "purpose": listener_purpose(design, s),
                             "sni": " ".join(host) if host else None, "tls": tls})
        http = cert is not None or (is_layer7(design, vip, port) and port not in HTTPS_PORTS)
        frontends.append({"name": f"{vip}_{port}", "binds": [f"{a}:{port}" for a in binds],
                          "backends": backends + (per_path_backends(backends[0]) if http and len(backends) == 1 else []),
                          "sni_routing": len(backends) > 1, "http": http,
                          "crt": f"{cert_dir.rstrip('/')}/{cert}.pem" if cert else None})
    return _TEMPLATE.render(frontends=frontends, idle=idle_timeout(design),
                            ca=f"{cert_dir.rstrip('/')}/{INTERNAL_CA}", tls_floor=tls_floor(design),
                            sni_expression=REQUEST_HOST)


def per_path_backends(pool: dict) -> list[dict]:
    """At layer 7, one backend per probed path of a pool probed on several (Exchange's /<vdir>/healthcheck.htm),
    chosen by the request's first path segment, each probing its own: a server whose one protocol fails leaves
    that protocol's backend only (X-SE-LB, scenario B). The pool's own backend, probed on every path, stays the
    default for a request under none of them."""
    paths = pool["check"]["paths"] if pool["check"]["kind"] == "http" else ()
    if len(paths) < 2:
        return []
    out = []
    for path in paths:
        prefix = "/" + path.strip("/").split("/")[0]
        out.append(dict(pool, name=f"{pool['name']}.{prefix[1:]}", path=prefix, sni=None,
                        purpose=f"{prefix} only, of: {pool['purpose']}",
                        check=dict(pool["check"], paths=(path,))))
    return out


def probe_host(design: Design, plan: pd.DataFrame, s: VipService, found: PoolTls | None) -> str:
    """The Host an HTTP probe sends (HTTP/1.1 wants one): the name of the servers' certificate that HAProxy
    verifies on the probe's TLS (check-sni), so the probe asks for the site a client asks for; for a probe in
    clear text, the first name of the pool's certificate in the plan (``plan``: certificates.certificate_plan)."""
    if found is not None:
        return found.name
    try:
        return pool_tls(design, plan, s.backend, s.backend_port[0], None, None).name
    except ReencryptError as exc:
        raise LbConfigError(f"vip_services.csv row '{s.id}': an HTTP probe sends the host name of the servers' "
                            f"certificate, and {exc}") from None


def verified_pools(design: Design, names: pd.DataFrame, sni=None,
                   plan: pd.DataFrame | None = None) -> dict[tuple[str, int, str], PoolTls]:
    """(VIP, listener port, pool) -> the certificate, CA and name HAProxy verifies of the pool's servers, for
    each listener that speaks TLS to its pool: one that ends TLS (re-encryption) or probes over HTTPS.
    ``names``: certificates.certificate_names (``plan``: its certificate_plan, when the caller has it);
    ``sni``: pool -> host names, as for haproxy_config (a listener with a pool left unnamed is skipped:
    integrity reports it). Raises ReencryptError."""
    plan = certificate_plan(names) if plan is None else plan
    product_of = {c.id: c.product for c in design.certificates}
    name_products: dict[str, set[str]] = {}
    for row_id, name in names["name"].items():
        name_products.setdefault(name, set()).add(product_of.get(row_id, ""))
    out = {}
    for (vip, port), services in listener_groups(design).items():
        routes = _routes(services, sni)
        if any(names is None for pool, names in routes.items() if pool != services[0].backend):
            continue
        cert = terminating_certificate(design, vip, port)
        products = {pool: design.component(pool).product for pool in routes}
        forwarded = forwarded_names(plan, cert, routes, products, name_products) if cert else {}
        for s in services:
            if cert is None and not health_check(design, listener_row(design, vip, port, s.backend))["ssl"]:
                continue
            try:
                out[(vip, port, s.backend)] = pool_tls(design, plan, s.backend, s.backend_port[0], cert,
                                                       forwarded.get(s.backend),
                                                       lambda v, p: terminating_certificate(design, v, p))
            except ReencryptError as exc:
                raise ReencryptError(f"{design.label(vip)} port {port}: {exc}") from None
    return out


def names_refused(design: Design, names: pd.DataFrame, records: pd.DataFrame):
    """(subject, detail) for each name a listener forwards to a pool whose certificate lacks it: HAProxy
    sends the request's host name to the server and verifies it there, so such requests are refused.
    ``names``: certificates.certificate_names; ``records``: the DNS records (as for sni_from_dns)."""
    for (vip, port, pool), found in verified_pools(design, names, sni_from_dns(design, records)).items():
        for name in found.missing:
            yield (f"vip_services:{vip}:{port}", f"{name} reaches {design.label(pool)} through {design.label(vip)} "
                   f"port {port}, but its certificate {found.certificate} does not carry it: HAProxy refuses it")


def listener_groups(design: Design, listeners=None) -> dict[tuple[str, int], list[VipService]]:
    """The VIP services by listener, (VIP, port) -> its services in table order, listeners sorted: one HAProxy
    frontend each, whose first service is its default pool (``listeners``: vip_services, when the caller has it)."""
    groups: dict[tuple[str, int], list[VipService]] = {}
    for s in vip_services(design) if listeners is None else listeners:
        groups.setdefault((s.vip, s.listener_port[0]), []).append(s)
    return dict(sorted(groups.items()))


def _routes(services: list[VipService], sni) -> dict[str, tuple[str, ...] | None]:
    """Pool -> the host names a listener routes to it by TLS server name: None for its default pool (the first
    service), and for a further pool ``sni`` leaves unnamed."""
    return {s.backend: (None if s is services[0] else _names(sni, s.backend)) for s in services}


def _names(sni, pool) -> tuple[str, ...] | None:
    """The host names ``sni`` gives a pool (one name or several), or None."""
    host = (sni or {}).get(pool)
    if host is None:
        return None
    return (host,) if isinstance(host, str) else tuple(host)


def tls_floor(design: Design) -> str:
    """The lowest TLS version of the design's release (releases.csv), or "" where its sources set none."""
    return next((r.tls_floor for r in design.releases if r.id == design.release), "")
