"""Record types of the naming tables: the address plan, DNS records, certificate names, the NRPT.

The column machinery is ``schema.py``; ``records.TABLES`` lists these types with every other.
"""
from __future__ import annotations

from dataclasses import dataclass

from .schema import SIXTEEN_BITS, TCP_UDP_PORT, address_refs, col

DNS_VIEWS = ("external", "internal")
# Where addresses.csv puts each view's addresses; a scenario's networks keep each address's host number.
REFERENCE_NETWORKS = {"external": "203.0.113.0/24",  # RFC 5737 TEST-NET-3
                      "internal": "10.10.0.0/16"}  # RFC 1918
REFERENCE_IPV6 = "2001:db8::/32"  # RFC 3849 documentation prefix: IPv6 addresses are placeholders
DNS_TYPES = ("A", "CNAME", "SRV", "MX", "TXT", "NS")


@dataclass(frozen=True)
class Address:
    id: str = col("id", "Address plan entry")
    view: str = col("enum", "external (Internet) or internal (intranet) address", choices=DNS_VIEWS)
    address: str = col("ip", "IPv4 address inside 'network' (IPv6: a placeholder inside 2001:db8::/32)")
    network: str = col("cidr", "Network the address belongs to, as a.b.c.d/len")
    network_name: str = col("text", "Name of the range, e.g. TEST-NET-3 (RFC 5737 documentation range)")
    component: str = col("opt_ref", "Component that answers on the address", ref="components")
    description: str = col("text", "What answers on the address")
    ports: tuple[str, ...] = col("refs", "Port rows this address alone serves, separated by ';' (empty: every port "
                                          "row of the component); the Edge's three interfaces, say", ref="ports")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class DnsRecord:
    id: str = col("id", "Record template identifier")
    view: str = col("enum", "external (Internet DNS) or internal (intranet DNS)", choices=DNS_VIEWS)
    name: str = col("dns_template", "Owner name pattern: {domain} (public domain) or {internal} (DirectAccess internal namespace)")
    type: str = col("enum", "Record type", choices=DNS_TYPES)
    value: str = col("dns_template", "Value pattern: {domain}, {internal}, {mx_token}, {ip:<address id>}")
    port: int | None = col("opt_int", "SRV port", **TCP_UDP_PORT)
    priority: int | None = col("opt_int", "SRV priority or MX preference", **SIXTEEN_BITS)
    weight: int | None = col("opt_int", "SRV weight", **SIXTEEN_BITS)
    product: str = col("opt_ref", "Product the record serves (empty: infrastructure or remote access)", ref="products")
    purpose: str = col("text", "Why the record exists")
    optional: bool = col("bool", "yes when only some deployments need it")
    source: str = col("source", "Where the fact comes from")

    # The ids of addresses.csv its value names ({ip:<id>}), read once as the row is made: the scenario's
    # records, the integrity rules and the load balancer's server names all ask for them.
    def __post_init__(self) -> None:
        object.__setattr__(self, "address_ids", address_refs(self.value))


CERT_ROLES = ("subject", "san", "none")
CERT_DNS = ("external", "internal", "both")
ISSUERS = ("public", "internal")


@dataclass(frozen=True)
class CertificateName:
    id: str = col("id", "Row identifier")
    certificate: str = col("id_text", "Certificate the name belongs to (none: a name that needs no certificate)")
    name: str = col("dns_template", "Name pattern: {domain} or {internal}")
    role: str = col("enum", "subject, san (subject alternative name) or none (the name needs no certificate)",
                    choices=CERT_ROLES)
    component: str = col("opt_ref", "Component that presents the certificate", ref="components")
    product: str = col("opt_ref", "Only when this product is deployed (empty: whenever the component is)",
                       ref="products")
    dns: str = col("enum", "DNS view(s) in which the name must resolve", choices=CERT_DNS)
    issuer: str = col("enum", "public CA or internal (enterprise) CA", choices=ISSUERS)
    purpose: str = col("text", "Why the name is there")
    optional: bool = col("bool", "yes when only some deployments need it")
    source: str = col("source", "Where the fact comes from")


NRPT_KINDS = ("rule", "exemption")


@dataclass(frozen=True)
class NrptRule:
    id: str = col("id", "NRPT entry identifier")
    namespace: str = col("dns_template", "Name or suffix the entry matches: {domain}, {internal}, or a name in them")
    kind: str = col("enum", "rule (resolve through the intranet DNS in the tunnel) or exemption (resolve in public "
                            "DNS, outside the tunnel)", choices=NRPT_KINDS)
    product: str = col("opt_ref", "Only when this product is deployed (empty: whenever DirectAccess is)", ref="products")
    purpose: str = col("text", "Why the entry exists")
    source: str = col("source", "Where the fact comes from")
