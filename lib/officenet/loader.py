"""Read the CSV tables of ``data/`` into a checked, immutable ``Design``.

Every problem is collected with its file, row and column before anything is
raised, so one run of ``load`` tells a user everything there is to fix.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import fields
from pathlib import Path

import pandas as pd

from .design import Design
from .errors import DesignError, Problem
from .records import AFFINITIES, LB_METHODS, TABLES, Address, DnsRecord, LbRule, Port, VipService, column_name, columns

ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_RE = re.compile(r"^[A-Z][A-Z0-9-]*$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(/\S*)?$")
PORT_RE = re.compile(r"^(\d+)(?:-(\d+))?$")
BOOLS = {"yes": True, "no": False}
TEMPLATE_RE = re.compile(r"\{([^{}]*)\}")
TEMPLATE_NAMES = ("domain", "internal", "mx_token")

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def load(data_dir: str | Path | None = None) -> Design:
    """Load and check the design tables; raise ``DesignError`` listing every problem."""
    data_dir = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    problems: list[Problem] = []
    raw: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for name, record_type in TABLES.items():
        raw[name] = _read(data_dir, name, record_type, problems)
    # A table that could not be read has ids None: references to it are not checked,
    # so one broken file does not bury its own problem under hundreds of others.
    ids = {name: None if rows is None else {row[_id_column(TABLES[name])] for _, row in rows}
           for name, rows in raw.items()}
    tables = {name: _records(name, TABLES[name], rows, ids, problems) for name, rows in raw.items()}
    if problems:
        raise DesignError(problems)
    design = Design.from_tables(tables, data_dir=str(data_dir))
    problems.extend(design.consistency_problems())
    if problems:
        raise DesignError(problems)
    return design


def _id_column(record_type: type) -> str:
    return column_name(fields(record_type)[0])


def _read(data_dir: Path, name: str, record_type: type, problems: list[Problem]):
    file = f"{name}.csv"
    path = data_dir / file
    if not path.is_file():
        problems.append(Problem(file, None, None, f"the table {file} in {data_dir}",
                                found="no such file",
                                fix=f"restore {file} with the columns {', '.join(columns(record_type))}"))
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        problems.append(Problem(file, None, None, "a comma-separated file in UTF-8 with a header row",
                                found=str(exc).strip().splitlines()[-1],
                                fix="open it in a spreadsheet and save it again as CSV UTF-8"))
        return None
    missing = [c for c in columns(record_type) if c not in frame.columns]
    for c in missing:
        problems.append(Problem(file, 1, c, f"a column '{c}' in the header",
                                found=", ".join(map(str, frame.columns)),
                                fix=f"add the column '{c}' ({_doc(record_type, c)})"))
    if missing:
        return None
    # Line numbers as a spreadsheet shows them: header on line 1.
    return [(i + 2, {k: str(v).strip() for k, v in row.items()}) for i, row in enumerate(frame.to_dict("records"))]


def _doc(record_type: type, column: str) -> str:
    for f in fields(record_type):
        if column_name(f) == column:
            return f.metadata["doc"]
    return ""


def _records(name, record_type, rows, ids, problems):
    if rows is None:
        return []
    file = f"{name}.csv"
    out, seen = [], {}
    for line, row in rows:
        values, ok = {}, True
        for f in fields(record_type):
            column = column_name(f)
            try:
                values[f.name] = _parse(f.metadata, row[column], ids)
            except ValueError as exc:
                expected, fix = exc.args
                problems.append(Problem(file, line, column, expected, found=row[column], fix=fix))
                ok = False
        key = row[_id_column(record_type)]
        if key in seen:
            problems.append(Problem(file, line, _id_column(record_type),
                                    f"a unique {_id_column(record_type)} (already used on row {seen[key]})",
                                    found=key, fix="rename one of the two rows or merge them"))
            ok = False
        seen.setdefault(key, line)
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


def _dns_rules(record: DnsRecord):
    if not (record.name.endswith("{domain}") or record.name.endswith("{internal}")):
        yield ("name", "a name that ends with {domain} or {internal}", record.name,
               "write the owner name as sip.{domain} or nls.{internal}")
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
        if not re.fullmatch(r"\d+", value):
            raise ValueError("a whole number", "write digits only, such as 3")
        return int(value)
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
        return _port(value)
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
    lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
    if lo > hi:
        raise ValueError("a range written low-high", f"write {hi}-{lo}")
    return lo, hi
