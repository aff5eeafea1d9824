"""Every exercise agrees with the data: the answer derived from the design passes the exercise's check,
the trainer's solution notebook gives that answer, and the exercise's form offers every item of it and
accepts it. No answer key is typed anywhere but in the solution notebooks, which this test holds to the data."""
import json

import pytest

from officenet import workshop
from officenet.explorers import exercises
from officenet.model.scenario import choices
from officenet.workshop.federation import port_rule

from conftest import ROOT

SOLUTIONS = ROOT / "notebooks" / "workshop" / "solutions"
NUMBERS = sorted(workshop.ANSWERS)

CHECKS = {
    "01": workshop.check_sharepoint_paths, "02": workshop.check_federation_ports,
    "03": workshop.check_remote_access, "04": workshop.check_load_balancing, "05": workshop.check_mistakes,
    "06": lambda d, a: workshop.check_dns_records(d, workshop.DNS_DOMAIN, a),
    "07": lambda d, a: workshop.check_certificate_plan(d, *a), "08": workshop.check_broken_hops,
}
FORMS = {
    "01": exercises.paths_form, "02": exercises.federation_form, "03": exercises.remote_access_form,
    "04": exercises.load_balancing_form, "05": exercises.mistakes_form,
    "06": lambda d, a: exercises.dns_form(d, workshop.DNS_DOMAIN, a),
    "07": lambda d, a: exercises.certificate_form(d, *a), "08": exercises.tickets_form,
}


def solution_answer(number: str):
    """The answer a solution notebook gives: its cell that sets ``answer`` (and ``why_av``), run alone."""
    (path,) = SOLUTIONS.glob(f"{number}-*.ipynb")
    cells = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
    (cell,) = [c for c in cells if c.lstrip().startswith("answer =")]
    names: dict = {}
    exec(cell, {}, names)  # a literal: the solutions hold no logic
    return (names["answer"], names["why_av"]) if "why_av" in names else names["answer"]


def normal(number: str, answer):
    """An answer in one spelling: rules as (PROTOCOL, first port, direction), records as tuples, lists as sets."""
    if number == "02":
        return {port_rule(item) for item in answer}
    if number in ("05", "06"):
        return {tuple(item) if isinstance(item, (list, tuple)) else item for item in answer}
    if number == "01":
        return {user: tuple(path) for user, path in answer.items()}
    return answer


def test_every_exercise_has_a_derived_answer_a_check_a_form_and_a_solution():
    assert set(CHECKS) == set(FORMS) == set(NUMBERS) == {p.name[:2] for p in SOLUTIONS.glob("*.ipynb")}


@pytest.mark.parametrize("number", NUMBERS)
def test_the_derived_answer_passes_the_check(design, number):
    feedback = CHECKS[number](design, workshop.ANSWERS[number](design))
    assert feedback.passed, str(feedback)


@pytest.mark.parametrize("number", NUMBERS)
def test_the_solution_notebook_gives_the_derived_answer(design, number):
    given, derived = solution_answer(number), workshop.ANSWERS[number](design)
    feedback = CHECKS[number](design, given)
    assert feedback.passed and not feedback.wrong, str(feedback)
    if number in ("03", "04"):
        # A choice is judged by the design checks: any choice without a finding is right (the solution may
        # pick DirectAccess where the poster's answer is 'VPN or DirectAccess'). Every item is answered.
        assert set(given) == set(derived)
    elif number == "07":
        optional = workshop.optional_certificate_names(design)
        names, why = given
        assert why == derived[1]
        assert {n: c for n, c in names.items() if n not in optional} == \
            {n: c for n, c in derived[0].items() if n not in optional}
    else:
        assert normal(number, given) == normal(number, derived)


@pytest.mark.parametrize("number", NUMBERS)
def test_the_form_offers_and_accepts_the_derived_answer(design, number):
    """Filled with the derived answer, the form reads every item of it back (so it offers each) and passes."""
    derived = workshop.ANSWERS[number](design)
    form = FORMS[number](design, derived)
    assert form.feedback.passed, str(form.feedback)
    read = form.read()
    if number == "07":
        assert read == (derived[0], derived[1])
    elif number == "06":
        assert {r[:3] for r in read} == {r[:3] for r in normal(number, derived)}
    else:
        assert normal(number, read) == normal(number, derived)


def test_exercise_02_asks_for_the_av_edge_range_from_the_data(design):
    """ports.csv's edge_av_tcp_range, turned on by federation (the check federation_av_range wants it)."""
    port = design.get("ports", "edge_av_tcp_range")
    rule = ("TCP", port.port[0], "out")
    assert rule in workshop.federation_gateway_ports(design)
    assert any(r.id == "federation_av_range" for r in design.checks)
    form = exercises.federation_form(design, [("TCP", "50000-59999", "out")])
    select = next(w for w in exercises._leaves([form.widget]) if getattr(w, "description", "") == "TCP 50000-59999")
    assert select.value == "out" and "TCP 50000-59999 out" in form.feedback.correct


@pytest.mark.parametrize("number,options", [("03", "remote_access"), ("04", "load_balancing")])
def test_choice_forms_offer_every_choice_of_the_design(design, number, options):
    form = FORMS[number](design, None)
    offered = {w.description: {v for _, v in w.options if v} for w in exercises._leaves([form.widget])
               if hasattr(w, "options")}
    assert sorted(map(sorted, offered.values())) == sorted(map(sorted, getattr(choices(design), options).values()))
