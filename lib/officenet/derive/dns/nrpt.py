"""The DirectAccess name resolution policy (NRPT): which names resolve through the tunnel."""
from __future__ import annotations

import pandas as pd

from ...model.design import Design
from .domain import DEFAULT_DOMAIN, check_domain, dns_records, fill_template, internal_name, mx_token


def nrpt_entries(design: Design, domain: str = DEFAULT_DOMAIN, internal_namespace: str | None = None):
    """(namespace, row) of every NRPT row of the design, with the templates filled."""
    domain = check_domain(domain)
    internal = internal_name(domain, internal_namespace)
    return [(fill_template(design, r.namespace, domain, internal, mx_token(domain)), r) for r in design.nrpt_rules]


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
                  lync_outside: bool, lync_tunnel: bool = False) -> list[str]:
    """What a DirectAccess client would resolve wrongly with the design's NRPT (empty without DirectAccess).
    ``lync_outside``: Lync goes to the Edge, so its names must be exempt; ``lync_tunnel``: Lync goes
    through DirectAccess, so no Lync name may be exempt (the client would resolve the Edge publicly
    and leave the tunnel the design chose)."""
    if not any(c.id == "directaccess_server" for c in design.components):
        return []
    domain = check_domain(domain)
    internal = internal_name(domain, internal_namespace)
    entries = nrpt_entries(design, domain, internal)
    ext = set(records[records["view"] == "external"]["name"])
    inside = set(records[records["view"] == "internal"]["name"])
    out = []
    for name in sorted(inside - ext):
        if nrpt_match(name, entries) is None:
            out.append(f"{name} exists only in internal DNS and no NRPT rule resolves it through the tunnel")
    for c in design.certificates:
        if c.certificate in DA_OWN_NAMES:
            name = fill_template(design, c.name, domain, internal, mx_token(domain))
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
    if lync_tunnel:
        lync = records[records["product"] == design.label("lync")]
        for name in sorted(set(lync["name"])):
            m = nrpt_match(name, entries)
            if m and m[1].kind == "exemption":
                out.append(f"{name} is exempt from the NRPT ({m[1].id}): Lync would resolve it publicly and go to "
                           "the Edge, not through DirectAccess as the design chose")
    return out


def _ps_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def nrpt_powershell(design: Design, domain: str = DEFAULT_DOMAIN, internal_namespace: str | None = None,
                    title: str = "") -> str:
    """The NRPT as a Windows PowerShell script for the DirectAccess server (RemoteAccess module):
    one Add-DAClientDnsConfiguration per entry, a rule with the DNS servers given to the script,
    an exemption with none (DA-NRPT: a suffix without servers is an exemption)."""
    entries = nrpt_entries(design, domain, internal_namespace)
    lines = [
        f"# DirectAccess name resolution policy (NRPT){': ' + title if title else ''}",
        "# generated by officenet from data/nrpt_rules.csv; run on the DirectAccess server (RemoteAccess module).",
        "# -DnsIPAddress: the DNS64 address of the DirectAccess server's internal adapter on an IPv4 intranet",
        "# (the console's Detect button finds it), or the intranet DNS servers on an IPv6 intranet (DA-ADV 1.4).",
        "# The Remote Access wizard adds the rule of its own domain and the network location server's exemption",
        "# itself: where an entry exists already the cmdlet reports it and the script goes on with the next.",
        "param(",
        "    [Parameter(Mandatory = $true)][string[]]$DnsIPAddress,",
        "    [string]$ComputerName = $env:COMPUTERNAME",
        ")",
        "",
    ]
    for namespace, row in entries:
        suffix = _ps_quote(namespace)
        servers = " -DnsIPAddress $DnsIPAddress" if row.kind == "rule" else ""  # no server: an exemption
        lines += [f"# {row.id} ({row.kind}): {row.purpose}",
                  f"Add-DAClientDnsConfiguration -ComputerName $ComputerName -DnsSuffix {suffix}{servers} "
                  "-ErrorAction Continue"]
    return "\n".join(lines) + "\n"
