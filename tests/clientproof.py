"""What a client and a server need of the exports, written down independently of them: the oracle of
tests/edge/test_client_proofs.py, and the helpers that turn it into probes.

The oracle is a few small tables kept here, not read from the exports: which port rows start with a
TLS handshake (or STARTTLS), which certificate of the plan each server presents on a port, and which
servers must reach the Internet on which ports (a need is waived only by a named left_out decision of
data/export_decisions.csv). The names a client resolves come from the design (the flows' port rows,
the address plan and the DNS records), so a name the exports forget is still asked for."""
from __future__ import annotations

import ipaddress
import re

from officenet.derive.routes import ports_for

FIGURES: dict[str, dict[str, int]] = {}  # scenario -> counts, printed by conftest's terminal summary

# --- which connections start with TLS ---------------------------------------------------------
# TCP port rows whose client sends a TLS ClientHello (with SNI) as its first bytes, and the scenario
# answer that turns the row on (None: the flow alone decides). Sources: L-EDGEPORT (SIP/TLS, SIP/MTLS,
# PSOM/TLS), L-RPPORT and L-HLB (HTTPS web services), X-PORTS (HTTPS, POP3S, IMAP4S), DA-BASIC (IP-HTTPS
# and the network location server), AOVPN (SSTP is HTTPS).
TLS_ROWS = {
    "edge_access_443": None, "edge_access_5061": None, "edge_webconf_443": None, "edge_int_sip_5061": None,
    "edge_int_psom_8057": None, "edge_int_avauth_5062": None, "edge_int_cms_4443": None,
    "rp_lync_443": None, "rp_owas_443": None, "rp_to_web_4443": None, "hlb_ext_web_4443": None,
    "int_lync_web_443": None, "hlb_int_web_443": None, "int_lync_sip_5061": None,
    "rp_to_owas_443": None, "pool_to_owas_443": None, "sp_to_owas_443": None, "int_owas_443": None,
    "ex_to_owas_443": None,  # X-OOS: the Mailbox servers fetch https://<farm>/hosting/discovery
    # OWAS, OOS-PLAN (topology planning): the farm calls back to its hosts (WOPI) at their web names, over
    # HTTPS in production (Lync and Skype for Business accept nothing else)
    "owas_to_sp_vip_443": None, "owas_sp_vip_fe_443": None, "owas_to_lync_vip_443": None,
    "owas_lync_vip_fe_443": None, "owas_to_ex_vip_443": None, "owas_ex_vip_mbx_443": None,
    "sp_ext_443": None, "sp_int_443": None, "sp_vip_fe_443": None,
    "ex_ext_443": None, "ex_int_443": None, "ex_vip_cas_443": None, "ex_cas_mbx_444": None,
    "ex_pop3s_995": "pop_imap", "ex_imap4s_993": "pop_imap", "ex_vip_cas_995": "pop_imap",
    "ex_vip_cas_993": "pop_imap",
    # SMTP starts in clear text and turns to TLS with STARTTLS (RFC 3207); a sending server asks the MX
    # host's name, so only the MX targets of the view are asked on it (X-CERT: the certificate names them)
    "ex_smtp_in_25": None,
    "da_iphttps_443": "directaccess", "vpn_sstp_443": "sstp",
}
# TLS rows a proxy opens by address, never by a name a client uses: the reverse proxy and the HLB reach
# the Front End's external web site (4443) for the external web services FQDN (L-CERTINT: its certificate
# carries that name and the simple URLs, not the pool's), so the pool's own names are not asked there.
NOT_BY_NAME = {"rp_to_web_4443", "hlb_ext_web_4443"}
# TCP rows to a named address that do not start with TLS: TURN over TCP (the A/V Edge's 443), STARTTLS
# protocols (SMTP, submission, POP3, IMAP4, XMPP), plain HTTP, PPTP. Every TCP row of a flow that
# reaches a named address is in one of the two lists (test_the_tls_oracle_covers_every_row).
PLAIN_ROWS = {
    "edge_av_tcp_443", "edge_int_tcp_443", "edge_xmpp_5269", "edge_int_xmpp_23456", "rp_lync_80", "rp_to_web_8080",
    "hlb_ext_web_8080", "int_lync_web_80", "hlb_int_web_80", "sp_int_80", "sp_vip_fe_80", "ex_ext_80",
    "ex_pop3_110", "ex_imap4_143", "ex_submission_587", "ex_vip_cas_25", "ex_vip_cas_80",
    "ex_vip_cas_110", "ex_vip_cas_143", "ex_vip_cas_587", "vpn_pptp_1723", "edge_int_cls_50001",
}
STARTTLS_PORTS = {25}
# A name with no port row: DirectAccess clients on the intranet fetch https://<NLS> to know they are
# inside (DA-BASIC, "network location server"), so its certificate must carry that name.
EXTRA_ENDPOINTS = (("internal", "nls", 443, "directaccess"),)

# --- which certificate each server presents ----------------------------------------------------
# (address id or component, port or None for every port) -> the certificates of the plan bound there.
# One certificate per interface, as the products bind them; SharePoint binds one per web application
# (by host name). Sources: L-CERTEDGE, L-CERTINT (Default on SIP 5061, Web internal on the internal
# site 443, Web external on the external site 4443), X-CERT, OWAS, DA-BASIC, AOVPN.
PRESENTS = {
    ("edge_access", None): ("edge_external",), ("edge_webconf", None): ("edge_external",),
    ("edge_av", None): ("edge_external",), ("edge_internal", None): ("edge_internal",),
    ("lync_pool", 5061): ("lync_default",), ("lync_pool", 443): ("lync_web_internal",),
    ("lync_pool", 4443): ("lync_web_external",),
    # Exchange 2013's Client Access servers; from Exchange 2016 on (the current release) the Mailbox servers
    **{(pool, port): ("exchange",) for pool in ("exchange_cas", "exchange_mailbox") for port in (443, 993, 995, 25)},
    ("owas_fe", 443): ("owas",),
    ("sharepoint_fe", 443): ("sharepoint_intranet", "sharepoint_extranet"),
    ("directaccess_server", None): ("directaccess_iphttps",), ("vpn_gateway", None): ("vpn",),
    ("nls", None): ("network_location",),
}

# --- which servers must reach the Internet -------------------------------------------------------
# server -> (its address ids in the plan, [(protocol, port, destination, condition)]); destination
# "any" is any Internet host, "mail" the mail hosts (EOP's ranges, or any host with direct mail).
# Sources: issue 20 item 3 and its missing list (DNS from the intranet resolvers; CRL/OCSP on TCP 80 for
# Exchange, the reverse proxy and DirectAccess; Exchange's federation on 443, X-PORTS), L-EDGEPORT (the
# Edge's outbound rows: DNS, CRL, A/V, federation), SFB-EDGE (today's A/V Edge relays media out on TCP and
# UDP 50000-59999, with no condition), EOP-CONN (mail to EOP on 25), SP-OIDC (today's SharePoint reads its
# OpenID Connect provider's metadata endpoint, Microsoft Entra ID's, on 443; the address exists in that release only).
EGRESS = {
    # the resolver's own address, or the address the internal firewall translates it to (resolver_nat)
    "intranet DNS resolver": (("dns_internal", "resolver_nat"), [("udp", 53, "any", None), ("tcp", 53, "any", None)]),
    "Lync Edge": (("edge_access", "edge_webconf", "edge_av"),
                  [("udp", 53, "any", None), ("tcp", 53, "any", None), ("tcp", 80, "any", None),
                   ("tcp", 443, "any", None), ("udp", 3478, "any", None), ("tcp", 5061, "any", "federation"),
                   ("tcp", 50000, "any", "av_range"), ("tcp", 59999, "any", "av_range"),
                   ("udp", 50000, "any", "av_relay"), ("udp", 59999, "any", "av_relay"),
                   ("tcp", 5269, "any", "xmpp")]),
    "Exchange": (("smtp_outbound",), [("tcp", 25, "mail", None), ("tcp", 80, "any", None),
                                      ("tcp", 443, "any", "federation")]),
    "SharePoint": (("sharepoint_outbound",), [("tcp", 443, "any", None)]),
    "reverse proxy": (("rp_listener", "exchange_public", "sharepoint_public"), [("tcp", 80, "any", "rp_crl_egress")]),
    "DirectAccess server": (("da_public", "da_teredo"), [("tcp", 80, "any", "da_crl_egress")]),
}
# A need the design may leave out, only by the decision named here (data/export_decisions.csv, kind
# left_out, with its reason): then the need is off and the server must be dropped on that port instead.
# The reverse proxy: HAProxy reads revocation from a CRL file, it fetches none. The DirectAccess server:
# the clients reach the CRL distribution points, the server validates intranet-issued certificates.
WAIVERS = {"rp_crl_egress": None, "da_crl_egress": "directaccess"}
# What every other address (and a server on a port it does not need) must not get out on.
EGRESS_DENIED = [("udp", 53), ("tcp", 53), ("tcp", 80), ("tcp", 443), ("tcp", 25)]


def answer(org, condition) -> bool:
    """A condition of the tables above, asked of the scenario."""
    s = org.scenario
    today = str(s.release) == "current"  # Skype for Business Server's Edge relays media out on both ranges
    if condition is None:
        return True
    if condition in WAIVERS:
        left_out = any(d.id == condition and d.kind == "left_out" for d in org.design.export_decisions)
        return not left_out and answer(org, WAIVERS[condition])
    return {"pop_imap": s.pop_imap, "sstp": "sstp" in s.vpn_protocols, "xmpp": s.xmpp and s.federation,
            "directaccess": any("directaccess" in v for v in s.remote_access.values()),
            "federation": s.federation, "av_range": s.lync_av_range or s.federation or today,
            "av_relay": today}[condition]


def presents(plan, keys, port) -> list[str]:
    """The certificates (of those the plan has) bound at ``port`` of a server known by ``keys``."""
    for key in keys:
        for wanted in ((key, port), (key, None)):
            if wanted in PRESENTS:
                return [c for c in PRESENTS[wanted] if c in plan.index]
    return []


def tls_endpoints(org, addresses):
    """(view, name, planned addresses, port, why) for every name of either view that a flow connects to
    with TLS.
    ``addresses``: the address plan (officenet.addresses.address_plan)."""
    design, records = org.design, org.records()
    ports_of = {a.id: a.ports for a in design.addresses}
    a_records = records[records.type == "A"]
    rows = [p for p in ports_for(design, design.flows)
            if p.id in TLS_ROWS and p.id not in NOT_BY_NAME and answer(org, TLS_ROWS[p.id])]
    wanted = set()
    for p in rows:
        view = "external" if design.is_outside(p.from_) else "internal"
        for _, a in addresses[(addresses.component == p.to) & (addresses.view == view)].iterrows():
            if ports_of.get(a["id"]) and p.id not in ports_of[a["id"]]:
                continue  # an address that serves other rows of the component (the Edge's three)
            wanted.add((view, a["address"], p.port[0], p.id))
    for view, address_id, port, condition in EXTRA_ENDPOINTS:
        if answer(org, condition):
            wanted |= {(view, a, port, address_id) for a in addresses[addresses.id == address_id]["address"]}
    srv = records[records.type == "SRV"]
    mx_targets = set(records[records.type == "MX"]["value"])
    tls_ports = {port for _, _, port, _ in wanted}
    why: dict[tuple, list[str]] = {}
    planned: dict[tuple, set[str]] = {}
    for view, address, port, row in sorted(wanted):
        for name in sorted(set(a_records[(a_records.view == view) & (a_records.value == address)]["name"])):
            # a name published only as the target of a service on another port (XMPP's _xmpp-server
            # on 5269, which starts in clear text) is not one a client asks for on a TLS port
            services = {int(p) for p in srv[(srv.view == view) & (srv.value == name)]["port"]}
            if services and not services & tls_ports or port in STARTTLS_PORTS and name not in mx_targets:
                continue
            why.setdefault((view, name, port), []).append(row)
            planned.setdefault((view, name, port), set()).add(address)
    return [(view, name, tuple(sorted(planned[(view, name, port)])), port, " ".join(dict.fromkeys(rows)))
            for (view, name, port), rows in sorted(why.items())]


def flow_names(org, addresses) -> list[tuple[str, str, tuple[str, ...]]]:
    """(view, name, planned addresses) for every A name of a view that points at an end of a flow's port
    row opened from that view's side (any protocol): the names a client or server resolves."""
    design, records = org.design, org.records()
    a_records = records[records.type == "A"]
    ends = {("external" if design.is_outside(p.from_) else "internal", p.to) for p in ports_for(design, design.flows)}
    extra = {(view, address_id) for view, address_id, _, condition in EXTRA_ENDPOINTS if answer(org, condition)}
    out = []
    for view in ("internal", "external"):
        mine = addresses[(addresses.view == view) & (addresses.component.isin({c for v, c in ends if v == view})
                                                     | addresses.id.isin({i for v, i in extra if v == view}))]
        found = a_records[(a_records.view == view) & a_records.value.isin(set(mine["address"]))]
        out += [(view, name, tuple(sorted(group["value"]))) for name, group in found.groupby("name")]
    return out


def untyped_rows(org, addresses) -> list[str]:
    """TCP rows of the flows, reaching an address with a name, that neither TLS list classifies."""
    design, records = org.design, org.records()
    named = set(records[records.type == "A"]["value"])
    components = set(addresses[addresses.address.isin(named)]["component"])
    return sorted(p.id for p in ports_for(design, design.flows) if p.protocol == "TCP" and p.to in components
                  and p.id not in TLS_ROWS and p.id not in PLAIN_ROWS)


def name_servers(org) -> dict[str, list[str]]:
    """view -> the addresses of the domain's name servers as that view's zone publishes them (NS, then A)."""
    records, domain, out = org.records(), org.scenario.domain, {}
    for view in ("internal", "external"):
        mine = records[records.view == view]
        names = sorted(mine[(mine.type == "NS") & (mine.name == domain)]["value"])
        out[view] = [a for ns in names for a in sorted(mine[(mine.type == "A") & (mine.name == ns)]["value"])]
    return out


def named_conf(zones, directory, listen, internal_network) -> str:
    """One named with the exported zones in two views: the intranet's by source address, else the Internet's."""
    views = []
    for view, clients in (("internal", internal_network), ("external", "any")):
        body = "".join(f'    zone "{origin}" {{ type primary; file "{path}"; }};\n'
                       for v, origin, path in zones if v == view)
        views.append(f'view "{view}" {{\n    match-clients {{ {clients}; }};\n    recursion no;\n{body}}};\n')
    return (f'options {{\n    directory "{directory}";\n    pid-file "{directory}/named.pid";\n'
            f'    listen-on {{ {"; ".join(listen)}; }};\n    listen-on-v6 {{ none; }};\n'
            '    dnssec-validation no;\n};\n' + "".join(views))


def client_subnet(org, taken) -> ipaddress.IPv4Network:
    """The internal network's last /24, for the intranet client: no planned address is in it."""
    net = ipaddress.ip_network(org.scenario.internal_network)
    last = list(net.subnets(new_prefix=24))[-1] if net.prefixlen <= 24 else net
    assert not any(ipaddress.ip_address(a) in last for a in taken), (last, sorted(taken))
    return last


def backend_pool(name: str) -> str:
    """The pool component of an exported backend (be_<vip>_<port>_<pool>, or be_<vip>_<port>_<pool>.<path>: the
    pool's backend for one probed path)."""
    return re.match(r"^be_.+_\d+_([^.]+)", name).group(1)


def summary_lines() -> list[str]:
    """One line per scenario: names verified, handshakes, egress probes and drops (conftest prints them)."""
    out = []
    for scenario, f in sorted(FIGURES.items()):
        parts = []
        for view in ("internal", "external"):
            if f"{view} names" in f:
                parts.append(f"{view} view ({f[f'{view} name servers']} name servers): "
                             f"{f[f'{view} names resolved']} of {f[f'{view} flow names']} names of flows resolved, "
                             f"{f[f'{view} names verified']} of {f[f'{view} names']} TLS names verified, "
                             f"{f[f'{view} handshakes']} handshakes validated, {f[f'{view} failures']} failures")
        if "egress needs" in f:
            parts.append(f"egress ({f['egress probes']} probes): {f['egress passed']} of {f['egress needs']} needed "
                         f"(server, port) pairs got out, "
                         f"{f['egress drops']} of {f['egress denied probes']} other probes dropped")
        out.append(f"{scenario}: " + "; ".join(parts))
    return out
