"""Tables derived from the design, as pandas DataFrames with a deterministic order."""
from __future__ import annotations

import pandas as pd

from ..model.design import Design
from .diagram import legend_ports
from ..model.view import View
from .routes import per_design, ports_for
from .table_html import frame_html, row_html, table_html


def crossing(design: Design, from_: str, to: str, direction: str) -> str:
    """Where a connection crosses the gateway: inbound, outbound, both ways, or internal."""
    out_from, out_to = design.is_outside(from_), design.is_outside(to)
    if out_from == out_to:
        return "internal" if not out_from else "external"
    if direction == "two-way":
        return "both"
    return "inbound" if out_from else "outbound"


def port_matrix(design: Design, view: View = View()) -> pd.DataFrame:
    """Port rows of the flows in ``view`` (every row when the view selects everything)."""
    ports = design.ports if view.is_everything else ports_for(design, view.flows(design))
    order = {t.id: t.order for t in design.traffic_types}
    rows = [{
        "id": p.id,
        "protocol": p.protocol,
        "ports": p.range_text(),
        "from": design.label(p.from_),
        "to": design.label(p.to),
        "direction": "↔" if p.direction == "two-way" else "→",
        "crossing": crossing(design, p.from_, p.to, p.direction),
        "traffic type": design.traffic_type(p.traffic_type).name,
        "purpose": p.purpose,
        "optional": "yes" if p.optional else "",
        "source": p.source,
        "_order": (order[p.traffic_type], p.protocol, p.port, p.id),
    } for p in ports]
    columns = ["id", "protocol", "ports", "from", "to", "direction", "crossing", "traffic type",
               "purpose", "optional", "source"]
    if not rows:
        return pd.DataFrame(columns=columns).set_index("id")
    frame = pd.DataFrame(sorted(rows, key=lambda r: r["_order"]))
    return frame[columns].set_index("id")


def flow_table(design: Design, view: View = View()) -> pd.DataFrame:
    """Selected flows with their path hop by hop."""
    rows = [{
        "id": f.id,
        "user type": design.label(f.user_type) if f.user_type else "(server)",
        "product": design.label(f.product),
        "traffic type": design.traffic_type(f.traffic_type).name,
        "path": " → ".join(design.label(h) for h in f.path),
        "description": f.description,
        "source": f.source,
    } for f in view.flows(design)]
    return pd.DataFrame(rows, columns=["id", "user type", "product", "traffic type", "path",
                                       "description", "source"]).set_index("id")


def auth_matrix(design: Design) -> pd.DataFrame:
    """User type x product: the authentication methods the poster gives."""
    # The products that have authentication rows, in the order of products.csv (not a fixed list).
    used = {a.product for a in design.authentication}
    products = [p.id for p in design.products if p.id in used]
    user_types = sorted(design.user_types, key=lambda u: u.order)
    data = {}
    for p in products:
        data[design.label(p)] = [
            "; ".join(a.method for a in design.authentication if a.user_type == u.id and a.product == p) or "—"
            for u in user_types]
    return pd.DataFrame(data, index=pd.Index([design.label(u.id) for u in user_types], name="user type"))


def corrections_table(design: Design) -> pd.DataFrame:
    order = {"erratum": 0, "outdated": 1, "consistency": 2, "translation": 3}
    rows = sorted(design.corrections, key=lambda c: (order[c.kind], c.id))
    return pd.DataFrame([{"id": c.id, "kind": c.kind, "topic": c.topic, "the poster says": c.poster,
                          "officenet uses": c.correct, "source": c.source} for c in rows]).set_index("id")


def legend_table(design: Design) -> pd.DataFrame:
    rows = sorted(design.traffic_types, key=lambda t: t.order)
    return pd.DataFrame([{"traffic type": t.name, "colour": t.colour_name, "on the poster": "yes" if t.in_poster else "added",
                          "ports": legend_ports(design, t.id), "source": t.source} for t in rows],
                        index=pd.Index([t.id for t in rows], name="id"))


class Table:
    """A DataFrame shown as a readable table (``table_html``), its traffic-type cells in their legend
    colour. ``data`` is the frame; ``to_html()`` the markup (the same in JupyterLab, Voila, handouts)."""

    def __init__(self, frame: pd.DataFrame, colours: dict[str, str] | None = None):
        self.data = frame
        self.colours = colours or {}

    def to_html(self) -> str:
        return frame_html(self.data, self.colours)

    def _repr_html_(self) -> str:
        return self.to_html()


def style_by_traffic_type(design: Design, frame: pd.DataFrame) -> Table:
    """``frame`` as a readable table whose traffic-type cells are painted in their legend colour."""
    return Table(frame, {t.name: t.colour for t in design.traffic_types})


def html_table(design: Design, frame: pd.DataFrame) -> str:
    """Fast, escaped HTML of a table, its traffic-type cells marked in their legend colour.

    The explorer redraws on every click; pandas' Styler costs more than the table is worth there.
    """
    colours = {t.name: t.colour for t in design.traffic_types}
    rows = [row_html(key, row, frame.columns, colours) for key, row in zip(frame.index, frame.itertuples(index=False))]
    return _table_html(frame, rows)


def _table_html(frame: pd.DataFrame, rows: list[str]) -> str:
    return table_html(frame.index.name or "", list(frame.columns), rows)


def port_rows_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The port matrix as the overview shows it: protocol and ports in one cell ("TCP 443"), so
    its eleven columns fit JupyterLab's 848 px column (they ran 36 px past it)."""
    shown = frame.drop(columns=["protocol", "ports"])
    shown.insert(0, "port", [f"{proto} {ports}" for proto, ports in zip(frame["protocol"], frame["ports"])])
    return shown


def _port_rows_html(design: Design) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every port row's HTML in the matrix's order (``routes.per_design``): a view shows some of them."""
    frame = port_rows_shown(port_matrix(design, View()))
    colours = {t.name: t.colour for t in design.traffic_types}
    return frame.iloc[:0], {key: row_html(key, row, frame.columns, colours)
                            for key, row in zip(frame.index, frame.itertuples(index=False))}


def port_table_html(design: Design, view: View = View()) -> tuple[str, int]:
    """``html_table(design, port_rows_shown(port_matrix(design, view)))`` and its number of rows, from each row's HTML made
    once per design: the explorer's redraw builds no DataFrame while Graphviz draws."""
    empty, rows = per_design(design, _port_rows_html)
    if view.is_everything:
        chosen = list(rows.values())
    else:
        wanted = {p.id for p in ports_for(design, view.flows(design))}
        chosen = [row for key, row in rows.items() if key in wanted]  # the matrix's order, as port_matrix sorts
    return _table_html(empty, chosen), len(chosen)


def component_table(design: Design) -> pd.DataFrame:
    """Components by zone, as drawn on the poster, with their tier and what the poster draws."""
    zone_order = {z.id: z.order for z in design.zones}
    rows = sorted(design.components, key=lambda c: (zone_order[c.zone], c.parent or c.id, c.parent != "", c.id))
    return pd.DataFrame([{
        "id": c.id, "name": c.name, "kind": c.kind.replace("_", " "), "zone": design.label(c.zone),
        "inside": design.label(c.parent) if c.parent else "", "tier": c.tier.replace("_", " "),
        "poster draws": f"{c.drawn_count} {c.drawn_what}" if c.drawn_count else "", "source": c.source,
    } for c in rows]).set_index("id")


def url_table(design: Design) -> pd.DataFrame:
    """User type x the addresses the poster lists for it."""
    order = {u.id: u.order for u in design.user_types}
    rows = sorted(design.urls, key=lambda u: (order[u.user_type], u.id))
    return pd.DataFrame([{"user type": design.label(u.user_type), "url": u.url, "product": design.label(u.product),
                          "note": u.note, "source": u.source} for u in rows],
                        index=pd.Index([u.id for u in rows], name="id"))
