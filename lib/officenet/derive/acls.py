"""The gateway's ACLs, rendered by aerleon from the allow-list of ``gateway.permits``.

One neutral policy, one aerleon generator per platform (``PLATFORMS`` declares what
officenet asks of each); a term aerleon would skip is an error, never a silent drop.
``render_acls`` is pure (text out); ``edge.exports.write_acls`` writes the files.
"""
from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from ..model.design import Design
from .gateway import Permit, permits


class AclExportError(ValueError):
    """The ACLs cannot be rendered: unknown platform, unsupported feature or aerleon's own error."""


@dataclass(frozen=True)
class Platform:
    """What officenet asks of one aerleon generator."""

    target: str  # aerleon's name
    title: str
    stateful: bool  # keeps connection state: no return-traffic terms needed
    suffix: str
    outside: str  # interface towards the Internet (placeholder name: replace with yours)

    def header(self, filter_name: str, family: str = "mixed") -> str:
        # mixed: one filter for IPv4 and one for IPv6, so that IPv6 never bypasses the allow-list
        if self.target == "nftables":
            return f"{family} forward"
        return f"{filter_name} {family}"


PLATFORMS: Mapping[str, Platform] = {
    "cisco": Platform("cisco", "Cisco IOS extended access lists", False, ".acl", "GigabitEthernet0/0"),
    "juniper": Platform("juniper", "Juniper Junos firewall filters", False, ".jcl", "ge-0/0/0"),
    "nftables": Platform("nftables", "Linux nftables (stateful, forward hook)", True, ".nft", "outside"),
}
NFT_COMMENT_MAX = 128  # nft refuses longer comments


def platform(name: str) -> Platform:
    if name in PLATFORMS:
        return PLATFORMS[name]
    from aerleon.lib import plugin_supervisor  # deferred: aerleon is heavy, loaded only to name an unknown platform
    known = ", ".join(PLATFORMS)
    if any(t == name for t, _, _ in plugin_supervisor.BUILTIN_GENERATORS):
        raise AclExportError(f"aerleon has a '{name}' generator, but officenet has not declared what it "
                             f"supports (state, header); use one of {known}, or add it to acls.PLATFORMS")
    raise AclExportError(f"no ACL platform '{name}': aerleon has no such generator; use one of {known}")


_AERLEON_PROTOCOL = {"TCP": "tcp", "UDP": "udp"}
WINDOWS_DYNAMIC = (49152, 65535)  # WIN-DYNPORT: default since Windows Server 2008
DYNAMIC_SERVICE = "UDP_WINDOWS_DYNAMIC"
_IP_PROTOCOL_NAMES = {50: "esp", 51: "ah", 47: "gre", 58: "icmpv6"}
SPOOFED = "SPOOFED_SOURCES"
# RFC 1918 private, RFC 1122 loopback and 'this network', RFC 4291 IPv6 loopback and unspecified,
# RFC 4193 unique local: never a source on the Internet (RFC 2827 ingress filtering)
BOGON_SOURCES = ("0.0.0.0/8", "10.0.0.0/8", "127.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                 "::/128", "::1/128", "fc00::/7")


def _service(r: Permit) -> tuple[str, list[dict]]:
    text = r.ports_text
    return f"{r.protocol}_{text.replace('-', '_')}", [{"port": text, "protocol": _AERLEON_PROTOCOL[r.protocol]}]


def network_name(endpoint: str) -> str:
    """Name of an endpoint's address object in the ACLs: LYNC_EDGE, MAIL_HOSTS ..."""
    return endpoint.upper()


def _network_object(names: dict, endpoint: str, addrs: tuple[str, ...]) -> str:
    """The name of an address object: the endpoint's name for the first set of addresses it is
    used with, then one named after the addresses (the Edge's interfaces each get their own)."""
    name = network_name(endpoint)
    if names.get(name, addrs) != addrs:
        name = name + "_" + "_".join(re.sub(r"[./:]", "_", a.removesuffix("/32").removesuffix("/128")) for a in addrs)
    names[name] = addrs
    return name


def _comment(r: Permit, limit: int | None) -> str:
    """What a permit is for: its port rows and flows; with a ``limit`` (nft's 128 characters)
    the flows become a count, and the port rows are cut with '...' when still too long."""
    text = f"{r.direction}: port rows {', '.join(r.port_ids)}; flows {', '.join(r.flows)}"
    if limit is None or len(text) <= limit:
        return text
    text = f"{r.direction}: port rows {', '.join(r.port_ids)}; {len(r.flows)} flows"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _term(r: Permit, names: dict, services: dict, reverse: bool = False, plat: Platform | None = None) -> dict:
    """An aerleon term; ``reverse`` gives the return traffic of ``r`` for stateless filters.
    On a stateful platform the term also names the interface the connection enters or leaves by."""
    src, dst = (r.to, r.from_) if reverse else (r.from_, r.to)
    src_addr, dst_addr = (r.to_addresses, r.from_addresses) if reverse else (r.from_addresses, r.to_addresses)
    limit = NFT_COMMENT_MAX if plat is not None and plat.target == "nftables" else None
    term = {"name": ("return-" + r.name) if reverse else r.name,
            "comment": (f"return traffic of {r.name}" if reverse else _comment(r, limit)),
            "action": "accept"}
    if plat is not None and plat.stateful:
        term["source-interface" if r.direction == "inbound" else "destination-interface"] = plat.outside
    for key, endpoint, addrs in (("source-address", src, src_addr), ("destination-address", dst, dst_addr)):
        if addrs is not None:
            term[key] = _network_object(names, endpoint, addrs)
    if r.protocol == "IP":
        term["protocol"] = _IP_PROTOCOL_NAMES.get(r.ports[0], str(r.ports[0]))
    else:
        term["protocol"] = _AERLEON_PROTOCOL[r.protocol]
        service, definition = _service(r)
        services[service] = definition
        term["source-port" if reverse else "destination-port"] = service
        if reverse and r.protocol == "TCP":
            term["option"] = "tcp-established"
        if reverse and r.protocol == "UDP" and r.direction == "outbound":
            # A reply to our own server's UDP query goes to the port it chose: Windows Server takes it
            # from its dynamic range (WIN-DYNPORT). Replies to a well-known port (IKE 500, STUN 3478)
            # are the inbound permits' business, so nothing else from the Internet gets in this way.
            services[DYNAMIC_SERVICE] = [{"port": f"{WINDOWS_DYNAMIC[0]}-{WINDOWS_DYNAMIC[1]}", "protocol": "udp"}]
            term["destination-port"] = DYNAMIC_SERVICE
            term["comment"] += f" (to the Windows dynamic ports {WINDOWS_DYNAMIC[0]}-{WINDOWS_DYNAMIC[1]})"
    return term


# A stateless filter sees no connection: without these, path-MTU discovery breaks (RFC 4890 for ICMPv6,
# RFC 1191 for IPv4) and a large TLS response stalls. Only the error messages it needs pass.
PATH_MTU_TERMS = [
    {"name": "path-mtu-icmp", "comment": "ICMP destination unreachable, fragmentation needed (RFC 1191)",
     "protocol": "icmp", "icmp-type": "unreachable", "icmp-code": 4, "action": "accept"},
    {"name": "path-mtu-icmpv6", "comment": "ICMPv6 packet too big (RFC 4890)",
     "protocol": "icmpv6", "icmp-type": "packet-too-big", "action": "accept"},
    # The filter's final explicit deny would also drop neighbour discovery on the link, which IOS's
    # implicit rules let through only without it (RFC 4890 4.4.1: never drop it on the firewall's links).
    {"name": "neighbour-discovery", "comment": "ICMPv6 neighbour solicitation and advertisement (RFC 4890 4.4.1)",
     "protocol": "icmpv6", "icmp-type": ["neighbor-solicit", "neighbor-advertisement"], "action": "accept"},
]


def acl_policy(design: Design, options=None, platforms: Iterable[str] = ("cisco", "juniper"),
               addresses: Mapping | None = None, name: str = "officenet-gateway") -> tuple[list[dict], dict]:
    """aerleon's own input: the policies (one per platform) and the naming definitions.

    Stateless platforms get two filters for the outside interface, ``NAME-in`` and
    ``NAME-out``, each with the return traffic of the other direction's permits
    (TCP: ``tcp-established``; UDP answering a client outside: the service's source
    port to any port, since IKE, NAT-T and STUN clients may use well-known ports;
    UDP answering our server: from the service's port to Windows' dynamic ports);
    stateful platforms get one forward filter. Every filter ends with a deny term.
    """
    rows = permits(design, options, addresses)
    chosen = [platform(p) for p in platforms]
    if not chosen:
        raise AclExportError("no platform asked for; use one or more of " + ", ".join(PLATFORMS))
    networks: dict[str, tuple[str, ...]] = {}
    services: dict[str, list[dict]] = {}
    inbound = [r for r in rows if r.direction == "inbound"]
    outbound = [r for r in rows if r.direction == "outbound"]
    family = "mixed"  # every filter covers IPv4 and IPv6: an IPv6 packet meets the same allow-list
    deny = {"name": "deny-everything-else", "comment": "the gateway ACLs are an allow-list (denials logged)",
            "action": "deny", "logging": "true"}
    # RFC 2827 ingress filtering: from the Internet, no packet may claim a private, loopback or
    # unspecified source, nor one of the addresses the gateway protects.
    ours = sorted({a for r in rows for a in ((r.to_addresses if r.direction == "inbound" else r.from_addresses) or ())})
    networks[SPOOFED] = tuple(BOGON_SOURCES) + tuple(str(n) for v in (4, 6) for n in ipaddress.collapse_addresses(
        ipaddress.ip_network(a) for a in ours if ipaddress.ip_network(a).version == v))
    spoofed = {"name": "deny-spoofed-sources", "action": "deny", "logging": "true", "source-address": SPOOFED,
               "comment": "RFC 2827 ingress filtering: private, loopback and our own addresses from outside (logged)"}

    def returns(these):
        return [_term(r, networks, services, reverse=True) for r in these if r.protocol != "IP"]

    policies = []
    for plat in chosen:
        if plat.stateful:
            # ICMP errors about a permitted connection (fragmentation needed, packet too big) are
            # conntrack's 'related' state, which aerleon's nftables base chain accepts.
            filters = [{"header": {"targets": {plat.target: plat.header(name, family)},
                                   "comment": f"{name}: permits in both directions through the gateway router"},
                        "terms": [{**spoofed, "source-interface": plat.outside}]
                        + [_term(r, networks, services, plat=plat) for r in inbound + outbound] + [deny]}]
        else:
            filters = [
                {"header": {"targets": {plat.target: plat.header(f"{name}-in", family)},
                            "comment": f"{name}-in: traffic entering from the Internet (outside interface, in)"},
                 "terms": [spoofed] + [_term(r, networks, services) for r in inbound] + returns(outbound)
                 + PATH_MTU_TERMS + [deny]},
                {"header": {"targets": {plat.target: plat.header(f"{name}-out", family)},
                            "comment": f"{name}-out: traffic leaving to the Internet (outside interface, out)"},
                 "terms": [_term(r, networks, services) for r in outbound] + returns(inbound) + PATH_MTU_TERMS
                 + [deny]},
            ]
        policies.append({"filename": f"{name}-{plat.target}", "filters": filters})
    definitions = {
        "networks": {k: {"values": [{"address": a, "comment": k.lower().replace("_", " ")} for a in v]}
                     for k, v in sorted(networks.items())},
        "services": dict(sorted(services.items())),
    }
    return policies, definitions


def render_acls(design: Design, options=None, platforms: Iterable[str] = ("cisco", "juniper"),
                addresses: Mapping | None = None, name: str = "officenet-gateway") -> dict[str, str]:
    """{platform: ACL text} rendered by aerleon from the allow-list. Pure: no files written."""
    platforms = tuple(platforms)
    policies, definitions = acl_policy(design, options, platforms, addresses, name)
    out = generate(policies, definitions)
    texts = {}
    for plat_name, pol in zip(platforms, policies):
        key = pol["filename"] + PLATFORMS[plat_name].suffix
        if key not in out:
            raise AclExportError(f"aerleon rendered nothing for platform '{plat_name}' (it may have skipped "
                                 f"every term as unsupported); files rendered: {', '.join(sorted(out)) or 'none'}")
        texts[plat_name] = _bind(PLATFORMS[plat_name], name, out[key])
    return texts


def _bind(plat: Platform, name: str, text: str) -> str:
    """The ACL text with the lines that bind it to the outside interface (aerleon writes the
    filters only). nftables names the interface in each rule (iifname/oifname) instead; there
    the one fix is dropping the copy of each IPv4 rule that aerleon's mixed family repeats."""
    if plat.target == "nftables":
        lines: list[str] = []
        for line in text.splitlines():
            # aerleon writes an IPv6 address with 'ip protocol' beside 'meta l4proto': the former
            # never matches IPv6 (it implies IPv4), so only the latter stays
            if " ip6 " in line and " ip protocol " in line:
                continue
            if not (lines and line == lines[-1] and line.strip().endswith("accept")):
                lines.append(line)
        return "\n".join(lines) + "\n"
    # aerleon's names for a mixed filter: Cisco prefixes the IPv6 list, Junos suffixes 4 and 6.
    v4, v6 = ((f"{name}-{{d}}", f"ipv6-{name}-{{d}}") if plat.target == "cisco"
              else (f"{name}-{{d}}4", f"{name}-{{d}}6"))
    for filt in (v4, v6):
        for d in ("in", "out"):
            if filt.format(d=d) not in text:
                raise AclExportError(f"aerleon's {plat.target} output has no filter {filt.format(d=d)} to bind "
                                     f"to {plat.outside}")
    if plat.target == "cisco":
        # aerleon writes ICMPv6 as protocol 58 followed by a type; IOS takes a type only after the
        # 'icmp' keyword, which in an IPv6 list means ICMPv6.
        text = re.sub(r"^( (?:permit|deny)) 58 (any|host \S+|\S+/\d+) (any|host \S+|\S+/\d+) (\d+)",
                      r"\1 icmp \2 \3 \4", text, flags=re.M)
        binding = ["interface " + plat.outside,
                   " description outside: towards the Internet (replace with your interface)",
                   f" ip access-group {v4.format(d='in')} in", f" ip access-group {v4.format(d='out')} out",
                   f" ipv6 traffic-filter {v6.format(d='in')} in", f" ipv6 traffic-filter {v6.format(d='out')} out",
                   "exit"]
    else:
        binding = ["interfaces {", f"    {plat.outside} {{",
                   "        description \"outside: towards the Internet (replace with your interface)\";",
                   "        unit 0 {"]
        for fam, filt in (("inet", v4), ("inet6", v6)):
            binding += [f"            family {fam} {{", "                filter {",
                        f"                    input {filt.format(d='in')};",
                        f"                    output {filt.format(d='out')};",
                        "                }", "            }"]
        binding += ["        }", "    }", "}"]
    return text.rstrip("\n") + "\n\n" + "\n".join(binding) + "\n"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def generate(policies: list[dict], definitions: dict) -> dict[str, str]:
    """Call aerleon's Generate API; its errors and its 'will not be rendered' warnings become AclExportError.

    aerleon skips a term it cannot render on a platform with a mere warning; an
    allow-list that silently loses a permit is wrong, so that is an error here.
    """
    # Deferred: aerleon is heavy and only rendering needs it.
    from aerleon import api
    from aerleon.aclgen import ACLGeneratorError, ACLParserError
    from aerleon.lib import naming

    defs = naming.Naming()
    handler = _Collect()
    absl_logger = logging.getLogger("absl")
    absl_logger.addHandler(handler)
    try:
        defs.ParseDefinitionsObject(definitions, "officenet")
        out = api.Generate(policies, defs)
    except (ACLGeneratorError, ACLParserError, naming.Error) as exc:
        raise AclExportError(f"aerleon could not render the ACLs: {exc}") from exc
    finally:
        absl_logger.removeHandler(handler)
    # An address object aerleon cannot read would leave a term matching any address: an error too.
    dropped = [m for m in handler.messages if "will not be rendered" in m or "skipping" in m
               or "Unrecognized value format" in m]
    if dropped:
        raise AclExportError("aerleon dropped terms it does not support: " + "; ".join(dropped))
    return dict(sorted(out.items()))
