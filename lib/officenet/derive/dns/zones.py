"""Zone files of one view, written with dnspython: origins, delegation and glue, a content serial."""
from __future__ import annotations

import zlib

import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.zone
import pandas as pd

from ...model.design import Design
from .domain import DEFAULT_DOMAIN, VIEWS, check_domain, dns_records, internal_name

TTL = 3600


def zone_origins(design: Design, view: str, domain: str = DEFAULT_DOMAIN,
                 internal_namespace: str | None = None, records: pd.DataFrame | None = None) -> list[str]:
    """Zones a view holds: the public domain, and on the intranet also the internal namespace
    when it is not inside the public domain's records. ``records``: an organisation's own
    table (``scenario_records``) instead of the reference records."""
    frame = _view(design, view, domain, internal_namespace, records)
    domain = check_domain(domain)
    internal = internal_name(domain, internal_namespace)
    origins = [domain]
    if internal != domain and ((frame["name"] == internal) | frame["name"].str.endswith("." + internal)).any():
        origins.append(internal)
    return origins


def _owner_zone(name: str, origins: list[str]) -> str:
    """The most specific origin that holds ``name``."""
    best = ""
    for origin in origins:
        if (name == origin or name.endswith("." + origin)) and len(origin) > len(best):
            best = origin
    return best


TXT_STRING_MAX = 255  # bytes in one character-string (RFC 1035 3.3.14)


def _txt_strings(value: str) -> list[str]:
    """A TXT text cut into strings of at most 255 bytes; readers join them again (RFC 7208 3.3 for SPF)."""
    strings, current = [], ""
    for char in value:
        if len((current + char).encode()) > TXT_STRING_MAX:
            strings.append(current)
            current = ""
        current += char
    return strings + [current]


def _rdata_text(row) -> str:
    value = row["value"]
    if row["type"] == "SRV":
        return f"{row['priority']} {row['weight']} {row['port']} {value}."
    if row["type"] == "MX":
        return f"{row['priority']} {value}."
    if row["type"] in ("CNAME", "NS"):
        return value + "."
    if row["type"] == "TXT":
        return " ".join('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"' for part in _txt_strings(value))
    return value


def _view(design, view, domain, internal_namespace, records) -> pd.DataFrame:
    if records is None:
        return dns_records(design, domain, internal_namespace, view=view)
    return records[records["view"] == view]


def content_serial(rows) -> int:
    """A SOA serial derived from a zone's records: the same records give the same serial (golden
    tests, repeatable exports); any change gives another. An export that must grow past the
    secondaries' copy passes its own serial (``python -m officenet.edge.exports`` uses the time)."""
    text = "\n".join(sorted(f"{r['name']} {r['type']} {_rdata_text(r)}" for r in rows))
    return 1 + zlib.crc32(text.encode("utf-8")) % (2 ** 31 - 2)  # RFC 1982: stay below 2**31


def build_zone(design: Design, view: str, domain: str = DEFAULT_DOMAIN, internal_namespace: str | None = None,
               zone: str | None = None, serial: int | None = None, records: pd.DataFrame | None = None) -> dns.zone.Zone:
    """The dnspython zone ``zone`` (default: the public domain) of one view.

    A zone of the same view below this one (corp.<domain> under <domain>) is delegated: its NS
    records, and the addresses of name servers inside it as glue, so that the parent loads and
    resolvers find the child. ``serial`` None: derived from the records (``content_serial``)."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    frame = _view(design, view, domain, internal_namespace, records)
    origins = zone_origins(design, view, domain, internal_namespace, records)
    zone = check_domain(zone) if zone else origins[0]
    if zone not in origins:
        raise ValueError(f"the {view} view has no zone {zone}; it has {', '.join(origins)}")
    origin = dns.name.from_text(zone)
    z = dns.zone.Zone(origin, relativize=True)
    all_rows = [row for _, row in frame.iterrows()]
    rows = [row for row in all_rows if _owner_zone(row["name"], origins) == zone]
    for child in (o for o in origins if o.endswith("." + zone)):
        cut = [row for row in all_rows if row["name"] == child and row["type"] == "NS"]
        inside = {row["value"] for row in cut if row["value"] == child or row["value"].endswith("." + child)}
        rows += cut + [row for row in all_rows if row["name"] in inside and row["type"] == "A"]
    ns = next((row["value"] for row in rows if row["type"] == "NS" and row["name"] == zone), f"ns1.{zone}")
    serial = content_serial(rows) if serial is None else int(serial)
    if not 0 < serial < 2 ** 32:
        raise ValueError(f"SOA serial {serial} is not between 1 and 4294967295")
    soa = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.SOA,
                              f"{ns}. hostmaster.{zone}. {serial} 3600 600 1209600 3600")
    z.find_rdataset("@", dns.rdatatype.SOA, create=True).add(soa, TTL)
    for row in rows:
        owner = dns.name.from_text(row["name"]).relativize(origin)
        rdtype = dns.rdatatype.from_text(row["type"])
        rdata = dns.rdata.from_text(dns.rdataclass.IN, rdtype, _rdata_text(row), origin=origin)
        z.find_rdataset(owner, rdtype, create=True).add(rdata, TTL)
    return z


def zone_text(design: Design, view: str, domain: str = DEFAULT_DOMAIN, internal_namespace: str | None = None,
              zone: str | None = None, serial: int | None = None, records: pd.DataFrame | None = None) -> str:
    """Zone-file text of one zone of one view, sorted by name, with $ORIGIN and a header comment."""
    z = build_zone(design, view, domain, internal_namespace, zone, serial, records)
    body = z.to_text(sorted=True, relativize=True, want_origin=True)
    head = (f"; {view} view of {z.origin.to_text(omit_final_dot=True)}, generated by officenet from "
            "data/dns_records.csv and data/addresses.csv\n"
            "; addresses are RFC 5737 documentation ranges (public) and RFC 1918 private ranges: "
            "replace them with your address plan\n")
    return head + body
