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
from ..derive.scenario_labels import access_name, method_name, short_name, workload_name
from ..model.design import Design
from ..model.scenario import choices
from ..workshop.federation import port_rule
from .base import SELECT_MIN_PX, select_px, text_px

UNSET = ""  # the value of a control nobody has chosen yet


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


def _dropdown(options, value, description="", name_px: int | None = None) -> widgets.Dropdown:
    """A drop-down wide enough for its longest option, with ``name_px`` for its name (by default its
    name's own width): the chosen value shows whole, and so does the name."""
    values = [v for _, v in options]
    width = select_px(label for label, _ in options)
    name_px = (text_px(description) if description else 0) if name_px is None else name_px
    return widgets.Dropdown(options=options, value=value if value in values else UNSET, description=description,
                            style={"description_width": f"{name_px}px"},
                            layout=widgets.Layout(width=f"{name_px + width + 16}px", max_width="100%"))


def _names_px(names) -> int:
    """One width for the names of a column of drop-downs: the longest name's."""
    return max(text_px(n) for n in names)


def _tiles(items: list[widgets.Widget]) -> widgets.Box:
    """Controls side by side, wrapping onto the next line rather than running off the page."""
    return widgets.Box(items, layout=widgets.Layout(display="flex", flex_flow="row wrap", align_items="center",
                                                   width="100%"))


# --- 1. paths ------------------------------------------------------------------------

MAX_HOPS = 5


def paths_form(design: Design, answer: Mapping | None = None) -> ExerciseForm:
    answer = answer if isinstance(answer, Mapping) else {}
    hops = [("—", UNSET)] + [(c.id, c.id) for c in sorted(design.components, key=lambda c: c.id)]
    rows, selects = [], {}
    for user in sorted(design.user_types, key=lambda u: u.order):
        given = list(answer.get(user.id, ()))
        selects[user.id] = [_dropdown(hops, given[i] if i < len(given) else UNSET) for i in range(MAX_HOPS)]
        rows.append(_tiles([widgets.Label(design.label(user.id), layout=widgets.Layout(width="170px")),
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
    """Every (protocol, first port) that crosses the gateway, a flow's or a server's own traffic, optional
    rows included (the A/V Edge's TCP 50000-59999): the rules a learner chooses from."""
    return list(workshop.gateway_port_rows(design))


def federation_form(design: Design, answer=None) -> ExerciseForm:
    given = {}
    for item in (answer or ()) if not isinstance(answer, (str, bytes, Mapping)) else ():
        rule = port_rule(item)
        if rule:
            given[rule[:2]] = rule[2]
    options = [("closed", UNSET), ("in", "in"), ("out", "out"), ("both", "both")]
    rows = workshop.gateway_port_rows(design)
    names = {key: f"{key[0]} {row.range_text()}" for key, row in rows.items()}
    name_px = _names_px(names.values())
    selects = {key: _dropdown(options, given.get(key, UNSET), names[key], name_px) for key in rows}
    grid = widgets.GridBox(list(selects.values()), layout=widgets.Layout(
        grid_template_columns=f"repeat(auto-fill, minmax({name_px + SELECT_MIN_PX + 12}px, 1fr))", width="100%"))

    def read():
        return {(p, n, w.value) for (p, n), w in selects.items() if w.value != UNSET}

    return ExerciseForm([grid], read, lambda a: workshop.check_federation_ports(design, a),
                        "open each port the gateway needs for partner federation, in its direction.")


# --- 3/4. one choice per item ------------------------------------------------------------

def _choices_form(options: Mapping[str, tuple[str, ...]], answer, check, name, option_name, intro) -> ExerciseForm:
    answer = answer if isinstance(answer, Mapping) else {}
    name_px = _names_px(name(k) for k in options)
    selects = {k: _dropdown([("(choose)", UNSET)] + [(option_name(v), v) for v in opts], answer.get(k, UNSET),
                            name(k), name_px)
               for k, opts in options.items()}

    def read():
        return {k: w.value for k, w in selects.items() if w.value != UNSET}

    return ExerciseForm(list(selects.values()), read, check, intro)


def remote_access_form(design: Design, answer=None) -> ExerciseForm:
    return _choices_form(choices(design).remote_access, answer, lambda a: workshop.check_remote_access(design, a),
                         lambda k: short_name(design, k), lambda o: access_name(design, o),
                         "how roaming employees reach each product, one choice per product.")


def load_balancing_form(design: Design, answer=None) -> ExerciseForm:
    return _choices_form(choices(design).load_balancing, answer, lambda a: workshop.check_load_balancing(design, a),
                         lambda w: workload_name(design, w), lambda m: method_name(design, m),
                         "the load balancing of each workload, one choice each.")


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
    names = list(workshop.expected_certificates(design))
    name_px = _names_px(names)
    selects = {name: _dropdown(options, answer.get(name, UNSET), name, name_px) for name in names}
    _, reasons = workshop.av_reasons(design)
    why = widgets.RadioButtons(options=[("(choose)", UNSET)] + [(r, r) for r in reasons],
                               value=why_av if why_av in reasons else UNSET,
                               layout=widgets.Layout(width="auto", max_width="100%"))
    av = next(n for n in selects if n.startswith("av."))
    controls = [_tiles(list(selects.values())),
                widgets.HTML(f"<p>Why does <b>{html.escape(av)}</b> need no certificate?</p>"), why]
    return ExerciseForm(controls, lambda: ({n: w.value for n, w in selects.items() if w.value != UNSET},
                                           why.value or None),
                        lambda a: workshop.check_certificate_plan(design, *a),
                        "for each name, the certificate that carries it.")


# --- 8. trouble tickets ------------------------------------------------------------------

def tickets_form(design: Design, answer=None) -> ExerciseForm:
    answer = answer if isinstance(answer, Mapping) else {}
    controls, selects = [], {}
    name_px = _names_px(f"Broken hop of {flow}" for flow, _, _ in workshop.TICKETS)
    for flow, complaint, _ in workshop.TICKETS:
        path = design.get("flows", flow).path
        selects[flow] = _dropdown([("(choose)", UNSET)] + [(f"{h} ({design.label(h)})", h) for h in path],
                                  answer.get(flow, UNSET), f"Broken hop of {flow}", name_px)
        controls += [widgets.HTML(f"<p><i>{html.escape(complaint)}</i></p>"), selects[flow]]
    return ExerciseForm(controls, lambda: {f: w.value for f, w in selects.items() if w.value != UNSET},
                        lambda a: workshop.check_broken_hops(design, a), "the first hop where each flow breaks.")


# --- 9. what a migration to today's editions changes ---------------------------------------

def migration_form(design: Design, answer=None) -> ExerciseForm:
    """One difference a line: change, area, item (records as 'name TYPE', so four words for DNS)."""
    box = widgets.Textarea(value=records_text(answer), placeholder="removed  gateway  in-...-tcp-443",
                           layout=widgets.Layout(width="760px", height="260px"))

    def read():
        rows = parse_records(box.value)
        return [(r[0], r[1], " ".join(r[2:])) if len(r) >= 3 else r for r in rows]
    return ExerciseForm([box], read, lambda a: workshop.check_migration(design, a),
                        "one difference a line: change (added, removed, changed), area (gateway, dns, "
                        "certificates), item (a permit's id, a record's name and type, a certificate name).")
