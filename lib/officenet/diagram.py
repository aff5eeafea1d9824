"""From a design and a view to DOT text: zones as clusters, devices and servers as
nested clusters, flows drawn in their legend colours, the rest dimmed.

Pure and deterministic: the same design and view give the same text, byte for
byte, so the DOT can be golden-tested. Rendering to SVG lives in ``render``.
"""
from __future__ import annotations

from collections import defaultdict

from .design import Design
from .dotlang import HtmlLabel, attrs, html_text, quoted
from .records import Component, Port
from .view import View

DIM = "#d0d0d0"
DIM_TEXT = "#9a9a9a"
ZONE_FILL = {"external": "#f4f6f8", "edge": "#fff7ea", "internal": "#eef6ee"}
KIND_STYLE = {
    "user_type": {"shape": "box", "style": "rounded,filled", "fillcolor": "#fffbe6"},
    "mail_host": {"shape": "box", "style": "rounded,filled", "fillcolor": "#e8f1fb"},
    "router": {"shape": "box", "style": "filled", "fillcolor": "#e6e6e6", "peripheries": "2"},
    "edge": {"shape": "box", "style": "filled", "fillcolor": "#ffffff"},
    "remote_access": {"shape": "box", "style": "filled", "fillcolor": "#ffffff"},
    "vip": {"shape": "ellipse", "style": "filled", "fillcolor": "#ffffff"},
    "tier_role": {"shape": "box", "style": "filled", "fillcolor": "#ffffff"},
}
TIER_NAMES = {"front_end": "front end / client access", "application": "application", "database": "database / storage"}


def layout_lines(design: Design, graph: str, subject: str, lit: set[str], everything: bool,
                 legend: bool = True) -> list[str]:
    """The opening of every diagram of the whole design: graph settings and title, the zones
    with their components (``lit`` drawn in full, the rest dimmed) and the rank constraints."""
    title = f"Network integration of Microsoft Office Server products: {subject}"
    lines = [
        f"digraph {graph} {{",
        "  graph " + attrs(rankdir="LR", newrank="true", compound="true", nodesep="0.25", ranksep="0.55",
                           fontname="Helvetica", fontsize="12", labelloc="t", label=title),
        "  node " + attrs(fontname="Helvetica", fontsize="10", margin="0.08,0.04"),
        "  edge " + attrs(fontname="Helvetica", fontsize="8", arrowsize="0.6"),
    ]
    for zone in sorted(design.zones, key=lambda z: z.order):
        lines += _zone(design, zone, lit, everything)
    return lines + _ranks(design, legend)


def to_dot(design: Design, view: View = View(), legend: bool = True) -> str:
    """DOT text of the whole design with ``view``'s flows highlighted."""
    selected = {f.id for f in view.flows(design)}
    lit_nodes = {hop for f in design.flows if f.id in selected for hop in f.path}
    lines = layout_lines(design, "officenet", view.describe(design), lit_nodes, view.is_everything, legend)
    lines += _edges(design, selected)
    if legend:
        lines += _legend(design)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _zone(design, zone, lit, everything):
    members = [c for c in design.components if c.zone == zone.id and not c.parent]
    out = [f"  subgraph {quoted('cluster_' + zone.id)} {{",
           "    graph " + attrs(label=zone.name, style="filled", color="#b0b0b0",
                                fillcolor=ZONE_FILL[design.get('zones', zone.id).kind], fontsize="12")]
    for c in members:
        out += _component(design, c, lit, everything, "    ")
    out.append("  }")
    return out


def _component(design, c: Component, lit, everything, indent):
    kids = design.children(c.id)
    if not kids:
        return [indent + _node(design, c, lit, everything)]
    fill = "#ffffff" if c.kind == "server" else "#fdf1dc"
    out = [f"{indent}subgraph {quoted('cluster_' + c.id)} {{",
           f"{indent}  graph " + attrs(label=c.short_label, style="rounded,filled", color="#8a8a8a",
                                       fillcolor=fill, fontsize="11")]
    for k in _tier_order(kids):
        out += _component(design, k, lit, everything, indent + "  ")
    out.append(indent + "}")
    return out


def _tier_order(kids):
    order = {"front_end": 0, "application": 1, "database": 2, "": 3}
    return sorted(kids, key=lambda k: (order[k.tier], k.id)) if any(k.tier for k in kids) else list(kids)


def _node(design, c: Component, lit, everything) -> str:
    on = everything or c.id in lit
    text = f"<B>{html_text(c.short_label)}</B>"
    detail = []
    if c.tier:
        detail.append(TIER_NAMES[c.tier] + " tier")
    if c.drawn_count:
        detail.append(f"{c.drawn_count} {c.drawn_what}")
    if detail:
        text += '<BR/><FONT POINT-SIZE="8">' + html_text("; ".join(detail)) + "</FONT>"
    style = dict(KIND_STYLE.get(c.kind, {"shape": "box", "style": "filled", "fillcolor": "#ffffff"}))
    style.update(color="#333333" if on else DIM, fontcolor="#000000" if on else DIM_TEXT,
                 penwidth="1.6" if on and not everything else "1")
    return f"{quoted(c.id)} " + attrs(label=HtmlLabel(text), tooltip=c.name, **style)


def layer(design: Design, c: Component) -> int:
    """Left-to-right column of a component: outside, gateway, perimeter, HLB, then the three tiers."""
    if c.kind in ("user_type", "mail_host"):
        return 0 if design.is_outside(c.id) else 1
    if c.kind == "router":
        return 1
    if c.tier:
        return {"front_end": 4, "application": 5, "database": 6}[c.tier]
    if c.kind == "vip" and c.parent and not design.is_outside(c.parent) and design.get("zones", design.zone_of(c.parent)).kind == "internal":
        return 3
    return 2


def _ranks(design: Design, legend: bool = True):
    """Same-rank groups keep the columns of the poster whatever the flows pull;
    the legend joins the last column, so it sits at the right rather than widening the picture."""
    columns: dict[int, list[str]] = defaultdict(list)
    for c in design.components:
        if not design.children(c.id):
            columns[layer(design, c)].append(c.id)
    if legend and columns:
        columns[max(columns)].append("legend")
    return ["  { rank=same; " + "; ".join(quoted(i) for i in sorted(ids)) + " }"
            for _, ids in sorted(columns.items())]


def _edges(design: Design, selected: set[str]):
    """One edge per hop pair and traffic type; lit when any selected flow uses it."""
    groups: dict[tuple[str, str, str], list] = defaultdict(list)
    for f in design.flows:
        for a, b in zip(f.path, f.path[1:]):
            groups[(a, b, f.traffic_type)].append(f)
    used_pairs = {frozenset((a, b)) for a, b, _ in groups}
    out = []
    for (a, b, tt_id), flows in sorted(groups.items()):
        tt = design.traffic_type(tt_id)
        on = any(f.id in selected for f in flows)
        label = _port_label(design, [f for f in flows if f.id in selected], b) if on else ""
        out.append(f"  {quoted(a)} -> {quoted(b)} " + attrs(
            color=tt.colour if on else DIM, style=tt.style, penwidth="2.2" if on else "1",
            label=label or None, fontcolor=tt.colour if on else None,
            tooltip=f"{tt.name}: " + ", ".join(sorted(f.id for f in flows)),
            weight="2" if on else "1"))
    for link in sorted(design.links, key=lambda l: l.id):
        if frozenset((link.a, link.b)) not in used_pairs:
            out.append(f"  {quoted(link.a)} -> {quoted(link.b)} " + attrs(
                color="#c8c8c8", style="dotted", arrowhead="none", tooltip=link.description))
    return out


def _port_label(design: Design, flows, listener: str) -> str:
    """Short port list for the connections a hop receives, such as 'TCP 443, 5061'."""
    ports: list[Port] = [p for p in design.ports_for(flows)
                         if p.to == listener or (p.direction == "two-way" and p.from_ == listener)]
    by_proto: dict[str, list[str]] = defaultdict(list)
    for p in ports:
        text = p.range_text()
        if text not in by_proto[p.protocol]:
            by_proto[p.protocol].append(text)
    return "  ".join(f"{proto} {', '.join(vals)}" for proto, vals in sorted(by_proto.items()))


def legend_lines(design: Design) -> list[str]:
    """The legend cluster, for any diagram of the design."""
    return _legend(design)


def _legend(design: Design):
    rows = ['<TR><TD COLSPAN="3" ALIGN="LEFT"><B>Legend: traffic types</B></TD></TR>']
    for tt in sorted(design.traffic_types, key=lambda t: t.order):
        # An empty FONT element is a Graphviz syntax error: say why there is nothing instead.
        ports = legend_ports(design, tt.id) or "no port in this design"
        name = html_text(tt.name) + ("" if tt.in_poster else " <I>(added)</I>")
        rows.append(
            f'<TR><TD><FONT COLOR="{tt.colour}"><B>{"━━━" if tt.style == "solid" else "╍╍╍"}</B></FONT></TD>'
            f'<TD ALIGN="LEFT">{name}</TD><TD ALIGN="LEFT"><FONT POINT-SIZE="8">{html_text(ports)}</FONT></TD></TR>')
    rows.append('<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT POINT-SIZE="8">'
                + html_text("Grey: flows outside the selection. (added): not in the poster's legend.")
                + "</FONT></TD></TR>")
    table = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">' + "".join(rows) + "</TABLE>"
    return ['  subgraph "cluster_legend" {',
            "    graph " + attrs(label="", style="rounded", color="#b0b0b0"),
            '    "legend" ' + attrs(shape="plaintext", label=HtmlLabel(table)),
            "  }"]


def legend_ports(design: Design, traffic_type: str) -> str:
    """Ports of one traffic type in the legend: 'TCP 443, 5061; UDP 3478' (optional in brackets)."""
    by_proto: dict[str, list[str]] = defaultdict(list)
    for p in design.ports:
        if p.traffic_type != traffic_type:
            continue
        text = p.range_text()
        text = f"({text})" if p.optional else text
        if text not in by_proto[p.protocol] and text.strip("()") not in by_proto[p.protocol]:
            by_proto[p.protocol].append(text)
    return "; ".join(f"{'IP protocol' if proto == 'IP' else proto} {', '.join(vals)}"
                     for proto, vals in sorted(by_proto.items()))
