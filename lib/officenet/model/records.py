"""The design tables as typed, immutable records.

Each dataclass is one CSV file in ``data/``; each field is one column. The field
metadata says how the loader checks the column (``kind``), which table a
reference points to (``ref``) and what the column means (``doc``), so the model
documents itself: see ``officenet.describe_tables()``.

A table's whole schema is its dataclass: the columns in order, each column's kind,
reference, choices, allowed range (``lo``/``hi`` for every port, priority, weight,
timeout and order) and whether the word ``unstated`` stands for "the sources give
none" (so that a blanked cell is an error, not a silent change of meaning). Every
table must have at least one row unless its class sets ``may_be_empty = True``.

This module holds the poster's own tables (zones, products, components, flows, ports,
authentication, the URLs users open, Exchange virtual directories), where the facts come from (sources, corrections,
vendor rows) and the design checks; the naming tables are in ``records_naming.py``, the
load-balancing and remote-access tables in ``records_access.py``, the ``col`` helper in
``schema.py``. ``TABLES`` lists them all in load order. A new table is one dataclass in the
module of its concern and one line in ``TABLES`` (or ``OTHER_TABLES``).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from .records_access import Answer, ExportDecision, GatewayOption, LbRule, RemoteAccess, VipService, VpnProtocol
from .records_naming import Address, CertificateName, DnsRecord, NrptRule
from .schema import ORDER, col

ZONE_KINDS = ("external", "edge", "internal")
COMPONENT_KINDS = (
    "user_type", "mail_host", "router", "edge", "remote_access", "load_balancer",
    "vip", "hlb", "server", "tier_role",
)
TIERS = ("front_end", "application", "database")
PROTOCOLS = ("TCP", "UDP", "IP")
DIRECTIONS = ("one-way", "two-way")
# Line styles of traffic types; drawing.STROKES says how each is drawn (each type its own: read in black and white).
LINE_STYLES = ("solid", "dashed", "dotted", "thick", "thick-dashed", "thick-dotted", "double", "double-dashed",
               "double-dotted", "triple")
TLS_VERSIONS = ("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")  # as HAProxy's ssl-min-ver names them
CORRECTION_KINDS = ("translation", "erratum", "outdated", "consistency")


@dataclass(frozen=True)
class Source:
    key: str = col("key", "Short key cited in the source column of every other table")
    title: str = col("text", "What the document is")
    location: str = col("text", "The https address a reader follows (learn.microsoft.com for Microsoft's pages), "
                                "then in brackets the repository and path of the copy read, if it was a repository's")
    confidence: str = col("enum", "H: official and read in full; M: indirect; L: our own choice", choices=("H", "M", "L"))


@dataclass(frozen=True)
class Release:
    """A generation of the products the design can be drawn for: the poster's 2013 products, or today's
    supported successors. A row of any table that belongs to some releases only says so in its optional
    ``releases`` column (empty: every release); ``load(release=...)`` and a scenario's ``release`` pick them."""
    id: str = col("label", "Release identifier, as a scenario's release answer names it (2013, current)")
    name: str = col("text", "Name shown in tables and comparisons", unique=True)
    order: int = col("int", "Order from oldest to newest", **ORDER)
    reference: bool = col("bool", "yes for the one release load() and a scenario take when none is named")
    tls_floor: str = col("opt_enum", "Lowest TLS version the load balancer accepts where it ends TLS (empty: "
                                     "the sources of the release set none)", choices=TLS_VERSIONS)
    description: str = col("text", "What the release holds")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class Lifecycle:
    """A product's support dates (Microsoft's lifecycle pages) and what replaces it."""
    id: str = col("id", "Lifecycle row identifier")
    product: str = col("id_text", "Product id of products.csv, or a component id (such as directaccess_server)")
    release: str = col("ref", "Release the row describes", ref="releases")
    name: str = col("text", "Product and version as Microsoft's lifecycle page names it")
    policy: str = col("enum", "Fixed (mainstream and extended dates), Modern (supported while kept current) "
                              "or a deprecation without dates", choices=("fixed", "modern", "deprecated"))
    released: datetime.date = col("date", "Start date of support")
    mainstream_end: datetime.date | None = col("opt_date", "End of mainstream support (empty: none announced)")
    extended_end: datetime.date | None = col("opt_date", "End of extended support, or retirement date of a "
                                                         "Modern product (empty: none announced)")
    successor: str = col("opt_text", "What replaces it (empty: nothing announced)")
    note: str = col("opt_text", "What the dates mean for a design")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class EopRange:
    """One network of Exchange Online Protection's published SMTP ranges, from a dated snapshot."""
    id: str = col("id", "Range identifier")
    network: str = col("cidr_any", "IPv4 or IPv6 network EOP delivers mail from", unique=True)
    endpoint_set: int = col("int", "ID of the row in Microsoft's endpoint list (Exchange Online)", lo=1, hi=9999)
    captured: datetime.date = col("date", "Date of the endpoint list version the row was copied from")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class Zone:
    id: str = col("id", "Zone identifier")
    name: str = col("text", "Name shown on the diagram", unique=True)
    kind: str = col("enum", "external (outside the gateway), edge (perimeter) or internal", choices=ZONE_KINDS)
    order: int = col("int", "Left-to-right position on the diagram", **ORDER)
    description: str = col("text", "What lives in the zone")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class Product:
    id: str = col("id", "Product identifier")
    name: str = col("text", "Full product name", unique=True)
    short_label: str = col("text", "Short name for diagrams and tables", unique=True)
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class Component:
    id: str = col("id", "Component identifier")
    name: str = col("text", "Full name")
    short_label: str = col("text", "Short label drawn on the diagram", unique=True)
    kind: str = col("enum", "What sort of component", choices=COMPONENT_KINDS)
    zone: str = col("ref", "Zone the component sits in", ref="zones")
    parent: str = col("opt_ref", "Device or server that contains it", ref="components")
    tier: str = col("opt_enum", "Server tier of a server role", choices=TIERS)
    product: str = col("opt_ref", "Product it belongs to", ref="products")
    drawn_count: int | None = col("opt_int", "How many the poster draws", **ORDER)
    drawn_what: str = col("opt_text", "What the poster draws that many of")
    description: str = col("text", "What it does in the design")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class UserType:
    id: str = col("id", "User type; also a component of kind user_type", ref="components")
    order: int = col("int", "Order on the poster", **ORDER)
    external: bool = col("bool", "yes when the user type comes from the Internet")
    description: str = col("text", "What the user type does")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class TrafficType:
    id: str = col("id", "Traffic type identifier")
    name: str = col("text", "Name in the legend", unique=True)
    colour: str = col("colour", "Line colour as #rrggbb")
    colour_name: str = col("text", "Colour in words, as the poster names it")
    style: str = col("enum", "Line style", choices=LINE_STYLES)
    in_poster: bool = col("bool", "yes when the poster's legend has it; no when officenet added it")
    carrier: bool = col("bool", "yes for a tunnel that carries other traffic types")
    order: int = col("int", "Order in the legend", **ORDER)
    description: str = col("text", "What the traffic is")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class Link:
    id: str = col("id", "Link identifier")
    a: str = col("ref", "One end", ref="components")
    b: str = col("ref", "Other end", ref="components")
    description: str = col("text", "What the link carries")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class Flow:
    id: str = col("id", "Flow identifier")
    user_type: str = col("opt_ref", "User type that starts the flow (empty for server traffic)", ref="user_types")
    product: str = col("ref", "Product the flow serves", ref="products")
    traffic_type: str = col("ref", "Traffic type (legend colour)", ref="traffic_types")
    path: tuple[str, ...] = col("path", "Components hop by hop, separated by ' > '", ref="components")
    description: str = col("text", "What the flow is")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class Port:
    id: str = col("id", "Port rule identifier")
    protocol: str = col("enum", "TCP, UDP, or IP for a bare IP protocol number", choices=PROTOCOLS)
    port: tuple[int, int] = col("port", "Port, range lo-hi, or IP protocol number (range per protocol: see the loader)")
    from_: str = col("endpoint", "Component or zone that opens the connection")
    to: str = col("endpoint", "Component or zone that listens")
    direction: str = col("enum", "one-way: only 'from' opens; two-way: either side opens", choices=DIRECTIONS)
    traffic_type: str = col("ref", "Traffic type", ref="traffic_types")
    purpose: str = col("text", "What the port is for")
    optional: bool = col("bool", "yes when only some deployments need it")
    source: str = col("source", "Where the fact comes from")

    def range_text(self) -> str:
        """The port as written in tables and labels: '443', '50000-59999' (or the IP protocol number)."""
        return range_text(self.port)

    # The ends as the connection sees them, worked out once as the row is made: the trace asks for
    # them at every hop of every flow. Set here rather than cached on first use, since a cache written
    # later makes the garbage collector track each row again (12,500 rows in the benchmark's design).
    def __post_init__(self) -> None:
        two_way = self.direction == "two-way"
        object.__setattr__(self, "_listeners", (self.to, self.from_) if two_way else (self.to,))
        object.__setattr__(self, "_openers", (self.from_, self.to) if two_way else (self.from_,))
        pairs = ((self.from_, self.to),)
        object.__setattr__(self, "_connections", pairs + ((self.to, self.from_),) if two_way else pairs)

    @property
    def listeners(self) -> tuple[str, ...]:
        """The ends that may receive the connection: ``to``, and ``from_`` too for a two-way row."""
        return self._listeners

    @property
    def openers(self) -> tuple[str, ...]:
        """The ends that may open the connection: ``from_``, and ``to`` too for a two-way row."""
        return self._openers

    @property
    def connections(self) -> tuple[tuple[str, str], ...]:
        """(opener, listener) pairs: one for a one-way row, both orders for a two-way row."""
        return self._connections


def range_text(port: tuple[int, int]) -> str:
    """'443' for a single port, '50000-59999' for a range."""
    lo, hi = port
    return str(lo) if lo == hi else f"{lo}-{hi}"


@dataclass(frozen=True)
class AuthMethod:
    id: str = col("id", "Row identifier")
    user_type: str = col("ref", "User type", ref="user_types")
    product: str = col("ref", "Product", ref="products")
    method: str = col("text", "Authentication method")
    scope: str = col("opt_text", "Where the method applies")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class Url:
    id: str = col("id", "Row identifier")
    user_type: str = col("ref", "User type", ref="user_types")
    url: str = col("url", "Address the user type opens")
    product: str = col("ref", "Product behind the address", ref="products")
    note: str = col("opt_text", "Remark")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class Correction:
    id: str = col("id", "Correction identifier")
    kind: str = col("enum", "translation (French text garbled), erratum (poster wrong), outdated, consistency", choices=CORRECTION_KINDS)
    topic: str = col("text", "What it is about")
    poster: str = col("text", "What the English poster says")
    seed: str = col("opt_text", "What the French translation says")
    correct: str = col("text", "What is right, and what the data follows")
    applies_to: tuple[str, ...] = col("targets", "Rows it corrects, as table:id separated by ';'")
    source: str = col("source", "Where the fact comes from")


@dataclass(frozen=True)
class ExchangeVdir:
    id: str = col("id", "Virtual directory identifier")
    vdir: str = col("text", "IIS virtual directory name, as in https://mail.contoso.com/<vdir>")
    service: str = col("text", "Client service behind it")
    iis_auth: str = col("text", "Default IIS authentication methods on the Client Access server")
    exchange_auth: str = col("opt_text", "Authentication set at Exchange level, when it differs from IIS")
    ssl: str = col("text", "Default SSL setting")
    in_poster: bool = col("bool", "yes when the poster lists it behind mail.contoso.com")
    source: str = col("source", "Where the fact comes from")


SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    """A design check of data/checks.csv; its code is a function of officenet.derive.checks."""
    id: str = col("id_text", "Check identifier (a function of officenet.derive.checks)")
    severity: str = col("enum", "error (red), warning or info (amber)", choices=SEVERITIES)
    applies_to: str = col("text", "Area of the design the check looks at")
    title: str = col("text", "The rule in a few words")
    reason: str = col("text", "Why it matters")
    fix: str = col("text", "What to do when the check finds something")
    statement: str = col("opt_text", "The rule as a statement that holds when the check finds nothing (the DNS "
                                     "rule table of officenet.derive.dns shows it)")
    product: str = col("opt_id_text", "The product the rule is about: it applies only while the organisation deploys it")
    about: tuple[str, ...] = col("words", "The ids the rule speaks of (workloads, answers, components), separated by ';': "
                                          "its code reads them here, never from its own text")
    source: str = col("source", "Where the fact comes from")

@dataclass(frozen=True)
class VendorRow:
    id: str = col("id", "Reconciliation row identifier")
    vendor_table: str = col("id_text", "Vendor table the row belongs to (see officenet.derive.reconcile.VENDOR_TABLES)")
    vendor_row: str = col("text", "The vendor's row, in our words")
    held_in: tuple[str, ...] = col("targets", "Rows of the design that hold it, as table:id separated by ';'")
    left_out: str = col("opt_text", "Why this design leaves the row out (empty when held_in names rows)")
    source: str = col("source", "Where the vendor table is")


REQUIREMENT_PRODUCTS = ("exchange", "sharepoint", "lync", "owas", "eop", "remote_access")
STRENGTHS = ("must", "required", "not supported", "recommended")
REQUIREMENT_STATUSES = ("held", "left_out")


@dataclass(frozen=True)
class Requirement:
    """A stated requirement of a vendor planning page, and what in the design holds it (officenet.derive.requirements).
    The releases it applies to are the table's ``releases`` column, as in every table: the ledger checks a row in
    each release it belongs to, against that release's design and export."""
    id: str = col("id", "Requirement identifier")
    requirement: str = col("text", "The requirement, in our words")
    product: str = col("enum", "Product (or remote access) the requirement is about", choices=REQUIREMENT_PRODUCTS)
    strength: str = col("enum", "How the page states it", choices=STRENGTHS)
    status: str = col("enum", "held (by rows, checks or exports) or left_out (with the reason)",
                      choices=REQUIREMENT_STATUSES)
    # Text, not the loader's "targets": a broken reference must not stop the design loading (the ledger
    # reports it, with its release); officenet.derive.requirements.unheld checks every reference.
    held_in: str = col("opt_text", "Rows and checks that hold it, as table:id (checks:id for a check) separated "
                                   "by ';' (checked in each release the row belongs to by officenet.derive.requirements)")
    exports: str = col("opt_text", "Export files that hold it (paths in an export folder, separated by ';')")
    left_out: str = col("opt_text", "Why the design leaves it out (empty when held)")
    source: str = col("source", "The planning page (one key of sources.csv) and where on it the statement is")

    @property
    def page(self) -> str:
        """The key of the page the statement is on."""
        return self.source.split(":", 1)[0].strip()

    @property
    def holders(self) -> tuple[str, ...]:
        """The rows and checks of held_in, each as table:id."""
        return tuple(p.strip() for p in self.held_in.split(";") if p.strip())

    @property
    def export_files(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.exports.split(";") if p.strip())


# file name -> record type, in load order (references point to earlier or same tables).
TABLES: dict[str, type] = {
    "sources": Source,
    "releases": Release,
    "zones": Zone,
    "products": Product,
    "components": Component,
    "user_types": UserType,
    "traffic_types": TrafficType,
    "links": Link,
    "flows": Flow,
    "ports": Port,
    "authentication": AuthMethod,
    "urls": Url,
    "corrections": Correction,
    "addresses": Address,
    "dns_records": DnsRecord,
    "certificates": CertificateName,
    "exchange_vdirs": ExchangeVdir,
    "lb_rules": LbRule,
    "vip_services": VipService,
    "remote_access": RemoteAccess,
    "nrpt_rules": NrptRule,
    "vpn_protocols": VpnProtocol,
    "vendor_rows": VendorRow,
    "lifecycle": Lifecycle,
    "eop_ranges": EopRange,
    "export_decisions": ExportDecision,
    "requirements": Requirement,
}

# The optional column of any table that names the releases a row belongs to (empty: every release).
RELEASES_COLUMN = "releases"


# Tables read on their own, not part of a Design: file name -> record type.
OTHER_TABLES: dict[str, type] = {
    "checks": Rule,
    "gateway_options": GatewayOption,
    "answers": Answer,
}


def column_name(f) -> str:
    """CSV column of a field (``from`` is a Python keyword, hence ``from_``)."""
    return f.name.rstrip("_")


def columns(record_type: type) -> list[str]:
    return [column_name(f) for f in fields(record_type)]
