"""A picture of one DNS view: names, what they point to, addresses and the components that answer."""
from __future__ import annotations

from ...model.design import Design
from ..dotlang import HtmlLabel, html_text
from ..drawing import Builder
from .domain import DEFAULT_DOMAIN, check_domain, dns_records

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
