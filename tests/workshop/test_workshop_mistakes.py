"""Workshop 05: the broken design's mistakes come from the library's own checks."""
from officenet import workshop


def test_broken_design_breaks_the_rules_the_issue_lists(design):
    found = {f.check for f in workshop.broken_findings(design)}
    # wrong port, missing record, VPN for Lync, DNS load balancing for Lync web, a permit with no flow
    assert {"vip_port_mismatch", "lyncdiscoverinternal_internal_only", "name_in_dns", "lync_via_tunnel",
            "lync_web_dns_lb", "permit_without_flow"} <= found


def test_blank_answer_names_areas_not_ids(design):
    fb = workshop.check_mistakes(design, [])
    assert "2 mistakes about DNS" in fb.missing and not fb.passed
    assert not any("vip_port_mismatch" in m for m in fb.missing)


def test_full_answer_passes_and_unknown_ids_get_a_hint(design):
    ids = sorted({f.check for f in workshop.broken_findings(design)})
    assert workshop.check_mistakes(design, ids).passed
    fb = workshop.check_mistakes(design, ids + ["uag"])
    assert fb.wrong == ("uag",) and any("not a check id" in h for h in fb.hints)


def test_garbage_answer_is_feedback(design):
    for garbage in ("uag_for_lync", [1, 2], {"a": 1}):
        fb = workshop.check_mistakes(design, garbage)
        assert not fb.passed and fb.hints


def test_edits_are_shown_and_leave_the_reference_alone(design):
    broken = workshop.broken_design(design)
    assert any(r.id == "int_lyncdiscoverinternal" for r in design.dns_records)
    assert not any(r.id == "int_lyncdiscoverinternal" for r in broken.dns_records)
    assert next(p for p in broken.ports if p.id == "rp_to_web_4443").port == (443, 443)
    assert len(workshop.broken_edits()) == 2 and "ports.csv" in workshop.broken_edits()[0]
