"""Design checks. The rules are data (``data/checks.csv``: severity, reason, fix, source);
this module holds one small function per rule that finds where it applies.

``run_checks`` evaluates every rule over a derived design and gives findings and a
stoplight table: red for an error, amber for a warning, green when nothing is found.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

from .design import Design
from .errors import DesignError, Problem
from .loader import DEFAULT_DATA_DIR
from .scenario import Scenario

SEVERITIES = ("error", "warning", "info")
LIGHT = {"error": "red", "warning": "amber", "info": "amber"}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    applies_to: str
    title: str
    reason: str
    fix: str
    source: str


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
        from .firewall import scenario_gateway
        return scenario_gateway(self.design, self.scenario)

    @cached_property
    def permits(self):
        from .firewall import permits
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

def _lync_web_dns_lb(ctx: Context) -> Iterator[tuple[str, str]]:
    if "lync" in ctx.scenario.products and ctx.scenario.load_balancing.get("lync_web") == "dns":
        yield "load_balancing.lync_web", "Lync web services are set to DNS load balancing only"


def _lync_via_tunnel(ctx: Context) -> Iterator[tuple[str, str]]:
    choice = ctx.scenario.remote_access.get("lync")
    if "lync" in ctx.scenario.products and choice in ("vpn", "directaccess"):
        yield "remote_access.lync", f"roaming employees reach Lync through {choice}"


def _uag_for_lync(ctx: Context) -> Iterator[tuple[str, str]]:
    if "lync" in ctx.scenario.products and ctx.scenario.reverse_proxy == "uag":
        yield "reverse_proxy", "the reverse proxy is Forefront UAG and Lync web services are published"


def _owas_for_exchange(ctx: Context) -> Iterator[tuple[str, str]]:
    if "owas" in ctx.scenario.products and "exchange" in ctx.scenario.owas_hosts:
        yield "owas_hosts", "Exchange is listed as an Office Web Apps host"


def _aol_public_im(ctx: Context) -> Iterator[tuple[str, str]]:
    if "lync" in ctx.scenario.products and ctx.scenario.public_im:
        yield "public_im", "public IM connectivity (AOL) is turned on"


def _flow_without_listener(ctx: Context) -> Iterator[tuple[str, str]]:
    d = ctx.design
    gate = d.routers
    for flow in d.flows:
        # Hop indexes where some port row serving the flow may be received.
        pos = d.positions(flow)
        heard = {i for p in d.ports_serving(flow) for end in p.listeners for i in pos.get(end, ())}
        for i, hop in enumerate(flow.path[1:], start=1):
            if hop in gate:
                continue
            if d.is_outside(hop) and d.is_outside(flow.path[i - 1]):
                continue  # between two hosts on the Internet: not ours to open
            if i not in heard:
                yield f"flows:{flow.id}", f"no port row for the connection into {hop} (hop {i})"


def _flow_not_permitted(ctx: Context) -> Iterator[tuple[str, str]]:
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


def _permit_without_flow(ctx: Context) -> Iterator[tuple[str, str]]:
    """An existing gateway rule that no flow of the design needs."""
    for n, rule in enumerate(ctx.scenario.gateway_rules):
        if not any(_rule_matches(rule, p) for p in ctx.permits):
            yield (f"gateway_rules[{n}]",
                   f"{rule['protocol']} {rule['port']} to {rule['to']} is permitted but no flow of the design needs it")


def _any_to_internal(ctx: Context) -> Iterator[tuple[str, str]]:
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


def _name_on_certificate(ctx: Context) -> Iterator[tuple[str, str]]:
    """Every name clients reach over TLS from the Internet is on a certificate (or is listed
    in certificates.csv as needing none, with its reason)."""
    from .certificates import names_needing_certificates
    names = ctx.certificate_names
    covered = set(names["name"])
    for name in names_needing_certificates(ctx.records, ctx.design.urls):
        if name not in covered:
            yield f"dns:{name}", f"{name} is published but on no certificate of the plan"


def _name_in_dns(ctx: Context) -> Iterator[tuple[str, str]]:
    """Every name on a certificate resolves in the view(s) its clients use."""
    resolves = set(zip(ctx.records["view"], ctx.records["name"]))
    for cid, row in ctx.certificate_names.iterrows():
        if row["role"] == "none" or row["optional"] == "yes":
            continue
        views = ("external", "internal") if row["dns"] == "both" else (row["dns"],)
        for view in views:
            if (view, row["name"]) not in resolves:
                yield f"certificates:{cid}", f"{row['name']} ({row['certificate']}) has no record in {view} DNS"


def _vip_port_mismatch(ctx: Context) -> Iterator[tuple[str, str]]:
    """The port rows through each VIP agree with the VIP table (vip_services.csv): a port
    row into the VIP on its listener port and one from the VIP to its backend on the
    backend port, which differs where the VIP translates (443 -> 4443)."""
    d = ctx.design
    components = {c.id for c in d.components}
    ports = [p for p in d.ports if p.protocol in ("TCP", "UDP")]
    for v in d.vip_services:
        if not v.component or v.component not in components or v.backend not in components:
            continue
        into = any(p.to == v.component and p.protocol == v.protocol and p.port[0] <= v.listener_port[0] <= p.port[1]
                   for p in ports)
        out = [p for p in ports if p.from_ == v.component and p.to == v.backend and p.protocol == v.protocol]
        if not into:
            yield (f"vip_services:{v.id}", f"{d.label(v.component)} should listen on {v.protocol} "
                   f"{v.listener_port[0]} but no port row leads into it on that port")
        if out and not any(p.port[0] <= v.backend_port[0] <= p.port[1] for p in out):
            found = ", ".join(f"{p.protocol} {p.port[0]} ({p.id})" for p in out)
            yield (f"vip_services:{v.id}", f"{d.label(v.component)} forwards {v.protocol} {v.listener_port[0]} to "
                   f"{d.label(v.backend)} on {v.backend_port[0]}, but the port rows say {found}")


def _dns_rule(key: str, applies=lambda ctx: True):
    def rule(ctx: Context) -> Iterator[tuple[str, str]]:
        if applies(ctx):
            for item in ctx.dns_found[key]:
                yield f"dns:{key}", item
    rule.__doc__ = f"The DNS rule '{key}' of officenet.dns over the organisation's records."
    return rule


CHECKS: dict[str, Callable[[Context], Iterator[tuple[str, str]]]] = {
    "lync_web_dns_lb": _lync_web_dns_lb,
    "lync_via_tunnel": _lync_via_tunnel,
    "uag_for_lync": _uag_for_lync,
    "owas_for_exchange": _owas_for_exchange,
    "aol_public_im": _aol_public_im,
    "flow_without_listener": _flow_without_listener,
    "flow_not_permitted": _flow_not_permitted,
    "permit_without_flow": _permit_without_flow,
    "any_to_internal": _any_to_internal,
    "vip_port_mismatch": _vip_port_mismatch,
    "name_on_certificate": _name_on_certificate,
    "name_in_dns": _name_in_dns,
    "lyncdiscover_external_only": _dns_rule("lyncdiscover_external_only"),
    "lyncdiscoverinternal_internal_only": _dns_rule("lyncdiscoverinternal_internal_only"),
    "internal_namespace_private": _dns_rule("internal_namespace_private"),
    "srv_targets": _dns_rule("srv_targets"),
    "one_spf": _dns_rule("one_spf"),
    "mx_to_eop": _dns_rule("mx_to_eop", applies=lambda ctx: ctx.scenario.mail == "eop"),
}


def load_rules(data_dir: str | Path | None = None) -> tuple[Rule, ...]:
    """The rules of checks.csv; each must have a function here and a known severity."""
    path = Path(data_dir or DEFAULT_DATA_DIR) / "checks.csv"
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, OSError) as exc:
        raise DesignError([Problem("checks.csv", None, None, "a readable CSV file with the columns of Rule",
                                   str(exc).strip(), "quote any cell that holds a comma, and check the path")]) from None
    problems, rules = [], []
    for i, row in enumerate(frame.to_dict("records"), start=2):
        if row["severity"] not in SEVERITIES:
            problems.append(Problem("checks.csv", i, "severity", "one of " + ", ".join(SEVERITIES), row["severity"],
                                    "use error, warning or info"))
        if row["id"] not in CHECKS:
            problems.append(Problem("checks.csv", i, "id", "the id of a check implemented in officenet.checks",
                                    row["id"], "correct the id, or implement the check first"))
        if not row["source"].strip():
            problems.append(Problem("checks.csv", i, "source", "a source", "", "name where the rule comes from"))
        rules.append(Rule(**{k: row[k] for k in Rule.__dataclass_fields__}))
    missing = sorted(set(CHECKS) - {r.id for r in rules})
    for m in missing:
        problems.append(Problem("checks.csv", None, "id", f"a row for the implemented check '{m}'", "",
                                "add the rule with its severity, reason, fix and source"))
    if problems:
        raise DesignError(problems)
    return tuple(rules)


def run_checks(design: Design, scenario: Scenario, rules: tuple[Rule, ...] | None = None,
               context: Context | None = None) -> list[Finding]:
    """Findings of every rule; ``context`` lets a caller share what the checks derive (records,
    certificate names, permits) with its own artefacts instead of deriving them twice."""
    rules = rules or load_rules()
    ctx = context or Context(design, scenario)
    return [Finding(r.id, r.severity, subject, detail)
            for r in rules for subject, detail in CHECKS[r.id](ctx)]


def stoplight(findings: list[Finding], rules: tuple[Rule, ...] | None = None) -> pd.DataFrame:
    """One row per rule: red, amber or green, how many findings, the reason and the fix."""
    rules = rules or load_rules()
    rows = []
    for r in rules:
        mine = [f for f in findings if f.check == r.id]
        rows.append({"check": r.id, "light": LIGHT[r.severity] if mine else "green", "findings": len(mine),
                     "title": r.title, "where": "; ".join(f.subject for f in mine[:3]) + (" …" if len(mine) > 3 else ""),
                     "reason": r.reason, "fix": r.fix, "source": r.source})
    order = {"red": 0, "amber": 1, "green": 2}
    frame = pd.DataFrame(rows)
    frame["_o"] = frame["light"].map(order)
    return frame.sort_values(["_o", "check"]).drop(columns="_o").set_index("check")
