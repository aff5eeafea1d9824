"""DNS records of the design for any public domain, as a table and as zone files.

``dns_records`` fills the record templates of ``data/dns_records.csv`` with a
domain, a DirectAccess internal namespace and the address plan
(``data/addresses.csv``); ``zone_text`` writes one zone of one view with
dnspython; ``dns_checks`` tests the split-brain rules on the filled records.
All pure: same arguments, same output.
"""
from __future__ import annotations

import re

import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.zone
import pandas as pd

from .design import Design
from .loader import TEMPLATE_RE

DEFAULT_DOMAIN = "contoso.com"
VIEWS = ("external", "internal")
TTL = 3600
LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
COLUMNS = ["view", "name", "type", "value", "port", "priority", "weight", "product", "purpose", "optional", "source"]


class BadDomain(ValueError):
    """A domain that is not a valid public DNS name; the message says why."""


def check_domain(text: str, what: str = "domain") -> str:
    """The domain in lower case without a final dot; BadDomain says what is wrong."""
    name = str(text).strip().lower().rstrip(".")
    if not name:
        raise BadDomain(f"The {what} is empty: type a name such as contoso.com.")
    if len(name) > 253:
        raise BadDomain(f"The {what} has {len(name)} characters; a DNS name has at most 253.")
    labels = name.split(".")
    if len(labels) < 2:
        raise BadDomain(f"'{name}' has a single label; the {what} needs at least two, such as contoso.com.")
    for label in labels:
        if not LABEL_RE.match(label):
            raise BadDomain(f"'{label}' in '{name}' is not a valid DNS label: use 1 to 63 letters, digits or "
                            "hyphens, not starting or ending with a hyphen.")
    if labels[-1].isdigit():
        raise BadDomain(f"'{name}' ends in a number; the {what} must end in a top-level domain such as .com.")
    return name


def default_internal(domain: str) -> str:
    """The DirectAccess internal namespace the poster suggests: corp.<domain>."""
    return "corp." + domain


def mx_token(domain: str) -> str:
    """Example EOP MX token: the domain with dots as hyphens (the admin center gives the real one)."""
    return domain.replace(".", "-")


def address_refs(template: str) -> list[str]:
    """Ids of addresses.csv that a record template names as {ip:<id>}."""
    return [key[3:] for key in TEMPLATE_RE.findall(template) if key.startswith("ip:")]


def _fill(design: Design, pattern: str, domain: str, internal: str, token: str, plan=None) -> str:
    def one(match):
        key = match.group(1)
        if key.startswith("ip:"):
            if plan and key[3:] in plan:
                return str(plan[key[3:]])
            return design.get("addresses", key[3:]).address
        return {"domain": domain, "internal": internal, "mx_token": token}[key]
    return TEMPLATE_RE.sub(one, pattern)


def dns_records(design: Design, domain: str = DEFAULT_DOMAIN, internal_namespace: str | None = None,
                view: str | None = None, product: str | None = None, mx: str | None = None,
                addresses=None) -> pd.DataFrame:
    """Every record of the design for ``domain``: view, name, type, value, port, priority, product,
    purpose, source. ``view`` (external/internal) and ``product`` ('' = infrastructure and remote
    access) narrow the table; ``mx`` is your EOP MX token; ``addresses`` maps ids of
    data/addresses.csv to your own addresses. Raises BadDomain for a name that is not valid."""
    domain = check_domain(domain)
    internal = check_domain(internal_namespace or default_internal(domain), "internal namespace")
    token = mx or mx_token(domain)
    rows = []
    for r in design.dns_records:
        if view is not None and r.view != view:
            continue
        if product is not None and r.product != product:
            continue
        rows.append({
            "id": r.id, "view": r.view, "name": _fill(design, r.name, domain, internal, token, addresses),
            "type": r.type, "value": _fill(design, r.value, domain, internal, token, addresses),
            "port": r.port or "", "priority": "" if r.priority is None else r.priority,
            "weight": "" if r.weight is None else r.weight,
            "product": design.label(r.product) if r.product else "(infrastructure / remote access)",
            "purpose": r.purpose, "optional": "yes" if r.optional else "", "source": r.source,
        })
    return pd.DataFrame(rows, columns=["id", *COLUMNS]).set_index("id")


def zone_origins(design: Design, view: str, domain: str = DEFAULT_DOMAIN,
                 internal_namespace: str | None = None, records: pd.DataFrame | None = None) -> list[str]:
    """Zones a view holds: the public domain, and on the intranet also the internal namespace
    when it is not inside the public domain's records. ``records``: an organisation's own
    table (``scenario_records``) instead of the reference records."""
    frame = _view(design, view, domain, internal_namespace, records)
    domain = check_domain(domain)
    internal = check_domain(internal_namespace or default_internal(domain), "internal namespace")
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


def _rdata_text(row) -> str:
    value = row["value"]
    if row["type"] == "SRV":
        return f"{row['priority']} {row['weight']} {row['port']} {value}."
    if row["type"] == "MX":
        return f"{row['priority']} {value}."
    if row["type"] in ("CNAME", "NS"):
        return value + "."
    if row["type"] == "TXT":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def _view(design, view, domain, internal_namespace, records) -> pd.DataFrame:
    if records is None:
        return dns_records(design, domain, internal_namespace, view=view)
    return records[records["view"] == view]


def build_zone(design: Design, view: str, domain: str = DEFAULT_DOMAIN, internal_namespace: str | None = None,
               zone: str | None = None, serial: int = 1, records: pd.DataFrame | None = None) -> dns.zone.Zone:
    """The dnspython zone ``zone`` (default: the public domain) of one view."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    frame = _view(design, view, domain, internal_namespace, records)
    origins = zone_origins(design, view, domain, internal_namespace, records)
    zone = check_domain(zone) if zone else origins[0]
    if zone not in origins:
        raise ValueError(f"the {view} view has no zone {zone}; it has {', '.join(origins)}")
    origin = dns.name.from_text(zone)
    z = dns.zone.Zone(origin, relativize=True)
    rows = [row for _, row in frame.iterrows() if _owner_zone(row["name"], origins) == zone]
    ns = next((row["value"] for row in rows if row["type"] == "NS" and row["name"] == zone), f"ns1.{zone}")
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
              zone: str | None = None, serial: int = 1, records: pd.DataFrame | None = None) -> str:
    """Zone-file text of one zone of one view, sorted by name, with $ORIGIN and a header comment."""
    z = build_zone(design, view, domain, internal_namespace, zone, serial, records)
    body = z.to_text(sorted=True, relativize=True, want_origin=True)
    head = (f"; {view} view of {z.origin.to_text(omit_final_dot=True)}, generated by officenet from "
            "data/dns_records.csv and data/addresses.csv\n"
            "; addresses are RFC 5737 documentation ranges (public) and RFC 1918 private ranges: "
            "replace them with your address plan\n")
    return head + body


# --- checks ----------------------------------------------------------------
CHECKS = (
    ("lyncdiscover_external_only", "lyncdiscover.<domain> is in external DNS only", "L-DNSREQ"),
    ("lyncdiscoverinternal_internal_only", "lyncdiscoverinternal.<domain> is in internal DNS only", "L-DNSREQ"),
    ("internal_namespace_private", "no name of the internal namespace (such as the NLS) resolves from the Internet",
     "DA-BASIC; EN: DNS considerations"),
    ("srv_targets", "every SRV target is an A record of the same domain in the same view", "L-DNSREQ"),
    ("one_spf", "the domain has exactly one SPF record", "O365DNS"),
    ("mx_to_eop", "the MX record points to Exchange Online Protection", "EN: DNS considerations; O365DNS"),
    ("separate_namespace", "the DirectAccess internal namespace differs from the public domain",
     "EN: DNS considerations"),
)


def dns_findings(records: pd.DataFrame, domain: str = DEFAULT_DOMAIN,
                 internal_namespace: str | None = None) -> dict[str, list[str]]:
    """Rule key of ``CHECKS`` -> what breaks it in a record table of both views (empty: kept)."""
    domain = check_domain(domain)
    internal = check_domain(internal_namespace or default_internal(domain), "internal namespace")
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
               internal_namespace: str | None = None) -> pd.DataFrame:
    """The split-brain rules over a record table from ``dns_records`` (both views):
    one row per rule with ok (yes/NO), what was found, and the source."""
    found = dns_findings(records, domain, internal_namespace)
    rows = [{"rule": text, "ok": "NO" if found[key] else "yes", "found": "; ".join(found[key]) or "—",
             "source": source} for key, text, source in CHECKS]
    return pd.DataFrame(rows, index=pd.Index([key for key, _, _ in CHECKS], name="check"))


def scenario_records(design: Design, scenario) -> pd.DataFrame:
    """The DNS records of an organisation: ``design`` is the scenario applied to the reference
    (``apply_scenario`` keeps the record templates of what is deployed), filled with the
    scenario's domain and the one address plan in its networks. Without EOP the MX and SPF
    point to the organisation's own mail name instead.
    """
    from .addresses import address_plan, ip_map
    plan = address_plan(design, scenario.public_network, scenario.internal_network)
    frame = dns_records(design, scenario.domain, scenario.internal_namespace, addresses=ip_map(plan))
    if scenario.mail == "direct":
        domain = check_domain(scenario.domain)
        direct = pd.DataFrame([
            {"view": "external", "name": domain, "type": "MX", "value": f"mail.{domain}", "port": "", "priority": 10,
             "weight": "", "product": design.label("exchange"), "purpose": "Inbound mail straight to the Exchange VIP",
             "optional": "", "source": "OFFICENET: scenario mail direct"},
            {"view": "external", "name": domain, "type": "TXT", "value": "v=spf1 mx -all", "port": "", "priority": "",
             "weight": "", "product": design.label("exchange"), "purpose": "SPF: mail leaves from the MX hosts",
             "optional": "", "source": "OFFICENET: scenario mail direct"}],
            index=pd.Index(["direct_mx", "direct_spf"], name="id"))
        frame = pd.concat([frame, direct[frame.columns]])
    return frame


# One colour per record type drawn; the legend lists the types a picture uses.
RECORD_COLOUR = {"A": "#1f5fbf", "CNAME": "#7b3294", "SRV": "#2e7d32", "MX": "#c77700", "NS": "#8c564b",
                 "PTR": "#555555", "answers": "#9a9a9a"}
RECORD_MEANING = {"A": "A: name to address", "CNAME": "CNAME: alias", "SRV": "SRV: service to host (port)",
                  "MX": "MX: mail to host", "NS": "NS: delegation", "PTR": "PTR: address to name",
                  "answers": "address of this component"}


def dns_figure(design: Design, view: str, domain: str = DEFAULT_DOMAIN, internal_namespace: str | None = None,
               product: str | None = None):
    """One view's names, what they resolve to (SRV/MX/NS targets, then addresses) and the component
    that answers on each address; edges coloured by record type. TXT records are left to the table."""
    from .dotlang import HtmlLabel, html_text
    from .drawing import Builder
    frame = dns_records(design, domain, internal_namespace, view=view, product=product)
    frame = frame[frame["type"] != "TXT"]
    by_address = {a.address: a for a in design.addresses}
    b = Builder("dns", f"{view.capitalize()} DNS of {check_domain(domain)}", nodesep="0.08", ranksep="0.3")
    names, addresses, components = set(), set(), set()
    edges = []
    for _, row in frame.iterrows():
        names.add(row["name"])
        if row["type"] == "A":
            addresses.add(row["value"])
            edges.append((f"n:{row['name']}", f"a:{row['value']}", "A", ""))
        else:
            names.add(row["value"])
            # A edges (most of them) say their type by colour alone; the rarer types also in words
            label = f"{row['type']} {row['port']}".strip() if row["type"] == "SRV" else row["type"]
            edges.append((f"n:{row['name']}", f"n:{row['value']}", row["type"], label))
    for name in sorted(names):
        fill = "#e8f1fb" if name.startswith("_") else "#ffffff"
        b.node("n:" + name, label=name, shape="box", style="rounded,filled", fillcolor=fill, height="0.25")
    for address in sorted(addresses):
        a = by_address.get(address)
        b.node("a:" + address, label=address, shape="ellipse", style="filled", fillcolor="#fffbe6", height="0.25",
               tooltip=a.network_name if a else None)
        if a and a.component:
            components.add(a.component)
            edges.append((f"a:{address}", f"c:{a.component}", "answers", ""))
    for c in sorted(components):
        b.node("c:" + c, label=HtmlLabel(f"<B>{html_text(design.label(c))}</B>"), shape="box", style="filled",
               fillcolor="#eef6ee")
    order = list(RECORD_COLOUR)
    for a, c, kind, label in sorted(set(edges)):
        colour = RECORD_COLOUR.get(kind, "#555555")
        b.edge(a, c, colour=colour, meaning=RECORD_MEANING.get(kind, kind), order=order.index(kind) if kind in order else 99,
               style="dashed" if kind == "answers" else "solid", label=label or None, fontcolor=colour if label else None)
    return b.figure("Record types drawn")


def dns_dot(design: Design, view: str, domain: str = DEFAULT_DOMAIN, internal_namespace: str | None = None,
            product: str | None = None) -> str:
    """DOT text of one view (see ``dns_figure``)."""
    return dns_figure(design, view, domain, internal_namespace, product).dot
