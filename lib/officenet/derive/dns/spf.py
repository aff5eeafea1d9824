"""SPF from the gateway: every address that may send on TCP 25, and what a record fails to name."""
from __future__ import annotations

import ipaddress

import pandas as pd

from .domain import check_domain

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
