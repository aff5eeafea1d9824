"""Views of the gateway for readers: the ports per zone pair, the Lync Edge's two interfaces,
and the figure of what crosses the gateway router (from ``gateway.permits``)."""
from __future__ import annotations

from collections import defaultdict
from typing import Mapping

import pandas as pd

from ..model.design import Design
from .diagram import LINK, layer, layout
from .drawing import wrap_ports
from .gateway import Permit, permits
from .routes import ports_at


# --- ports per zone pair, and at the Lync Edge ---------------------------------


def zone_of_endpoint(design: Design, endpoint: str) -> str:
    return endpoint if endpoint in {z.id for z in design.zones} else design.zone_of(endpoint)


def zone_pair_matrix(design: Design) -> pd.DataFrame:
    """Zone pair (who opens → who listens) x traffic type: the ports, '(…)' optional, '↔' two-way."""
    zone_order = {z.id: z.order for z in design.zones}
    types = sorted(design.traffic_types, key=lambda t: t.order)
    cells: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for p in sorted(design.ports, key=lambda p: (p.protocol, p.port, p.id)):
        pair = (zone_of_endpoint(design, p.from_), zone_of_endpoint(design, p.to))
        text = f"{'IP' if p.protocol == 'IP' else p.protocol} {p.range_text()}" + ("↔" if p.direction == "two-way" else "")
        text = f"({text})" if p.optional else text
        if text not in cells[pair][p.traffic_type]:
            cells[pair][p.traffic_type].append(text)
    pairs = sorted(cells, key=lambda z: (zone_order[z[0]], zone_order[z[1]]))
    index = pd.Index([f"{design.label(a)} → {design.label(b)}" for a, b in pairs], name="zones")
    data = {t.name: [", ".join(cells[pair].get(t.id, [])) for pair in pairs] for t in types}
    frame = pd.DataFrame(data, index=index)
    frame = frame.loc[:, (frame != "").any(axis=0)]
    outside = {z.id for z in design.zones if z.kind == "external"}
    frame.insert(0, "gateway", ["crosses" if (a in outside) != (b in outside) else "" for a, b in pairs])
    return frame


def zone_pair_ports(design: Design) -> pd.DataFrame:
    """The zone-pair matrix as a list: zones, gateway, traffic type, ports; pairs crossing the gateway first."""
    matrix = zone_pair_matrix(design)
    cells = matrix.drop(columns="gateway").stack()
    cells = cells[cells != ""].rename("ports").reset_index().rename(columns={"level_1": "traffic type"})
    cells.insert(1, "gateway", cells["zones"].map(matrix["gateway"]))
    return cells.sort_values("gateway", ascending=False, kind="stable").reset_index(drop=True)


def _edge_rows(design: Design, edge: str, outside: bool) -> pd.DataFrame:
    rows = []
    for p in ports_at(design, edge):
        if p.from_ == p.to:
            continue
        peer = p.from_ if p.to == edge else p.to
        if design.is_outside(peer) != outside:
            continue
        if p.direction == "two-way":
            direction = "inbound and outbound"
        else:
            direction = "inbound" if p.to == edge else "outbound"
        rows.append({"id": p.id, "protocol": p.protocol, "port": p.range_text(), "peer": design.label(peer),
                     "direction (at the Edge)": direction,
                     "purpose": p.purpose, "optional": "yes" if p.optional else "", "source": p.source})
    return pd.DataFrame(rows, columns=["id", "protocol", "port", "peer", "direction (at the Edge)", "purpose",
                                       "optional", "source"]).set_index("id")


def edge_external_table(design: Design, edge: str = "lync_edge") -> pd.DataFrame:
    """The Lync Edge's external interface: rows with a peer outside the gateway."""
    return _edge_rows(design, edge, outside=True)


def edge_internal_table(design: Design, edge: str = "lync_edge") -> pd.DataFrame:
    """The Lync Edge's internal interface: rows with a peer on the intranet."""
    return _edge_rows(design, edge, outside=False)


# --- the figure of what crosses ---------------------------------------------------


def crossing_flows(design: Design, options=None) -> tuple[str, ...]:
    """Ids of the flows that need at least one permit on the gateway."""
    return tuple(sorted({f for r in permits(design, options) for f in r.flows if not f.startswith("(")}))


def gateway_figure(design: Design, options=None, addresses: Mapping | None = None):
    """The design with what crosses the gateway lit: one edge per inside end, direction and
    traffic type, labelled with its permitted ports; everything else greyed."""
    rows = permits(design, options, addresses)
    gate = sorted(design.routers)
    flows = {f.id: f for f in design.flows}
    lit = set(gate) | {r.inside for r in rows}
    outside_hops: set[tuple[str, str]] = set()
    for r in rows:
        for fid in r.flows:
            if fid in flows:
                path = flows[fid].path
                for a, b in zip(path, path[1:]):
                    if b in gate and design.is_outside(a):
                        outside_hops.add((a, flows[fid].traffic_type))
                        lit.add(a)
                    if a in gate and design.is_outside(b):
                        outside_hops.add((b, flows[fid].traffic_type))
                        lit.add(b)
    # The intranet servers no permit reaches are left out (the overview draws them): drawn greyed,
    # they made the picture so wide that its port labels fell to 7 px in a notebook's column.
    keep = {c.id for c in design.components if design.is_outside(c.id)
            or design.get("zones", design.zone_of(c.id)).kind != "internal"} | lit
    g = layout(design, "officenet_gateway", "what crosses the gateway router", lit, False, keep=keep)
    shown = {c.id for c in design.components if c.id in keep}
    tt = {t.id: t for t in design.traffic_types}
    router = gate[0]

    def meaning(t):
        return tt[t].name + ("" if tt[t].in_poster else " (added)")

    for outside, t in sorted(outside_hops):
        g.edge(outside, router, colour=tt[t].colour, style=tt[t].style, meaning=meaning(t), order=tt[t].order,
               penwidth="1.6", arrowhead="none", tooltip=f"{tt[t].name}: {design.label(outside)} reaches the gateway")
    grouped: dict[tuple[str, str, str], list[Permit]] = defaultdict(list)
    components = {c.id for c in design.components}
    for r in rows:
        if r.inside not in components:
            continue  # a zone's end: servers the poster does not draw (the name servers), in the tables only
        for t in r.traffic_types:
            grouped[(r.inside, r.direction, t)].append(r)
    for (inside, direction, t), these in sorted(grouped.items()):
        by_proto: dict[str, list[str]] = defaultdict(list)
        for r in these:
            text = r.ports_text
            if text not in by_proto[r.protocol]:
                by_proto[r.protocol].append(text)
        # one protocol a line: a long single line widened the gateway's column past a page
        label = ("in " if direction == "inbound" else "out ") + "\n".join(
            wrap_ports(f"{'IP' if p == 'IP' else p} {', '.join(v)}") for p, v in sorted(by_proto.items()))
        # router first either way, so inside ends stay right of it; an outbound arrow points back
        a, b = router, inside
        # a label on an edge that spans columns is laid out mid-way and opens a gap as wide as
        # itself: such edges (to the intranet) get an external label, placed after the layout
        far = layer(design, design.component(inside)) > 2
        g.edge(a, b, colour=tt[t].colour, fontcolor=tt[t].colour, style=tt[t].style, meaning=meaning(t),
               order=tt[t].order, penwidth="2", label=None if far else label, xlabel=label if far else None,
               dir=None if direction == "inbound" else "back",
               tooltip=f"{tt[t].name}, {direction}: " + ", ".join(r.name for r in these))
    drawn = {frozenset((router, r.inside)) for r in rows if r.inside in components} | {frozenset((o, router)) for o, _ in outside_hops}
    for link in sorted(design.links, key=lambda l: l.id):
        if frozenset((link.a, link.b)) not in drawn and link.a in shown and link.b in shown:
            g.edge(link.a, link.b, colour=LINK, style="dotted", meaning="not crossing", order=101,
                   arrowhead="none", tooltip=link.description)
    return g.figure("Traffic types crossing the gateway")


def gateway_dot(design: Design, options=None, addresses: Mapping | None = None) -> str:
    """DOT text of ``gateway_figure``."""
    return gateway_figure(design, options, addresses).dot


def allow_list_table(design: Design, allow: pd.DataFrame):
    """The allow list as a reader reads it: each end's name and address in one cell, direction,
    protocol and ports in one ("inbound TCP 443"), the action column left out while every row is a
    permit (the default deny is the ACL's last line) and the sources left to the port rows each
    permit names (the port matrix lists them). Fourteen columns ran 200 px past a 1000 px page and
    270 px past JupyterLab's 848 px column; traffic-type cells keep their legend colour."""
    from .tables import style_by_traffic_type
    shown = allow.copy()
    for end in ("from", "to"):
        shown[end] = [f"{name} ({address})" if address and address != "any" else f"{name} (any)" if address else name
                      for name, address in zip(shown[end], shown[f"{end} address"])]
        shown = shown.drop(columns=[f"{end} address"])
    shown.insert(list(shown.columns).index("direction"), "crossing", [
        f"{direction} {proto} {ports}" for direction, proto, ports in zip(shown["direction"], shown["protocol"], shown["ports"])])
    shown = shown.drop(columns=["direction", "protocol", "ports", "source"], errors="ignore")
    if "action" in shown.columns and set(shown["action"]) <= {"permit"}:
        shown = shown.drop(columns=["action"])
    return style_by_traffic_type(design, shown)
