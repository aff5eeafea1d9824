"""Record types of how traffic reaches the servers: load balancing (rules and VIP listeners),
remote access, VPN protocols and the gateway's optional ports.

The column machinery is ``schema.py``; ``records.TABLES`` lists these types with every other.
"""
from __future__ import annotations

from dataclasses import dataclass

from .schema import TCP_UDP_PORT, col

LB_METHODS = ("dns", "layer4", "layer7")
AFFINITIES = ("none", "source_address", "cookie")
PERSISTENCE = AFFINITIES + ("client",)
LB_ASPECTS = ("method", "affinity")
STATUSES = ("required", "recommended", "supported", "not_recommended", "not_supported")
LAYERS = ("4", "7")
ACCESS_OPTIONS = ("lync_edge", "reverse_proxy", "uag", "directaccess", "vpn")


@dataclass(frozen=True)
class LbRule:
    id: str = col("id", "Rule identifier")
    workload: str = col("id_text", "What is load balanced: lync_sip, lync_web_internal, lync_web_external, exchange_cas, sharepoint_web, owas")
    product: str = col("ref", "Product", ref="products")
    aspect: str = col("enum", "method (how traffic is spread) or affinity (how a client sticks to a server)", choices=LB_ASPECTS)
    choice: str = col("enum", "dns, layer4 or layer7 for a method; none, source_address or cookie for an affinity",
                      choices=LB_METHODS + AFFINITIES)
    status: str = col("enum", "What the product documentation says of the choice", choices=STATUSES)
    reason: str = col("text", "Why, in one sentence")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class VipService:
    id: str = col("id", "Listener identifier")
    vip: str = col("id_text", "VIP the listener belongs to")
    vip_label: str = col("text", "Short label of the VIP on diagrams")
    component: str = col("opt_ref", "Component of the poster that is this VIP (empty for a VIP officenet adds)", ref="components")
    in_poster: bool = col("bool", "yes when the poster draws the VIP; no when officenet adds it")
    workload: str = col("id_text", "Workload of lb_rules.csv the VIP serves")
    device: str = col("text", "Device that holds the VIP")
    layer: str = col("opt_enum", "OSI layer the VIP balances at (unstated: the sources do not say)", choices=LAYERS,
                     unstated=True)
    protocol: str = col("enum", "TCP or UDP", choices=("TCP", "UDP"))
    listener_port: tuple[int, int] = col("port", "Port the VIP listens on", **TCP_UDP_PORT)
    backend: str = col("ref", "Pool or next VIP the listener forwards to", ref="components")
    backend_port: tuple[int, int] = col("port", "Port on the backend (differs when the VIP translates the port)",
                                        **TCP_UDP_PORT)
    persistence: str = col("enum", "none, source_address, cookie, or client (client affinity by any means)", choices=PERSISTENCE)
    idle_timeout: int | None = col("opt_int", "TCP idle timeout in seconds (unstated: the sources give none)",
                                   lo=1, hi=86400, unstated=True)
    probe: str = col("opt_text", "Health probe of the pool members (unstated: the sources give none)", unstated=True)
    note: str = col("opt_text", "Remark")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class RemoteAccess:
    id: str = col("id", "Row identifier")
    option: str = col("enum", "Remote access option", choices=ACCESS_OPTIONS)
    device: str = col("ref", "Perimeter device that terminates the option", ref="components")
    product: str = col("ref", "Product reached", ref="products")
    status: str = col("enum", "Suitability of the option for the product", choices=STATUSES)
    reason: str = col("text", "Why, in one sentence")
    ports: tuple[str, ...] = col("refs", "Port rows the gateway must allow, separated by ';'", ref="ports")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class VpnProtocol:
    id: str = col("id", "VPN protocol identifier (also a scenario answer in vpn_protocols)")
    name: str = col("text", "Protocol name")
    status: str = col("enum", "Suitability for remote-access VPN", choices=STATUSES)
    ports: tuple[str, ...] = col("refs", "Port rows the gateway must allow for it, separated by ';'", ref="ports")
    reason: str = col("text", "Why, in one sentence")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class GatewayOption:
    """A group of optional port rows that the gateway permits only when it is on (data/gateway_options.csv)."""
    id: str = col("id", "Option identifier (a key of the gateway options a caller turns on or off)")
    label: str = col("text", "What the option opens, in a few words")
    ports: tuple[str, ...] = col("refs", "Optional port rows it permits, separated by ';'", ref="ports")
    poster: bool = col("bool", "yes: on by default (the poster lists these ports, unless a correction says otherwise)")
    vpn_protocol: str = col("opt_ref", "The VPN protocol whose scenario answer turns it on", ref="vpn_protocols")
    why: str = col("text", "Why the option exists, in one sentence")
    source: str = col("source", "Where the fact comes from")


QUESTIONS = ("reverse_proxy", "mail", "owas_hosts", "remote_access", "load_balancing")


@dataclass(frozen=True)
class Answer:
    """An answer a scenario may give where no other table lists the choices (data/answers.csv)."""
    id: str = col("id", "Answer row identifier")
    question: str = col("enum", "The scenario field it answers", choices=QUESTIONS)
    item: str = col("opt_text", "The product or workload the answer is for (remote_access, load_balancing); "
                                "empty: the field as a whole")
    choice: str = col("id_text", "The word a scenario file writes")
    label: str = col("text", "The answer as a form shows it")
    short_label: str = col("opt_text", "Short name inside other names, such as a remote-access option's "
                                       "(empty: the label)")
    description: str = col("text", "What the answer means, in one sentence")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class ExportDecision:
    """A choice the exports make, or a requirement they leave out, with its reason (data/export_decisions.csv);
    the export folder's README lists them."""
    id: str = col("id", "Decision identifier (cite it as export_decisions:<id>)")
    kind: str = col("enum", "decision (a choice the exports make) or left_out (a requirement they do not hold)",
                    choices=("decision", "left_out"))
    topic: str = col("text", "What is decided, in a few words")
    decision: str = col("text", "What the exports do")
    reason: str = col("text", "Why, and what to change if your case differs")
    source: str = col("source", "Where the fact comes from")
