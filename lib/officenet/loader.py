"""Read the CSV tables of ``data/`` into a checked, immutable ``Design``.

Every problem is collected with its file, row and column before anything is
raised, so one run of ``load`` tells a user everything there is to fix. Every
table is read here, from its schema in ``records`` (``TABLES`` for the design,
``OTHER_TABLES`` for tables read alone such as ``checks.csv``).
"""
from __future__ import annotations

import csv
import io
import ipaddress
import re
from dataclasses import fields
from pathlib import Path

from .design import Design
from .errors import DesignError, Problem
from .records import OTHER_TABLES, TABLES, Port, VendorRow, column_name, columns
from .records_access import AFFINITIES, LB_METHODS, LbRule, VipService
from .records_naming import REFERENCE_NETWORKS, Address, CertificateName, DnsRecord
from .schema import UNSTATED

ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_RE = re.compile(r"^[A-Z][A-Z0-9-]*$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(/\S*)?$")
PORT_RE = re.compile(r"^([0-9]+)(?:-([0-9]+))?$")
BOOLS = {"yes": True, "no": False}
TEMPLATE_RE = re.compile(r"\{([^{}]*)\}")
TEMPLATE_NAMES = ("domain", "internal", "mx_token")
# Control characters (C0, DEL, C1) and Unicode line separators: they break CSV rows, DOT labels
# and zone files, and are never part of a fact.
CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The longest cell of the shipped tables is about 220 characters; anything far longer is a mistake.
MAX_CELL = 2000

def address_refs(template: str) -> list[str]:
    """Ids of addresses.csv that a record template names as {ip:<id>}."""
    return [key[3:] for key in TEMPLATE_RE.findall(template) if key.startswith("ip:")]


DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def load(data_dir: str | Path | None = None) -> Design:
    """Load and check the design tables; raise ``DesignError`` listing every problem."""
    data_dir = _folder(data_dir)
    problems: list[Problem] = []
    raw: dict[str, list[tuple[int, dict[str, str]]] | None] = {}
    for name, record_type in TABLES.items():
        raw[name] = _read(data_dir, name, record_type, problems)
    tables = _parse_tables(TABLES, raw, problems)
    if problems:
        raise DesignError(problems)
    design = Design.from_tables(tables, data_dir=str(data_dir))
    problems.extend(design.consistency_problems())
    problems.extend(_table_rules(design))
    if problems:
        raise DesignError(problems)
    return design


def load_table(name: str, data_dir: str | Path | None = None) -> tuple[tuple[int, object], ...]:
    """(CSV line, record) of each row of one table of ``OTHER_TABLES`` (such as ``checks``), checked
    like the design's tables; the tables it refers to (``sources``) are read for their ids.
    Raises ``DesignError``."""
    data_dir = _folder(data_dir)
    record_type = OTHER_TABLES[name]
    problems: list[Problem] = []
    refs = {m["ref"] for m in (f.metadata for f in fields(record_type)) if m["ref"]}
    refs |= {"sources"} if any(f.metadata["kind"] == "source" for f in fields(record_type)) else set()
    raw = {ref: _read(data_dir, ref, TABLES[ref], problems) for ref in sorted(refs)}
    raw[name] = _read(data_dir, name, record_type, problems)
    ids = _ids({**TABLES, name: record_type}, raw)
    records = _records(name, record_type, raw[name], ids, problems)
    if problems:
        raise DesignError(problems)
    return tuple(records)


def _folder(data_dir) -> Path:
    """The data folder; one clear problem when it is missing, instead of one per table."""
    folder = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    if not folder.is_dir():
        found = "a file, not a folder" if folder.exists() else "no such folder"
        raise DesignError([Problem(str(folder), None, None, "a folder holding the design tables (such as data/)",
                                   found=found, fix="give the path of a copy of data/, or call load() without "
                                                    "arguments for the reference design")])
    return folder


def _ids(schemas: dict[str, type], raw) -> dict[str, set[str] | None]:
    # A table that could not be read (or is empty) has ids None: references to it are not
    # checked, so one broken file does not bury its own problem under hundreds of others.
    return {name: None if not rows else {row[_id_column(schemas[name])] for _, row, _ in rows}
            for name, rows in raw.items()}


def _parse_tables(schemas: dict[str, type], raw, problems: list[Problem]):
    ids = _ids(schemas, raw)
    return {name: _records(name, schemas[name], rows, ids, problems) for name, rows in raw.items()}


def _id_column(record_type: type) -> str:
    return column_name(fields(record_type)[0])


def _read(data_dir: Path, name: str, record_type: type, problems: list[Problem]):
    """Rows of ``name``.csv as (line, {column: cell}, ok); ``ok`` is False for a row with an unreadable
    cell (reported here). None when the file cannot be used at all."""
    file = f"{name}.csv"
    path = data_dir / file
    wanted = columns(record_type)
    if not path.is_file():
        problems.append(Problem(file, None, None, f"the table {file} in {data_dir}",
                                found="no such file", fix=f"restore {file} with the columns {', '.join(wanted)}"))
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(file, None, None, "a readable file", found=exc.strerror or str(exc),
                                fix="check the file's permissions"))
        return None
    # Undecodable bytes become surrogates, so that they are reported cell by cell below.
    text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    records: list[list[str]] = []
    # The csv module refuses cells over 128 KiB with an error that names no column; let it read
    # them, so that _cell_problem names the cell (raising the process-wide limit is harmless).
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), strict=True):
            records.append(cells)
    except csv.Error as exc:
        problems.append(Problem(file, len(records) + 1, None, "comma-separated cells, each quote closed",
                                found=str(exc), fix="close the quotes of the cell that starts a quoted text, "
                                                    "and double any quote inside it"))
        return None
    if not records or not any(c.strip() for c in records[0]):
        problems.append(Problem(file, 1, None, "a header row naming the columns " + ", ".join(wanted),
                                found="an empty file" if not text.strip() else "an empty first line",
                                fix=f"restore the header and the rows of {file}"))
        return None
    header = [c.strip() for c in records[0]]
    if _header_problems(file, record_type, header, problems):
        return None
    rows = []
    for i, cells in enumerate(records[1:]):
        line = i + 2  # as a spreadsheet shows it: header on line 1
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(cells) != len(header):
            problems.append(Problem(file, line, None, f"{len(header)} cells, as many as the header has columns",
                                    found=f"{len(cells)} cells",
                                    fix="quote any cell that holds a comma, and remove or add separators"))
            # Kept (unparsed) so that its id still counts for the rows that refer to it.
            rows.append((line, dict(zip(header, [c.strip() for c in cells] + [""] * len(header))), False))
            continue
        row, ok = {}, True
        for column, cell in zip(header, cells):
            problem = _cell_problem(cell)  # before stripping: Python counts some control characters as spaces
            cell = cell.strip()
            if problem:
                expected, found, fix = problem
                problems.append(Problem(file, line, column, expected, found=found, fix=fix))
                ok = False
            row[column] = cell
        rows.append((line, row, ok))
    if not rows and not getattr(record_type, "may_be_empty", False):
        problems.append(Problem(file, 2, None, f"at least one row under the header: the design needs the "
                                               f"{name} table", found="only the header",
                                fix=f"restore the rows of {file}"))
        return None
    return rows


def _header_problems(file: str, record_type: type, header: list[str], problems: list[Problem]) -> bool:
    wanted = columns(record_type)
    found = ", ".join(header)
    before = len(problems)
    unknown = [c for c in header if c not in wanted]
    for c in sorted({c for c in header if header.count(c) > 1}):
        problems.append(Problem(file, 1, c, "each column once in the header", found=found,
                                fix=f"remove the second column '{c}'"))
    for c in wanted:
        if c not in header:
            hint = f"; is '{unknown[0]}' meant to be '{c}'?" if len(unknown) == 1 else ""
            problems.append(Problem(file, 1, c, f"a column '{c}' in the header", found=found,
                                    fix=f"add the column '{c}' ({_doc(record_type, c)}){hint}"))
    for c in unknown:
        if all(w in header for w in wanted):  # a renamed column is reported once, as missing
            problems.append(Problem(file, 1, c, "only the columns " + ", ".join(wanted), found=c,
                                    fix=f"remove the column '{c}' (officenet would ignore it)"))
    return len(problems) > before


def _cell_problem(cell: str):
    """(expected, found, fix) when a cell cannot be a fact: undecodable bytes, control characters, huge."""
    if len(cell) > MAX_CELL:
        return (f"a cell of at most {MAX_CELL} characters", f"{len(cell)} characters",
                "shorten the text; a long explanation belongs in the sources, not in a cell")
    bad = [c for c in cell if "\udc80" <= c <= "\udcff"]
    if bad:
        return ("text in UTF-8", "the byte " + ", ".join(f"0x{ord(c) - 0xdc00:02x}" for c in bad[:3]) + " (not UTF-8)",
                "save the file as CSV UTF-8 (a Latin-1 or Windows-1252 character slipped in)")
    control = CONTROL_RE.search(cell)
    if control:
        return ("text without control characters (no NUL, tab or line break inside a cell)",
                f"character U+{ord(control.group()):04X} in {cell[:60]!r}",
                "delete the character; write the cell on one line")
    return None


def _doc(record_type: type, column: str) -> str:
    for f in fields(record_type):
        if column_name(f) == column:
            return f.metadata["doc"]
    return ""


def _records(name, record_type, rows, ids, problems):
    if rows is None:
        return []
    file = f"{name}.csv"
    id_column = _id_column(record_type)
    out, seen = [], {}
    unique = [f for f in fields(record_type) if f.metadata.get("unique")]
    labels: dict[str, dict[str, int]] = {column_name(f): {} for f in unique}
    for line, row, readable in rows:
        key = row[id_column]
        if key in seen:
            problems.append(Problem(file, line, id_column, f"a unique {id_column} (already used on row {seen[key]})",
                                    found=key, fix="rename one of the two rows or merge them"))
            readable = False
        seen.setdefault(key, line)
        for f in unique:
            column = column_name(f)
            first = labels[column].setdefault(row[column], line)
            if first != line and row[column]:
                problems.append(Problem(file, line, column, f"a {column} no other row has (row {first} has it)",
                                        found=row[column], fix=f"give each row its own {column}: tables and "
                                                                 "diagrams tell the rows apart by it"))
                readable = False
        if not readable:
            continue  # its cells are reported already
        values, ok = {}, True
        for f in fields(record_type):
            column = column_name(f)
            try:
                values[f.name] = _parse(f.metadata, row[column], ids)
            except ValueError as exc:
                expected, fix = exc.args
                problems.append(Problem(file, line, column, expected, found=row[column], fix=fix))
                ok = False
        if ok:
            record = record_type(**values)
            for column, expected, found, fix in _row_rules(record):
                problems.append(Problem(file, line, column, expected, found=found, fix=fix))
            out.append((line, record))
    return out


PORT_LIMITS = {"TCP": (1, 65535), "UDP": (1, 65535), "IP": (0, 255)}


def _row_rules(record):
    """Rules between the cells of one row: (column, expected, found, fix) for each broken one."""
    if isinstance(record, DnsRecord):
        yield from _dns_rules(record)
    if isinstance(record, Address):
        if ipaddress.ip_address(record.address) not in ipaddress.ip_network(record.network):
            yield "address", f"an address inside {record.network}", record.address, "correct the address or the network"
        # A scenario moves each view's addresses into its own network by host number (officenet.addresses).
        reference = ipaddress.ip_network(REFERENCE_NETWORKS[record.view])
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


def _table_rules(design: Design) -> list[Problem]:
    """Rules between a row and a row of another table."""
    problems = []
    kinds = {z.id: z.kind for z in design.zones}
    # Only hosts on the Internet sit beyond the gateway: mail hosts always, user types by their flag
    # (below); a device or server there (or a mail host inside) would turn the gateway inside out.
    for c in design.components:
        if c.kind != "user_type" and (c.kind == "mail_host") != (kinds[c.zone] == "external"):
            where = "a zone of kind external" if c.kind == "mail_host" else "a zone of kind edge or internal"
            problems.append(Problem("components.csv", design.lines.get(("components", c.id)), "zone",
                                    f"{where} for a component of kind {c.kind}",
                                    found=f"{c.zone} (kind {kinds[c.zone]})",
                                    fix=f"move {c.id} to another zone, or correct the kind of the zone '{c.zone}' "
                                        f"in zones.csv (row {design.lines.get(('zones', c.zone))})"))
    for u in design.user_types:
        zone = design.component(u.id).zone
        if u.external != (kinds[zone] == "external"):
            want = "yes" if kinds[zone] == "external" else "no"
            problems.append(Problem("user_types.csv", design.lines.get(("user_types", u.id)), "external",
                                    f"{want}, since {u.id} sits in the zone '{zone}' of kind {kinds[zone]}",
                                    found="yes" if u.external else "no",
                                    fix=f"correct external, or the kind of the zone '{zone}' in zones.csv "
                                        f"(row {design.lines.get(('zones', zone))})"))
    # The VIP listeners the flows use, found once for both load-balancer checks (lbconfig builds on a
    # loaded Design: imported when a design is checked).
    from .lbconfig import vip_services
    listeners = vip_services(design)
    problems.extend(_shared_listener_names(design, listeners))
    problems.extend(_load_balancer_readable(design, listeners))
    for c in design.certificates:
        owner = design.component(c.component).product if c.component else ""
        if owner and not c.product:
            problems.append(Problem("certificates.csv", design.lines.get(("certificates", c.id)), "product",
                                    f"the product that needs the name ({c.component} belongs to {owner})", found="",
                                    fix=f"write {owner}, or the product whose deployment brings the name"))
    return problems


def _load_balancer_readable(design: Design, listeners) -> list[Problem]:
    """What the load-balancer export reads of a VIP listener must be readable at load, not only when the
    HAProxy file is written: its probe, and the one certificate a layer-7 VIP presents on 443."""
    from .lbconfig import LbConfigError, health_check, presented_certificates
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


def _shared_listener_names(design: Design, listeners) -> list[Problem]:
    """A VIP listener that forwards to several pools chooses the pool by TLS server name (L-RPDNS): each
    further pool needs an external A record of its product on the VIP's address, or the load-balancer
    export cannot be written (officenet.lbconfig.sni_from_dns reads the same records)."""
    owner = {a.id: a.component for a in design.addresses}
    named = {(owner.get(ref), r.product) for r in design.dns_records if r.view == "external" and r.type == "A"
             for ref in address_refs(r.value)}
    groups: dict[tuple[str, int], list] = {}
    for s in listeners:
        groups.setdefault((s.vip, s.listener_port[0]), []).append(s)
    problems = []
    for (vip, port), services in sorted(groups.items()):
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


def _parse(meta, value: str, ids):
    kind, ref, choices = meta["kind"], meta["ref"], meta["choices"]
    ids = _Known(ids)
    if meta.get("unstated"):
        if value == "":
            raise ValueError(f"a value, or '{UNSTATED}' when the sources give none",
                             f"fill in the cell, or write {UNSTATED}")
        if value == UNSTATED:
            return None if kind.endswith("int") else ""
    if kind.startswith("opt_") and value == "":
        return None if kind == "opt_int" else ""
    kind = kind.removeprefix("opt_")
    if kind == "id":
        if not ID_RE.match(value):
            raise ValueError("an identifier of lower-case letters, digits and _", "use a name like lync_edge")
        if ref and value not in ids[ref]:
            raise ValueError(f"an id of {ref}.csv", f"add a row '{value}' to {ref}.csv first")
        return value
    if kind == "id_text":
        if not ID_RE.match(value):
            raise ValueError("an identifier of lower-case letters, digits and _", "use a name like lync_web_internal")
        return value
    if kind == "refs":
        parts = tuple(p.strip() for p in value.split(";")) if value else ()
        for part in parts:
            if part not in ids[ref]:
                raise ValueError(f"ids of {ref}.csv separated by ';'", f"'{part}' is no row: " + _ref_fix(part, ids[ref], ref))
        return parts
    if kind == "key":
        if not KEY_RE.match(value):
            raise ValueError("a source key in capitals, digits and -", "use a key like L-EDGEPORT")
        return value
    if kind == "text":
        if not value:
            raise ValueError("a non-empty text", "fill in the cell")
        return value
    if kind == "enum":
        if value not in choices:
            raise ValueError("one of " + ", ".join(choices), "use one of the listed values")
        return value
    if kind == "int":
        if not re.fullmatch(r"[0-9]+", value):
            raise ValueError("a whole number" + _range_text(meta), "write digits only, such as 3")
        return _in_range(meta, _number(value), value)
    if kind == "bool":
        if value not in BOOLS:
            raise ValueError("yes or no", "write yes or no")
        return BOOLS[value]
    if kind == "colour":
        if not COLOUR_RE.match(value):
            raise ValueError("a colour as #rrggbb", "write a colour like #1f5fbf")
        return value.lower()
    if kind == "url":
        if not URL_RE.match(value):
            raise ValueError("an address such as https://meet.contoso.com", "write the full https:// address")
        return value
    if kind == "ref":
        if value not in ids[ref]:
            raise ValueError(f"an id of {ref}.csv", _ref_fix(value, ids[ref], ref))
        return value
    if kind == "endpoint":
        if value not in ids["components"] and value not in ids["zones"]:
            raise ValueError("a component id or a zone id", _ref_fix(value, ids["components"] | ids["zones"], "components.csv or zones.csv"))
        return value
    if kind == "path":
        hops = tuple(h.strip() for h in value.split(">"))
        if len(hops) < 2 or any(not h for h in hops):
            raise ValueError("at least two component ids separated by ' > '", "write a path like a > b > c")
        unknown = [h for h in hops if h not in ids[ref]]
        if unknown:
            raise ValueError("component ids of components.csv in every hop",
                             f"'{unknown[0]}' is no component: " + _ref_fix(unknown[0], ids[ref], ref))
        return hops
    if kind == "ip":
        try:
            return str(ipaddress.IPv4Address(value))
        except ValueError:
            raise ValueError("an IPv4 address such as 203.0.113.10", "write four numbers 0-255 separated by dots") from None
    if kind == "cidr":
        try:
            return str(ipaddress.IPv4Network(value))
        except ValueError:
            raise ValueError("a network such as 203.0.113.0/24", "write the network address and prefix length, with no host bits") from None
    if kind == "dns_template":
        if not value:
            raise ValueError("a non-empty name or value pattern", "fill in the cell")
        for field_ in TEMPLATE_RE.findall(value):
            if field_.startswith("ip:"):
                if field_[3:] not in ids["addresses"]:
                    raise ValueError("{ip:<id>} naming a row of addresses.csv",
                                     _ref_fix(field_[3:], ids["addresses"], "addresses.csv"))
            elif field_ not in TEMPLATE_NAMES:
                raise ValueError("placeholders among {domain}, {internal}, {mx_token}, {ip:<id>}",
                                 f"'{{{field_}}}' is unknown: use one of those")
        return value
    if kind == "targets":
        return _targets(value, ids)
    if kind == "source":
        return _source(value, ids)
    if kind == "port":
        lo, hi = _port(value)
        _in_range(meta, lo, value, "a port")
        _in_range(meta, hi, value, "a port")
        return lo, hi
    raise AssertionError(f"unknown column kind {kind}")


class _Known(dict):
    """Ids per table; a table that failed to load knows every id (its own problem is reported)."""

    def __getitem__(self, table):
        found = dict.get(self, table)
        return _Everything() if found is None else found


class _Everything(frozenset):
    def __contains__(self, item):
        return True


def _ref_fix(value, known, table) -> str:
    close = sorted(k for k in known if k and (k.startswith(value[:4]) or value[:4] in k))[:3]
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"use an id that exists in {table}{hint}"


def _source(value: str, ids) -> str:
    if not value:
        raise ValueError("a source (a key of sources.csv, optionally ': section')",
                         "name the poster section (EN: ...) or the official table the row comes from")
    for part in value.split(";"):
        key = re.split(r"[:(]", part, maxsplit=1)[0].strip()
        if key not in ids["sources"]:
            raise ValueError("source keys listed in sources.csv",
                             f"'{key}' is not a source key: add it to sources.csv or use an existing key")
    return value


def _targets(value: str, ids) -> tuple[str, ...]:
    if not value:
        return ()
    out = []
    for part in (p.strip() for p in value.split(";")):
        table, _, key = part.partition(":")
        if table not in ids or key not in ids[table]:
            raise ValueError("targets written as table:id of existing rows",
                             f"'{part}' names no row; check the table name and the id")
        out.append(part)
    return tuple(out)


def _port(value: str) -> tuple[int, int]:
    m = PORT_RE.match(value)
    if not m:
        raise ValueError("a port (443), a range (50000-59999) or an IP protocol number",
                         "write digits, with one '-' for a range")
    lo, hi = _number(m.group(1)), _number(m.group(2) or m.group(1))
    if lo > hi:
        raise ValueError("a range written low-high", f"write {hi}-{lo}")
    return lo, hi


def _number(digits: str) -> int:
    # Python refuses to convert very long digit strings; anything past 18 digits is out of every range.
    return int(digits) if len(digits) <= 18 else 10 ** 18


def _range_text(meta) -> str:
    return "" if meta.get("lo") is None else f" from {meta['lo']} to {meta['hi']}"


def _in_range(meta, number: int, text: str, what: str = "a number") -> int:
    lo, hi = meta.get("lo"), meta.get("hi")
    if lo is not None and not lo <= number <= hi:
        raise ValueError(f"{what} from {lo} to {hi}", f"use a value from {lo} to {hi}")
    return number
