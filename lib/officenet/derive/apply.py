"""Apply a scenario to the reference design: the same tables, re-derived for one organisation.

The result is an ordinary ``Design``, so every diagram, table, check and export
works on it unchanged. Rows that the scenario adds (tunnelled paths, the links they
need) cite the ``OFFICENET`` source and say which answer made them.
"""
from __future__ import annotations

from dataclasses import replace

from ..model.design import Design
from ..model.records import Flow, Link
from ..model.release_switch import in_release
from ..model.scenario import Scenario
from ..model.vocabulary import EITHER_TUNNEL, ROAMING, TUNNEL_SERVER, answers, reference_access

REFERENCE_DOMAIN = "contoso.com"
# Rows that only one answer of the scenario keeps: answer -> rows as table:id (er_xmpp_optional).
CHOICE_ROWS = {
    "xmpp": ("ports:edge_xmpp_5269", "ports:edge_int_xmpp_23456", "dns_records:ext_xmpp_srv", "dns_records:ext_xmpp",
             "certificates:edge_xmpp", "certificates:edge_root_domain", "nrpt_rules:nrpt_xmpp",
             "nrpt_rules:nrpt_xmpp_srv"),
}


def apply_scenario(design: Design, scenario: Scenario) -> Design:
    """The design of ``scenario``'s organisation (the default scenario gives the reference design).
    A scenario naming another release than ``design``'s starts from that release's rows of the same folder."""
    design = in_release(design, scenario.release)
    scenario = scenario.checked(design)
    flows = [f for f in design.flows if f.product in scenario.products or f.product == "eop"]
    flows, extra_links = _remote_access(design, flows, scenario)
    if not scenario.federation:
        flows = [f for f in flows if not (f.user_type == "partner_companies" and f.product == "lync")]
    if scenario.mail == "direct":
        flows = [_direct_mail(f) for f in flows]
    removed = {c.id for c in design.components if c.product and c.product not in scenario.products
               and c.product != "eop"}
    removed |= {c.id for c in design.components if c.parent in removed}
    # A kept product's flow through another product's component (Office Web Apps behind the Lync
    # reverse-proxy VIP, or called by the Lync pool) exists only with that product: it goes too.
    flows = [f for f in flows if not removed.intersection(f.path)]
    keep = [c for c in design.components if c.id not in removed]
    links = [l for l in (*design.links, *extra_links) if l.a not in removed and l.b not in removed]
    unchosen = _unchosen(design, scenario)
    ports = [p for p in design.ports if p.from_ not in removed and p.to not in removed
             and ("ports", p.id) not in unchosen]
    used = {hop for f in flows for hop in f.path}
    # Tunnel servers that no flow uses any more are not deployed.
    unused_tunnels = {c.id for c in keep if c.kind == "remote_access" and c.id not in used}
    keep = [c for c in keep if c.id not in unused_tunnels]
    links = [l for l in links if l.a not in unused_tunnels and l.b not in unused_tunnels]
    ports = [p for p in ports if p.from_ not in unused_tunnels and p.to not in unused_tunnels]
    # A port row of a traffic type no remaining flow carries goes too: the reverse proxy's
    # listener for Office Web Apps stays in the design (it serves Lync) but its OWAS row must not.
    gone_types = {f.traffic_type for f in design.flows} - {f.traffic_type for f in flows}
    ports = [p for p in ports if p.traffic_type not in gone_types]
    urls = [replace(u, url=rename(u.url, scenario.domain)) for u in design.urls if u.product in scenario.products]
    return replace(
        design,
        components=tuple(keep),
        links=tuple(links),
        flows=tuple(flows),
        ports=tuple(ports),
        urls=tuple(urls),
        authentication=tuple(a for a in design.authentication if a.product in scenario.products),
        **_names_and_services(design, {c.id for c in keep}, {p.id for p in ports}, scenario, unchosen),
        lines={},
    )


def _unchosen(design: Design, scenario: Scenario) -> set[tuple[str, str]]:
    """(table, id) of the rows whose answer is off: XMPP rows without XMPP federation."""
    off = set()
    for answer, targets in CHOICE_ROWS.items():
        if not (getattr(scenario, answer) and scenario.federation):
            off |= {tuple(t.split(":", 1)) for t in targets}
    return off


def _names_and_services(design: Design, kept: set[str], kept_ports: set[str], scenario: Scenario,
                        unchosen: set[tuple[str, str]] = frozenset()) -> dict:
    """The rows of the address plan, DNS records, certificates, VIP listeners and remote access
    options that still point at something deployed, so that the derived design refers only to
    its own rows."""
    deployed = scenario.deployed
    here = lambda component: not component or component in kept
    chosen = {tuple(t.split(":", 1)) for targets in CHOICE_ROWS.values() for t in targets} - set(unchosen)
    addresses = [replace(a, ports=tuple(p for p in a.ports if p in kept_ports))
                 for a in design.addresses if here(a.component)]
    address_ids = {a.id for a in addresses}
    records = [r for r in design.dns_records if (not r.product or r.product in deployed)
               and all(ref in address_ids for ref in r.address_ids) and ("dns_records", r.id) not in unchosen]
    return {
        "addresses": tuple(addresses),
        "dns_records": tuple(records),
        # A name the scenario chose (XMPP's with xmpp on) is no longer optional: the request carries it.
        "certificates": tuple(replace(c, optional=False) if ("certificates", c.id) in chosen else c
                              for c in design.certificates if here(c.component)
                              and (not c.product or c.product in deployed) and ("certificates", c.id) not in unchosen),
        "vip_services": tuple(v for v in design.vip_services if here(v.component) and v.backend in kept),
        "remote_access": tuple(replace(r, ports=tuple(p for p in r.ports if p in kept_ports))
                               for r in design.remote_access if r.device in kept and r.product in deployed),
        "lb_rules": tuple(r for r in design.lb_rules if r.product in deployed),
        # The NRPT exists only with a DirectAccess server; the VPN protocols only with a VPN gateway.
        # A product the scenario sends through DirectAccess keeps no exemption: its names resolve
        # through the tunnel like the intranet's (Lync over DirectAccess, issue 20).
        "nrpt_rules": tuple(r for r in design.nrpt_rules if "directaccess_server" in kept
                            and (not r.product or r.product in deployed) and ("nrpt_rules", r.id) not in unchosen
                            and not (r.kind == "exemption" and r.product
                                     and scenario.remote_access.get(r.product) == "directaccess")),
        "vpn_protocols": tuple(replace(v, ports=tuple(p for p in v.ports if p in kept_ports))
                               for v in design.vpn_protocols if "vpn_gateway" in kept),
    }


def rename(text: str, domain: str) -> str:
    """Put the organisation's domain where the poster has contoso.com."""
    return text.replace(REFERENCE_DOMAIN, domain)


def _remote_access(design: Design, flows: list[Flow], scenario: Scenario):
    """Re-route roaming employees' flows through the remote access each product uses."""
    internal = {(f.product, f.traffic_type): f for f in flows if f.user_type == "internal_employees"}
    out, links = [], {}
    for f in flows:
        if f.user_type != ROAMING:
            out.append(f)
            continue
        choice = scenario.remote_access.get(f.product)
        tunnel = _tunnel_of(design, f)
        if choice is None or choice == EITHER_TUNNEL or choice == _reference_choice(design, f, tunnel):
            out.append(f)
        elif tunnel and choice in TUNNEL_SERVER:
            if TUNNEL_SERVER[choice] == tunnel:  # keep the poster's path through the chosen server
                out.append(f)
        elif choice in TUNNEL_SERVER:
            inside = internal.get((f.product, f.traffic_type))
            if inside is None:
                out.append(f)
                continue
            server = TUNNEL_SERVER[choice]
            path = (f.path[0], "gateway_router", server, *inside.path[1:])
            out.append(replace(f, id=f"{f.id}_via_{choice}", path=path,
                               description=f"{f.description} (through the {design.label(server)}: scenario choice)",
                               source="OFFICENET: scenario remote_access"))
            key = f"scenario_{server}_{inside.path[1]}"
            links[key] = Link(key, server, inside.path[1], "Tunnelled traffic leaves the tunnel server (scenario)",
                              "OFFICENET: scenario remote_access")
        elif choice == "reverse_proxy" and tunnel:
            # Published through the load balancer / reverse proxy like the partners' path.
            if tunnel == "directaccess_server":
                vip_path = tuple(h for h in f.path if h != tunnel)
                out.append(replace(f, id=f"roaming_{f.product}_reverse_proxy",
                                   path=vip_path, source="OFFICENET: scenario remote_access",
                                   description=f"{f.description.split(' through')[0]} through the reverse proxy (scenario choice)"))
        else:
            out.append(f)
    return out, list(links.values())


def _tunnel_of(design: Design, flow: Flow) -> str | None:
    return next((h for h in flow.path if design.component(h).kind == "remote_access"), None)


def _reference_choice(design: Design, flow: Flow, tunnel: str | None) -> str:
    """The answer the poster's path of ``flow`` stands for (see scenario.choices)."""
    rows = [r for r in design.remote_access if r.product == flow.product and r.option not in answers(design, "reverse_proxy")]
    return reference_access(design, [flow], rows)


def _direct_mail(flow: Flow) -> Flow:
    """Without EOP, partners' mail servers are the Internet mail hosts themselves: the path
    keeps its hops (the SMTP port row starts there) and the gateway accepts port 25 from
    any address instead of the EOP ranges (see addresses.gateway_addresses)."""
    if flow.id == "partner_smtp":
        return replace(flow, description="Partner mail straight from their mail hosts to the gateway (no EOP)",
                       source="OFFICENET: scenario mail direct; EN: Partner companies")
    return flow
