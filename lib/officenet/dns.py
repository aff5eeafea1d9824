"""DNS records of the design for any public domain, as a table and as zone files.

``dns_records`` fills the record templates of ``data/dns_records.csv`` with a
domain, a DirectAccess internal namespace and the address plan
(``data/addresses.csv``); ``zone_text`` writes one zone of one view with
dnspython; ``dns_checks`` tests the split-brain rules on the filled records.
All pure: same arguments, same output.
"""
from __future__ import annotations

import ipaddress
import re
import zlib

import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.zone
import pandas as pd

from .addresses import address_plan, ip_map
from .cells import TEMPLATE_RE
from .design import Design
from .dotlang import HtmlLabel, html_text
from .drawing import Builder
from .gateway import permits, scenario_gateway
from .loader import load_table

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
    secondaries' copy passes its own serial (``python -m officenet.exports`` uses the time)."""
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


# --- checks ----------------------------------------------------------------
def dns_rules() -> list:
    """The DNS rules of data/checks.csv: the rows with a statement that ``dns_findings`` tests."""
    return [r for _, r in load_table("checks") if r.statement and r.id in DNS_RULES]


# The rules dns_findings tests (their text, severity and source are rows of data/checks.csv).
DNS_RULES = ("lyncdiscover_external_only", "lyncdiscoverinternal_internal_only", "internal_namespace_private",
             "srv_targets", "one_spf", "mx_to_eop", "separate_namespace")


def dns_findings(records: pd.DataFrame, domain: str = DEFAULT_DOMAIN,
                 internal_namespace: str | None = None) -> dict[str, list[str]]:
    """Rule key of ``DNS_RULES`` -> what breaks it in a record table of both views (empty: kept)."""
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
    rules = dns_rules()
    rows = [{"rule": r.statement, "ok": "NO" if found[r.id] else "yes", "found": "; ".join(found[r.id]) or "—",
             "source": r.source} for r in rules]
    return pd.DataFrame(rows, index=pd.Index([r.id for r in rules], name="check"))


def scenario_records(design: Design, scenario) -> pd.DataFrame:
    """The DNS records of an organisation: ``design`` is the scenario applied to the reference
    (``apply_scenario`` keeps the record templates of what is deployed), filled with the
    scenario's domain and the one address plan in its networks. Without EOP the MX and SPF
    point to the organisation's own mail name instead.
    """
    plan = address_plan(design, scenario.public_network, scenario.internal_network)
    frame = dns_records(design, scenario.domain, scenario.internal_namespace, addresses=ip_map(plan))
    if scenario.mail == "direct":
        domain = check_domain(scenario.domain)
        spf = spf_value(permits(design, *scenario_gateway(design, scenario)))
        direct = pd.DataFrame([
            {"view": "external", "name": domain, "type": "MX", "value": f"mail.{domain}", "port": "", "priority": 10,
             "weight": "", "product": design.label("exchange"), "purpose": "Inbound mail straight to the Exchange VIP",
             "optional": "", "source": "OFFICENET: scenario mail direct"},
            {"view": "external", "name": domain, "type": "TXT", "value": spf, "port": "", "priority": "",
             "weight": "", "product": design.label("exchange"),
             "purpose": "SPF: every address the gateway lets send on TCP 25 (mail does not leave from the MX address)",
             "optional": "", "source": "OFFICENET: scenario mail direct; O365DNS"}],
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


# --- SPF from the gateway: every address that may send on TCP 25 ----------------------------
EOP_SPF = "include:spf.protection.outlook.com"


def smtp_senders(permits) -> tuple[list[str], bool]:
    """(on-premises addresses the gateway lets send TCP 25 to any host, whether mail also leaves
    through EOP) from the outbound permits of ``gateway.permits``. A sender whose permit names
    no address (any inside host) is written 'any': no SPF record can name it."""
    direct, through_eop = [], False
    for p in permits:
        if p.direction != "outbound" or p.protocol != "TCP" or not p.ports[0] <= 25 <= p.ports[1]:
            continue
        if p.to_addresses is not None:  # the mail hosts are EOP's ranges
            through_eop = True
            continue
        for a in p.from_addresses or ("any",):
            address = a.removesuffix("/32")
            if address not in direct:
                direct.append(address)
    return direct, through_eop


def spf_value(permits) -> str:
    """The SPF record derived from the gateway: ip4: for each on-premises sender, EOP's include when
    mail leaves through EOP, and -all."""
    direct, through_eop = smtp_senders(permits)
    parts = [f"ip4:{a}" for a in direct if a != "any"] + ([EOP_SPF] if through_eop else [])
    return " ".join(["v=spf1", *parts, "-all"])


def spf_findings(records: pd.DataFrame, permits, domain: str) -> list[str]:
    """Senders the SPF record of ``domain`` does not name (mx and a mechanisms resolved in the
    external view of ``records``)."""
    domain = check_domain(domain)
    ext = records[records["view"] == "external"]
    spf = ext[(ext["type"] == "TXT") & (ext["name"] == domain) & ext["value"].str.startswith("v=spf1")]
    mechanisms = set(" ".join(spf["value"]).split())
    allowed = []
    for m in mechanisms:
        if m.startswith("ip4:"):
            allowed.append(ipaddress.ip_network(m[4:], strict=False))
    hosts = set()
    if "mx" in mechanisms:
        hosts |= set(ext[(ext["type"] == "MX") & (ext["name"] == domain)]["value"])
    if "a" in mechanisms:
        hosts.add(domain)
    for _, row in ext[(ext["type"] == "A") & ext["name"].isin(hosts)].iterrows():
        allowed.append(ipaddress.ip_network(row["value"]))
    direct, through_eop = smtp_senders(permits)
    out = []
    for a in direct:
        if a == "any":
            out.append("any inside host may send on TCP 25: no SPF record can name it")
        elif not any(ipaddress.ip_address(a) in n for n in allowed):
            out.append(f"{a} sends on TCP 25 but the SPF record of {domain} does not name it")
    if through_eop and EOP_SPF not in mechanisms:
        out.append(f"mail leaves through EOP but the SPF record of {domain} lacks {EOP_SPF}")
    return out


# --- DirectAccess name resolution policy (NRPT) ---------------------------------------------

def nrpt_entries(design: Design, domain: str = DEFAULT_DOMAIN, internal_namespace: str | None = None):
    """(namespace, row) of every NRPT row of the design, with the templates filled."""
    domain = check_domain(domain)
    internal = check_domain(internal_namespace or default_internal(domain), "internal namespace")
    return [(_fill(design, r.namespace, domain, internal, mx_token(domain)), r) for r in design.nrpt_rules]


def nrpt_match(name: str, entries):
    """The entry a DirectAccess client applies to ``name``: the most specific namespace that holds it."""
    best = None
    for namespace, row in entries:
        if (name == namespace or name.endswith("." + namespace)) and (best is None or len(namespace) > len(best[0])):
            best = (namespace, row)
    return best


def _resolved_by(match) -> str:
    if match is None:
        return "public DNS (no NRPT entry)"
    return "intranet DNS through the tunnel" if match[1].kind == "rule" else "public DNS (exempt)"


def nrpt_table(design: Design, domain: str = DEFAULT_DOMAIN, internal_namespace: str | None = None) -> pd.DataFrame:
    """The NRPT of the DirectAccess clients: one row per entry with where its names resolve.
    ``attrs['through_tunnel']`` lists the record names of the design the tunnel resolves."""
    entries = nrpt_entries(design, domain, internal_namespace)
    frame = pd.DataFrame([{"id": r.id, "namespace": ns, "kind": r.kind, "resolved by": _resolved_by((ns, r)),
                           "product": design.label(r.product) if r.product else "", "purpose": r.purpose,
                           "source": r.source} for ns, r in entries],
                         columns=["id", "namespace", "kind", "resolved by", "product", "purpose", "source"]).set_index("id")
    names = dns_records(design, domain, internal_namespace)["name"]
    frame.attrs["through_tunnel"] = sorted({n for n in names if (m := nrpt_match(n, entries)) and m[1].kind == "rule"})
    return frame


def nrpt_resolution(design: Design, domain: str = DEFAULT_DOMAIN, internal_namespace: str | None = None,
                    records: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each name of the design's DNS as a DirectAccess client resolves it: the NRPT entry that
    applies, and whether the name exists inside only, outside only or in both views."""
    records = dns_records(design, domain, internal_namespace) if records is None else records
    entries = nrpt_entries(design, domain, internal_namespace)
    views = records.groupby("name")["view"].agg(lambda v: "both" if len(set(v)) == 2 else f"{v.iloc[0]} only")
    rows = []
    for name, where in sorted(views.items()):
        m = nrpt_match(name, entries)
        rows.append({"name": name, "exists": where, "NRPT entry": m[1].id if m else "",
                     "resolved by": _resolved_by(m)})
    return pd.DataFrame(rows, columns=["name", "exists", "NRPT entry", "resolved by"]).set_index("name")


# Certificate rows whose names DirectAccess itself needs outside the tunnel (certificates.csv).
DA_OWN_NAMES = {"directaccess_iphttps": "the IP-HTTPS name", "network_location": "the network location server"}


def nrpt_findings(design: Design, records: pd.DataFrame, domain: str, internal_namespace: str | None,
                  lync_outside: bool) -> list[str]:
    """What a DirectAccess client would resolve wrongly with the design's NRPT (empty without DirectAccess)."""
    if not any(c.id == "directaccess_server" for c in design.components):
        return []
    domain = check_domain(domain)
    internal = check_domain(internal_namespace or default_internal(domain), "internal namespace")
    entries = nrpt_entries(design, domain, internal)
    ext = set(records[records["view"] == "external"]["name"])
    inside = set(records[records["view"] == "internal"]["name"])
    out = []
    for name in sorted(inside - ext):
        if nrpt_match(name, entries) is None:
            out.append(f"{name} exists only in internal DNS and no NRPT rule resolves it through the tunnel")
    for c in design.certificates:
        if c.certificate in DA_OWN_NAMES:
            name = _fill(design, c.name, domain, internal, mx_token(domain))
            m = nrpt_match(name, entries)
            if m and m[1].kind == "rule":
                out.append(f"{name} resolves through the tunnel ({m[1].id}): {DA_OWN_NAMES[c.certificate]} must be exempt")
    if lync_outside:
        lync = records[records["product"] == design.label("lync")]
        discovery = {f"lyncdiscoverinternal.{domain}", f"_sipinternaltls._tcp.{domain}"}
        for name in sorted(set(lync[lync["view"] == "external"]["name"]) | (discovery & inside)):
            m = nrpt_match(name, entries)
            if m and m[1].kind == "rule":
                out.append(f"{name} resolves through the tunnel ({m[1].id}): Lync would leave the Edge for DirectAccess")
    return out
