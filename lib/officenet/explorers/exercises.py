"""The workshop exercises as forms: widgets in, the exercise's own check out.

Each ``*_form`` builds an ``ExerciseForm`` for one exercise: controls (drop-downs,
check boxes, a small text table) filled in from the learner's ``answer`` cell, a
``read()`` that turns the controls back into an answer of the shape the check takes,
and the check itself from ``officenet.workshop``. The feedback redraws whenever a
control changes, so the same exercise works in JupyterLab (edit the answer cell or the
form) and in the Voila app, where code cells are hidden and only the form remains.

Displayed, a form is its widget; its plain-text and HTML forms are the feedback of the
current answer, which is what a test, an exported page or a handout reads.
"""
from __future__ import annotations

import html
from typing import Callable, Mapping

import ipywidgets as widgets

from .. import workshop
from ..model.design import Design
from ..model.scenario import choices
from ..derive.tables import crossing
from ..derive.routes import ports_for
from ..workshop.federation import port_rule

UNSET = ""  # the value of a control nobody has chosen yet
WIDE = {"description_width": "210px"}


class ExerciseForm:
    """Controls, a reader that turns them into an answer, and the check that judges the answer."""

    def __init__(self, controls: list[widgets.Widget], read: Callable[[], object],
                 check: Callable[[object], workshop.Feedback], intro: str = ""):
        self.read, self.check = read, check
        self.output = widgets.HTML()
        head = [widgets.HTML(f"<p><b>Your answer</b> {intro}</p>")]
        self.widget = widgets.VBox([*head, *controls, self.output])
        for w in _leaves(controls):
            w.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    @property
    def feedback(self) -> workshop.Feedback:
        return self.check(self.read())

    def refresh(self) -> workshop.Feedback:
        feedback = self.feedback
        self.output.value = feedback._repr_html_()
        self._text = str(feedback)
        return feedback

    def __repr__(self) -> str:
        return self._text

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/plain"] = self._text
        bundle["text/html"] = self.output.value
        return bundle


def _leaves(items):
    for w in items:
        if isinstance(w, widgets.Box):
            yield from _leaves(w.children)
        elif isinstance(w, widgets.ValueWidget):
            yield w


def _dropdown(options, value, description="", width="210px", style=WIDE):
    values = [v for _, v in options]
    return widgets.Dropdown(options=options, value=value if value in values else UNSET, description=description,
                            style=style, layout=widgets.Layout(width=width))


# --- 1. paths ------------------------------------------------------------------------

MAX_HOPS = 5


def paths_form(design: Design, answer: Mapping | None = None) -> ExerciseForm:
    answer = answer if isinstance(answer, Mapping) else {}
    hops = [("—", UNSET)] + [(c.id, c.id) for c in sorted(design.components, key=lambda c: c.id)]
    rows, selects = [], {}
    for user in sorted(design.user_types, key=lambda u: u.order):
        given = list(answer.get(user.id, ()))
        selects[user.id] = [_dropdown(hops, given[i] if i < len(given) else UNSET, width="180px")
                            for i in range(MAX_HOPS)]
        rows.append(widgets.HBox([widgets.Label(design.label(user.id), layout=widgets.Layout(width="210px")),
                                  *selects[user.id]]))

    def read():
        out = {}
        for user, row in selects.items():
            path = [w.value for w in row]
            path = path[:path.index(UNSET)] if UNSET in path else path
            if path:
                out[user] = path
        return out

    return ExerciseForm(rows, read, lambda a: workshop.check_sharepoint_paths(design, a),
                        "hop by hop after the user; leave a user type empty if it does not use SharePoint.")


# --- 2. federation ports --------------------------------------------------------------

def gateway_port_choices(design: Design) -> list[tuple[str, int]]:
    """Every (protocol, first port) some flow carries through the gateway: the rows a learner chooses from."""
    seen = set()
    for p in ports_for(design, design.flows):
        if crossing(design, p.from_, p.to, p.direction) in workshop.DIRECTION:
            seen.add((p.protocol, p.port[0]))
    return sorted(seen, key=lambda t: (t[1], t[0]))


def federation_form(design: Design, answer=None) -> ExerciseForm:
    given = {}
    for item in (answer or ()) if not isinstance(answer, (str, bytes, Mapping)) else ():
        rule = port_rule(item)
        if rule:
            given[rule[:2]] = rule[2]
    options = [("closed", UNSET), ("in", "in"), ("out", "out"), ("both", "both")]
    selects = {key: _dropdown(options, given.get(key, UNSET), f"{key[0]} {key[1]}", "185px",
                              {"description_width": "80px"})
               for key in gateway_port_choices(design)}
    grid = widgets.GridBox(list(selects.values()),
                           layout=widgets.Layout(grid_template_columns="repeat(5, 195px)"))

    def read():
        return {(p, n, w.value) for (p, n), w in selects.items() if w.value != UNSET}

    return ExerciseForm([grid], read, lambda a: workshop.check_federation_ports(design, a),
                        "open each port the gateway needs for partner federation, in its direction.")


# --- 3/4. one choice per item ------------------------------------------------------------

def _choices_form(options: Mapping[str, tuple[str, ...]], answer, check, label) -> ExerciseForm:
    answer = answer if isinstance(answer, Mapping) else {}
    selects = {k: _dropdown([("(choose)", UNSET)] + [(v, v) for v in opts], answer.get(k, UNSET), label(k))
               for k, opts in options.items()}

    def read():
        return {k: w.value for k, w in selects.items() if w.value != UNSET}

    return ExerciseForm(list(selects.values()), read, check, "one choice per item.")


def remote_access_form(design: Design, answer=None) -> ExerciseForm:
    return _choices_form(choices(design).remote_access, answer, lambda a: workshop.check_remote_access(design, a),
                         lambda k: f"Roaming employees → {design.label(k)}")


def load_balancing_form(design: Design, answer=None) -> ExerciseForm:
    return _choices_form(choices(design).load_balancing, answer, lambda a: workshop.check_load_balancing(design, a),
                         lambda k: k.replace("_", " "))


# --- 5. the broken design's mistakes ---------------------------------------------------

def mistakes_form(design: Design, answer=None) -> ExerciseForm:
    given = set(answer) if isinstance(answer, (list, tuple, set)) else set()
    boxes = {r.id: widgets.Checkbox(value=r.id in given, description=r.id, indent=False, tooltip=r.title,
                                    layout=widgets.Layout(width="260px")) for r in design.checks}
    grid = widgets.GridBox(list(boxes.values()), layout=widgets.Layout(grid_template_columns="repeat(3, 270px)"))
    return ExerciseForm([grid], lambda: [k for k, w in boxes.items() if w.value],
                        lambda a: workshop.check_mistakes(design, a), "tick every check the broken design fails.")


# --- 6. DNS records, as a small text table ---------------------------------------------

def records_text(answer) -> str:
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
        return ""
    return "\n".join("  ".join(str(x) for x in item) for item in answer if isinstance(item, (tuple, list)))


def parse_records(text: str) -> list[tuple]:
    """One record a line: view, name, type, then for an SRV its port and target; blanks or commas between."""
    rows = []
    for line in text.splitlines():
        parts = [p for p in line.replace(",", " ").split() if p]
        if parts:
            rows.append(tuple(parts))
    return rows


def dns_form(design: Design, domain: str, answer=None) -> ExerciseForm:
    box = widgets.Textarea(value=records_text(answer), placeholder=f"external  sip.{domain}  A",
                           layout=widgets.Layout(width="760px", height="260px"))
    return ExerciseForm([box], lambda: parse_records(box.value),
                        lambda a: workshop.check_dns_records(design, domain, a),
                        "one record a line: view, name, type (an SRV record adds its port and target).")


# --- 7. the certificate plan -------------------------------------------------------------

def certificate_form(design: Design, answer=None, why_av=None) -> ExerciseForm:
    answer = answer if isinstance(answer, Mapping) else {}
    options = [("(choose)", UNSET)] + [(text, key) for key, text in workshop.CERT_CHOICES.items()]
    selects = {name: _dropdown(options, answer.get(name, UNSET), name, "470px")
               for name in workshop.expected_certificates(design)}
    _, reasons = workshop.av_reasons(design)
    why = widgets.RadioButtons(options=[("(choose)", UNSET)] + [(r, r) for r in reasons],
                               value=why_av if why_av in reasons else UNSET,
                               layout=widgets.Layout(width="600px"))
    av = next(n for n in selects if n.startswith("av."))
    grid = widgets.GridBox(list(selects.values()), layout=widgets.Layout(grid_template_columns="repeat(2, 480px)"))
    controls = [grid,
                widgets.HTML(f"<p>Why does <b>{html.escape(av)}</b> need no certificate?</p>"), why]
    return ExerciseForm(controls, lambda: ({n: w.value for n, w in selects.items() if w.value != UNSET},
                                           why.value or None),
                        lambda a: workshop.check_certificate_plan(design, *a),
                        "for each name, the certificate that carries it.")


# --- 8. trouble tickets ------------------------------------------------------------------

def tickets_form(design: Design, answer=None) -> ExerciseForm:
    answer = answer if isinstance(answer, Mapping) else {}
    controls, selects = [], {}
    for flow, complaint, _ in workshop.TICKETS:
        path = design.get("flows", flow).path
        selects[flow] = _dropdown([("(choose)", UNSET)] + [(f"{h} ({design.label(h)})", h) for h in path],
                                  answer.get(flow, UNSET), f"Broken hop of {flow}", "620px",
                                  {"description_width": "300px"})
        controls += [widgets.HTML(f"<p><i>{html.escape(complaint)}</i></p>"), selects[flow]]
    return ExerciseForm(controls, lambda: {f: w.value for f, w in selects.items() if w.value != UNSET},
                        lambda a: workshop.check_broken_hops(design, a), "the first hop where each flow breaks.")
