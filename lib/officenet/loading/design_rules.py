"""Rules between rows of different tables, checked once the tables have become a ``Design``.

A row can be well-formed on its own and still contradict another table: a mail host inside the
gateway, a path between components no link joins, a gateway option naming a port row that is not
optional. Rules that need a derivation (the gateway's crossings, the load balancer's listeners) are
``derive.integrity``'s: loading reads and validates, nothing more.
"""
from __future__ import annotations

from ..model.design import Design
from ..model.errors import Problem


def consistency_problems(design: Design) -> list[Problem]:
    """Rules between the rows of the network tables (paths along links, user types, parents, addresses' ports);
    each problem names the file, row and column."""
    problems = []
    linked = {frozenset((l.a, l.b)) for l in design.links}
    for f in design.flows:
        line = design.lines.get(("flows", f.id))
        for a, b in zip(f.path, f.path[1:]):
            if frozenset((a, b)) not in linked:
                problems.append(Problem("flows.csv", line, "path",
                                        "consecutive hops joined by a row of links.csv",
                                        found=f"{a} > {b}",
                                        fix=f"add a link between {a} and {b} to links.csv, or correct the path"))
        if f.user_type and f.path[0] != f.user_type:
            problems.append(Problem("flows.csv", line, "path", f"a path that starts at its user type '{f.user_type}'",
                                    found=f.path[0], fix="start the path with the user type, or clear user_type"))
    for u in design.user_types:
        if design.component(u.id).kind != "user_type":
            problems.append(Problem("user_types.csv", design.lines.get(("user_types", u.id)), "id",
                                    "a component of kind user_type", found=u.id,
                                    fix="set kind to user_type in components.csv"))
    for c in design.components:
        if c.parent == c.id:
            problems.append(Problem("components.csv", design.lines.get(("components", c.id)), "parent",
                                    "a parent other than the component itself", found=c.parent,
                                    fix="clear the parent or name the containing device"))
    for l in design.links:
        if l.a == l.b:
            problems.append(Problem("links.csv", design.lines.get(("links", l.id)), "b",
                                    "two different components", found=l.b, fix="link two different components"))
    ports = {p.id: p for p in design.ports}
    zones = {z.id for z in design.zones}
    for a in design.addresses:
        for pid in a.ports:
            # An address of no component serves a zone's end (servers the poster does not draw)
            zone_end = not a.component and any(e in zones for e in (ports[pid].from_, ports[pid].to))
            if a.component not in (ports[pid].from_, ports[pid].to) and not zone_end:
                problems.append(Problem("addresses.csv", design.lines.get(("addresses", a.id)), "ports",
                                        f"port rows that start or end at the address's component '{a.component}'",
                                        found=pid, fix=f"remove {pid}, or give the address the component it serves"))
    return problems


def design_problems(design: Design) -> list[Problem]:
    """Rules between a row and a row of another table."""
    problems = []
    kinds = {z.id: z.kind for z in design.zones}
    # Only hosts on the Internet sit beyond the gateway: mail hosts always, user types by their flag
    # (below); a device or server there (or a mail host inside) would turn the gateway inside out.
    for c in design.components:
        if c.kind != "user_type" and (c.kind == "mail_host") != (kinds[c.zone] == "external"):
            where = "a zone of kind external" if c.kind == "mail_host" else "a zone of kind edge or internal"
            problems.append(Problem("components.csv", design.lines.get(("components", c.id)), "zone",
                                    f"{where} for a component of kind {c.kind}",
                                    found=f"{c.zone} (kind {kinds[c.zone]})",
                                    fix=f"move {c.id} to another zone, or correct the kind of the zone '{c.zone}' "
                                        f"in zones.csv (row {design.lines.get(('zones', c.zone))})"))
    for u in design.user_types:
        zone = design.component(u.id).zone
        if u.external != (kinds[zone] == "external"):
            want = "yes" if kinds[zone] == "external" else "no"
            problems.append(Problem("user_types.csv", design.lines.get(("user_types", u.id)), "external",
                                    f"{want}, since {u.id} sits in the zone '{zone}' of kind {kinds[zone]}",
                                    found="yes" if u.external else "no",
                                    fix=f"correct external, or the kind of the zone '{zone}' in zones.csv "
                                        f"(row {design.lines.get(('zones', zone))})"))
    for c in design.certificates:
        owner = design.component(c.component).product if c.component else ""
        if owner and not c.product:
            problems.append(Problem("certificates.csv", design.lines.get(("certificates", c.id)), "product",
                                    f"the product that needs the name ({c.component} belongs to {owner})", found="",
                                    fix=f"write {owner}, or the product whose deployment brings the name"))
    problems.extend(_options_name_optional_rows(design))
    return problems


def _options_name_optional_rows(design: Design) -> list[Problem]:
    """A gateway option switches optional port rows; a row it lists that ports.csv does not mark
    optional would be permitted whatever the option says."""
    optional = {p.id: p.optional for p in design.ports}
    return [Problem("gateway_options.csv", design.lines.get(("gateway_options", o.id)), "ports",
                    "port rows that ports.csv marks optional", found=pid,
                    fix=f"mark {pid} optional in ports.csv (row {design.lines.get(('ports', pid))}), "
                        "or remove it from the option")
            for o in design.gateway_options for pid in o.ports if not optional.get(pid, True)]
