"""A synthetic multi-site design for benchmarks: the reference design copied per site,
with extra branch offices per site that repeat the user types' flows.

Sites share the zones, traffic types, products and sources; every component, link,
flow and port of the reference is copied with a ``__sNNN`` suffix, and each gateway
option lists the copies of its port rows.
"""
from __future__ import annotations

from dataclasses import replace

from ..model.design import Design


def multi_site(design: Design, sites: int, branches: int = 0) -> Design:
    """``sites`` copies of ``design``; each site adds ``branches`` offices per external user type."""
    zones = {z.id for z in design.zones}
    external_users = [u.id for u in design.user_types if u.external]
    comps, links, flows, ports, users, addresses, certs = [], [], [], [], [], [], []
    option_ports: dict[str, list[str]] = {o.id: [] for o in design.gateway_options}
    for n in range(sites):
        sfx = f"__s{n:03d}"

        def ren(x: str) -> str:
            return x if (not x or x in zones) else x + sfx

        for c in design.components:
            comps.append(replace(c, id=ren(c.id), parent=ren(c.parent)))
        for u in design.user_types:
            users.append(replace(u, id=ren(u.id)))
        for a in design.addresses:  # every site reuses the plan: fine for timing, not for routing
            # The first site keeps the ids that the DNS record templates name.
            addresses.append(replace(a, id=a.id + (sfx if n else ""), component=ren(a.component),
                                     ports=tuple(ren(p) for p in a.ports)))
        for c in design.certificates:
            certs.append(replace(c, id=c.id + sfx, component=ren(c.component)))
        for l in design.links:
            links.append(replace(l, id=ren(l.id), a=ren(l.a), b=ren(l.b)))
        for p in design.ports:
            ports.append(replace(p, id=ren(p.id), from_=ren(p.from_), to=ren(p.to)))
        for o in design.gateway_options:
            option_ports[o.id].extend(ren(p) for p in o.ports)
        for f in design.flows:
            flows.append(replace(f, id=ren(f.id), user_type=ren(f.user_type), path=tuple(ren(h) for h in f.path)))
        for b in range(branches):
            for ut in external_users:
                office = f"{ut}{sfx}_b{b:02d}"
                comps.append(replace(design.component(ut), id=office, name=f"{design.component(ut).name} branch {b}"))
                users.append(replace(design.get("user_types", ut), id=office))
                links.append(replace(design.links[0], id=f"{office}_router", a=office, b=ren("gateway_router")))
                for f in design.flows:
                    if f.user_type == ut and f.path[1] == "gateway_router":
                        flows.append(replace(f, id=f"{f.id}{sfx}_b{b:02d}", user_type=office,
                                             path=(office, *(ren(h) for h in f.path[1:]))))
    options = tuple(replace(o, ports=tuple(option_ports[o.id])) for o in design.gateway_options)
    return replace(design, components=tuple(comps), user_types=tuple(users), links=tuple(links),
                   flows=tuple(flows), ports=tuple(ports), addresses=tuple(addresses), certificates=tuple(certs),
                   gateway_options=options, urls=(), authentication=(), corrections=(), lines={})
