"""Exercise 1, read the poster: who reaches SharePoint, and along which path."""
from __future__ import annotations

from typing import Iterable, Mapping

from ..model.design import Design
from .feedback import Feedback, empty_answer, id_hint


def sharepoint_paths(design: Design) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for f in design.flows:
        if f.product == "sharepoint" and f.user_type:
            out.setdefault(f.user_type, []).append(f.path[1:])
    return out


def _common_prefix(a, b) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def _path_hint(design: Design, user: str, given: tuple[str, ...], paths: list[tuple[str, ...]]) -> str:
    """The first real mistake of a path: a misspelt id, a reversed path, the user counted as a hop,
    a hop left out (a VIP, say), a hop too many, or a wrong device; compared with the expected path
    that agrees with the answer longest."""
    who = design.label(user)
    ids = {c.id for c in design.components}
    for i, hop in enumerate(given):
        typo = id_hint(ids, hop, "component id")
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
    if empty_answer(answer):
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
            hints.append(id_hint(users, user, "user type"))
    return Feedback(name, tuple(correct), tuple(missing), tuple(wrong), tuple(hints))
