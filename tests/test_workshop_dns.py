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
    for garbage in ("sip.fabrikam.com", 42, [("external", "sip")], [None]):
        fb = workshop.check_dns_records(design, DOMAIN, garbage)
        assert not fb.passed and fb.hints
