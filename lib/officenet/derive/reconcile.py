"""Reconciliation of the design with the vendor tables it rests on (``data/vendor_rows.csv``).

Each row of a vendor table (the Lync Edge port summary, the Exchange ports, the DNS
summaries ...) is either held by rows of the design (``held_in``, as table:id) or left
out with a reason. ``reconciliation`` counts them per vendor table; ``unmapped`` lists
what is neither held nor explained (empty when the design is reconciled).
"""
from __future__ import annotations

import pandas as pd

from ..model.design import Design

# Vendor table id -> what it is (the tables issue 11 asks the design to be checked against). A table's rows may
# belong to one release (vendor_rows.csv's releases column), so its title names no single release.
VENDOR_TABLES = {
    "lync_edge_external": "Lync Server 2013 / Skype for Business Server Edge port summary: external interface",
    "lync_edge_federation": "Lync Server 2013 / Skype for Business Server Edge port summary: federation, public IM and XMPP",
    "lync_edge_internal": "Lync Server 2013 / Skype for Business Server Edge port summary: internal interface",
    "lync_reverse_proxy": "Lync Server 2013 reverse proxy port summary",
    "lync_front_end_hlb": "Lync Server 2013 Front End ports and hardware load balancer requirements",
    "exchange_ports": "Exchange Server (2013, and 2016 and later) network ports for clients and mail flow",
    "exchange_receive_connectors": "Exchange Server default receive connectors",
    "sharepoint_ports": "SharePoint Server ports and protocols (security hardening)",
    "office_web_apps": "Office Web Apps Server / Office Online Server: ports, load balancing, DNS, hosts",
    "directaccess_edge": "DirectAccess: edge firewall exceptions, PKI and name resolution",
    "vpn": "Remote-access VPN and Always On VPN: protocols and firewall",
    "eop_connectors": "Exchange Online Protection connectors and DNS",
    "authentication": "Authentication pages of Lync, SharePoint and Exchange",
    "certificates": "Lync certificate summaries: Edge and reverse proxy",
    "dns": "DNS requirements: Lync Edge, reverse proxy, federation, internal; Exchange; EOP; DirectAccess",
}


def reconciliation(design: Design) -> pd.DataFrame:
    """Per vendor table: how many rows, how many the design holds, how many it leaves out, how many are unmapped."""
    rows = []
    for table, title in VENDOR_TABLES.items():
        mine = [r for r in design.vendor_rows if r.vendor_table == table]
        held = sum(1 for r in mine if r.held_in)
        left = sum(1 for r in mine if not r.held_in and r.left_out)
        rows.append({"vendor table": table, "what": title, "rows": len(mine), "held": held, "left out": left,
                     "unmapped": len(mine) - held - left})
    return pd.DataFrame(rows).set_index("vendor table")


def unmapped(design: Design) -> list[str]:
    """Vendor rows that are neither held nor explained, or that name a row the design lacks, or that
    belong to no known vendor table."""
    out = []
    for r in design.vendor_rows:
        if r.vendor_table not in VENDOR_TABLES:
            out.append(f"{r.id}: unknown vendor table {r.vendor_table}")
        if not r.held_in and not r.left_out:
            out.append(f"{r.id}: neither held nor left out")
        for target in r.held_in:
            table, _, key = target.partition(":")
            try:
                design.get(table, key)
            except KeyError:
                out.append(f"{r.id}: {target} is no row of the design")
    return out


def left_out_table(design: Design) -> pd.DataFrame:
    """The vendor rows this design leaves out, each with its reason and source."""
    return pd.DataFrame([{"id": r.id, "vendor table": r.vendor_table, "vendor row": r.vendor_row, "why left out": r.left_out,
                          "source": r.source} for r in design.vendor_rows if not r.held_in],
                        columns=["id", "vendor table", "vendor row", "why left out", "source"]).set_index("id")
