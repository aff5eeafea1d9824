"""Exercise 9: name what a migration from the 2013 products to today's editions changes at the gateway,
in DNS and in the certificates.

The organisation is the reference one with the XMPP gateway switched on (so that Lync's XMPP federation
has something to lose); today's editions take the reference answers of the current release. The answer
key is ``derive.migration`` on those two organisations, so the exercise follows the data.
"""
from __future__ import annotations

from ..derive.migration import AREAS, CHANGES, area_items, migration
from ..derive.organisation import Organisation, organisation
from ..model.design import Design
from ..model.scenario import Scenario
from .feedback import Feedback, empty_answer, id_hint

MIGRATION_TITLE = "What the migration to today's editions changes"


def migration_organisations(design: Design) -> tuple[Organisation, Organisation]:
    """(before, after): the reference organisation on the 2013 products with the XMPP gateway, and on today's."""
    before = Scenario.default_for(design, release="2013", xmpp=True, name="Contoso 2013 (with XMPP)")
    after = Scenario.default_for(design, release="current", name="Contoso today")
    return organisation(design, before), organisation(design, after)


def _absolute(key: str, org: Organisation) -> str:
    """An item's key with the organisation's names, as the learner reads them in its tables."""
    s = org.scenario
    return key.replace("{internal}", s.internal_namespace).replace("{domain}", s.domain)


def _learner_key(area: str, key: str, org: Organisation) -> str:
    """What the learner writes for an item: a permit's id, a record's 'name TYPE', a certificate's name."""
    text = _absolute(key, org)
    if area == "dns":
        _view, name, rtype, *_ = text.split(" ")
        return f"{name.lower()} {rtype.upper()}"
    if area == "certificates":
        return text.split(" ", 1)[1].lower()
    return text


def expected_migration(design: Design, orgs: tuple[Organisation, Organisation] | None = None
                       ) -> set[tuple[str, str, str]]:
    """(change, area, item) for every difference of the exercise's migration (``orgs``: its two organisations,
    when the caller has them)."""
    before, after = orgs or migration_organisations(design)
    return {(r["change"], r["area"], _learner_key(r["area"], r["item"], before))
            for r in migration(before, after).to_dict("records")}


def _kept(before: Organisation, after: Organisation) -> dict[str, set[str]]:
    """area -> the items both releases have (a migration keeps them)."""
    return {a: {_learner_key(a, k, before) for k in area_items(before, a)}
            & {_learner_key(a, k, after) for k in area_items(after, a)} for a in AREAS}


def _normal(area: str, item: str) -> str:
    item = " ".join(str(item).split()).rstrip(".")
    if area == "dns":
        name, _, rtype = item.partition(" ")
        return f"{name.lower().rstrip('.')} {rtype.upper()}".strip()
    return item.lower()


def check_migration(design: Design, answer) -> Feedback:
    """``answer``: one (change, area, item) per difference: change 'added', 'removed' or 'changed'; area
    'gateway' (item: the permit's id), 'dns' (item: 'name TYPE') or 'certificates' (item: the name)."""
    orgs = migration_organisations(design)
    expected = expected_migration(design, orgs)
    if empty_answer(answer):
        return Feedback(MIGRATION_TITLE,
                        missing=tuple(f"{sum(e[1] == a for e in expected)} differences in {a}" for a in AREAS),
                        hints=("Which remote access of 2013 is replaced today, and which feature of "
                               "Lync is gone from Skype for Business Server? Follow each to the gateway, DNS and "
                               "the certificates. Then what today's editions add: the A/V Edge's other media "
                               "transport, and what SharePoint reads to sign users in with OpenID Connect.",))
    if isinstance(answer, (str, bytes, dict)) or not hasattr(answer, "__iter__"):
        return Feedback(MIGRATION_TITLE, wrong=(repr(answer)[:80],),
                        hints=('Write a list of tuples such as ("removed", "gateway", "in-...-tcp-443").',))
    kept, known = _kept(*orgs), {e[2] for e in expected}
    correct, wrong, hints, given = [], [], [], set()
    for item in answer:
        if not isinstance(item, (tuple, list)) or len(item) != 3:
            wrong.append(repr(item)[:80])
            hints.append(f"{repr(item)[:80]}: write (change, area, item)")
            continue
        change, area = (str(x).strip().lower() for x in item[:2])
        what = _normal(area, item[2])
        text = f"{change} {area} {what}"
        if change not in CHANGES or area not in AREAS:
            wrong.append(text)
            bad = ("change", change, CHANGES) if change not in CHANGES else ("area", area, AREAS)
            hints.append(f"{bad[1]!r}: the {bad[0]} is one of {', '.join(bad[2])}")
            continue
        if (change, area, what) in given:
            continue  # the same difference written twice counts once
        given.add((change, area, what))
        if (change, area, what) in expected:
            correct.append(text)
            continue
        wrong.append(text)
        other = next((e for e in expected if e[1:] == (area, what)), None)
        elsewhere = next((e for e in expected if e[2].lower() == what.lower() and e[1] != area), None)
        if area == "dns" and " " not in what:
            hints.append(f"{what}: write the record as 'name TYPE', such as '{what} A'")
        elif other:
            hints.append(f"{what} is {other[0]}, not {change}")
        elif elsewhere:
            hints.append(f"{what} is a difference in {elsewhere[1]}, not in {area}")
        elif what in kept[area]:
            hints.append(f"{what} is in both releases: the migration keeps it (a product's new name is no change)")
        else:
            near = id_hint(known | kept[area], what, f"{area} item of either release")
            hints.append(near or f"{what} is not a {area} item of either release")
    missing = tuple(f"{c} {a} {w}" for c, a, w in sorted(expected - given))
    return Feedback(MIGRATION_TITLE, tuple(correct), missing, tuple(wrong), tuple(hints))
