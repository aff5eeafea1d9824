"""Rules between the cells of one row (an address inside its network, an SRV record with a port ...),
checked on each typed record as it is read."""
from __future__ import annotations

import ipaddress
import re

from ..model.schema import TEMPLATE_RE
from ..model.records import Port, Requirement, VendorRow
from ..model.records_access import AFFINITIES, LB_METHODS, LbRule, VipService
from ..model.records_naming import REFERENCE_IPV6, REFERENCE_NETWORKS, Address, CertificateName, DnsRecord

PORT_LIMITS = {"TCP": (1, 65535), "UDP": (1, 65535), "IP": (0, 255)}


def row_problems(record):
    """Rules between the cells of one row: (column, expected, found, fix) for each broken one."""
    if isinstance(record, DnsRecord):
        yield from _dns_rules(record)
    if isinstance(record, Address):
        if ipaddress.ip_address(record.address) not in ipaddress.ip_network(record.network):
            yield "address", f"an address inside {record.network}", record.address, "correct the address or the network"
        # A scenario moves each view's addresses into its own network by host number (officenet.derive.addresses);
        # an IPv6 address is a placeholder of the documentation prefix, kept as written.
        reference = ipaddress.ip_network(REFERENCE_NETWORKS[record.view] if ipaddress.ip_address(record.address).version == 4
                                         else REFERENCE_IPV6)
        if not ipaddress.ip_network(record.network).subnet_of(reference):
            yield ("network", f"a network inside {reference}, where the {record.view} addresses of the plan sit",
                   record.network, f"use a network inside {reference}, or change the view")
        elif ipaddress.ip_address(record.address) == reference.broadcast_address:
            yield ("address", f"a host address of {reference} (not its broadcast address)", record.address,
                   "choose another host number")
    if isinstance(record, Port):
        lo, hi = PORT_LIMITS[record.protocol]
        if not (lo <= record.port[0] and record.port[1] <= hi):
            what = "IP protocol number" if record.protocol == "IP" else f"{record.protocol} port"
            yield "port", f"a {what} from {lo} to {hi}", record.range_text(), f"use a value from {lo} to {hi}"
    if isinstance(record, LbRule):
        allowed = LB_METHODS if record.aspect == "method" else AFFINITIES
        if record.choice not in allowed:
            yield ("choice", f"for aspect {record.aspect}, one of " + ", ".join(allowed), record.choice,
                   f"use one of {', '.join(allowed)}, or change the aspect")
    if isinstance(record, CertificateName) and record.role != "none" and not record.component:
        yield ("component", f"the component that presents the certificate of a name with role {record.role}", "",
               "name the component of components.csv that holds the certificate")
    if isinstance(record, VendorRow) and bool(record.held_in) == bool(record.left_out):
        yield ("left_out", "either rows of the design in held_in or a reason in left_out, not both",
               "both" if record.held_in else "neither", "name the rows that hold the vendor row, or say why it is left out")
    if isinstance(record, Requirement):
        yield from _requirement_rules(record)
    if isinstance(record, VipService):
        if record.in_poster and not record.component:
            yield ("component", "the poster component of a VIP the poster draws", "",
                   "name the component in components.csv, or write in_poster = no for a VIP officenet adds")
        if not record.in_poster and record.component:
            yield ("component", "no component for a VIP officenet adds (the poster does not draw it)", record.component,
                   "clear the cell, or write in_poster = yes")
        if not record.in_poster and "OFFICENET" not in record.source:
            yield ("source", "the key OFFICENET among the sources of a VIP officenet adds", record.source,
                   "add '; OFFICENET' so readers see the VIP is not poster content")


def _requirement_rules(record):
    held = bool(record.holders or record.export_files)
    if record.status == "held" and (not held or record.left_out):
        yield ("status", "a held requirement naming rows, checks or exports, and no reason in left_out",
               "held", "name what holds it in held_in or exports and clear left_out, or write left_out")
    if record.status == "left_out" and (held or not record.left_out):
        yield ("left_out", "the reason a left-out requirement is left out, and nothing in held_in or exports",
               record.left_out or "empty", "write why the design leaves it out, or write status held")
    if ";" in record.source:
        yield ("source", "one planning page (a requirement is reconciled against the page that states it)",
               record.source, "split the row in one per page")


# One DNS label (RFC 1035: at most 63 characters); '_' for service labels such as _sip._tls.
DNS_LABEL_RE = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")


def _bad_labels(template: str) -> list[str]:
    """Labels of a name template that no DNS name may hold (each placeholder counts as one label)."""
    return [label for label in TEMPLATE_RE.sub("x", template).split(".") if not DNS_LABEL_RE.match(label)]


def _dns_rules(record: DnsRecord):
    if not (record.name.endswith("{domain}") or record.name.endswith("{internal}")):
        yield ("name", "a name that ends with {domain} or {internal}", record.name,
               "write the owner name as sip.{domain} or nls.{internal}")
    for column in ("name",) + (("value",) if record.type in ("CNAME", "MX", "NS", "SRV") else ()):
        bad = _bad_labels(getattr(record, column))
        if bad:
            yield (column, "a DNS name: labels of letters, digits, - and _, 1 to 63 characters, between dots",
                   getattr(record, column), f"correct the label {bad[0][:40]!r}")
    if record.type == "A" and not re.fullmatch(r"\{ip:[a-z0-9_]+\}", record.value):
        yield "value", "one address of addresses.csv written {ip:<id>} for an A record", record.value, "write {ip:edge_access}"
    if record.type != "A" and "{ip:" in record.value:
        yield "value", "an address only in A records", record.value, "point the record at a name, or make it an A record"
    if record.type == "SRV":
        for column in ("port", "priority", "weight"):
            if getattr(record, column) is None:
                yield column, f"a {column} for an SRV record", "", f"fill in the {column}, e.g. 0 or 443"
    if record.type == "MX" and record.priority is None:
        yield "priority", "a preference for an MX record", "", "fill in the priority, e.g. 1"
