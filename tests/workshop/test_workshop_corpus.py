"""Wrong-answer corpora: for every exercise, the mistakes learners make and the feedback each must give.

Each case is (why, answer, expected) where expected names what must appear in the feedback's parts
(substrings of Correct / Missing / Wrong / Hint). The first hint must name the first real mistake, so
``first_hint`` is checked against hints[0]. Expected texts are derived from the library where they are
facts (the expected paths, the rules' reasons, the broken design's findings, the DNS and certificate
tables), so the corpora follow the data when it is corrected. Every feedback, wrong or right, must never
ask the learner to edit the design's tables.
"""
import re

import pytest

from officenet import workshop
from officenet.loading.loader import load_rules

DOMAIN = "fabrikam.com"
EDIT_DATA = re.compile(r"\b(add|edit|change|correct|remove|delete|fix)\b[^.;]*(\.csv|data/)", re.I)
RULES = {r.id: r for r in load_rules()}


def parts(fb):
    return {"correct": " | ".join(fb.correct), "missing": " | ".join(fb.missing), "wrong": " | ".join(fb.wrong),
            "hints": " | ".join(fb.hints), "first_hint": fb.hints[0] if fb.hints else ""}


def judge(fb, expected):
    got = parts(fb)
    assert "Traceback" not in str(fb)
    for item in fb.wrong + fb.hints + fb.missing:
        assert not EDIT_DATA.search(item), f"feedback asks to edit the design's data: {item}"
    assert fb.passed == expected.get("passed", False), fb
    for part, needles in expected.items():
        if part == "passed":
            continue
        for needle in ([needles] if isinstance(needles, str) else needles):
            assert needle in got[part], f"{part!r} lacks {needle!r}:\n{fb}"


# --- 01 -------------------------------------------------------------------------------

def corpus_01(design):
    paths = workshop.sharepoint_paths(design)
    partner = list(paths["partner_companies"][0])
    vip, fe = partner[-2], partner[-1]
    da, vpn = (list(p) for p in paths["roaming_employees"])
    solved = {u: list(p[0]) for u, p in paths.items()}
    with_ = lambda **kw: {**solved, **kw}
    return [
        ("roaming through the VPN straight to the servers (the issue's case)",
         with_(roaming_employees=[vpn[0], vpn[1], fe]),
         {"wrong": "Roaming employees", "first_hint": f"a hop is missing before {fe}: hop 3 should be {vip}"}),
        ("partners skip the VIP", with_(partner_companies=[partner[0], fe]),
         {"first_hint": f"hop 2 should be {vip}"}),
        ("the path written backwards", with_(partner_companies=partner[::-1]), {"first_hint": "reversed"}),
        ("the user counted as the first hop", with_(partner_companies=["partner_companies", *partner]),
         {"first_hint": "leave the user out"}),
        ("a typo in a component id", with_(individual_partners=[partner[0], vip.replace("_vip", "_vp"), fe]),
         {"first_hint": f"did you mean '{vip}'"}),
        ("an id in another case", with_(partner_companies=[partner[0], vip.upper(), fe]),
         {"first_hint": f"as '{vip}'"}),
        ("internal employees through the gateway", with_(internal_employees=[partner[0], vip, fe]),
         {"wrong": "Internal employees", "first_hint": f"hop 1 ({partner[0]}) is not on this path"}),
        ("the path stops at the VIP", with_(partner_companies=partner[:-1]), {"first_hint": "stops too early"}),
        ("one hop too many", with_(individual_partners=[*partner, "sql_server"] if any(
            c.id == "sql_server" for c in design.components) else [*partner, partner[0]]),
         {"first_hint": "one hop too many"}),
        ("a user type that does not use SharePoint", with_(anonymous_users=[partner[0]]) if "anonymous_users" in
         {u.id for u in design.user_types} else with_(anonymous=[partner[0]]), {"wrong": ""}),
        ("a user type misspelt", with_(roaming_employee=da), {"wrong": "not a user type",
                                                               "hints": "did you mean 'roaming_employees'"}),
        ("one user type left out", {u: p for u, p in solved.items() if u != "partner_companies"},
         {"missing": "partner_companies"}),
        ("a path given as one string", with_(partner_companies=" > ".join(partner)), {"wrong": "Partner companies"}),
    ]


# --- 02 -------------------------------------------------------------------------------

def corpus_02(design):
    expected = sorted(workshop.federation_gateway_ports(design))
    solved = set(expected)
    proto, port, _ = expected[0]
    swap = {"TCP": "UDP", "UDP": "TCP"}
    return [
        ("one rule inbound only", (solved - {expected[0]}) | {(proto, port, "in")},
         {"wrong": f"{proto} {port} in", "first_hint": "check the direction"}),
        ("one rule outbound only", (solved - {expected[0]}) | {(proto, port, "out")},
         {"first_hint": "check the direction"}),
        ("the wrong protocol", (solved - {expected[0]}) | {(swap[proto], port, "both")},
         {"first_hint": "wrong protocol"}),
        ("a client web port added", solved | {("TCP", 80, "in")}, {"wrong": "TCP 80 in", "first_hint": "not of partner"}),
        ("mail to the partners added", solved | {("TCP", 25, "both")}, {"first_hint": "not for Lync federation"}),
        ("an internal port", solved | {("TCP", 1433, "both")}, {"first_hint": "internal port"}),
        ("a typo in the direction", (solved - {expected[0]}) | {(proto, port, "bothh")},
         {"first_hint": "the direction is"}),
        ("the port as text and the protocol in lower case", {(p.lower(), str(n), d) for p, n, d in expected},
         {"passed": True, "correct": f"{proto} {port} both"}),
        ("in and out given as two rules", (solved - {expected[0]}) | {(proto, port, "in"), (proto, port, "out")},
         {"passed": True, "hints": "one rule with \"both\""}),
        ("a rule with two fields", solved | {("TCP", 5061)}, {"wrong": "('TCP', 5061)",
                                                             "first_hint": "(protocol, port, direction)"}),
        ("half of the rules", set(expected[:2]), {"missing": f"{len(expected) - 2} more port rules"}),
        ("a dictionary instead of a set", {"TCP": 5061}, {"hints": "Write a set of rules"}),
    ]


# --- 03 / 04 ---------------------------------------------------------------------------

RA_SOLVED = {"lync": "lync_edge", "sharepoint": "vpn_or_directaccess", "exchange": "reverse_proxy", "owas": "reverse_proxy"}
LB_SOLVED = {"lync_sip": "dns", "lync_web_internal": "layer7", "lync_web_external": "layer7", "exchange_cas": "layer4",
             "sharepoint_web": "layer4", "owas": "layer7"}


def corpus_03(design):
    tunnel = RULES["lync_via_tunnel"]
    w = lambda **kw: {**RA_SOLVED, **kw}
    return [
        ("Office Web Apps through the VPN (the issue's case)", w(owas="vpn"),
         {"wrong": "owas: vpn", "first_hint": "owas: 'vpn' gives a path the design cannot carry"}),
        ("Office Web Apps through DirectAccess", w(owas="directaccess"), {"wrong": "owas: directaccess"}),
        ("Lync through the VPN", w(lync="vpn"), {"wrong": "lync: vpn", "first_hint": tunnel.reason}),
        ("Lync through DirectAccess", w(lync="directaccess"), {"first_hint": tunnel.fix}),
        ("an option name in upper case", w(exchange="REVERSE_PROXY"),
         {"passed": True, "hints": "option names are lower case"}),
        ("a typo in an option", w(sharepoint="vpn_or_direct_access"),
         {"wrong": "sharepoint", "first_hint": "did you mean 'vpn_or_directaccess'"}),
        ("the Edge for SharePoint (Lync only)", w(sharepoint="lync_edge"), {"first_hint": "is not an option"}),
        ("a product left out", {k: v for k, v in RA_SOLVED.items() if k != "owas"}, {"missing": "a choice for owas"}),
        ("a product that is not asked", w(sql="vpn"), {"wrong": "sql: not an item"}),
        ("a product misspelt", {**{k: v for k, v in RA_SOLVED.items() if k != "owas"}, "owa": "reverse_proxy"},
         {"wrong": "owa: not an item", "hints": "did you mean 'owas'", "missing": "a choice for owas"}),
        ("a list instead of a dictionary", ["lync_edge", "vpn"], {"hints": "Write a dictionary"}),
    ]


def corpus_04(design):
    dns = RULES["lync_web_dns_lb"]
    w = lambda **kw: {**LB_SOLVED, **kw}
    return [
        ("DNS load balancing for Lync web", w(lync_web_internal="dns"), {"wrong": "lync_web_internal: dns", "first_hint": dns.reason}),
        ("an option that does not exist", w(lync_web="round_robin"), {"first_hint": "is not an option"}),
        ("layer 7 for Lync SIP", w(lync_sip="layer7"), {"first_hint": "choose one of dns, layer4"}),
        ("DNS for Exchange", w(exchange_cas="dns"), {"first_hint": "choose one of layer4, layer7"}),
        ("an option in another case", w(sharepoint="Layer7"), {"passed": True, "hints": "lower case"}),
        ("a typo", w(owas="layer-7"), {"first_hint": "did you mean 'layer7'"}),
        ("one item left out", {k: v for k, v in LB_SOLVED.items() if k != "exchange_cas"},
         {"missing": "a choice for exchange_cas"}),
        ("an item name in another form", {**{k: v for k, v in LB_SOLVED.items() if k != "lync_sip"},
                                          "lync-sip": "dns"}, {"wrong": "lync-sip: not an item"}),
        ("a remote-access answer given here", w(lync="lync_edge"), {"wrong": "lync: not an item"}),
        ("a set instead of a dictionary", {"dns", "hardware"}, {"hints": "Write a dictionary"}),
        ("an empty choice", w(owas=""), {"first_hint": "'' is not an option"}),
    ]


# --- 05 -------------------------------------------------------------------------------

def corpus_05(design):
    found = sorted({f.check for f in workshop.broken_findings(design)})
    not_found = sorted(set(RULES) - set(found))
    areas = lambda ids: {RULES[i].applies_to for i in ids}
    dropped = found[0]
    return [
        ("one mistake overlooked", found[1:], {"missing": f"about {RULES[dropped].applies_to}"}),
        ("a rule the design keeps added", found + not_found[:1], {"wrong": not_found[0],
                                                                  "first_hint": "its reason says when it applies"}),
        ("a typo in an id", found[1:] + [dropped + "s"], {"first_hint": "is not a check id"}),
        ("an id in upper case", found[1:] + [dropped.upper()], {"first_hint": f"'{dropped.upper()}' is not a check id"}),
        ("the titles instead of the ids", [RULES[i].title for i in found], {"first_hint": "is not a check id"}),
        ("only the scenario's mistakes", [i for i in found if RULES[i].applies_to in ("remote access",
                                                                                      "load balancing")],
         {"missing": sorted(areas(found) - {"remote access", "load balancing"})[0]}),
        ("one id as a string", found[0], {"hints": "as a list of check ids"}),
        ("numbers", [1, 2], {"hints": "as a list of check ids"}),
        ("every rule ticked", sorted(RULES), {"wrong": not_found[0]}),
        ("nothing but wrong ids", not_found[:3], {"wrong": not_found[0], "missing": "mistake"}),
    ]


# --- 06 -------------------------------------------------------------------------------

def corpus_06(design):
    full = [(v, n, t, p) if p else (v, n, t) for (v, n, t), p in workshop.expected_dns_records(design, DOMAIN).items()]
    without = lambda name, view="external": [r for r in full if not (r[1] == name and r[0] == view)]
    srv = next(r for r in full if r[2] == "SRV" and r[0] == "external")
    return [
        ("lyncdiscover in the internal view instead", without(f"lyncdiscover.{DOMAIN}") + [
            ("internal", f"lyncdiscover.{DOMAIN}", "A")],
         {"missing": f"external A lyncdiscover.{DOMAIN}", "first_hint": "belongs in the external view only"}),
        ("lyncdiscoverinternal published on the Internet", full + [("external", f"lyncdiscoverinternal.{DOMAIN}", "A")],
         {"first_hint": "belongs in the internal view only"}),
        ("the old domain", full + [("external", "sip.contoso.com", "A")], {"first_hint": f"is not in {DOMAIN}"}),
        ("a CNAME where an A is needed", without(f"webext.{DOMAIN}") + [("external", f"webext.{DOMAIN}", "CNAME")],
         {"first_hint": "check the record type"}),
        ("the wrong SRV port", [r for r in full if r != srv] + [(*srv[:3], srv[3] + 1)],
         {"first_hint": "wrong port"}),
        ("a view that does not exist", full + [("both", f"meet.{DOMAIN}", "A")], {"first_hint": '"external"'}),
        ("a record of nobody", full + [("external", f"chat.{DOMAIN}", "A")], {"first_hint": "no such record"}),
        ("one record left out", without(f"meet.{DOMAIN}"), {"missing": f"external A meet.{DOMAIN}"}),
        ("a record with two fields", full + [("external", f"sip.{DOMAIN}")], {"first_hint": "write (view, name, type)"}),
        ("an SRV pointing at a name with no A record", without(f"sip.{DOMAIN}") + [
            (*srv[:3], srv[3], f"sip.{DOMAIN}")], {"hints": "which has no A record in your external view"}),
        ("one string instead of a list", f"sip.{DOMAIN}", {"hints": "Write a list of tuples"}),
    ]


# --- 07 -------------------------------------------------------------------------------

def corpus_07(design):
    expected = workshop.expected_certificates(design)
    right, reasons = workshop.av_reasons(design)
    wrong_reason = next(r for r in reasons if r != right)
    av = next(n for n in expected if n.startswith("av."))
    edge = next(n for n, c in expected.items() if c == "edge_external" and n.startswith("sip."))
    rp = next(n for n, c in expected.items() if c == "reverse_proxy" and n.startswith("webext."))
    internal = next(n for n, c in expected.items() if c == "internal")
    full = dict(expected)
    w = lambda **kw: ({**full, **{k.replace("_", "."): v for k, v in kw.items()}}, right)
    return [
        ("the A/V Edge name on the Edge certificate", w(**{av.replace(".", "_"): "edge_external"}),
         {"wrong": av, "first_hint": "does it carry TLS"}),
        ("sip on the reverse proxy", w(**{edge.replace(".", "_"): "reverse_proxy"}),
         {"first_hint": "which server answers this name from the Internet"}),
        ("webext on the Edge", w(**{rp.replace(".", "_"): "edge_external"}), {"first_hint": "external A record"}),
        ("an intranet name on a public certificate", w(**{internal.replace(".", "_"): "edge_external"}),
         {"first_hint": "intranet name"}),
        ("a public name with no certificate", w(**{rp.replace(".", "_"): "none"}),
         {"first_hint": "public certificate carries it"}),
        ("a wrong reason for av", (full, wrong_reason), {"wrong": f"why {av} needs none", "first_hint": "TLS"}),
        ("no reason for av", (full, None), {"missing": f"why {av} needs no certificate"}),
        ("a certificate name misspelt", w(**{edge.replace(".", "_"): "edge-external"}),
         {"first_hint": "choose one of edge_external"}),
        ("a name of another domain", ({**full, "sip.contoso.com": "edge_external"}, right),
         {"wrong": "sip.contoso.com: not one of the names"}),
        ("one name left out", ({n: c for n, c in full.items() if n != rp}, right), {"missing": rp}),
        ("names in upper case with a final dot", ({n.upper() + ".": c for n, c in full.items()}, right),
         {"passed": True}),
        ("a list instead of a dictionary", (list(full), right), {"hints": "Write a dictionary"}),
    ]


# --- 08 -------------------------------------------------------------------------------

def corpus_08(design):
    expected = workshop.expected_broken_hops(design)
    paths = {f.id: f.path for f in design.flows if f.id in expected}
    fed, vpn = list(expected)
    before = lambda f: paths[f][paths[f].index(expected[f]) - 1]
    after = lambda f: paths[f][paths[f].index(expected[f]) + 1]
    w = lambda **kw: {**expected, **kw}
    return [
        ("the hop before the break", w(**{fed: before(fed)}), {"wrong": fed, "first_hint": "look further along"}),
        ("the hop after the break", w(**{vpn: after(vpn)}), {"first_hint": "breaks earlier"}),
        ("the user as the broken hop", w(**{vpn: paths[vpn][0]}), {"first_hint": "look further along"}),
        ("a component off the path", w(**{fed: "sharepoint_fe"}), {"first_hint": "'sharepoint_fe' is not a hop of"}),
        ("a typo in the id", w(**{fed: expected[fed] + "x"}), {"first_hint": f"did you mean '{expected[fed]}'"}),
        ("the label instead of the id", w(**{fed: design.label(expected[fed])}), {"first_hint": fed}),
        ("the id in upper case", w(**{vpn: expected[vpn].upper()}), {"first_hint": f"as '{expected[vpn]}'"}),
        ("one ticket left out", {fed: expected[fed]}, {"missing": vpn}),
        ("a flow that is not a ticket", w(roaming_exchange="exchange_cas"), {"wrong": "not a ticket"}),
        ("the last hop of every flow", {f: p[-1] for f, p in paths.items()},
         {"wrong": vpn, "hints": "breaks earlier"}),
        ("a list of hops", [expected[fed]], {"hints": "Write a dictionary"}),
    ]


# --- 09 -------------------------------------------------------------------------------

def corpus_09(design):
    full = sorted(workshop.expected_migration(design))
    gateway = next(e for e in full if e[1] == "gateway" and e[0] == "removed")
    addition = next(e for e in full if e[0] == "added")
    record = next(e for e in full if e[1] == "dns" and e[2].endswith(" A"))
    name = next(e for e in full if e[1] == "certificates")
    without = lambda item: [e for e in full if e != item]
    swap = lambda old, **kw: without(old) + [tuple(kw.get(k, v) for k, v in zip(("change", "area", "item"), old))]
    domain = workshop.migration_organisations(design)[0].scenario.domain
    return [
        ("a removal called an addition", swap(gateway, change="added"),
         {"wrong": f"added gateway {gateway[2]}", "first_hint": f"{gateway[2]} is removed, not added"}),
        ("an addition called a removal", swap(addition, change="removed"),
         {"wrong": f"removed {addition[1]} {addition[2]}", "first_hint": f"{addition[2]} is added, not removed"}),
        ("a record under certificates", without(record) + [("removed", "certificates", record[2])],
         {"missing": record[2], "first_hint": "is a difference in dns"}),
        ("a kept record named as removed", full + [("removed", "dns", f"sip.{domain} A")],
         {"first_hint": "the migration keeps it"}),
        ("a renamed product's permit as a change", full + [("changed", "gateway", "in-lync-edge-tcp-443")],
         {"first_hint": "a product's new name is no change"}),
        ("a permit id misspelt", swap(gateway, item=gateway[2] + "x"),
         {"missing": gateway[2], "first_hint": f"did you mean {gateway[2]!r}"}),
        ("a record without its type", swap(record, item=record[2].split(" ")[0]),
         {"first_hint": "write the record as 'name TYPE'"}),
        ("an area that does not exist", full + [("removed", "firewall", gateway[2])],
         {"first_hint": "the area is one of gateway, dns, certificates"}),
        ("a change word that does not exist", full + [("dropped", "gateway", gateway[2])],
         {"first_hint": "the change is one of added, removed, changed"}),
        ("one certificate name left out", without(name), {"missing": f"removed certificates {name[2]}"}),
        ("a pair instead of a triple", full + [("removed", gateway[2])], {"first_hint": "write (change, area, item)"}),
        ("a name of nobody", full + [("removed", "certificates", f"chat.{domain}")],
         {"first_hint": "not a certificates item of either release"}),
        ("one string instead of a list", gateway[2], {"hints": "Write a list of tuples"}),
        ("upper case names with a final dot", [(c.upper(), a.upper(), i.upper() + ".") for c, a, i in full],
         {"passed": True}),
    ]


CORPORA = {
    "01": (corpus_01, lambda d, a: workshop.check_sharepoint_paths(d, a)),
    "02": (corpus_02, lambda d, a: workshop.check_federation_ports(d, a)),
    "03": (corpus_03, lambda d, a: workshop.check_remote_access(d, a)),
    "04": (corpus_04, lambda d, a: workshop.check_load_balancing(d, a)),
    "05": (corpus_05, lambda d, a: workshop.check_mistakes(d, a)),
    "06": (corpus_06, lambda d, a: workshop.check_dns_records(d, DOMAIN, a)),
    "07": (corpus_07, lambda d, a: workshop.check_certificate_plan(d, *a)),
    "08": (corpus_08, lambda d, a: workshop.check_broken_hops(d, a)),
    "09": (corpus_09, lambda d, a: workshop.check_migration(d, a)),
}


@pytest.mark.parametrize("exercise", sorted(CORPORA))
def test_each_corpus_has_at_least_ten_distinct_wrong_answers(design, exercise):
    corpus = CORPORA[exercise][0](design)
    assert len(corpus) >= 10
    assert len({why for why, _, _ in corpus}) == len(corpus)
    assert sum(not e.get("passed", False) for _, _, e in corpus) >= 10


@pytest.mark.parametrize("exercise", sorted(CORPORA))
def test_each_wrong_answer_gets_its_feedback(design, exercise):
    build, check = CORPORA[exercise]
    for why, answer, expected in build(design):
        try:
            judge(check(design, answer), expected)
        except AssertionError as error:
            raise AssertionError(f"exercise {exercise}, {why}: {error}") from None


def test_a_check_that_cannot_fail_would_be_caught(design):
    """The judge itself fails on feedback that lacks what a case expects, or that asks to edit data/."""
    fb = workshop.Feedback("x", wrong=("a",), hints=("Add the port row the hop needs to ports.csv",))
    with pytest.raises(AssertionError):
        judge(fb, {"wrong": "a"})
    with pytest.raises(AssertionError):
        judge(workshop.Feedback("x", wrong=("a",), hints=("b",)), {"first_hint": "c"})
