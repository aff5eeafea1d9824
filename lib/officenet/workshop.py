"""Workshop exercises: soft checks that tell a learner what is missing or wrong, with a hint.

Every check compares an answer with what the library derives from the design, so
the exercises stay true when the data improves. A check never raises on a bad
answer: it returns ``Feedback``, which shows itself in Jupyter.
"""
from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

from .apply import apply_scenario
from .checks import load_rules, run_checks
from .design import Design
from .scenario import REMOTE_ACCESS, LOAD_BALANCING, Scenario, ScenarioError, current_words
from .tables import crossing


@dataclass(frozen=True, repr=False)
class Feedback:
    exercise: str
    correct: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return bool(self.correct) and not self.missing and not self.wrong

    def __str__(self) -> str:
        lines = [f"{self.exercise}: " + ("all correct." if self.passed else "not yet.")]
        for title, items in (("Correct", self.correct), ("Missing", self.missing), ("Wrong", self.wrong),
                             ("Hint", self.hints)):
            lines += [f"  {title}: {item}" for item in items]
        return "\n".join(lines)

    __repr__ = __str__  # what a plain-text front end (and a test) reads

    def _repr_html_(self) -> str:
        colour = "#2e7d32" if self.passed else "#b26a00"
        parts = [f'<div style="border-left:6px solid {colour};padding:4px 10px">',
                 f"<b>{html.escape(self.exercise)}</b>: " + ("all correct." if self.passed else "not yet.")]
        for title, items in (("Correct", self.correct), ("Missing", self.missing), ("Wrong", self.wrong),
                             ("Hint", self.hints)):
            if items:
                parts.append(f"<div><i>{title}</i><ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items)
                             + "</ul></div>")
        return "".join(parts) + "</div>"


def _empty(answer) -> bool:
    return answer is None or (hasattr(answer, "__len__") and len(answer) == 0)


# --- 1. read the poster: who reaches SharePoint, along which path ---------------------

def sharepoint_paths(design: Design) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for f in design.flows:
        if f.product == "sharepoint" and f.user_type:
            out.setdefault(f.user_type, []).append(f.path[1:])
    return out


def check_sharepoint_paths(design: Design, answer: Mapping[str, Iterable[str]] | None) -> Feedback:
    """``answer``: user type -> the hops after the user, e.g. ["gateway_router", "sharepoint_vip", ...]."""
    name = "Who reaches SharePoint, and along which path"
    expected = sharepoint_paths(design)
    if _empty(answer):
        return Feedback(name, missing=tuple(f"a path for {design.label(u)} ({u})" for u in sorted(expected)),
                        hints=("Start with the poster's list of user types; the gateway router comes first for "
                               "everyone outside.",))
    if not isinstance(answer, Mapping):
        return Feedback(name, wrong=(repr(answer)[:80],),
                        hints=('Write a dict of user type -> hops, such as {"roaming_employees": ["gateway_router", ...]}.',))
    correct, missing, wrong, hints = [], [], [], []
    for user in sorted(expected):
        if user not in answer:
            missing.append(f"a path for {design.label(user)} ({user})")
            continue
        if isinstance(answer[user], (str, bytes)) or not isinstance(answer[user], Iterable):
            wrong.append(f"{design.label(user)}: {repr(answer[user])[:80]}")
            hints.append(f"{design.label(user)}: write the hops as a list of component ids")
            continue
        given = tuple(str(hop) for hop in answer[user])
        if given in expected[user]:
            correct.append(f"{design.label(user)}: " + " > ".join(given))
        else:
            wrong.append(f"{design.label(user)}: " + " > ".join(given))
            best = expected[user][0]
            at = next((i for i, (a, b) in enumerate(zip(given, best)) if a != b), min(len(given), len(best)))
            hints.append(f"{design.label(user)}: hop {at + 1} should be {best[at] if at < len(best) else 'the end'}"
                         + (" (one of the paths through a tunnel server)" if len(expected[user]) > 1 else ""))
    for user in sorted(set(answer) - set(expected)):
        wrong.append(f"{user}: this user type does not use SharePoint, or is not a user type")
    return Feedback(name, tuple(correct), tuple(missing), tuple(wrong), tuple(hints))


# --- 2. open the gateway for Lync federation ------------------------------------------

DIRECTION = {"inbound": "in", "outbound": "out", "both": "both"}


def federation_gateway_ports(design: Design) -> set[tuple[str, int, str]]:
    """(protocol, first port, in/out/both) the gateway must open for partner companies' Lync traffic."""
    flows = [f for f in design.flows if f.user_type == "partner_companies" and f.product == "lync"]
    sides: dict[tuple[str, int], set[str]] = {}
    for p in design.ports_for(flows):
        side = crossing(design, p.from_, p.to, p.direction)
        if side in DIRECTION:
            sides.setdefault((p.protocol, p.port[0]), set()).add(DIRECTION[side])
    # One rule per port: a port opened in both directions by any row is 'both'.
    return {(proto, port, "both" if "both" in d or d == {"in", "out"} else d.pop())
            for (proto, port), d in sides.items()}


def check_federation_ports(design: Design, answer: Iterable[tuple[str, int, str]] | None) -> Feedback:
    """``answer``: a set of (protocol, port, direction) with direction 'in', 'out' or 'both'."""
    name = "Open the gateway for Lync federation"
    expected = federation_gateway_ports(design)
    text = lambda t: f"{t[0]} {t[1]} {t[2]}"
    if _empty(answer):
        return Feedback(name, missing=(f"{len(expected)} port rules",),
                        hints=("Federation reaches the Access Edge; media goes to the A/V Edge. The poster's legend "
                               "lists the federation ports.",))
    given, hints = set(), []
    items = answer if isinstance(answer, Iterable) and not isinstance(answer, (str, bytes)) else [answer]
    for item in items:
        rule = _port_rule(item)
        if rule is None:
            hints.append(f"{repr(item)[:80]}: write each rule as (protocol, port, direction), such as "
                         '("TCP", 443, "in")')
        else:
            given.add(rule)
    if not given:
        return Feedback(name, missing=(f"{len(expected)} port rules",), hints=tuple(hints))
    for p, n, d in sorted(given - expected):
        same_port = [e for e in expected if e[:2] == (p, n)]
        if same_port:
            hints.append(f"{p} {n}: right port, check the direction (who opens the connection?)")
        else:
            hints.append(f"{p} {n}: not needed for federation; is it a client port or an internal one?")
    return Feedback(name, tuple(map(text, sorted(given & expected))), tuple(map(text, sorted(expected - given))),
                    tuple(map(text, sorted(given - expected))), tuple(hints))


def _port_rule(item) -> tuple[str, int, str] | None:
    """(PROTOCOL, port, direction) from an answer item, or None when it has another shape."""
    if not isinstance(item, (tuple, list)) or len(item) != 3:
        return None
    protocol, port, direction = item
    if isinstance(port, float):
        port = int(port) if port.is_integer() else None
    try:
        number = int(str(port).strip())  # 443, "443" or 443.0, never True
    except ValueError:
        return None
    return str(protocol).upper(), number, str(direction).lower()


# --- 3/4. choose remote access and load balancing per product ------------------------

def _choice_feedback(name, design, key, options, answer) -> Feedback:
    if _empty(answer):
        return Feedback(name, missing=tuple(f"a choice for {k} ({', '.join(v)})" for k, v in options.items()),
                        hints=("Think of what each tunnel does to audio and video, and which traffic needs a "
                               "hardware load balancer.",))
    if not isinstance(answer, Mapping):
        return Feedback(name, wrong=(repr(answer)[:80],),
                        hints=(f'Write a dict such as {{"{next(iter(options))}": "{next(iter(options.values()))[0]}"}}.',))
    try:
        answer = current_words(key, answer)  # an older handout's words still count
        scenario = Scenario().with_(**{key: answer})
    except ScenarioError as exc:
        return Feedback(name, wrong=tuple(str(p) for p in exc.problems),
                        hints=("Use the option names listed in the exercise.",))
    findings = run_checks(apply_scenario(design, scenario), scenario)
    rules = {r.id: r for r in load_rules()}
    wrong = tuple(f"{f.subject}: {rules[f.check].title}" for f in findings)
    hints = tuple(f"{rules[f.check].reason}. {rules[f.check].fix}." for f in findings)
    missing = tuple(f"a choice for {k}" for k in options if k not in answer)
    correct = tuple(f"{k}: {v}" for k, v in answer.items()
                    if k in options and not any(f.subject.endswith("." + k) for f in findings))
    return Feedback(name, correct, missing, wrong, hints)


def check_remote_access(design: Design, answer: Mapping[str, str] | None) -> Feedback:
    """``answer``: product -> remote access for roaming employees (options in scenario.REMOTE_ACCESS)."""
    return _choice_feedback("Remote access for roaming employees", design, "remote_access", REMOTE_ACCESS, answer)


def check_load_balancing(design: Design, answer: Mapping[str, str] | None) -> Feedback:
    """``answer``: traffic -> load balancing (options in scenario.LOAD_BALANCING)."""
    return _choice_feedback("Load balancing per product", design, "load_balancing", LOAD_BALANCING, answer)


# --- 5. find the mistakes in a broken design ------------------------------------------

BROKEN = {"reverse_proxy": "uag", "public_im": True, "remote_access": {"lync": "vpn"},
          "load_balancing": {"lync_web_internal": "dns", "lync_web_external": "dns"},
          "gateway_rules": ({"protocol": "TCP", "port": "3389", "to": "exchange_cas"},)}
# The colleague also changed two tables: (table, row id, new values or None to delete, what it means).
BROKEN_EDITS = (
    ("ports", "rp_to_web_4443", {"port": (443, 443)},
     "the reverse proxy forwards Lync web traffic to the external web services VIP on TCP 443"),
    ("dns_records", "int_lyncdiscoverinternal", None, "the internal DNS record lyncdiscoverinternal was deleted"),
)


def broken_scenario() -> Scenario:
    return Scenario().with_(name="Broken on purpose", **BROKEN)


def broken_design(design: Design) -> Design:
    """The reference design with the colleague's table edits."""
    from dataclasses import replace
    changes = {}
    for table, row_id, values, _ in BROKEN_EDITS:
        rows = list(changes.get(table, getattr(design, table)))
        at = next(i for i, r in enumerate(rows) if r.id == row_id)
        if values is None:
            del rows[at]
        else:
            rows[at] = replace(rows[at], **values)
        changes[table] = tuple(rows)
    return replace(design, **changes, lines={})


def broken_edits() -> list[str]:
    """What the colleague changed in the tables, as a learner reads it."""
    return [f"{table}.csv, row {row_id}: {what}" for table, row_id, _, what in BROKEN_EDITS]


def broken_findings(design: Design):
    scenario = broken_scenario()
    return run_checks(apply_scenario(broken_design(design), scenario), scenario)


def check_mistakes(design: Design, answer: Iterable[str] | None) -> Feedback:
    """``answer``: the ids of the checks the broken design fails (see data/checks.csv)."""
    name = "Find the mistakes in the broken design"
    rules = {r.id: r for r in load_rules()}
    expected = {f.check for f in broken_findings(design)}
    # What is missing is named by its area only, so that the check does not give the answer away.
    areas = lambda ids: tuple(f"{n} mistake{'s' if n > 1 else ''} about {area}" for area, n in
                              sorted(Counter(rules[i].applies_to for i in ids).items()))
    if _empty(answer):
        return Feedback(name, missing=areas(expected),
                        hints=("Read the scenario's answers and the table edits one by one against the poster's "
                               "rules; a wrong port or a missing record can break more than one rule.",))
    if isinstance(answer, str) or not isinstance(answer, Iterable) or not all(isinstance(a, str) for a in answer):
        return Feedback(name, wrong=(f"{answer!r}",), hints=("Write the answer as a list of check ids, "
                                                             "such as [\"uag_for_lync\"].",))
    given = set(answer)
    unknown = sorted(given - set(rules))
    hints = [f"'{u}' is not a check id; the ids are the first column of data/checks.csv" for u in unknown]
    if given - expected - set(unknown):
        hints.append("Each id is a row of data/checks.csv; its reason says when it applies.")
    return Feedback(name, tuple(sorted(given & expected)), areas(expected - given),
                    tuple(sorted(given - expected)), tuple(hints))


# --- 6. write the DNS records for a new domain ----------------------------------------

DNS_PRODUCTS = ("lync", "eop")  # the exercise: Lync, and inbound mail through EOP


def _dns_frame(design: Design, domain: str):
    from .dns import dns_records
    return dns_records(design, domain)


def _in_exercise(design: Design, frame):
    wanted = {design.label(p) for p in DNS_PRODUCTS if any(x.id == p for x in design.products)}
    return frame["product"].isin(wanted) & (frame["optional"] != "yes")


def expected_dns_records(design: Design, domain: str, frame=None) -> dict[tuple[str, str, str], int | None]:
    """(view, name, type) -> SRV port, for the required Lync and EOP records of ``domain``
    (``frame``: its records from ``_dns_frame``, when the caller has them already)."""
    frame = _dns_frame(design, domain) if frame is None else frame
    frame = frame[_in_exercise(design, frame)]
    return {(r["view"], r["name"], r["type"]): (int(r["port"]) if r["type"] == "SRV" else None)
            for _, r in frame.iterrows()}


def _port(value):
    """An SRV port as an int when it reads as one (443, "443", 443.0), else the value as given."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return value
    return int(number) if number.is_integer() else value


def _record(item):
    """((view, name, type), port, target) from an answer item, or None when it has another shape.

    After the type an SRV record may carry its port (a number) and its target (a name), in either order."""
    if not isinstance(item, (tuple, list)) or not 3 <= len(item) <= 5:
        return None
    view, name, rtype = (str(x).strip() for x in item[:3])
    port = target = None
    for extra in item[3:]:
        if isinstance(extra, str) and any(c.isalpha() for c in extra):
            target = extra.strip().lower().rstrip(".")
        else:
            port = _port(extra)
    return (view.lower(), name.lower().rstrip("."), rtype.upper()), port, target


def check_dns_records(design: Design, domain: str, answer) -> Feedback:
    """``answer``: one (view, name, type) per record, view 'external' or 'internal'; an SRV record may add
    its port and its target: (view, name, "SRV", port, target)."""
    title = f"DNS records for Lync and mail of {domain}"
    frame = _dns_frame(design, domain)
    expected = expected_dns_records(design, domain, frame)
    targets = {(r["view"], r["name"], "SRV"): r["value"] for _, r in frame[frame["type"] == "SRV"].iterrows()}
    # Real records of the domain that the exercise does not ask for: optional ones, other products'.
    extra = {(r["view"], r["name"], r["type"]): ("optional" if r["optional"] == "yes" else r["product"])
             for _, r in frame[~_in_exercise(design, frame)].iterrows()}
    text = lambda key: f"{key[0]} {key[2]} {key[1]}"
    if _empty(answer):
        views = sorted({k[0] for k in expected})
        return Feedback(title, missing=tuple(f"{sum(k[0] == v for k in expected)} records in the {v} view"
                                             for v in views),
                        hints=("Start with the names Lync clients look up to sign in from outside and from inside; "
                               "then where mail for the domain goes.",))
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
        return Feedback(title, wrong=(repr(answer)[:80],),
                        hints=('Write a list of tuples such as ("external", "sip.' + domain + '", "A").',))
    correct, wrong, hints, given, seen, srv_targets = [], [], [], set(), set(), {}
    for item in answer:
        parsed = _record(item)
        if parsed is None:
            wrong.append(repr(item)[:80])
            hints.append(f"{repr(item)[:80]}: write (view, name, type), or (view, name, \"SRV\", port, target)")
            continue
        if repr(parsed) in seen:
            continue  # the same record written twice counts once
        seen.add(repr(parsed))
        key, port, target = parsed
        given.add(key)
        if key in expected:
            problems = []
            if expected[key] is not None and port is not None and port != expected[key]:
                problems.append(f"port {port}")
                hints.append(f"{key[1]}: right record, wrong port (look up the SRV port in the Lync DNS tables)")
            if key[2] == "SRV" and target is not None and target != targets[key]:
                problems.append(f"target {target}")
                hints.append(f"{key[1]}: right record, wrong target (which server answers this service in the "
                             f"{key[0]} view?)")
            if key[2] == "SRV":
                srv_targets[key] = target or targets[key]
            if problems:
                wrong.append(f"{text(key)} " + ", ".join(problems))
            else:
                correct.append(text(key))
            continue
        if key in extra:
            why = "optional" if extra[key] == "optional" else f"a {extra[key]} record"
            hints.append(f"{text(key)} is right but not asked for here ({why}); it does no harm")
            continue
        wrong.append(text(key))
        other = ("internal" if key[0] == "external" else "external", key[1], key[2])
        if key[0] not in ("external", "internal"):
            hints.append(f"{key[1]}: the view is \"external\" (the Internet's DNS) or \"internal\" (the intranet's)")
        elif other in expected:
            hints.append(f"{key[1]} belongs in the {other[0]} view only")
        elif not (key[1] == domain or key[1].endswith("." + domain)):
            hints.append(f"{key[1]} is not in {domain}")
        elif any(k[:2] == key[:2] for k in expected):
            hints.append(f"{key[1]}: check the record type")
        else:
            hints.append(f"{key[1]}: no such record in the {key[0]} view of the design")
    for (view, name, _), target in sorted(srv_targets.items()):
        if (view, target, "A") not in given:
            hints.append(f"{name} points to {target}, which has no A record in your {view} view")
    missing = tuple(text(k) for k in sorted(expected) if k not in given)
    return Feedback(title, tuple(correct), missing, tuple(wrong), tuple(hints))
