"""Exercise 6: write the DNS records of Lync and inbound mail (EOP) for a new domain."""
from __future__ import annotations

from ..model.design import Design
from ..derive.dns import dns_records
from .feedback import Feedback, empty_answer


DNS_PRODUCTS = ("lync", "eop")  # the exercise: Lync, and inbound mail through EOP


def _in_exercise(design: Design, frame):
    wanted = {design.label(p) for p in DNS_PRODUCTS if any(x.id == p for x in design.products)}
    return frame["product"].isin(wanted) & (frame["optional"] != "yes")


def expected_dns_records(design: Design, domain: str, frame=None) -> dict[tuple[str, str, str], int | None]:
    """(view, name, type) -> SRV port, for the required Lync and EOP records of ``domain``
    (``frame``: its records from ``dns_records``, when the caller has them already)."""
    frame = dns_records(design, domain) if frame is None else frame
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
    frame = dns_records(design, domain)
    expected = expected_dns_records(design, domain, frame)
    targets = {(r["view"], r["name"], "SRV"): r["value"] for _, r in frame[frame["type"] == "SRV"].iterrows()}
    # Real records of the domain that the exercise does not ask for: optional ones, other products'.
    extra = {(r["view"], r["name"], r["type"]): ("optional" if r["optional"] == "yes" else r["product"])
             for _, r in frame[~_in_exercise(design, frame)].iterrows()}
    text = lambda key: f"{key[0]} {key[2]} {key[1]}"
    if empty_answer(answer):
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
