"""Your organisation as a scenario: the few answers that turn the reference design into yours.

A scenario is a small YAML file (see ``scenarios/``) and an immutable ``Scenario``. On its own a scenario
checks the form of its answers (a domain, networks, true or false); checked against a design
(``for_design``, ``default_for``, or a file read with ``loading.scenario_file.load_scenario(path, design)``) it
also takes the design's reference answers for what it leaves out and checks every answer against the design's
vocabulary (``vocabulary.choices``). It never reads a file itself.
"""
from __future__ import annotations

import datetime
import ipaddress
import re
import warnings
from dataclasses import dataclass, field, fields, replace
from typing import Mapping

import yaml

from .design import Design
from .errors import Problem
from .release_switch import in_release
# The vocabulary is read from a design; its names stay importable from here (scenario.choices(design)).
from .vocabulary import DNS_LABEL_MAX, DNS_NAME_MAX, OPTION_ANSWERS, Choices, _frozen, choices  # noqa: F401

# Words of older scenario files -> the data's ids (they still load, with a FutureWarning).
OLD_REMOTE_ACCESS = {"edge": "lync_edge"}
OLD_LB_KEYS = {"lync_web": ("lync_web_internal", "lync_web_external"), "exchange": ("exchange_cas",),
               "sharepoint": ("sharepoint_web",)}
OLD_LB_VALUES = {"hardware": {"lync_sip": "layer4"}}  # any other workload: layer7 (the HLB of lync_web)
LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
PLACEHOLDER = {"domain": "domain", "internal_namespace": "internal"}  # scenario field -> its {placeholder}


class ScenarioError(ValueError):
    """A scenario file or object is not valid; ``problems`` names every bad field."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        n = len(self.problems)
        super().__init__("\n".join([f"{n} problem{'s' if n != 1 else ''} in the scenario:",
                                    *(f"  - {p}" for p in self.problems)]))




@dataclass(frozen=True)
class Scenario:
    """The answers an architect gives about their organisation (defaults: the poster's Contoso)."""

    name: str = "Contoso (reference design)"
    domain: str = "contoso.com"
    internal_namespace: str = "corp.contoso.com"
    # The release of the products (releases.csv: 2013, current); None: the design's own release.
    release: str | None = None
    # None: every product of the design; missing remote_access and load_balancing items take the
    # design's reference answer.
    products: tuple[str, ...] | None = None
    remote_access: Mapping[str, str] | None = None
    load_balancing: Mapping[str, str] | None = None
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
    # The date the lifecycle check measures support against (YYYY-MM-DD); None: no lifecycle findings.
    # Given, never read from the clock, so that the same answers always give the same findings.
    today: str | None = None
    # The vocabulary of the design the answers were checked against (None: not yet checked against a
    # design, so unanswered items are still None); not an answer, not saved.
    vocabulary: Choices | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if isinstance(self.release, int) and not isinstance(self.release, bool):
            object.__setattr__(self, "release", str(self.release))  # YAML reads release: 2013 as a number
        if isinstance(self.today, datetime.date):
            object.__setattr__(self, "today", self.today.isoformat())  # YAML reads an unquoted date as a date
        if self.vocabulary is not None:
            _fill_defaults(self)
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

    @classmethod
    def default_for(cls, design: Design, **answers) -> "Scenario":
        """A scenario of ``design`` (such as one with an added product): unanswered items take its
        reference answers, and every answer is checked against its choices."""
        return cls(vocabulary=choices(in_release(design, answers.get("release"))), **answers)

    def for_design(self, design: Design) -> "Scenario":
        """The same answers, checked against ``design``'s choices (such as a design with an added product)."""
        return replace(self, vocabulary=choices(in_release(design, self.release)))

    def checked(self, design: Design) -> "Scenario":
        """This scenario if it was checked against a design already, else checked against ``design``."""
        return self if self.vocabulary is not None else self.for_design(design)

    def with_(self, **changes) -> "Scenario":
        """A copy with some answers changed (checked like a loaded file)."""
        for key in ("remote_access", "load_balancing"):
            if key in changes and getattr(self, key) is not None:
                changes[key] = _frozen({**getattr(self, key), **changes[key]})
        return replace(self, **changes)

    def to_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "vocabulary"}
        for key in ("products", "owas_hosts", "vpn_protocols"):
            out[key] = None if out[key] is None else list(out[key])
        out["gateway_rules"] = [dict(r) for r in self.gateway_rules]
        for key in ("remote_access", "load_balancing"):
            out[key] = None if out[key] is None else dict(out[key])
        # Items still unanswered (a scenario not checked against a design) are left out of the file.
        return {k: v for k, v in out.items() if v is not None}


def _fill_defaults(s: Scenario) -> None:
    """Fill unanswered items with the design's reference answers and turn old words into the
    data's ids (with a FutureWarning naming the new word)."""
    c = s.vocabulary
    if s.release is None:
        object.__setattr__(s, "release", c.release or None)
    if s.products is None:
        object.__setattr__(s, "products", c.products)
    for key in ("remote_access", "load_balancing"):
        given = getattr(s, key)
        if given is None or isinstance(given, Mapping):
            object.__setattr__(s, key, _frozen({**{k: o[0] for k, o in getattr(c, key).items()},
                                                **current_words(key, given or {})}))


def current_words(key: str, answers: Mapping, notes: list | None = None) -> dict:
    """``answers`` of remote_access or load_balancing with an older file's words replaced by the
    data's ids. Each replacement warns, naming the new word; given ``notes``, it is listed there instead
    ("'edge' is an old word; write 'lync_edge'"), for a reader who needs no warning."""
    def renamed(where: str, old: str, new: str) -> str:
        if notes is None:
            warnings.warn(f"scenario {where}: '{old}' is an old word; write '{new}' (the id the design's data uses)",
                          FutureWarning, stacklevel=5)
        else:
            notes.append(f"'{old}' is an old word; write '{new}'")
        return new

    out = {}
    for item, option in answers.items():
        keys = OLD_LB_KEYS.get(item, (item,)) if key == "load_balancing" and isinstance(item, str) else (item,)
        if len(keys) > 1 or keys[0] != item:
            renamed(key, item, " and ".join(keys))
        for k in keys:
            value = option
            if key == "remote_access" and isinstance(option, str) and option in OLD_REMOTE_ACCESS:
                value = renamed(f"{key}.{item}", option, OLD_REMOTE_ACCESS[option])
            elif key == "load_balancing" and isinstance(option, str) and option in OLD_LB_VALUES:
                value = renamed(f"{key}.{k}", option, OLD_LB_VALUES[option].get(k, "layer7"))
            out[k] = value
    return out


def valid_domain(name: str) -> bool:
    labels = name.lower().rstrip(".").split(".")
    return len(name) <= 253 and len(labels) >= 2 and all(LABEL_RE.match(l) for l in labels) \
        and not labels[-1].isdigit()


def validate(s: Scenario, file: str = "scenario") -> list[Problem]:
    """Every problem of a scenario, each naming its field."""
    problems = []
    c = s.vocabulary  # None: the form of each answer only, not yet the design's words

    def bad(field_name, expected, found, fix):
        problems.append(Problem(file, None, field_name, expected, found=str(found), fix=fix, what="field"))

    if s.release is not None and not isinstance(s.release, str):
        bad("release", "a release such as 2013 or current", s.release, "write the release's id from releases.csv")
    elif c is not None and c.releases and s.release is not None and s.release not in c.releases:
        bad("release", "one of " + ", ".join(c.releases), s.release,
            "name a release of releases.csv (2013 for the poster's products, current for today's)")
    if s.today is not None and not _iso_date(s.today):
        bad("today", "a date written YYYY-MM-DD", s.today, "write the date the lifecycle check measures against, "
                                                           "such as 2026-12-06, or leave it out")
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
        elif c is not None and PLACEHOLDER[key] in c.longest_names:
            # The design's longest name on this domain must fit too, or its zone could not be written.
            pattern = c.longest_names[PLACEHOLDER[key]]
            room = DNS_NAME_MAX - (len(pattern) - len("{" + PLACEHOLDER[key] + "}"))
            if len(value.rstrip(".")) > room:
                bad(key, f"a domain of at most {room} characters, so that the design's longest name, "
                         f"{pattern}, fits in a DNS name ({DNS_NAME_MAX} characters)", value, "use a shorter domain")
    if isinstance(s.domain, str) and valid_domain(s.domain) and c is not None and c.mx_token and s.mail == "eop" \
            and len(s.domain.rstrip(".")) > DNS_LABEL_MAX:
        bad("domain", f"a domain of at most {DNS_LABEL_MAX} characters while mail goes through EOP: the example MX "
                      "host of EOP starts with the domain as one label (dots as hyphens; the admin center gives "
                      f"the real one), and a label holds {DNS_LABEL_MAX}", s.domain, "use a shorter domain, or answer mail: direct")
    if isinstance(s.domain, str) and isinstance(s.internal_namespace, str) and valid_domain(s.domain) \
            and s.internal_namespace.lower() == s.domain.lower():
        bad("internal_namespace", "a namespace other than the public domain (for example corp." + s.domain + ")",
            s.internal_namespace, "DirectAccess needs a separate intranet namespace; use corp." + s.domain)
    def listed(key: str, allowed, a_list: str, among: str, needed: bool = False) -> None:
        """A list field whose every item is one of ``allowed`` (and, when ``needed``, not empty)."""
        value = getattr(s, key)
        if value is None and c is None:
            return  # unanswered: the design's reference answer, once checked against one
        items = value if isinstance(value, (tuple, list)) else None
        if items is None or (needed and not items):
            bad(key, a_list, value, f"list some of {', '.join(allowed or ('the design',))}")
        for item in items or ():
            if not isinstance(item, str):
                bad(key, f"{among} written as words", item, "write each item as a word, such as lync")
            elif allowed is not None and item not in allowed:
                bad(key, f"{among} among {', '.join(allowed)}", item, "remove it or correct the spelling")

    listed("products", c and c.products, "a list of products", "products", needed=True)
    listed("owas_hosts", c and c.owas_hosts, "a list of products", "hosts")
    listed("vpn_protocols", c and c.vpn_protocols, "a list of VPN protocols", "protocols")
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
    for key in ("remote_access", "load_balancing"):
        mapping = getattr(s, key)
        if mapping is None and c is None:
            continue
        if not isinstance(mapping, Mapping):
            bad(key, "a mapping", mapping, f"write {key}: with one line per item")
            continue
        if c is None:
            continue
        choices = getattr(c, key)
        for item, option in mapping.items():
            if item not in choices:
                bad(f"{key}.{item}", f"one of {', '.join(choices)}", item, "remove it or correct the spelling")
            elif option not in choices[item]:
                bad(f"{key}.{item}", f"one of {', '.join(choices[item])}", option, "choose one of the listed options")
    for key, options in (("reverse_proxy", c and c.reverse_proxies), ("mail", c and c.mail_routes)):
        if not isinstance(getattr(s, key), str):
            bad(key, "a word such as " + ("generic" if key == "reverse_proxy" else "eop"), getattr(s, key),
                "write one of the design's options")
        elif options is not None and getattr(s, key) not in options:
            bad(key, f"one of {', '.join(options)}", getattr(s, key), "choose one of the listed options")
    for key in ("pop_imap", "lync_av_range", "federation", "public_im", "xmpp", "teredo", "six_to_four",
                "directaccess_ipv6"):
        if not isinstance(getattr(s, key), bool):
            bad(key, "true or false", getattr(s, key), "write true or false")
    for key, option in OPTION_ANSWERS.items():
        if c is not None and getattr(s, key) is True and c.gateway_options and option not in c.gateway_options:
            bad(key, f"false: release {c.release} has no gateway option '{option}' (its rows belong to other releases)",
                True, f"write {key}: false, or choose a release that has it")
    for key in ("public_network", "internal_network"):
        try:
            ipaddress.ip_network(str(getattr(s, key)), strict=True)
        except ValueError:
            bad(key, "a network in CIDR notation such as 203.0.113.0/24", getattr(s, key),
                "write the network address and prefix length, with the host bits zero")
    return problems


def _iso_date(value) -> bool:
    try:
        return isinstance(value, str) and bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)) \
            and datetime.date.fromisoformat(value) is not None
    except ValueError:
        return False


def scenario_from_dict(data, file: str = "scenario", design: Design | None = None) -> Scenario:
    """A scenario from parsed YAML, checked against ``design``'s choices (None: the reference design)."""
    if not isinstance(data, Mapping):
        raise ScenarioError([Problem(file, None, None, "a YAML mapping of scenario fields", found=type(data).__name__,
                                     fix="start from scenarios/contoso.yaml")])
    known = {f.name for f in fields(Scenario)} - {"vocabulary"}
    # Unknown fields and bad values are reported together: one run names every problem.
    problems = [Problem(file, None, str(k), "a known field (" + ", ".join(sorted(known)) + ")", found=str(k),
                        fix="remove it or correct the spelling", what="field") for k in data if k not in known]
    values = {k: v for k, v in data.items() if k in known}
    for key in ("products", "owas_hosts", "gateway_rules", "vpn_protocols"):
        if isinstance(values.get(key), list):
            values[key] = tuple(values[key])
    if isinstance(values.get("release"), int) and not isinstance(values["release"], bool):
        values["release"] = str(values["release"])  # release: 2013 is a number in YAML
    if isinstance(values.get("today"), datetime.date):
        values["today"] = values["today"].isoformat()
    if design is not None:
        values["vocabulary"] = choices(in_release(design, values.get("release")))
    probe = object.__new__(Scenario)  # check with the file's name before constructing
    for f in fields(Scenario):
        object.__setattr__(probe, f.name, values.get(f.name, f.default))
    if probe.vocabulary is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the constructor below warns once
            _fill_defaults(probe)
    problems += validate(probe, file)
    if problems:
        raise ScenarioError(problems)
    return Scenario(**values)


def scenario_yaml(s: Scenario) -> str:
    return yaml.safe_dump(s.to_dict(), sort_keys=False, allow_unicode=True)
