"""The DNS rules of data/checks.csv (split-brain, SPF, MX) tested on a record table of both views."""
from __future__ import annotations

import pandas as pd

from .domain import DEFAULT_DOMAIN, check_domain, internal_name


# The rules dns_findings tests (their text, severity and source are rows of data/checks.csv).
DNS_RULES = ("lyncdiscover_external_only", "lyncdiscoverinternal_internal_only", "internal_namespace_private",
             "srv_targets", "one_spf", "mx_to_eop", "separate_namespace")


def dns_rules(rules) -> list:
    """The DNS rules among ``rules`` (a design's ``checks``): the rows with a statement that
    ``dns_findings`` tests."""
    return [r for r in rules if r.statement and r.id in DNS_RULES]


def dns_findings(records: pd.DataFrame, domain: str = DEFAULT_DOMAIN,
                 internal_namespace: str | None = None) -> dict[str, list[str]]:
    """Rule key of ``DNS_RULES`` -> what breaks it in a record table of both views (empty: kept)."""
    domain = check_domain(domain)
    internal = internal_name(domain, internal_namespace)
    ext, intr = records[records["view"] == "external"], records[records["view"] == "internal"]
    found: dict[str, list[str]] = {}
    ld, ldi = f"lyncdiscover.{domain}", f"lyncdiscoverinternal.{domain}"
    lync = bool(records["product"].astype(str).str.lower().str.contains("lync").any())
    found["lyncdiscover_external_only"] = [f"{ld} is in internal DNS"] * bool((intr["name"] == ld).any()) + \
        [f"{ld} is missing from external DNS"] * (lync and not (ext["name"] == ld).any())
    found["lyncdiscoverinternal_internal_only"] = [f"{ldi} is in external DNS"] * bool((ext["name"] == ldi).any()) + \
        [f"{ldi} is missing from internal DNS"] * (lync and not (intr["name"] == ldi).any())
    leaked = ext[(ext["name"] == internal) | ext["name"].str.endswith("." + internal)]
    found["internal_namespace_private"] = [f"{n} is in external DNS" for n in leaked["name"]] if internal != domain else []
    bad_srv = []
    for view, frame in (("external", ext), ("internal", intr)):
        hosts = set(frame[frame["type"] == "A"]["name"])
        for _, row in frame[frame["type"] == "SRV"].iterrows():
            zone_of_srv = row["name"].split(".", 2)[-1]
            if row["value"] not in hosts:
                bad_srv.append(f"{view} {row['name']} -> {row['value']}: no A record")
            elif not row["value"].endswith("." + zone_of_srv):
                bad_srv.append(f"{view} {row['name']} -> {row['value']}: other domain")
    found["srv_targets"] = bad_srv
    spf = ext[(ext["type"] == "TXT") & (ext["name"] == domain) & ext["value"].str.startswith("v=spf1")]
    found["one_spf"] = [] if len(spf) == 1 else [f"{len(spf)} SPF records at {domain}"]
    mx = ext[ext["type"] == "MX"]
    found["mx_to_eop"] = [f"MX {v}" for v in mx["value"] if not v.endswith(".mail.protection.outlook.com")] \
        + ([] if len(mx) else ["no MX record"])
    found["separate_namespace"] = [f"internal namespace {internal} is the public domain"] if internal == domain else []
    return found


def dns_checks(records: pd.DataFrame, domain: str = DEFAULT_DOMAIN,
               internal_namespace: str | None = None, *, rules) -> pd.DataFrame:
    """The split-brain rules over a record table from ``dns_records`` (both views):
    one row per rule with ok (yes/NO), what was found, and the source. ``rules``: the design's
    ``checks`` (the rules of its own folder)."""
    found = dns_findings(records, domain, internal_namespace)
    rules = dns_rules(rules)
    rows = [{"rule": r.statement, "ok": "NO" if found[r.id] else "yes", "found": "; ".join(found[r.id]) or "—",
             "source": r.source} for r in rules]
    return pd.DataFrame(rows, index=pd.Index([r.id for r in rules], name="check"))
