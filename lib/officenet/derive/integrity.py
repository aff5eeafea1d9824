"""Rules between rows that need a derivation: what loading cannot see without deriving.

A design folder loads when each row is well-formed and agrees with the rows it names (``loading``).
Some problems only show once the design is derived: an optional port row that crosses the gateway
with no gateway option to open it, a VIP listener whose probe or certificate the load-balancer export
cannot read, a pool reached by TLS server name without the name. They are ``Problem``s with their
file, row and column, found here; the ``design_integrity`` check reports them as error findings, and
every export refuses to write while one stands (``edge.exports``).
"""
from __future__ import annotations

from ..model.design import Design
from ..model.errors import Problem
from .gateway import gateway_crossings
from .certificates import certificate_names, certificate_plan
from .dns import dns_records
from .lbconfig import (LbConfigError, health_check, listener_groups, presented_certificates, probe_host, sni_from_dns,
                       verified_pools, vip_services)
from .reencrypt import ReencryptError


def integrity_problems(design: Design) -> list[Problem]:
    """Every problem of ``design`` that a derivation finds, each naming its file, row and column."""
    listeners = vip_services(design)
    problems = _shared_listener_names(design, listeners)
    problems.extend(_load_balancer_readable(design, listeners))
    if not problems:  # the names of re-encrypted pools, once the listeners themselves are readable
        problems.extend(_reencrypted_pools_verifiable(design))
        problems.extend(_clear_probes_named(design, listeners))
    problems.extend(gateway_problems(design))
    return problems


def gateway_problems(design: Design) -> list[Problem]:
    """An optional port row that crosses the gateway needs a gateway option that lists it, or no
    option could ever permit it (checked on a consistent design: it follows the flows' paths)."""
    listed = {pid for o in design.gateway_options for pid in o.ports}
    return [Problem("ports.csv", design.lines.get(("ports", c.port.id)), "optional",
                    "a row that a gateway option lists, since it is optional and crosses the gateway",
                    found=f"yes, and no option of gateway_options.csv lists {c.port.id}",
                    fix="add the row to the ports of an option in gateway_options.csv, or write no")
            for c in gateway_crossings(design) if c.port.optional and c.port.id not in listed]


def _load_balancer_readable(design: Design, listeners) -> list[Problem]:
    """What the load-balancer export reads of a VIP listener must be readable before the HAProxy file
    is written: its probe, and the one certificate a layer-7 VIP presents on 443."""
    problems, seen = [], set()
    for row in listeners:
        try:
            health_check(design, row)
        except LbConfigError:
            problems.append(Problem("vip_services.csv", None, "probe", "a probe the load balancer can run: "
                                    "'HTTPS GET /path', 'HTTP GET /path' or 'TCP <port> ...'",
                                    found=f"'{row.probe}' in row '{row.id}'",
                                    fix="write it as 'HTTPS GET /path' (<vdir> stands for every Exchange virtual "
                                        "directory) or 'TCP <port>', or 'unstated'"))
        key = (row.vip, row.listener_port[0])
        if key in seen:
            continue
        seen.add(key)
        certs = presented_certificates(design, *key)
        if certs is not None and len(certs) != 1:
            problems.append(Problem("certificates.csv", None, "component",
                                    f"exactly one certificate presented by {row.vip}, which ends TLS on port {key[1]} "
                                    "(layer 7)", found="several certificates" if certs else "no certificate",
                                    fix="name the VIP as the component of one certificate's "
                                    "subject row, or set the listener's layer in vip_services.csv to 4"))
    return problems


def _reencrypted_pools_verifiable(design: Design) -> list[Problem]:
    """A pool that HAProxy speaks TLS to (re-encryption, an HTTPS probe) needs one certificate of the plan
    carrying every name the VIP forwards to it, or HAProxy can verify no name (lbconfig.verified_pools)."""
    try:
        verified_pools(design, certificate_names(design), sni_from_dns(design, dns_records(design)))
    except ReencryptError as exc:
        return [Problem("certificates.csv", None, "component",
                        "one certificate of each pool HAProxy re-encrypts to, carrying every name the VIP forwards",
                        found=str(exc), fix="make the pool the component of one certificate that carries those names")]
    return []


def _clear_probes_named(design: Design, listeners) -> list[Problem]:
    """An HTTP probe in clear text sends the Host of the pool's certificate (lbconfig.probe_host): the pool needs
    one certificate of the plan."""
    problems, plan = [], None
    for row in listeners:
        check = health_check(design, row)
        if check["kind"] != "http" or check["ssl"]:
            continue  # an HTTPS probe's name is the verified one (_reencrypted_pools_verifiable)
        plan = certificate_plan(certificate_names(design)) if plan is None else plan
        try:
            probe_host(design, plan, row, None)
        except LbConfigError as exc:
            problems.append(Problem("vip_services.csv", None, "probe", "an HTTP probe of a pool with one certificate "
                                    "of the plan, whose name it sends as Host", found=str(exc),
                                    fix="make the pool the component of one certificate, or probe over HTTPS"))
    return problems


def _shared_listener_names(design: Design, listeners) -> list[Problem]:
    """A VIP listener that forwards to several pools chooses the pool by TLS server name (L-RPDNS): each
    further pool needs an external A record of its product on the VIP's address, or the load-balancer
    export cannot be written (officenet.derive.lbconfig.sni_from_dns reads the same records)."""
    owner = {a.id: a.component for a in design.addresses}
    named = {(owner.get(ref), r.product) for r in design.dns_records if r.view == "external" and r.type == "A"
             for ref in r.address_ids}
    problems = []
    for (vip, port), services in listener_groups(design, listeners).items():
        for s in services[1:]:
            product = design.component(s.backend).product
            if (vip, product) not in named:
                problems.append(Problem("dns_records.csv", None, "product",
                                        f"an external A record of product '{product}' on an address of {vip}: its "
                                        f"port {port} also forwards to {services[0].backend}, and the name tells the "
                                        f"pool {s.backend} apart", found="no such record",
                                        fix=f"restore the external A record of {product} that points at {vip}'s "
                                            "address (written {ip:<address id>})"))
    return problems
