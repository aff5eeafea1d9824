"""From a design and a view to DOT text: zones as clusters, devices and servers as
nested clusters, flows drawn in their legend colours, the rest dimmed.

Pure and deterministic: the same design and view give the same text, byte for
byte, so the DOT can be golden-tested. Rendering to SVG lives in ``render``.
"""
from __future__ import annotations

from collections import defaultdict

from ..model.design import Design
from .dotlang import HtmlLabel, html_text, quoted
from .drawing import Builder, Figure, small
from ..model.records import Component, Port
from ..model.view import View
from .routes import per_design, ports_for

DIM = "#d0d0d0"
DIM_TEXT = "#9a9a9a"
LINK = "#c8c8c8"
LONG_LABEL = 22  # characters: a longer node name is drawn on two lines
MAX_LABELLED_EDGES = 8  # measured: more port labels than this push the overview past a page's width
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


def layout(design: Design, graph: str, subject: str, lit: set[str], everything: bool,
           keep: set[str] | None = None, **graph_attributes) -> Builder:
    """The opening of every diagram of the whole design: graph settings and title, the zones
    with their components (``lit`` drawn in full, the rest dimmed) and the columns of the poster.
    With ``keep``, only those components (and the servers and devices holding them) are drawn: a
    narrower picture whose text stays legible in a notebook's column."""
    title = f"Network integration of Microsoft Office Server products: {subject}"
    b = Builder(graph, title, **graph_attributes)
    shown = None if keep is None else _with_parents(design, keep)
    for zone in sorted(design.zones, key=lambda z: z.order):
        _zone(b, design, zone, lit, everything, shown)
    _ranks(b, design, shown)
    return b


def _with_parents(design: Design, keep: set[str]) -> set[str]:
    components = {c.id: c for c in design.components}
    shown = set()
    for c in keep:
        while c in components and c not in shown:  # an end may be a zone (a network), not a component
            shown.add(c)
            c = components[c].parent
    return shown


def figure(design: Design, view: View = View()) -> Figure:
    """The whole design with ``view``'s flows highlighted, and the legend of what it draws."""
    selected = {f.id for f in view.flows(design)}
    lit_nodes = {hop for f in design.flows if f.id in selected for hop in f.path}
    # forcelabels off: a port label Graphviz cannot place clear of the names is left to the port
    # table under the picture, rather than drawn over a name (it did, on a flow of notebook 06)
    b = layout(design, "officenet", view.describe(design), lit_nodes, view.is_everything, forcelabels="false")
    _edges(b, design, selected, labels=not view.is_everything)
    return b.figure("Traffic types drawn")


def to_dot(design: Design, view: View = View()) -> str:
    """DOT text of the whole design with ``view``'s flows highlighted."""
    return figure(design, view).dot


def _zone(b: Builder, design, zone, lit, everything, shown=None):
    members = [c for c in design.components if c.zone == zone.id and not c.parent
               and (shown is None or c.id in shown)]
    if not members:
        return
    b.open_cluster(zone.id, zone.name, style="filled", color="#b0b0b0",
                   fillcolor=ZONE_FILL[design.get('zones', zone.id).kind], fontsize="12")
    for c in members:
        _component(b, design, c, lit, everything, shown)
    b.close_cluster()


def _component(b: Builder, design, c: Component, lit, everything, shown=None):
    kids = [k for k in design.children(c.id) if shown is None or k.id in shown]
    if not kids:
        _node(b, design, c, lit, everything)
        return
    fill = "#ffffff" if c.kind == "server" else "#fdf1dc"
    b.open_cluster(c.id, c.short_label, style="rounded,filled", color="#8a8a8a", fillcolor=fill, fontsize="11",
                   margin="6")
    for k in _tier_order(kids):
        _component(b, design, k, lit, everything, shown)
    b.close_cluster()


def _tier_order(kids):
    order = {"front_end": 0, "application": 1, "database": 2, "": 3}
    return sorted(kids, key=lambda k: (order[k.tier], k.id)) if any(k.tier for k in kids) else list(kids)


def _node(b: Builder, design, c: Component, lit, everything) -> None:
    on = everything or c.id in lit
    text = "<BR/>".join(f"<B>{html_text(line)}</B>" for line in two_lines(c.short_label))
    detail = []
    if c.tier:
        detail.append(TIER_NAMES[c.tier] + " tier")
    if c.drawn_count:
        detail.append(f"{c.drawn_count} {c.drawn_what}")
    if detail:
        # one short line each: a long detail line is what made the server columns wide
        text += "".join("<BR/>" + small(html_text(d)) for d in detail)
    style = dict(KIND_STYLE.get(c.kind, {"shape": "box", "style": "filled", "fillcolor": "#ffffff"}))
    style.update(color="#333333" if on else DIM, fontcolor="#000000" if on else DIM_TEXT,
                 penwidth="1.6" if on and not everything else "1")
    b.node(c.id, label=HtmlLabel(text), tooltip=c.name, **style)


def two_lines(label: str, longest: int = LONG_LABEL) -> list[str]:
    """A long label split at the space nearest its middle: on one line, "Individual / anonymous
    partners" and "Web front end + Distributed Cache" set the width of their whole column."""
    if len(label) <= longest or " " not in label:
        return [label]
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return [label[:cut], label[cut + 1:]]


def layer(design: Design, c: Component) -> int:
    """Left-to-right column of a component: outside, gateway, perimeter, HLB, then the servers with
    their tiers stacked in one column (side by side they made the picture twice as wide as a page)."""
    if c.kind in ("user_type", "mail_host"):
        # inside users sit with the intranet's own load balancer, so the intranet stays one block
        return 0 if design.is_outside(c.id) else 3
    if c.kind == "router":
        return 1
    if c.tier:
        return 4
    if c.kind == "vip" and c.parent and not design.is_outside(c.parent) and design.get("zones", design.zone_of(c.parent)).kind == "internal":
        return 3
    return 2


def _ranks(b: Builder, design: Design, shown: set[str] | None = None) -> None:
    """Same-rank groups keep the columns of the poster whatever the flows pull."""
    columns: dict[int, list[str]] = defaultdict(list)
    children: dict[str, list[Component]] = defaultdict(list)  # one pass, not a scan per component
    drawn = [c for c in design.components if shown is None or c.id in shown]
    for c in drawn:
        if c.parent:
            children[c.parent].append(c)
    for c in drawn:
        if c.id not in children:
            columns[layer(design, c)].append(c.id)
    for _, ids in sorted(columns.items()):
        b.same_rank(ids)
    # tiers stacked in a server: front end on top, then application, then database
    for parent, members in sorted(children.items()):
        kids = [k for k in _tier_order(members) if k.tier]
        for upper, lower in zip(kids, kids[1:]):
            b.raw(f"{quoted(lower.id)} -> {quoted(upper.id)} [style=invis, weight=10]")  # flat edges in LR: head above


def _edge_groups(design: Design) -> tuple[list[tuple], list]:
    """What every view of the design draws alike (``routes.per_design``): one group per hop pair and
    traffic type, sorted, as (a, c, traffic type, its flows, tooltip); and the links no flow uses."""
    groups: dict[tuple[str, str, str], list] = defaultdict(list)
    for f in design.flows:
        for a, c in zip(f.path, f.path[1:]):
            groups[(a, c, f.traffic_type)].append(f)
    used_pairs = {frozenset((a, c)) for a, c, _ in groups}
    drawn = []
    for (a, c, tt_id), flows in sorted(groups.items()):
        tt = design.traffic_type(tt_id)
        drawn.append((a, c, tt, flows, f"{tt.name}: " + ", ".join(sorted(f.id for f in flows))))
    unused = [link for link in sorted(design.links, key=lambda l: l.id) if frozenset((link.a, link.b)) not in used_pairs]
    return drawn, unused


def _edges(b: Builder, design: Design, selected: set[str], labels: bool = True) -> None:
    """One edge per hop pair and traffic type; lit when any selected flow uses it. Ports are
    written on lit edges only when ``labels`` (a selection): the full list is the port table."""
    groups, unused = per_design(design, _edge_groups)
    lit = [any(f.id in selected for f in flows) for _, _, _, flows, _ in groups]
    # Port labels (xlabels: placed after the layout, so they never widen it) only on a narrow
    # selection (a flow, a few hops): more of them could not all find a free place.
    labels = labels and sum(lit) <= MAX_LABELLED_EDGES
    for (a, c, tt, flows, tooltip), on in zip(groups, lit):
        label = _port_label(design, [f for f in flows if f.id in selected], c) if on and labels else ""
        b.edge(a, c, colour=tt.colour if on else DIM, style=tt.style if on else "solid", order=tt.order if on else 100,
               meaning=(tt.name + ("" if tt.in_poster else " (added)")) if on else "not selected",
               penwidth="2" if on else "1", xlabel=label or None, fontcolor=tt.colour if on else None,
               tooltip=tooltip, weight="2" if on else "1")
    for link in unused:
        b.edge(link.a, link.b, colour=LINK, style="dotted", order=101, meaning="link, no flow",
               arrowhead="none", tooltip=link.description)


def _port_label(design: Design, flows, listener: str) -> str:
    """Short port list for the connections a hop receives, such as 'TCP 443, 5061'."""
    ports: list[Port] = [p for p in ports_for(design, flows)
                         if p.to == listener or (p.direction == "two-way" and p.from_ == listener)]
    by_proto: dict[str, list[str]] = defaultdict(list)
    for p in ports:
        text = p.range_text()
        if text not in by_proto[p.protocol]:
            by_proto[p.protocol].append(text)
    # one protocol a line, as on the gateway's picture: one long line ran into the names around it
    return "\n".join(f"{proto} {', '.join(vals)}" for proto, vals in sorted(by_proto.items()))


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
