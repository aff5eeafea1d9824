"""Workshop exercises: soft checks that tell a learner what is missing or wrong, with a hint.

Every check compares an answer with what the library derives from the design, so
the exercises stay true when the data improves. A check never raises on a bad
answer: it returns ``Feedback``, which shows itself in Jupyter.
"""
from __future__ import annotations

import difflib
import html
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

from .apply import apply_scenario
from .checks import load_rules, run_checks
from .design import Design
from .scenario import REMOTE_ACCESS, LOAD_BALANCING, Scenario, current_words
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


def _common_prefix(a, b) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def _id_hint(known: Iterable[str], given: str, what: str) -> str | None:
    """A hint for an id that is not one: another case, or a near spelling; None when it is known."""
    known = sorted(known)
    if given in known:
        return None
    by_case = {k.lower(): k for k in known}
    if str(given).strip().lower() in by_case:
        return f"write {given!r} as {by_case[str(given).strip().lower()]!r}: ids are lower case with underscores"
    close = difflib.get_close_matches(str(given), known, n=1, cutoff=0.6)
    return f"{given!r} is not a {what}" + (f"; did you mean {close[0]!r}?" if close else "")


def _path_hint(design: Design, user: str, given: tuple[str, ...], paths: list[tuple[str, ...]]) -> str:
    """The first real mistake of a path: a misspelt id, a reversed path, the user counted as a hop,
    a hop left out (a VIP, say), a hop too many, or a wrong device; compared with the expected path
    that agrees with the answer longest."""
    who = design.label(user)
    ids = {c.id for c in design.components}
    for i, hop in enumerate(given):
        typo = _id_hint(ids, hop, "component id")
        if typo:
            return f"{who}: hop {i + 1}: {typo}"
    if tuple(reversed(given)) in paths:
        return f"{who}: the path is reversed; write it from the user towards SharePoint, starting at {paths[0][0]}"
    if given and given[0] == user:
        return f"{who}: leave the user out; the first hop is the device the traffic meets first"
    best = max(paths, key=lambda p: _common_prefix(given, p))  # the first of the longest agreements
    at = _common_prefix(given, best)
    if at == len(best):
        return f"{who}: the path ends at {best[-1]}; {given[at]} (hop {at + 1}) is one hop too many"
    if at == len(given):
        return f"{who}: the path stops too early; after {given[-1] if given else 'the user'} comes {best[at]}"
    if given[at] in best[at + 1:]:
        return (f"{who}: a hop is missing before {given[at]}: hop {at + 1} should be {best[at]} "
                f"({design.label(best[at])})")
    if best[at] in given[at + 1:]:
        return f"{who}: hop {at + 1} ({given[at]}) is not on this path; remove it"
    alt = " (one of the paths through a tunnel server)" if len(paths) > 1 else ""
    return f"{who}: hop {at + 1} should be {best[at]}, not {given[at]}{alt}"


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
                        hints=('Write a dictionary: {"partner_companies": ["gateway_router", "..."], ...}',))
    correct, missing, wrong, hints = [], [], [], []
    for user in sorted(expected):
        if user not in answer:
            missing.append(f"a path for {design.label(user)} ({user})")
            continue
        hops = answer[user]
        given = (hops,) if isinstance(hops, str) else tuple(str(h).strip() for h in (hops or ()))
        if given in expected[user]:
            correct.append(f"{design.label(user)}: " + " > ".join(given))
        else:
            wrong.append(f"{design.label(user)}: " + " > ".join(given))
            hints.append(_path_hint(design, user, given, expected[user]))
    users = {u.id for u in design.user_types}
    for user in sorted(set(answer) - set(expected), key=str):
        if user in users:
            wrong.append(f"{user}: {design.label(user)} do not use SharePoint on the poster")
        else:
            wrong.append(f"{user}: not a user type")
            hints.append(_id_hint(users, user, "user type"))
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


DIRECTION_WORDS = {"in": "in", "inbound": "in", "out": "out", "outbound": "out", "both": "both", "two-way": "both"}


def _port_rule(item):
    """(PROTOCOL, port, direction) from an answer item, or None when it has another shape."""
    if not isinstance(item, (tuple, list)) or len(item) != 3:
        return None
    proto, port, direction = item
    if isinstance(port, float):
        port = int(port) if port.is_integer() else None
    try:
        number = int(str(port).strip())  # 443, "443" or 443.0, never True
    except ValueError:
        return None
    return str(proto).strip().upper(), number, DIRECTION_WORDS.get(str(direction).strip().lower(), str(direction))


def _other_uses(design: Design, proto: str, port: int) -> list[str]:
    """Flows of the design whose gateway crossing uses this port (for a hint about a port that is not needed)."""
    uses = []
    for f in design.flows:
        for p in design.ports_for([f]):
            if (p.protocol, p.port[0]) == (proto, port) and crossing(design, p.from_, p.to, p.direction) in DIRECTION:
                uses.append(f.id)
                break
    return uses


def _federation_hint(design: Design, expected, rule) -> str:
    p, n, d = rule
    text = f"{p} {n}"
    if d not in ("in", "out", "both"):
        return f"{text}: the direction is \"in\", \"out\" or \"both\", not {d!r}"
    same_port = [e for e in expected if e[:2] == (p, n)]
    if same_port:
        return f"{text}: right port, check the direction (who opens the connection?)"
    other_protocol = [e for e in expected if e[1] == n]
    if other_protocol:
        return f"{text}: right number, wrong protocol (check TCP or UDP)"
    uses = _other_uses(design, p, n)
    partner = [u for u in uses if u.startswith("partner_")]
    if uses and not partner:
        return f"{text}: a port of other users' traffic ({', '.join(sorted(uses)[:2])}), not of partner federation"
    if uses:
        return f"{text}: partners use it, but not for Lync federation ({', '.join(sorted(partner)[:2])})"
    return f"{text}: no flow through the gateway uses it; is it an internal port?"


def check_federation_ports(design: Design, answer: Iterable[tuple[str, int, str]] | None) -> Feedback:
    """``answer``: a set of (protocol, port, direction) with direction 'in', 'out' or 'both'."""
    name = "Open the gateway for Lync federation"
    expected = federation_gateway_ports(design)
    text = lambda t: f"{t[0]} {t[1]} {t[2]}"
    if _empty(answer):
        return Feedback(name, missing=(f"{len(expected)} port rules",),
                        hints=("Federation reaches the Access Edge; media goes to the A/V Edge. The poster's legend "
                               "lists the federation ports.",))
    if isinstance(answer, (str, bytes, Mapping)) or not hasattr(answer, "__iter__"):
        return Feedback(name, wrong=(repr(answer)[:80],), hints=('Write a set of rules: {("TCP", 5061, "both")}',))
    given, wrong, hints = set(), [], []
    for item in answer:
        rule = _port_rule(item)
        if rule is None:
            wrong.append(repr(item)[:80])
            hints.append(f"{repr(item)[:80]}: write each rule as (protocol, port, direction), "
                         "such as (\"TCP\", 5061, \"both\")")
        else:
            given.add(rule)
    # The same port given 'in' and 'out' is one rule both ways.
    for p, n in {(p, n) for p, n, d in given}:
        if {(p, n, "in"), (p, n, "out")} <= given:
            given -= {(p, n, "in"), (p, n, "out")}
            given.add((p, n, "both"))
            hints.append(f"{p} {n}: one rule with \"both\" says in and out at once")
    for rule in sorted(given - expected, key=str):
        wrong.append(text(rule))
        hints.append(_federation_hint(design, expected, rule))
    # What is missing is counted, not listed, so the check does not give the answer away; a rule whose port
    # the learner gave with a wrong direction or protocol is already under Wrong.
    near = {(p, n) for p, n, _ in given} | {n for _, n, _ in given}
    untouched = [e for e in expected - given if e[:2] not in near and e[1] not in near]
    missing = (f"{len(untouched)} more port rule{'s' if len(untouched) > 1 else ''}",) if untouched else ()
    return Feedback(name, tuple(map(text, sorted(given & expected))), missing, tuple(wrong), tuple(hints))


# --- 3/4. choose remote access and load balancing per product ------------------------

def _choice_key(design: Design, finding, options) -> str | None:
    """Which answer a finding comes from: 'remote_access.lync' names it; a finding on a flow names the
    flow's product (the choice of remote access that drew the flow)."""
    subject = finding.subject
    if subject.startswith("flows:"):
        flow = next((f for f in design.flows if f.id == subject.split(":", 1)[1]), None)
        return flow.product if flow is not None and flow.product in options else None
    keys = [k for k in subject.rsplit(".", 1)[-1].split(" and ") if k in options]  # 'lync_web_internal and ...'
    return keys[0] if keys else None


def _learner_hint(design: Design, rule, finding, key, choice) -> str:
    """The rule's reason and fix when they speak of the choice; for a rule about the design's own tables
    (a flow with no port row, say) what the choice does, never an edit of data/."""
    if rule.applies_to in ("remote access", "load balancing", "federation", "Office Web Apps"):
        return f"{key}: {rule.reason}. {rule.fix}."
    return (f"{key}: {choice!r} gives a path the design cannot carry ({finding.detail}); "
            f"choose the way the poster connects it")


def _choice_feedback(name, design, key, options, answer) -> Feedback:
    if _empty(answer):
        return Feedback(name, missing=tuple(f"a choice for {k} ({', '.join(v)})" for k, v in options.items()),
                        hints=("Think of what each tunnel does to audio and video, and which traffic needs a "
                               "hardware load balancer.",))
    if not isinstance(answer, Mapping):
        return Feedback(name, wrong=(repr(answer)[:80],),
                        hints=('Write a dictionary, one choice per item: {"' + next(iter(options)) + '": "..."}',))
    hints, wrong, chosen = [], [], {}
    # An older handout's words still count: each is translated, and the hint gives the data's id.
    renamed_notes: list[str] = []
    answer = current_words(key, answer, renamed_notes)
    for k, v in answer.items():
        if k not in options:
            wrong.append(f"{k}: not an item of this exercise")
            hints.append(_id_hint(options, k, "item") or "")
            continue
        value = str(v).strip()
        if value not in options[k] and value.lower() in options[k]:
            hints.append(f"{k}: write {v!r} as {value.lower()!r}; option names are lower case")
            value = value.lower()
        if value not in options[k]:
            wrong.append(f"{k}: {v}")
            close = difflib.get_close_matches(value, options[k], n=1, cutoff=0.6)
            hints.append(f"{k}: {v!r} is not an option; choose one of {', '.join(options[k])}"
                         + (f" (did you mean {close[0]!r}?)" if close else ""))
            continue
        chosen[k] = value
    scenario = Scenario().with_(**{key: chosen})
    applied = apply_scenario(design, scenario)
    findings = run_checks(applied, scenario)
    rules = {r.id: r for r in load_rules()}
    blamed: dict[str, list] = {}
    for f in findings:
        blamed.setdefault(_choice_key(applied, f, options), []).append(f)
    for k, v in chosen.items():
        for f in blamed.get(k, ()):
            wrong.append(f"{k}: {v} ({rules[f.check].title})")
            hints.append(_learner_hint(design, rules[f.check], f, k, v))
    for f in blamed.get(None, ()):  # a finding no single answer explains
        wrong.append(f"{rules[f.check].title}: {f.detail}")
    missing = tuple(f"a choice for {k}" for k in options if k not in answer)
    correct = tuple(f"{k}: {v}" for k, v in chosen.items() if k not in blamed)
    # The first hint names the first real mistake; a note on an old word comes after.
    hints += renamed_notes
    return Feedback(name, correct, missing, tuple(dict.fromkeys(wrong)), tuple(dict.fromkeys(h for h in hints if h)))


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


def broken_design(design: Design, edits=BROKEN_EDITS) -> Design:
    """The reference design with the colleague's table edits (or other ``edits`` of the same shape)."""
    from dataclasses import replace
    changes = {}
    for table, row_id, values, _ in edits:
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


# --- 7. the certificate plan ------------------------------------------------------------

CERT_DOMAIN = "fabrikam.com"
PUBLIC_CERTIFICATES = ("edge_external", "reverse_proxy")  # the two the exercise asks about
CERT_CHOICES = {"edge_external": "the Edge's external certificate", "reverse_proxy": "the reverse proxy's certificate",
                "internal": "an internal certificate only", "none": "no certificate"}
# Reasons a learner may give for the A/V Edge name; the right one is read from data/certificates.csv.
AV_WRONG_REASONS = ("it only resolves in the internal DNS view", "the reverse proxy presents it",
                    "it is the subject of the internal Edge certificate")


def _lync_certificate_names(design: Design):
    from .certificates import certificate_names
    names = certificate_names(design, CERT_DOMAIN)
    return names[names["presented_by"].isin([design.label(c) for c in ("lync_edge", "lync_vip", "lync_pool")])]


def expected_certificates(design: Design) -> dict[str, str]:
    """name -> the certificate it goes on (a key of CERT_CHOICES), for the Lync names of the Edge, the
    reverse proxy and the pool."""
    names = _lync_certificate_names(design)
    out = {}
    for name, group in names.groupby("name", sort=True):
        on = group[group["role"] != "none"]
        public = [c for c in PUBLIC_CERTIFICATES if c in set(on["certificate"])]
        out[name] = public[0] if public else ("internal" if len(on) else "none")
    return out


def optional_certificate_names(design: Design) -> set[str]:
    names = _lync_certificate_names(design)
    return set(names[names["optional"] == "yes"]["name"])


def av_reasons(design: Design) -> tuple[str, tuple[str, ...]]:
    """(the right reason, every reason offered) why the A/V Edge external name needs no certificate."""
    names = _lync_certificate_names(design)
    row = names[(names["role"] == "none") & names["name"].str.startswith("av.")].iloc[0]
    right = row["purpose"].split(": ", 1)[-1].strip().rstrip(".")
    return right, tuple(sorted((right, *AV_WRONG_REASONS)))


def check_certificate_plan(design: Design, answer: Mapping[str, str] | None, why_av: str | None = None) -> Feedback:
    """``answer``: name -> "edge_external", "reverse_proxy", "internal" or "none"; ``why_av``: one of the
    reasons ``av_reasons`` offers."""
    title = f"Certificate plan for Lync of {CERT_DOMAIN}"
    expected = expected_certificates(design)
    optional = optional_certificate_names(design)
    right_reason, reasons = av_reasons(design)
    av = next(n for n in expected if n.startswith("av."))
    if _empty(answer) and not why_av:
        return Feedback(title, missing=(f"a certificate for each of {len(expected)} names", f"why {av} needs none"),
                        hints=("Each external name belongs to the server that answers it from the Internet: "
                               "the Edge's external interface or the reverse proxy.",))
    if answer is not None and not isinstance(answer, Mapping):
        return Feedback(title, wrong=(repr(answer)[:80],),
                        hints=(f'Write a dictionary: {{"sip.{CERT_DOMAIN}": "edge_external", ...}}',))
    answer = {str(k).strip().lower().rstrip("."): v for k, v in (answer or {}).items()}
    correct, missing, wrong, hints, notes = [], [], [], [], []
    for name, want in expected.items():
        if name not in answer:
            if name not in optional:
                missing.append(f"a certificate for {name}")
            continue
        given = str(answer[name]).strip().lower()
        if given not in CERT_CHOICES:
            wrong.append(f"{name}: {answer[name]}")
            hints.append(f"{name}: choose one of {', '.join(CERT_CHOICES)}")
        elif given == want or (name in optional and given in (want, "none")):
            correct.append(f"{name}: {CERT_CHOICES[given]}")
            if name in optional:
                notes.append(f"{name} is optional: it goes on {CERT_CHOICES[want]} only with XMPP federation")
        else:
            wrong.append(f"{name}: {CERT_CHOICES[given]}")
            if want == "none":
                hints.append(f"{name}: the A/V Edge name is in DNS, but does it carry TLS?")
            elif want == "internal":
                hints.append(f"{name} is an intranet name: no Internet client reaches it, so no public certificate")
            elif given in PUBLIC_CERTIFICATES:
                hints.append(f"{name}: which server answers this name from the Internet? Look at its external "
                             "A record")
            else:
                hints.append(f"{name}: Internet clients reach it over TLS, so a public certificate carries it")
    for name in sorted(set(answer) - set(expected)):
        wrong.append(f"{name}: not one of the names of this exercise")
        hints.append(_id_hint(expected, name, "name of this exercise") or "")
    if not why_av:
        missing.append(f"why {av} needs no certificate")
    elif str(why_av).strip().rstrip(".").lower() == right_reason.lower():
        correct.append(f"{av} needs none: {right_reason}")
    else:
        wrong.append(f"why {av} needs none: {why_av}")
        hints.append(f"{av}: it is in the external DNS view and answered by the A/V Edge; think of what "
                     "travels to it and whether that traffic uses TLS")
    return Feedback(title, tuple(correct), tuple(missing), tuple(wrong), tuple(h for h in hints + notes if h))


# --- 8. trouble tickets: find the broken hop with the trace -------------------------

# Each ticket: the flow a user complains about, what they say, and the port rows removed behind it:
# named ones, or every row that lets the Internet reach a component (whatever protocols the data offers).
TICKETS = (
    ("partner_lync_federation", "A partner company cannot federate with us: their IM and presence never arrive.",
     ("edge_int_sip_5061",)),
    ("roaming_sharepoint_vpn", "A roaming employee on the VPN cannot reach the SharePoint intranet.",
     ("internet->vpn_gateway",)),
)


def _ticket_edits(design: Design, removed: tuple[str, ...]):
    for item in removed:
        source, arrow, target = item.partition("->")
        ids = [p.id for p in design.ports if p.from_ == source and p.to == target] if arrow else [item]
        yield from (("ports", pid, None, "a port row removed") for pid in ids)


def ticket_design(design: Design) -> Design:
    """The design after the changes behind every ticket (the learner is not told what they are)."""
    return broken_design(design, tuple(e for _, _, removed in TICKETS for e in _ticket_edits(design, removed)))


def ticket_traces(design: Design):
    """flow id -> its Trace through the ticket design."""
    from .trace import trace_flow
    broken = ticket_design(design)
    return {flow: trace_flow(broken, flow) for flow, _, _ in TICKETS}


def expected_broken_hops(design: Design) -> dict[str, str]:
    """flow id -> the first hop whose trace step shows MISSING (what the learner must find)."""
    out = {}
    for flow, trace in ticket_traces(design).items():
        missing = trace.steps[(trace.steps == "MISSING").any(axis=1)]
        out[flow] = missing["id"].iloc[0]
    return out


def check_broken_hops(design: Design, answer: Mapping[str, str] | None) -> Feedback:
    """``answer``: ticket flow id -> the component id of the first hop that breaks."""
    title = "Trouble tickets: the broken hop"
    expected = expected_broken_hops(design)
    paths = {f.id: f.path for f in design.flows if f.id in expected}
    if _empty(answer):
        return Feedback(title, missing=tuple(f"the broken hop of {flow}" for flow in expected),
                        hints=("Trace each flow and read it from the top: the first step that shows MISSING is "
                               "where the connection stops.",))
    if not isinstance(answer, Mapping):
        return Feedback(title, wrong=(repr(answer)[:80],),
                        hints=(f'Write a dictionary: {{"{next(iter(expected))}": "component_id"}}',))
    correct, missing, wrong, hints = [], [], [], []
    for flow, want in expected.items():
        if flow not in answer:
            missing.append(f"the broken hop of {flow}")
            continue
        given = str(answer[flow]).strip()
        path = paths[flow]
        if given == want:
            correct.append(f"{flow}: {want}")
            continue
        wrong.append(f"{flow}: {given}")
        if given not in path:
            typo = _id_hint(path, given, f"hop of {flow}")
            hints.append(f"{flow}: " + (typo or f"{given} is not on this flow's path"))
        elif path.index(given) > path.index(want):
            hints.append(f"{flow}: {given} never sees the traffic; the trace breaks earlier, read it from the top")
        else:
            hints.append(f"{flow}: {given} receives its connection; look further along the trace")
    for flow in sorted(set(answer) - set(expected), key=str):
        wrong.append(f"{flow}: not a ticket of this exercise")
    return Feedback(title, tuple(correct), tuple(missing), tuple(wrong), tuple(hints))


@dataclass(frozen=True, repr=False)
class Tickets:
    """The tickets as a learner reads them: each complaint, then the trace of its flow."""

    items: tuple[tuple[str, str, object], ...]  # (flow id, complaint, Trace)

    def __repr__(self) -> str:
        return "\n\n".join(f"{complaint}\n{trace.steps.to_string()}" for _, complaint, trace in self.items)

    def _repr_html_(self) -> str:
        return "".join(f"<h4>Ticket {i}: {html.escape(complaint)}</h4>{trace._repr_html_()}"
                       for i, (_, complaint, trace) in enumerate(self.items, 1))


def tickets(design: Design) -> Tickets:
    traces = ticket_traces(design)
    return Tickets(tuple((flow, complaint, traces[flow]) for flow, complaint, _ in TICKETS))


# --- what the exercises show ------------------------------------------------------------

def rules_table():
    """The design checks a learner answers exercise 05 with: id, area, title."""
    import pandas as pd
    return pd.DataFrame([(r.id, r.applies_to, r.title) for r in load_rules()],
                        columns=["id", "area", "title"]).set_index("id")


def external_names_table(design: Design, domain: str = CERT_DOMAIN):
    """The external A and CNAME records of ``domain``: which name points to which address or host."""
    from .dns import dns_records
    frame = dns_records(design, domain)
    frame = frame[(frame["view"] == "external") & frame["type"].isin(["A", "CNAME"])]
    return frame[["name", "type", "value", "purpose"]].reset_index(drop=True)
