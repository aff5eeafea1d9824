"""Remote access: which option (Lync Edge, reverse proxy, UAG, DirectAccess, VPN) carries which product,
how suitable it is (remote_access.csv), and the ports the gateway must then allow (ports.csv).

``plan`` is a pure function from a design, a user type and a choice per product to the DOT text,
the gateway port list and the warnings.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..model.design import Design
from .drawing import Builder, Figure, NODE_PT
from ..model.records import Port
from ..model.records_access import ACCESS_OPTIONS, RemoteAccess
from .release_names import named
from .tables import crossing

# The name of each option as a pattern of release_names: the Edge, UAG and DirectAccess come from the design's rows.
OPTION_NAMES = {"lync_edge": "{lync_edge} + reverse proxy", "reverse_proxy": "Reverse proxy",
                "uag": "Reverse proxy: {rp_uag} (out of support)", "directaccess": "{directaccess_server}",
                "vpn": "VPN gateway"}
STATUS_COLOUR = {"required": "#1e7b34", "recommended": "#1e7b34", "supported": "#1f5fbf",
                 "not_recommended": "#c77700", "not_supported": "#b22222"}
TUNNELS = ("directaccess", "vpn")


def option_name(design: Design, option: str) -> str:
    """The option in the design's own names ('Lync Edge + reverse proxy' in 2013, 'SfB Edge + ...' today)."""
    return named(design, OPTION_NAMES.get(option), option)


def products(design: Design) -> list[str]:
    """Products with a row in remote_access.csv, in the order of products.csv."""
    have = {r.product for r in design.remote_access}
    return [p.id for p in design.products if p.id in have]


def options_for(design: Design, product: str) -> list[str]:
    """Options with a row for ``product``, in the order of ACCESS_OPTIONS."""
    have = {r.option for r in design.remote_access if r.product == product}
    return [o for o in ACCESS_OPTIONS if o in have]


def row(design: Design, option: str, product: str) -> RemoteAccess | None:
    return next((r for r in design.remote_access if r.option == option and r.product == product), None)


def suitability_matrix(design: Design) -> pd.DataFrame:
    """Option x product: the status of each option ('—' where the table has no row)."""
    options = [o for o in ACCESS_OPTIONS if any(r.option == o for r in design.remote_access)]
    data = {design.label(p): [(row(design, o, p).status.replace("_", " ") if row(design, o, p) else "—")
                              for o in options] for p in products(design)}
    return pd.DataFrame(data, index=pd.Index([option_name(design, o) for o in options], name="option"))


def suitability_table(design: Design) -> pd.DataFrame:
    order = {o: i for i, o in enumerate(ACCESS_OPTIONS)}
    ranked = {p: i for i, p in enumerate(products(design))}
    rows = sorted(design.remote_access, key=lambda r: (ranked[r.product], order[r.option]))
    return pd.DataFrame([{"id": r.id, "product": design.label(r.product), "option": option_name(design, r.option),
                          "status": r.status.replace("_", " "), "reason": r.reason, "source": r.source}
                         for r in rows],  # the columns too, for an organisation without remote access rows
                        columns=["id", "product", "option", "status", "reason", "source"]).set_index("id")


def _applies(design: Design, port: Port, user_type: str) -> bool:
    """A gateway port serves a user type when its outside end is that user type or its zone."""
    ends = {user_type, design.zone_of(user_type)}
    return port.from_ in ends or port.to in ends


def _device_of(design: Design, port: Port) -> str:
    """The perimeter device a gateway port lands on (a VIP counts as its load balancer)."""
    inside = port.from_ if design.is_outside(port.to) else port.to
    try:
        comp = design.component(inside)
    except KeyError:
        return inside  # a zone: a port between two zones lands on no single device
    return comp.parent or comp.id


@dataclass(frozen=True)
class Leg:
    """One product reached through one option."""

    product: str
    option: str
    rule: RemoteAccess | None
    ports: tuple[Port, ...]
    used: bool  # the user type uses the product at all (it has flows for it)


@dataclass(frozen=True)
class Plan:
    user_type: str
    legs: tuple[Leg, ...]
    warnings: tuple[str, ...]
    figure: Figure

    @property
    def dot(self) -> str:
        return self.figure.dot

    def ports(self) -> tuple[Port, ...]:
        seen, out = set(), []
        for leg in self.legs:
            for p in leg.ports:
                if p.id not in seen:
                    seen.add(p.id)
                    out.append(p)
        return tuple(out)


def plan(design: Design, user_type: str, choices: dict[str, str]) -> Plan:
    """The legs, gateway ports, warnings and DOT text of a user type's choice of option per product."""
    legs, warnings = [], []
    for product in products(design):
        option = choices.get(product)
        if option is None:
            continue
        used = bool(design.select_flows(user_type=user_type, product=product))
        rule = row(design, option, product)
        ports = ()
        if used and rule is not None:
            ports = tuple(design.get("ports", p) for p in rule.ports if _applies(design, design.get("ports", p), user_type))
            if rule.status in ("not_recommended", "not_supported"):
                warnings.append(f"{design.label(product)} over {option_name(design, option)}: "
                                f"{rule.status.replace('_', ' ')}. {rule.reason} (source: {rule.source})")
            if option in TUNNELS and user_type != "roaming_employees":
                warnings.append(f"{design.label(product)} over {option_name(design, option)}: a tunnel serves the "
                                f"organisation's own roaming employees, not {design.label(user_type)} "
                                f"(source: EN: Remote access options)")
        elif used:
            warnings.append(f"{design.label(product)} over {option_name(design, option)}: no row in remote_access.csv; "
                            "the sources say nothing of this choice")
        legs.append(Leg(product, option, rule, ports, used))
    legs = tuple(legs)
    return Plan(user_type, legs, tuple(warnings), figure(design, user_type, legs))


def port_list(design: Design, p: Plan) -> pd.DataFrame:
    """The gateway allow-list of a plan: one row per port row, in table order."""
    order = {port.id: i for i, port in enumerate(design.ports)}
    products = {}
    for leg in p.legs:
        for port in leg.ports:
            products.setdefault(port.id, []).append(design.label(leg.product))
    rows = sorted(p.ports(), key=lambda port: order[port.id])
    return pd.DataFrame([{
        "id": port.id, "protocol": "IP protocol" if port.protocol == "IP" else port.protocol,
        "ports": port.range_text(), "to": design.label(port.to) if not design.is_outside(port.to) else design.label(port.from_),
        "crossing": crossing(design, port.from_, port.to, port.direction),
        "for": ", ".join(products[port.id]), "purpose": port.purpose, "optional": "yes" if port.optional else "",
        "source": port.source,
    } for port in rows], columns=["id", "protocol", "ports", "to", "crossing", "for", "purpose", "optional",
                                  "source"]).set_index("id")


def related_corrections(design: Design, p: Plan):
    """Corrections that apply to the plan's ports or devices."""
    targets = {f"ports:{port.id}" for port in p.ports()}
    targets |= {f"components:{leg.rule.device}" for leg in p.legs if leg.rule}
    return tuple(c for c in design.corrections if targets & set(c.applies_to))


def _front_end(design: Design, product: str) -> str:
    return next(c.id for c in design.components if c.product == product and c.tier == "front_end")


def _short_ports(ports) -> str:
    by = {}
    for p in ports:
        name = "IP" if p.protocol == "IP" else p.protocol
        text = p.range_text() + ("*" if p.optional else "")
        if text not in by.setdefault(name, []):
            by[name].append(text)
    return "  ".join(f"{k} {', '.join(v)}" for k, v in sorted(by.items()))


STATUS_ORDER = ("required", "recommended", "supported", "not_recommended", "not_supported")


def figure(design: Design, user_type: str, legs) -> Figure:
    """User type -> gateway -> perimeter device -> product front end, coloured by suitability.
    The legend names the statuses drawn (status colours are not the traffic-type colours)."""
    b = Builder("remote_access", f"Remote access: {design.label(user_type)}", nodesep="0.18", ranksep="0.45")
    b.node(user_type, label=design.label(user_type), shape="box", style="rounded,filled", fillcolor="#fffbe6")
    b.node("gateway_router", label=design.label("gateway_router"), shape="box", style="filled",
           fillcolor="#e6e6e6", peripheries="2")
    devices, targets, edges = {}, {}, []
    for leg in legs:
        if not leg.used:
            continue
        status = leg.rule.status if leg.rule else "not_recommended"
        colour = STATUS_COLOUR[status]
        style = "dashed" if status in ("not_recommended", "not_supported") else "solid"
        target = _front_end(design, leg.product)
        targets[target] = leg.product
        by_device: dict[str, list[Port]] = {}
        for p in leg.ports:
            by_device.setdefault(_device_of(design, p), []).append(p)
        if not by_device and leg.rule:
            by_device[leg.rule.device] = []
        for device, ports in sorted(by_device.items()):
            devices[device] = True
            label = f"{design.label(leg.product)}: {_short_ports(ports)}" if ports else design.label(leg.product)
            if leg.option == "uag":
                label += f" ({named(design, '{rp_uag}', 'uag')})"
            edges.append(("gateway_router", device, label, colour, style, status))
            edges.append((device, target, None, colour, style, status))
    b.open_cluster("perimeter", "Perimeter", style="filled", color="#b0b0b0", fillcolor="#fff7ea")
    for d in sorted(devices):
        # a device is a component, or the zone where a port lands (a design whose port ends on a zone)
        name = design.component(d).name if d in {c.id for c in design.components} else design.label(d)
        b.node(d, label=design.label(d), tooltip=name, shape="box", style="rounded,filled", fillcolor="#ffffff")
    b.close_cluster()
    b.open_cluster("intranet", "Intranet (front end tier)", style="filled", color="#b0b0b0", fillcolor="#eef6ee")
    for t in sorted(targets):
        b.node(t, label=design.label(t), shape="box", style="rounded,filled", fillcolor="#ffffff")
    b.close_cluster()
    b.edge(user_type, "gateway_router", colour="#555555", meaning="the user type reaches the gateway", order=-1)
    optional = any(p.optional for leg in legs if leg.used for p in leg.ports)
    for a, c, label, colour, style, status in edges:
        # the product and its ports once, on the gateway's edge; the edge to the server says nothing more
        # its labels at the node size (10 pt): the picture is narrow enough (about 900 pt) for 9 px
        b.edge(a, c, colour=colour, fontcolor=colour, style=style, penwidth="1.6", label=label, fontsize=NODE_PT,
               meaning=status.replace("_", " "), order=STATUS_ORDER.index(status))
    return b.figure("Status of each path" + (" (* optional port)" if optional else ""))


def to_dot(design: Design, user_type: str, legs) -> str:
    return figure(design, user_type, legs).dot


def decision_table(design: Design, decisions: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Per user type and product: the chosen option, its status and the gateway ports it needs."""
    rows = []
    for user_type, choices in decisions.items():
        p = plan(design, user_type, choices)
        for leg in p.legs:
            if not leg.used:
                continue
            rows.append({"user type": design.label(user_type), "product": design.label(leg.product),
                         "option": option_name(design, leg.option),
                         "status": leg.rule.status.replace("_", " ") if leg.rule else "undocumented",
                         "gateway ports": _short_ports(leg.ports) or "—"})
    return pd.DataFrame(rows, columns=["user type", "product", "option", "status", "gateway ports"])
