"""officenet's permit table and aerleon's own ACL check give the same answer to every question."""
import pytest

from officenet.derive.acls import AclExportError, generate
from officenet.derive.gateway import permits
from officenet.derive.permitcheck import CLOSED_PORT, AerleonCheck, compare_answers, officenet_answer, questions


@pytest.mark.parametrize("options", [None, "all"])
def test_officenet_and_aerleon_agree_on_every_question(design, options):
    opts = [o.id for o in design.gateway_options] if options == "all" else None
    answers = compare_answers(design, opts)
    assert len(answers) >= 30
    assert [(q, a) for q, a, b in answers if a != b] == []
    assert {a is None for _, a, _ in answers} == {True, False}  # both permitted and denied questions


def test_closed_port_and_a_stranger_to_the_mail_port_are_denied(design):
    rows = permits(design)
    smtp = next(q for q in questions(rows) if q.port == 25 and q.src != "192.0.2.77")
    assert officenet_answer(rows, smtp) == "in-exchange-vip-tcp-25"
    stranger = next(q for q in questions(rows) if q.port == 25 and q.src == "192.0.2.77")
    checker = AerleonCheck(design)
    assert officenet_answer(rows, stranger) is None and checker.answer(stranger) is None  # only EOP may send
    closed = next(q for q in questions(rows) if q.port == CLOSED_PORT)
    assert checker.answer(closed) is None


def test_a_packet_from_port_53_cannot_reach_any_udp_port_of_the_edge(design):
    from officenet.derive.permitcheck import Question
    access = next(a.address for a in design.addresses if a.id == "edge_access")
    checker = AerleonCheck(design)
    assert checker.answer(Question("192.0.2.77", access, "UDP", CLOSED_PORT, sport=53)) is None
    assert checker.answer(Question("192.0.2.77", access, "UDP", 50000, sport=53)) == "return-out-lync-edge-udp-53"


def test_outbound_questions_go_to_the_out_filter(design):
    rows = permits(design)
    outbound = [q for q in questions(rows) if q.direction == "outbound"]
    assert {q.port for q in outbound} >= {25, 53, CLOSED_PORT}
    checker = AerleonCheck(design)
    smtp = next(q for q in outbound if q.port == 25 and q.dst != "192.0.2.77")
    assert officenet_answer(rows, smtp) == checker.answer(smtp) == "out-exchange-mailbox-tcp-25"
    # Mail leaves only through EOP: the same packet to any other host is denied by both.
    stranger = next(q for q in outbound if q.port == 25 and q.dst == "192.0.2.77")
    assert officenet_answer(rows, stranger) is None and checker.answer(stranger) is None


def test_asking_aerleon_leaves_the_acl_export_refusing_dropped_terms(design):
    AerleonCheck(design)  # quiets aerleon's logging while it parses, and only then
    nft = [{"filename": "x", "filters": [{"header": {"targets": {"nftables": "inet forward"}},
            "terms": [{"name": "ret", "protocol": "tcp", "option": "tcp-established", "action": "accept"}]}]}]
    with pytest.raises(AclExportError, match="dropped terms"):
        generate(nft, {"networks": {}, "services": {}})
