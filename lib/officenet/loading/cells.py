"""One cell of a CSV table to its typed value, by the kind its column declares in ``records``.

A reference (an id of another table, a source key, a path of component ids, an {ip:<id>}
placeholder) is checked here against the ids of the tables read. A cell that does not fit
raises ValueError(expected, fix), which the loader turns into a problem with its file, row
and column.
"""
from __future__ import annotations

import datetime
import ipaddress
import re

from ..model.schema import TEMPLATE_NAMES, TEMPLATE_RE, UNSTATED

ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_RE = re.compile(r"^[A-Z][A-Z0-9-]*$")
# A release id may be a year (2013) or a word (current): what an architect writes in a scenario.
LABEL_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(/\S*)?$")
PORT_RE = re.compile(r"^([0-9]+)(?:-([0-9]+))?$")
BOOLS = {"yes": True, "no": False}


def parse_cell(meta, value: str, ids):
    """The typed value of ``value`` in a column of ``meta`` (records.col); ``ids`` are the ids of each table read."""
    kind, ref, choices = meta["kind"], meta["ref"], meta["choices"]
    ids = _Known(ids)
    if meta.get("unstated"):
        if value == "":
            raise ValueError(f"a value, or '{UNSTATED}' when the sources give none",
                             f"fill in the cell, or write {UNSTATED}")
        if value == UNSTATED:
            return None if kind.endswith("int") else ""
    if kind.startswith("opt_") and value == "":
        return None if kind in ("opt_int", "opt_date") else ""
    kind = kind.removeprefix("opt_")
    if kind == "id":
        if not ID_RE.match(value):
            raise ValueError("an identifier of lower-case letters, digits and _", "use a name like lync_edge")
        if ref and value not in ids[ref]:
            raise ValueError(f"an id of {ref}.csv", f"add a row '{value}' to {ref}.csv first")
        return value
    if kind == "label":
        if not LABEL_RE.match(value):
            raise ValueError("a name of lower-case letters, digits and _", "use a name like 2013 or current")
        return value
    if kind == "date":
        try:
            if not DATE_RE.match(value):
                raise ValueError(value)
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError("a date written YYYY-MM-DD", "write the date like 2023-04-11") from None
    if kind == "cidr_any":
        try:
            return str(ipaddress.ip_network(value))
        except ValueError:
            raise ValueError("an IPv4 or IPv6 network such as 40.92.0.0/15 or 2a01:111:f400::/48",
                             "write the network address and prefix length, with no host bits") from None
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
    if kind == "words":
        parts = tuple(p.strip() for p in value.split(";")) if value else ()
        for part in parts:
            if not ID_RE.match(part):
                raise ValueError("identifiers separated by ';'", f"'{part}' is not one: use lower-case letters, "
                                 "digits and _, as the ids of the other tables")
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
            return str(ipaddress.IPv4Address(value) if ":" not in value else ipaddress.IPv6Address(value))
        except ValueError:
            raise ValueError("an IPv4 address such as 203.0.113.10", "write four numbers 0-255 separated by dots") from None
    if kind == "cidr":
        try:
            return str(ipaddress.IPv4Network(value) if ":" not in value else ipaddress.IPv6Network(value))
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
