"""What a migration from one release to another changes: gateway permits, DNS records and certificate
names added, removed or changed, each with the sourced row behind it.

Pure: two organisations in (the same answers on two releases, as scenarios/contoso.yaml and
contoso-current.yaml), one table out. Items are keyed by what stays the same across releases (a permit's
id, a record's view, name and type, a certificate's name), so a product renamed between editions
(Lync Server to Skype for Business Server) is neither a removal and an addition nor a change: a change is
another port, address, record value or certificate issuer, never another label.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from .organisation import Organisation, relative

AREAS = ("gateway", "dns", "certificates")
CHANGES = ("added", "removed", "changed")
COLUMNS = ["area", "change", "item", "detail", "row", "source"]


@dataclass(frozen=True)
class _Item:
    key: str        # what identifies the item in both releases
    detail: str     # what it is, in words
    row: str        # the id of the data row behind it
    source: str     # that row's source keys
    compared: tuple  # what must be equal for the item to be unchanged


def _gateway(org: Organisation) -> dict[str, _Item]:
    return {r["permit"]: _Item(r["permit"], f"{r['direction']} {r['protocol']} {r['ports']}: {r['from']} -> {r['to']}",
                               str(r["port rows"]), str(r["source"]),
                               (r["direction"], r["protocol"], r["ports"], r["from address"], r["to address"],
                                r["port rows"]))
            for r in org.artefact("gateway").to_dict("records")}


def _dns(org: Organisation) -> dict[str, _Item]:
    out = {}
    for r in org.artefact("dns").to_dict("records"):
        name = relative(r["name"], org.scenario)
        port = f" {r['port']}" if r["type"] == "SRV" else ""
        key = f"{r['view']} {name} {r['type']}{port}"
        value = "<address>" if r["type"] == "A" else relative(r["value"], org.scenario)
        out[key] = _Item(key, f"{r['view']} {r['name']} {r['type']}{port} {value}".strip(), str(r["id"]),
                         str(r["source"]), (value,))
    return out


def _certificates(org: Organisation) -> dict[str, _Item]:
    out = {}
    for r in org.artefact("certificates").to_dict("records"):
        key = f"{r['certificate']} {r['relative name']}"
        out[key] = _Item(key, f"{r['name']} on the {r['certificate']} certificate ({r['role']})", str(r["id"]),
                         str(r["source"]), (r["role"], r["issuer"]))
    return out


_AREAS: dict[str, Callable[[Organisation], dict[str, _Item]]] = {
    "gateway": _gateway, "dns": _dns, "certificates": _certificates}


def migration(before: Organisation, after: Organisation) -> pd.DataFrame:
    """One row per difference: area (gateway, dns, certificates), change (added, removed, changed), the item's
    key, what it is in words, and the data row and source behind it (the new row for added and changed items,
    the old one for removed items; a change names both details, before -> after)."""
    rows = []
    for area, items_of in _AREAS.items():
        old, new = items_of(before), items_of(after)
        for key in sorted(old.keys() | new.keys()):
            a, b = old.get(key), new.get(key)
            if a and not b:
                rows.append((area, "removed", key, a.detail, a.row, a.source))
            elif b and not a:
                rows.append((area, "added", key, b.detail, b.row, b.source))
            elif a.compared != b.compared:
                rows.append((area, "changed", key, f"{a.detail}  ->  {b.detail}", b.row, b.source))
    return pd.DataFrame(rows, columns=COLUMNS)


def area_items(org: Organisation, area: str) -> dict[str, str]:
    """key -> what it is in words, for every item of one area of an organisation (what a migration keeps too)."""
    return {k: i.detail for k, i in _AREAS[area](org).items()}


def names(frame: pd.DataFrame, area: str, change: str) -> tuple[str, ...]:
    """The keys of one area's added, removed or changed items (the answer key of the migration exercise)."""
    return tuple(frame[(frame["area"] == area) & (frame["change"] == change)]["item"])


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """How many items each area adds, removes and changes (zeros shown: 'nothing added' is an answer too)."""
    counts = {(a, c): 0 for a in AREAS for c in CHANGES}
    for (a, c), n in frame.groupby(["area", "change"]).size().items():
        counts[(a, c)] = int(n)
    return pd.DataFrame([{"area": a, **{c: counts[(a, c)] for c in CHANGES}} for a in AREAS])


MARKS = {"added": "#e8f5e9", "removed": "#fdecea", "changed": "#fff8e1"}  # green, red, amber backgrounds


def marked(frame: pd.DataFrame):
    """The differences as a table whose rows are coloured by their change (text escaped for HTML)."""
    import hashlib
    colour = lambda row: [f"background-color: {MARKS.get(row['change'], '')}"] * len(row)
    # The table's CSS ids come from its content, not pandas' random uuid: the same frame gives the same
    # HTML (stored notebook outputs, handouts), and two tables on one page keep their own styles.
    uuid = "m" + hashlib.sha256(frame.to_csv().encode()).hexdigest()[:10]
    return frame.style.set_uuid(uuid).apply(colour, axis=1).format(escape="html").hide(axis="index")


def lifecycle_side_by_side(before: Organisation, after: Organisation, today: str) -> pd.DataFrame:
    """The lifecycle findings of both organisations on the same given day (never the clock), with the
    release each belongs to: what is out of support, deprecated or ending, its dates and its successor."""
    import datetime

    from .lifecycle import lifecycle_findings
    day = datetime.date.fromisoformat(today)
    return pd.DataFrame([{"release": org.design.release, "subject": subject, "finding": detail}
                         for org in (before, after)
                         for subject, detail in lifecycle_findings(org.design, org.scenario.products, day)],
                        columns=["release", "subject", "finding"])
