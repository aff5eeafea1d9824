"""Your organisation as a scenario: the few answers that turn the reference design into yours.

A scenario is a small YAML file (see ``scenarios/``) and an immutable ``Scenario``.
``load_scenario`` checks every field and raises one ``ScenarioError`` naming each bad
field; ``save_scenario`` writes atomically, so a failed save leaves the old file intact.
"""
from __future__ import annotations

import ipaddress
import os
import re
import tempfile
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import yaml

from .errors import Problem

PRODUCTS = ("lync", "sharepoint", "exchange", "owas")
# How roaming employees reach each product; the first option is the reference design's.
REMOTE_ACCESS = {
    "lync": ("edge", "vpn", "directaccess"),
    "sharepoint": ("vpn_or_directaccess", "directaccess", "vpn", "reverse_proxy"),
    "exchange": ("reverse_proxy", "vpn", "directaccess"),
    "owas": ("reverse_proxy", "vpn", "directaccess"),
}
# Load balancing per traffic; the first option is the reference design's.
LOAD_BALANCING = {
    "lync_sip": ("dns", "hardware"),
    "lync_web": ("hardware", "dns"),
    # layer4: one namespace behind one layer 4 VIP (the poster's); layer4_per_protocol: a namespace
    # and VIP per protocol, so a layer 4 probe sees each protocol's health (X-LB).
    "exchange": ("layer4", "layer7", "layer4_per_protocol"),
    "sharepoint": ("layer4", "layer7"),
    "owas": ("layer7", "layer4"),
}
REVERSE_PROXIES = ("generic", "iis_arr", "tmg", "uag")
OWAS_HOSTS = ("lync", "sharepoint", "exchange")
MAIL_ROUTES = ("eop", "direct")
# Remote-access VPN protocols (data/vpn_protocols.csv); IKEv2 is the reference design's.
VPN_PROTOCOLS = ("ikev2", "sstp", "l2tp_ipsec", "pptp")
LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class ScenarioError(ValueError):
    """A scenario file or object is not valid; ``problems`` names every bad field."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        n = len(self.problems)
        super().__init__("\n".join([f"{n} problem{'s' if n != 1 else ''} in the scenario:",
                                    *(f"  - {p}" for p in self.problems)]))


def _frozen(mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Scenario:
    """The answers an architect gives about their organisation (defaults: the poster's Contoso)."""

    name: str = "Contoso (reference design)"
    domain: str = "contoso.com"
    internal_namespace: str = "corp.contoso.com"
    products: tuple[str, ...] = PRODUCTS
    remote_access: Mapping[str, str] = field(
        default_factory=lambda: _frozen({p: opts[0] for p, opts in REMOTE_ACCESS.items()}))
    load_balancing: Mapping[str, str] = field(
        default_factory=lambda: _frozen({k: opts[0] for k, opts in LOAD_BALANCING.items()}))
    reverse_proxy: str = "generic"
    mail: str = "eop"
    pop_imap: bool = False
    lync_av_range: bool = False
    federation: bool = True
    public_im: bool = False
    owas_hosts: tuple[str, ...] = ("lync", "sharepoint")
    # XMPP federation through the Edge's XMPP proxy: ports 5269 and 23456, its DNS and certificate names.
    xmpp: bool = False
    # DirectAccess transitions besides IP-HTTPS (DA-ADV): Teredo, 6to4, and ESP/IKE on the IPv6 Internet.
    teredo: bool = False
    six_to_four: bool = False
    directaccess_ipv6: bool = False
    vpn_protocols: tuple[str, ...] = ("ikev2",)
    # Rules the gateway already has (to audit): {protocol, port, to, from (default any)}.
    gateway_rules: tuple[Mapping[str, str], ...] = ()
    public_network: str = "203.0.113.0/24"
    internal_network: str = "10.10.0.0/16"

    def __post_init__(self):
        if isinstance(self.gateway_rules, (tuple, list)):
            object.__setattr__(self, "gateway_rules", tuple(
                _frozen(r) if isinstance(r, Mapping) else r for r in self.gateway_rules))
        problems = validate(self)
        if problems:
            raise ScenarioError(problems)

    @property
    def deployed(self) -> frozenset[str]:
        """Products whose rows the organisation keeps: its products, and EOP when mail goes through it."""
        return frozenset(self.products) | ({"eop"} if self.mail == "eop" else frozenset())

    def with_(self, **changes) -> "Scenario":
        """A copy with some answers changed (checked like a loaded file)."""
        for key in ("remote_access", "load_balancing"):
            if key in changes:
                changes[key] = _frozen({**getattr(self, key), **changes[key]})
        return replace(self, **changes)

    def to_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["products"] = list(self.products)
        out["owas_hosts"] = list(self.owas_hosts)
        out["vpn_protocols"] = list(self.vpn_protocols)
        out["gateway_rules"] = [dict(r) for r in self.gateway_rules]
        out["remote_access"] = dict(self.remote_access)
        out["load_balancing"] = dict(self.load_balancing)
        return out


def valid_domain(name: str) -> bool:
    labels = name.lower().rstrip(".").split(".")
    return len(name) <= 253 and len(labels) >= 2 and all(LABEL_RE.match(l) for l in labels) \
        and not labels[-1].isdigit()


def validate(s: Scenario, file: str = "scenario") -> list[Problem]:
    """Every problem of a scenario, each naming its field."""
    problems = []

    def bad(field_name, expected, found, fix):
        problems.append(Problem(file, None, field_name, expected, found=str(found), fix=fix, what="field"))

    if not isinstance(s.name, str) or not s.name.strip():
        bad("name", "a non-empty name", s.name, "give the scenario a name, such as 'Fabrikam'")
    elif len(s.name) > 100 or re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", s.name):
        # The name is written into the export's files: one line, of a sensible length.
        bad("name", "a name on one line of at most 100 characters, without control characters", s.name,
            "shorten the name and remove tabs and line breaks")
    for key in ("domain", "internal_namespace"):
        value = getattr(s, key)
        if not isinstance(value, str) or not valid_domain(value):
            bad(key, "a DNS domain such as contoso.com (letters, digits and hyphens, dot-separated)", value,
                "write the domain without https:// or spaces")
    if isinstance(s.domain, str) and isinstance(s.internal_namespace, str) and valid_domain(s.domain) \
            and s.internal_namespace.lower() == s.domain.lower():
        bad("internal_namespace", "a namespace other than the public domain (for example corp." + s.domain + ")",
            s.internal_namespace, "DirectAccess needs a separate intranet namespace; use corp." + s.domain)
    products = s.products if isinstance(s.products, (tuple, list)) else ()
    if not isinstance(s.products, (tuple, list)) or not products:
        bad("products", "a list of products", s.products, f"list some of {', '.join(PRODUCTS)}")
    for p in products:
        if p not in PRODUCTS:
            bad("products", f"products among {', '.join(PRODUCTS)}", p, "remove it or correct the spelling")
    hosts = s.owas_hosts if isinstance(s.owas_hosts, (tuple, list)) else None
    if hosts is None:
        bad("owas_hosts", "a list of products", s.owas_hosts, f"list some of {', '.join(OWAS_HOSTS)}")
    for h in hosts or ():
        if h not in OWAS_HOSTS:
            bad("owas_hosts", f"hosts among {', '.join(OWAS_HOSTS)}", h, "remove it or correct the spelling")
    vpn = s.vpn_protocols if isinstance(s.vpn_protocols, (tuple, list)) else None
    if vpn is None:
        bad("vpn_protocols", "a list of VPN protocols", s.vpn_protocols, f"list some of {', '.join(VPN_PROTOCOLS)}")
    for v in vpn or ():
        if v not in VPN_PROTOCOLS:
            bad("vpn_protocols", f"protocols among {', '.join(VPN_PROTOCOLS)}", v, "remove it or correct the spelling")
    rules = s.gateway_rules if isinstance(s.gateway_rules, (tuple, list)) else None
    if rules is None:
        bad("gateway_rules", "a list of rules", s.gateway_rules, "write each rule as {protocol: TCP, port: 443, to: id}")
    for n, rule in enumerate(rules or ()):
        where = f"gateway_rules[{n}]"
        if not isinstance(rule, Mapping) or not {"protocol", "port", "to"} <= set(rule):
            bad(where, "a rule with protocol, port and to (from is optional)", rule,
                "write it as {protocol: TCP, port: 443, to: exchange_vip}")
            continue
        if rule["protocol"] not in ("TCP", "UDP", "IP"):
            bad(where + ".protocol", "TCP, UDP or IP", rule["protocol"], "use one of the listed protocols")
        hi = 255 if rule["protocol"] == "IP" else 65535
        ports = re.fullmatch(r"([0-9]{1,5})(?:-([0-9]{1,5}))?", str(rule["port"])) \
            if isinstance(rule["port"], (int, str)) and not isinstance(rule["port"], bool) else None
        lo_port, hi_port = (int(ports.group(1)), int(ports.group(2) or ports.group(1))) if ports else (0, -1)
        if not (0 if rule["protocol"] == "IP" else 1) <= lo_port <= hi_port <= hi:
            bad(where + ".port", f"a port from 1 to 65535 (IP protocol number 0-255), or a range low-high such as "
                                 "50000-59999", rule["port"], "write digits, with one '-' for a range")
        # Ids of components or zones of the design (or 'any' for from): looked up, so never a list or a number.
        for key in ("to", "from"):
            if key in rule and not (isinstance(rule[key], str) and re.fullmatch(r"[a-z][a-z0-9_]*", rule[key])):
                bad(f"{where}.{key}", "a component or zone id such as exchange_cas" + (" (or any)" if key == "from"
                                                                                       else ""),
                    rule[key], "write the id as it appears in components.csv or zones.csv")
    for key, choices in (("remote_access", REMOTE_ACCESS), ("load_balancing", LOAD_BALANCING)):
        mapping = getattr(s, key)
        if not isinstance(mapping, Mapping):
            bad(key, "a mapping", mapping, f"write {key}: with one line per item")
            continue
        for item, option in mapping.items():
            if item not in choices:
                bad(f"{key}.{item}", f"one of {', '.join(choices)}", item, "remove it or correct the spelling")
            elif option not in choices[item]:
                bad(f"{key}.{item}", f"one of {', '.join(choices[item])}", option, "choose one of the listed options")
    for key, options in (("reverse_proxy", REVERSE_PROXIES), ("mail", MAIL_ROUTES)):
        if getattr(s, key) not in options:
            bad(key, f"one of {', '.join(options)}", getattr(s, key), "choose one of the listed options")
    for key in ("pop_imap", "lync_av_range", "federation", "public_im", "xmpp", "teredo", "six_to_four",
                "directaccess_ipv6"):
        if not isinstance(getattr(s, key), bool):
            bad(key, "true or false", getattr(s, key), "write true or false")
    for key in ("public_network", "internal_network"):
        try:
            ipaddress.ip_network(str(getattr(s, key)), strict=True)
        except ValueError:
            bad(key, "a network in CIDR notation such as 203.0.113.0/24", getattr(s, key),
                "write the network address and prefix length, with the host bits zero")
    return problems


def scenario_from_dict(data, file: str = "scenario") -> Scenario:
    if not isinstance(data, Mapping):
        raise ScenarioError([Problem(file, None, None, "a YAML mapping of scenario fields", found=type(data).__name__,
                                     fix="start from scenarios/contoso.yaml")])
    known = {f.name for f in fields(Scenario)}
    # Unknown fields and bad values are reported together: one run names every problem.
    problems = [Problem(file, None, str(k), "a known field (" + ", ".join(sorted(known)) + ")", found=str(k),
                        fix="remove it or correct the spelling", what="field") for k in data if k not in known]
    values = {k: v for k, v in data.items() if k in known}
    for key in ("products", "owas_hosts", "gateway_rules", "vpn_protocols"):
        if isinstance(values.get(key), list):
            values[key] = tuple(values[key])
    defaults = Scenario()
    for key in ("remote_access", "load_balancing"):
        if key in values and isinstance(values[key], Mapping):
            values[key] = _frozen({**getattr(defaults, key), **values[key]})
    probe = object.__new__(Scenario)  # check with the file's name before constructing
    for f in fields(Scenario):
        object.__setattr__(probe, f.name, values.get(f.name, getattr(defaults, f.name)))
    problems += validate(probe, file)
    if problems:
        raise ScenarioError(problems)
    return Scenario(**values)


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError([Problem(path.name, None, None, "a readable scenario file", found=exc.strerror or str(exc),
                                     fix="check the path")]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError([Problem(path.name, mark.line + 1 if mark else None, None, "valid YAML",
                                     found=str(getattr(exc, "problem", exc)),
                                     fix="check indentation and colons on that line")]) from None
    return scenario_from_dict(data, path.name)


def scenario_yaml(s: Scenario) -> str:
    return yaml.safe_dump(s.to_dict(), sort_keys=False, allow_unicode=True)


def save_scenario(s: Scenario, path: str | Path) -> Path:
    """Write atomically: a temporary file beside the target, then one rename."""
    return atomic_write(Path(path), scenario_yaml(s))


def atomic_write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
