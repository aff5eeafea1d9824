"""Workshop 06: DNS records for a new domain, checked against the library's own record table."""
from officenet import workshop

DOMAIN = "fabrikam.com"


def full_answer(design):
    return [(v, n, t, p) if p else (v, n, t) for (v, n, t), p in workshop.expected_dns_records(design, DOMAIN).items()]


def test_expected_records_are_lync_and_mail_in_both_views(design):
    expected = workshop.expected_dns_records(design, DOMAIN)
    assert ("external", "lyncdiscover.fabrikam.com", "A") in expected
    assert ("internal", "lyncdiscoverinternal.fabrikam.com", "A") in expected
    assert expected[("external", "_sip._tls.fabrikam.com", "SRV")] == 443
    assert ("external", "fabrikam.com", "MX") in expected
    assert not any("xmpp" in name or "partnerweb" in name for _, name, _ in expected)  # optional, other product


def test_blank_names_how_many_per_view(design):
    fb = workshop.check_dns_records(design, DOMAIN, [])
    assert not fb.passed and any("external view" in m for m in fb.missing)


def test_full_answer_passes_in_any_case_and_with_a_final_dot(design):
    answer = [(v.upper(), n + ".", t.lower(), *rest) for v, n, t, *rest in full_answer(design)]
    assert workshop.check_dns_records(design, DOMAIN, answer).passed


def test_each_kind_of_mistake_is_named_with_a_hint(design):
    answer = full_answer(design)
    answer.remove(("external", "lyncdiscover.fabrikam.com", "A"))
    answer += [("internal", "lyncdiscover.fabrikam.com", "A"), ("external", "sip.contoso.com", "A"),
               ("external", "webext.fabrikam.com", "CNAME"), ("external", "_sip._tls.fabrikam.com", "SRV", 5061)]
    fb = workshop.check_dns_records(design, DOMAIN, answer)
    assert fb.missing == ("external A lyncdiscover.fabrikam.com",)
    assert "internal A lyncdiscover.fabrikam.com" in fb.wrong
    hints = " | ".join(fb.hints)
    for expected in ("belongs in the external view only", "is not in fabrikam.com", "check the record type",
                     "wrong port"):
        assert expected in hints


def test_garbage_is_feedback_not_a_traceback(design):
    for garbage in ("sip.fabrikam.com", 42, [("external", "sip")], [None], {"external": ["sip"]},
                    [("external", "sip.fabrikam.com", "SRV", None, object(), 1)], [("external", None, 3, [443])]):
        fb = workshop.check_dns_records(design, DOMAIN, garbage)
        assert not fb.passed and fb.hints


def test_optional_and_other_products_records_are_accepted_not_required(design):
    answer = full_answer(design) + [("external", "xmpp.fabrikam.com", "A"), ("internal", "mail.fabrikam.com", "A")]
    fb = workshop.check_dns_records(design, DOMAIN, answer)
    assert fb.passed, fb
    hints = " | ".join(fb.hints)
    assert "xmpp.fabrikam.com is right but not asked for here (optional)" in hints
    assert "mail.fabrikam.com is right but not asked for here (a Exchange record)" in hints


def test_srv_target_is_checked_and_needs_an_a_record(design):
    answer = [r for r in full_answer(design) if r[1] != "sip.fabrikam.com"]
    answer = [r for r in answer if r[2] != "SRV"] + [
        ("external", "_sip._tls.fabrikam.com", "SRV", 443, "sip.fabrikam.com"),
        ("external", "_sipfederationtls._tcp.fabrikam.com", "SRV", "sip.fabrikam.com", "5061"),  # either order
        ("internal", "_sipinternaltls._tcp.fabrikam.com", "SRV", 5061, "sip.fabrikam.com")]  # should be the pool
    fb = workshop.check_dns_records(design, DOMAIN, answer)
    assert fb.missing == ("external A sip.fabrikam.com",)
    assert fb.wrong == ("internal SRV _sipinternaltls._tcp.fabrikam.com target sip.fabrikam.com",)
    hints = " | ".join(fb.hints)
    assert "_sip._tls.fabrikam.com points to sip.fabrikam.com, which has no A record in your external view" in hints
    assert "_sipinternaltls._tcp.fabrikam.com: right record, wrong target" in hints
    assert "_sipinternaltls._tcp.fabrikam.com points to sip.fabrikam.com, which has no A record in your internal" \
        in hints


def test_ports_read_as_numbers_and_duplicates_count_once(design):
    answer = [(*r[:3], "443.0") if r[1] == "_sip._tls.fabrikam.com" else r for r in full_answer(design)]
    fb = workshop.check_dns_records(design, DOMAIN, answer + answer[:2])
    assert fb.passed and len(fb.correct) == len(workshop.expected_dns_records(design, DOMAIN))


def test_unknown_view_gets_a_hint(design):
    fb = workshop.check_dns_records(design, DOMAIN, [("both", "meet.fabrikam.com", "A")])
    assert "both A meet.fabrikam.com" in fb.wrong and any('"external"' in h for h in fb.hints)
