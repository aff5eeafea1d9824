"""Exercises 3 and 4: choose remote access and load balancing per product.

The answer is applied to the reference as a scenario and the design checks judge it, so a
choice is wrong exactly when a check of data/checks.csv finds something because of it.
"""
from __future__ import annotations

import difflib
from typing import Mapping

from ..derive.apply import apply_scenario
from ..derive.checks import run_checks
from ..model.design import Design
from ..model.scenario import Scenario, current_words
from ..model.vocabulary import choices
from .feedback import Feedback, empty_answer, id_hint


def _choice_key(design: Design, finding, options) -> str | None:
    """Which answer a finding comes from: 'remote_access.lync' names it; a finding on a flow names the
    flow's product (the choice of remote access that drew the flow)."""
    subject = finding.subject
    if subject.startswith("flows:"):
        flow = next((f for f in design.flows if f.id == subject.split(":", 1)[1]), None)
        return flow.product if flow is not None and flow.product in options else None
    keys = [k for k in subject.rsplit(".", 1)[-1].split(" and ") if k in options]  # 'lync_web_internal and ...'
    return keys[0] if keys else None


def _learner_hint(design: Design, rule, finding, key, choice) -> str:
    """The rule's reason and fix when they speak of the choice; for a rule about the design's own tables
    (a flow with no port row, say) what the choice does, never an edit of data/."""
    if rule.applies_to in ("remote access", "load balancing", "federation", "Office Web Apps"):
        return f"{key}: {rule.reason}. {rule.fix}."
    return (f"{key}: {choice!r} gives a path the design cannot carry ({finding.detail}); "
            f"choose the way the poster connects it")


def _choice_feedback(name, design, key, options, answer) -> Feedback:
    if empty_answer(answer):
        return Feedback(name, missing=tuple(f"a choice for {k} ({', '.join(v)})" for k, v in options.items()),
                        hints=("Think of what each tunnel does to audio and video, and which traffic needs a "
                               "hardware load balancer.",))
    if not isinstance(answer, Mapping):
        return Feedback(name, wrong=(repr(answer)[:80],),
                        hints=('Write a dictionary, one choice per item: {"' + next(iter(options)) + '": "..."}',))
    hints, wrong, chosen = [], [], {}
    # An older handout's words still count: each is translated, and the hint gives the data's id.
    renamed_notes: list[str] = []
    answer = current_words(key, answer, renamed_notes)
    for k, v in answer.items():
        if k not in options:
            wrong.append(f"{k}: not an item of this exercise")
            hints.append(id_hint(options, k, "item") or "")
            continue
        value = str(v).strip()
        if value not in options[k] and value.lower() in options[k]:
            hints.append(f"{k}: write {v!r} as {value.lower()!r}; option names are lower case")
            value = value.lower()
        if value not in options[k]:
            wrong.append(f"{k}: {v}")
            close = difflib.get_close_matches(value, options[k], n=1, cutoff=0.6)
            hints.append(f"{k}: {v!r} is not an option; choose one of {', '.join(options[k])}"
                         + (f" (did you mean {close[0]!r}?)" if close else ""))
            continue
        chosen[k] = value
    scenario = Scenario.default_for(design).with_(**{key: chosen})
    applied = apply_scenario(design, scenario)
    findings = run_checks(applied, scenario)
    rules = {r.id: r for r in applied.checks}
    blamed: dict[str, list] = {}
    for f in findings:
        blamed.setdefault(_choice_key(applied, f, options), []).append(f)
    for k, v in chosen.items():
        for f in blamed.get(k, ()):
            wrong.append(f"{k}: {v} ({rules[f.check].title})")
            hints.append(_learner_hint(design, rules[f.check], f, k, v))
    for f in blamed.get(None, ()):  # a finding no single answer explains
        wrong.append(f"{rules[f.check].title}: {f.detail}")
    missing = tuple(f"a choice for {k}" for k in options if k not in answer)
    correct = tuple(f"{k}: {v}" for k, v in chosen.items() if k not in blamed)
    # The first hint names the first real mistake; a note on an old word comes after.
    hints += renamed_notes
    return Feedback(name, correct, missing, tuple(dict.fromkeys(wrong)), tuple(dict.fromkeys(h for h in hints if h)))


def check_remote_access(design: Design, answer: Mapping[str, str] | None) -> Feedback:
    """``answer``: product -> remote access for roaming employees (options in ``choices(design).remote_access``)."""
    return _choice_feedback("Remote access for roaming employees", design, "remote_access",
                            choices(design).remote_access, answer)


def check_load_balancing(design: Design, answer: Mapping[str, str] | None) -> Feedback:
    """``answer``: traffic -> load balancing (options in ``choices(design).load_balancing``)."""
    return _choice_feedback("Load balancing per product", design, "load_balancing",
                            choices(design).load_balancing, answer)
