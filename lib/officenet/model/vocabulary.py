"""The scenario's vocabulary, read from a design: which products, remote-access options, load-balancing
methods and VPN protocols an organisation can answer, and how long a domain the design's names leave room for.

A product, option or workload added as rows of the tables is a choice here with no code change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Mapping

from .design import Design
from .records import TABLES
from .release_switch import releases_in_order

# The products list, the per-product remote access, the load balancing per workload and the VPN
# protocols are the design's own ids (products.csv, remote_access.csv, lb_rules.csv,
# vpn_protocols.csv): ``choices(design)`` reads them, so a product added as data is a choice.
MAIL_PRODUCT = "eop"  # kept or dropped by the mail answer, not listed among the products
ROAMING = "roaming_employees"
# The poster's answer for a product whose roaming employees use a tunnel: whichever tunnel they have.
EITHER_TUNNEL = "vpn_or_directaccess"
TUNNEL_OPTIONS = ("vpn", "directaccess")  # a tunnel can carry any product
# The component each tunnel answer sends roaming employees through: an answer is a choice only where the
# design (its release) has that server.
TUNNEL_SERVER = {"vpn": "vpn_gateway", "directaccess": "directaccess_server"}
# Yes/no answers that turn on a gateway option (gateway_options.csv): true only where the release has it.
OPTION_ANSWERS = {"xmpp": "xmpp", "teredo": "teredo", "six_to_four": "six_to_four", "directaccess_ipv6": "da_ipv6",
                  "lync_av_range": "av_range"}
# The reverse proxies, mail routes, Office Web Apps hosts and the load-balancing choices that lb_rules.csv
# does not list are rows of answers.csv (Design.answers).


@dataclass(frozen=True)
class Choices:
    """The valid answers of a design: each option list starts with the reference design's answer."""

    products: tuple[str, ...]
    remote_access: Mapping[str, tuple[str, ...]]
    load_balancing: Mapping[str, tuple[str, ...]]
    vpn_protocols: tuple[str, ...]
    reverse_proxies: tuple[str, ...] = ()
    mail_routes: tuple[str, ...] = ()
    owas_hosts: tuple[str, ...] = ()
    # Per placeholder ({domain}, {internal}): the longest name pattern the design builds on it, so a scenario
    # can check that its domain leaves room for it within DNS's 253 characters.
    longest_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # Whether EOP's MX host uses {mx_token}: the domain with its dots as hyphens, so one label (63 at most).
    mx_token: bool = False
    # The release these choices were read for, every release of the design's folder (releases.csv), and
    # the gateway options the release has (a yes answer needs its option's rows).
    release: str = ""
    releases: tuple[str, ...] = ()
    gateway_options: tuple[str, ...] = ()


DNS_NAME_MAX = 253  # characters of a name in text form, without the final dot (RFC 1035 2.3.4)
DNS_LABEL_MAX = 63
# A name pattern ending in a placeholder: the prefix is made of labels (TXT texts and addresses are not names).
NAME_PATTERN_RE = re.compile(r"^[A-Za-z0-9_.-]*\{(domain|internal)\}$")


def _longest_names(design: Design) -> dict[str, str]:
    """{placeholder: its longest name pattern} over every name column (kind dns_template) of every table."""
    longest: dict[str, str] = {}
    for table, record_type in TABLES.items():
        columns = [f.name for f in fields(record_type) if f.metadata.get("kind") == "dns_template"]
        for row in getattr(design, table) if columns else ():
            for pattern in (getattr(row, c) for c in columns):
                m = NAME_PATTERN_RE.match(pattern or "")
                if m and len(pattern) > len(longest.get(m.group(1), "")):
                    longest[m.group(1)] = pattern
    return longest


def answers(design: Design, question: str, item: str = "") -> tuple[str, ...]:
    """The words answers.csv lists for one scenario field (and one product or workload of it)."""
    return tuple(a.choice for a in design.answers if a.question == question and a.item == item)


def choices(design: Design) -> Choices:
    """The scenario's vocabulary, read from the design's tables."""
    tunnels = tuple(o for o in TUNNEL_OPTIONS if TUNNEL_SERVER[o] in {c.id for c in design.components})
    reverse_proxies = answers(design, "reverse_proxy")
    products = tuple(p.id for p in design.products
                     if p.id != MAIL_PRODUCT and any(f.product == p.id for f in design.flows))
    remote = {}
    for product in products:
        roaming = [f for f in design.flows if f.product == product and f.user_type == ROAMING]
        if not roaming:
            continue
        rows = [r for r in design.remote_access if r.product == product and r.option not in reverse_proxies]
        remote[product] = _dedup((reference_access(design, roaming, rows), *(r.option for r in rows),
                                  *tunnels))
    lb = {}
    for rule in design.lb_rules:
        if rule.aspect == "method" and rule.workload not in lb:
            methods = [r for r in design.lb_rules if r.workload == rule.workload and r.aspect == "method"]
            best = next((r for r in methods if r.status in ("required", "recommended")), methods[0])
            lb[rule.workload] = _dedup((best.choice, *(r.choice for r in methods),
                                        *answers(design, "load_balancing", rule.workload)))
    mx_token = any("{mx_token}" in r.value for r in design.dns_records)
    return Choices(products, _frozen(remote), _frozen(lb), tuple(v.id for v in design.vpn_protocols),
                   reverse_proxies, answers(design, "mail"), answers(design, "owas_hosts"),
                   _frozen(_longest_names(design)), mx_token, design.release,
                   tuple(r.id for r in releases_in_order(design)),
                   tuple(o.id for o in design.gateway_options))


def _dedup(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def reference_access(design: Design, roaming, rows) -> str:
    """The poster's answer: a tunnel in the path; else the device of an option row in the path
    (the Lync Edge); else the reverse proxy."""
    hops = {h for f in roaming for h in f.path}
    tunnels = [o for o, server in TUNNEL_SERVER.items() if server in hops]
    if len(tunnels) == 1:
        return tunnels[0]  # one tunnel server only (today's release has no DirectAccess): its answer
    if any(design.component(h).kind == "remote_access" for h in hops):
        return EITHER_TUNNEL
    return next((r.option for r in rows if r.device in hops and design.component(r.device).kind != "load_balancer"),
                "reverse_proxy")


def _frozen(mapping) -> Mapping:
    return MappingProxyType(dict(mapping))
