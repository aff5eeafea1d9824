"""Design checks. A rule is one ``Check``: its row of ``data/checks.csv`` (severity, texts, source, and the
ids it speaks of: ``product`` and ``about``) with the one small function here that finds where it applies.
A function reads every product, answer or component id from its row, never from its own code.

``run_checks`` evaluates every rule over a derived design and gives findings and a
stoplight table: red for an error, amber for a warning, green when nothing is found.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable, Iterator

from ..model.design import Design
from ..model.errors import Problem
from ..model.records import SEVERITIES, Rule  # noqa: F401  (Rule and SEVERITIES were defined here before)
from ..model.release_switch import in_release
from ..model.scenario import Scenario
from .integrity import integrity_problems
from .lbconfig import names_refused
from .vip_rules import vip_listens, vip_port_mismatch
from .routes import connections as connections_of, ends_matching, per_design, route as route_of



@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    subject: str
    detail: str


@dataclass(frozen=True)
class Context:
    """What the checks look at: the organisation's design and the answers behind it."""

    design: Design
    scenario: Scenario

    @cached_property
    def gateway(self) -> tuple[dict[str, bool], dict]:
        """The gateway options and address plan of the scenario."""
        from .gateway import scenario_gateway
        return scenario_gateway(self.design, self.scenario)

    @cached_property
    def permits(self):
        from .gateway import permits
        return permits(self.design, *self.gateway)

    @cached_property
    def records(self):
        from .dns import scenario_records
        return scenario_records(self.design, self.scenario)

    @cached_property
    def dns_found(self) -> dict[str, list[str]]:
        from .dns import dns_findings
        return dns_findings(self.records, self.scenario.domain, self.scenario.internal_namespace)

    @cached_property
    def certificate_names(self):
        from .certificates import certificate_names
        return certificate_names(self.design, self.scenario.domain, self.scenario.internal_namespace,
                                 self.scenario.products)


# --- one function per rule: yields (subject, detail) where the rule is broken ---------

def _deployed(ctx: Context, rule: Rule) -> bool:
    """The rule's product is deployed (a rule about no product always applies)."""
    return not rule.product or rule.product in ctx.scenario.products


def _lync_web_dns_lb(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    dns_only = [k for k in rule.about if ctx.scenario.load_balancing.get(k) == "dns"]
    if _deployed(ctx, rule) and dns_only:
        yield ("load_balancing." + " and ".join(dns_only),
               f"{ctx.design.label(rule.product)} web services are set to DNS load balancing only")


def _lync_via_tunnel(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    choice = ctx.scenario.remote_access.get(rule.product)
    if _deployed(ctx, rule) and choice in rule.about:
        yield f"remote_access.{rule.product}", f"roaming employees reach {ctx.design.label(rule.product)} through {choice}"


def _uag_for_lync(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    if _deployed(ctx, rule) and ctx.scenario.reverse_proxy in rule.about:
        yield ("reverse_proxy", f"the reverse proxy is {_answer_label(ctx, 'reverse_proxy', ctx.scenario.reverse_proxy)} "
                                f"and {ctx.design.label(rule.product)} web services are published")


def _owas_for_exchange(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    for host in rule.about:
        if _deployed(ctx, rule) and host in ctx.scenario.owas_hosts:
            yield "owas_hosts", f"{ctx.design.label(host)} is listed as an {ctx.design.label(rule.product)} host"


def _aol_public_im(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    if _deployed(ctx, rule) and ctx.scenario.public_im:
        yield "public_im", "public IM connectivity (AOL) is turned on"


def _flow_without_listener(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    d = ctx.design
    unheard: dict[tuple, tuple[int, ...]] = {}
    for flow in d.flows:
        route = route_of(d, flow)  # flows along the same route miss the same hops
        missed = unheard.get(route)
        if missed is None:
            missed = unheard[route] = _unheard_hops(d, flow, connections_of(d, flow))
        for i in missed:
            yield f"flows:{flow.id}", f"no port row for the connection into {flow.path[i]} (hop {i})"


def _unheard_hops(d: Design, flow, connections) -> tuple[int, ...]:
    """Hops of ``flow`` (not the first) that no port row serving it listens on, save routers and
    hops between two hosts on the Internet (not ours to open)."""
    # A hop may receive a connection of the flow where it matches a listening end of a port
    # row serving the flow (the same hops as ``routes.positions`` gives for those ends).
    listening = {end for p, _ in connections for end in p.listeners}
    path, gate = flow.path, d.routers
    return tuple(i for i in range(1, len(path))
                 if listening.isdisjoint(ends_matching(d, path[i])) and path[i] not in gate
                 and not (d.is_outside(path[i]) and d.is_outside(path[i - 1])))


def _flow_not_permitted(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    """A flow whose path crosses the gateway router must appear in a permit."""
    d = ctx.design
    gate = d.routers
    permitted = {f for p in ctx.permits for f in p.flows}
    for flow in d.flows:
        if flow.id in permitted:
            continue
        hops = flow.path
        crosses = any(hops[i] in gate and d.is_outside(hops[i - 1]) != d.is_outside(hops[i + 1])
                      for i in range(1, len(hops) - 1))
        if crosses:
            yield f"flows:{flow.id}", "crosses the gateway router but no gateway permit carries it"


def _rule_matches(rule, permit) -> bool:
    lo, _, hi = str(rule["port"]).partition("-")
    lo, hi = int(lo), int(hi or lo)
    return (rule["protocol"] == permit.protocol and permit.ports[0] <= lo and hi <= permit.ports[1]
            and rule["to"] in (permit.to, permit.inside))


def _permit_without_flow(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    """An existing gateway rule that no flow of the design needs."""
    for n, rule in enumerate(ctx.scenario.gateway_rules):
        if not any(_rule_matches(rule, p) for p in ctx.permits):
            yield (f"gateway_rules[{n}]",
                   f"{rule['protocol']} {rule['port']} to {rule['to']} is permitted but no flow of the design needs it")


def _any_to_internal(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    """A permit from any address into a component of the intranet."""
    d = ctx.design
    internal = {z.id for z in d.zones if z.kind == "internal"}

    def inside_intranet(endpoint):
        if endpoint in internal:
            return True
        try:
            return d.zone_of(endpoint) in internal
        except KeyError:
            return False

    for n, rule in enumerate(ctx.scenario.gateway_rules):
        if rule.get("from", "any") == "any" and inside_intranet(rule["to"]):
            yield f"gateway_rules[{n}]", f"any address may reach {rule['to']} on {rule['protocol']} {rule['port']}"
    for p in ctx.permits:
        if p.direction == "inbound" and p.from_addresses is None and inside_intranet(p.to):
            yield f"permit:{p.name}", f"any address may reach {p.to} on the intranet"


def _name_on_certificate(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    """Every name clients reach over TLS from the Internet is on a certificate (or is listed
    in certificates.csv as needing none, with its reason); names_refused: on the pool's, where HAProxy sends it."""
    from .certificates import names_needing_certificates
    names = ctx.certificate_names
    covered = set(names["name"])
    for name in names_needing_certificates(ctx.records, ctx.design.urls):
        if name not in covered:
            yield f"dns:{name}", f"{name} is published but on no certificate of the plan"


def _name_in_dns(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    """Every name on a certificate resolves in the view(s) its clients use."""
    resolves = set(zip(ctx.records["view"], ctx.records["name"]))
    names = ctx.certificate_names
    # Plain records, not iterrows(): a Series per row costs more than the check itself on a large design.
    for cid, row in zip(names.index, names.to_dict("records")):
        if row["role"] == "none" or row["optional"] == "yes":
            continue
        views = ("external", "internal") if row["dns"] == "both" else (row["dns"],)
        for view in views:
            if (view, row["name"]) not in resolves:
                yield f"certificates:{cid}", f"{row['name']} ({row['certificate']}) has no record in {view} DNS"


def _federation_av_range(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    s = ctx.scenario
    edges = [c.id for c in ctx.design.components if c.id in rule.about]
    if not (s.federation and _deployed(ctx, rule) and edges):
        return
    if not any(p.direction == "outbound" and p.from_ in edges and p.protocol == "TCP"
               and p.ports[0] <= 50000 and 59999 <= p.ports[1] for p in ctx.permits):
        yield "federation", "federation is on but the gateway does not let the A/V Edge open TCP 50000-59999 outbound"


def _spf_senders(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    from .dns import spf_findings
    for item in spf_findings(ctx.records, ctx.permits, ctx.scenario.domain):
        yield "dns:spf", item


def _nrpt_split_brain(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    from .dns import nrpt_findings
    s = ctx.scenario
    outside, tunnel = rule.about  # the product's remote access outside the tunnel, and through it
    lync_outside = _deployed(ctx, rule) and s.remote_access.get(rule.product) == outside
    lync_tunnel = _deployed(ctx, rule) and s.remote_access.get(rule.product) == tunnel
    for item in nrpt_findings(ctx.design, ctx.records, s.domain, s.internal_namespace, lync_outside, lync_tunnel):
        yield "nrpt", item


def _reverse_proxy_out_of_support(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    chosen = ctx.scenario.reverse_proxy
    reported = _rule(ctx, "uag_for_lync")
    if reported is not None and any(_uag_for_lync(ctx, reported)):
        return  # uag_for_lync already reports UAG, out of support included
    if chosen in rule.about:
        yield "reverse_proxy", f"{_answer_label(ctx, 'reverse_proxy', chosen)} is out of support since 14 April 2020"


def _vpn_protocol_status(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    rows = {v.id: v for v in ctx.design.vpn_protocols}
    for v in ctx.scenario.vpn_protocols:
        if v in rows and rows[v].status in ("not_recommended", "not_supported"):
            yield f"vpn_protocols.{v}", f"{rows[v].name}: {rows[v].status.replace('_', ' ')}"


def _lifecycle(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    if ctx.scenario.today is None:
        return  # measured against a given day only (scenario today), never the clock
    from .lifecycle import lifecycle_findings
    yield from lifecycle_findings(ctx.design, ctx.scenario.products,
                                  datetime.date.fromisoformat(ctx.scenario.today))


def _dns_rule(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    """A DNS rule of officenet.derive.dns over the organisation's records; a rule whose row names the mail
    route it is about (mx_to_eop: eop) applies only with that route."""
    if not rule.about or ctx.scenario.mail in rule.about:
        for item in ctx.dns_found[rule.id]:
            yield f"dns:{rule.id}", item


def _answer_label(ctx: Context, question: str, choice: str) -> str:
    """What answers.csv calls a scenario's answer (the word itself where no row names it)."""
    return next((a.label for a in ctx.design.answers if a.question == question and a.choice == choice), choice)


def _rule(ctx: Context, check_id: str) -> Rule | None:
    return next((r for r in ctx.design.checks if r.id == check_id), None)


def _design_integrity(ctx: Context, rule: Rule) -> Iterator[tuple[str, str]]:
    for p in blocking_problems(ctx.design):
        yield _where(p), str(p)


CHECKS: dict[str, Callable[[Context, Rule], Iterator[tuple[str, str]]]] = {
    "design_integrity": _design_integrity,
    "lync_web_dns_lb": _lync_web_dns_lb,
    "lync_via_tunnel": _lync_via_tunnel,
    "uag_for_lync": _uag_for_lync,
    "owas_for_exchange": _owas_for_exchange,
    "aol_public_im": _aol_public_im,
    "flow_without_listener": _flow_without_listener,
    "flow_not_permitted": _flow_not_permitted,
    "permit_without_flow": _permit_without_flow,
    "any_to_internal": _any_to_internal,
    "vip_port_mismatch": lambda ctx, rule: (*vip_port_mismatch(ctx.design), *vip_listens(ctx.design)),
    "name_on_certificate": lambda c, r: (*_name_on_certificate(c, r), *names_refused(c.design, c.certificate_names, c.records)),
    "name_in_dns": _name_in_dns,
    "lyncdiscover_external_only": _dns_rule,
    "lyncdiscoverinternal_internal_only": _dns_rule,
    "internal_namespace_private": _dns_rule,
    "srv_targets": _dns_rule,
    "one_spf": _dns_rule,
    "mx_to_eop": _dns_rule,
    "separate_namespace": _dns_rule,
    "federation_av_range": _federation_av_range,
    "spf_senders": _spf_senders,
    "nrpt_split_brain": _nrpt_split_brain,
    "reverse_proxy_out_of_support": _reverse_proxy_out_of_support,
    "vpn_protocol_status": _vpn_protocol_status,
    "lifecycle": _lifecycle,
}


@dataclass(frozen=True)
class Check:
    """One rule whole: its row of checks.csv (id, severity, texts, source, the ids it speaks of) and its function."""

    rule: Rule
    find: Callable[[Context, Rule], Iterator[tuple[str, str]]]

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def severity(self) -> str:
        return self.rule.severity

    def findings(self, ctx: Context) -> list[Finding]:
        return [Finding(self.id, self.severity, subject, detail) for subject, detail in self.find(ctx, self.rule)]


def checks_of(rules: Iterable[Rule]) -> tuple[Check, ...]:
    """The rules that have their function, each as one Check (the others are blocking problems)."""
    return tuple(Check(r, CHECKS[r.id]) for r in rules if r.id in CHECKS)


def rule_problems(design: Design) -> list[Problem]:
    """Rows of the design's checks.csv without a function here, and functions without a row."""
    problems = [Problem("checks.csv", design.lines.get(("checks", r.id)), "id",
                        "the id of a check implemented in officenet.derive.checks", r.id,
                        "correct the id, or implement the check first")
                for r in design.checks if r.id not in CHECKS]
    missing = set(CHECKS) - {r.id for r in design.checks}
    for m in sorted(missing and missing - _rows_of_other_releases(design)):
        problems.append(Problem("checks.csv", None, "id", f"a row for the implemented check '{m}'", "",
                                "add the rule with its severity, reason, fix and source"))
    return problems


def _rows_of_other_releases(design: Design) -> set[str]:
    """The check ids of the other releases of the design's folder: a check of some releases only (checks.csv's
    releases column, owas_for_exchange is the 2013 poster's) has its function while another release is read."""
    if design.reader is None:  # a design built in memory has no other release to ask
        return set()
    return {r.id for release in design.releases if release.id != design.release
            for r in in_release(design, release.id).checks}


def blocking_problems(design: Design) -> tuple[Problem, ...]:
    """What must be mended before anything is exported: rules without their function (or the reverse) and
    the problems only a derivation finds (``derive.integrity``); each names its file, row and column.
    Worked out once per design: the checks and the export both ask."""
    return per_design(design, _blocking)


def _blocking(design: Design) -> tuple[Problem, ...]:
    return tuple(rule_problems(design) or integrity_problems(design))


def run_checks(design: Design, scenario: Scenario, rules: tuple[Rule, ...] | None = None,
               context: Context | None = None) -> list[Finding]:
    """Findings of every rule (by default the design's own, from its folder's checks.csv);
    ``context`` lets a caller share what the checks derive (records, certificate names, permits)
    with its own artefacts instead of deriving them twice. With an organisation's derived design, pass the
    organisation's scenario (checked against the reference); a scenario not yet checked is checked against
    ``design``."""
    rules = rules or design.checks
    blocking = blocking_problems(design)
    if blocking:  # the other rules would run on a design that cannot be trusted
        return [Finding("design_integrity", "error", _where(p), str(p)) for p in blocking]
    ctx = context or Context(design, scenario.checked(design))
    # design_integrity has just been answered (nothing blocks): its function is for a caller that asks alone.
    return [f for check in checks_of(rules) if check.id != "design_integrity" for f in check.findings(ctx)]


def _where(p: Problem) -> str:
    return f"{p.file}" + (f", row {p.row}" if p.row else "") + (f", column {p.column}" if p.column else "")
