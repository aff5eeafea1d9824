"""The form that fills in a scenario: one widget per answer, named in words, each with its error beside it.

``ScenarioForm(scenario, design)`` offers the choices of the design of the scenario's release (``design`` itself,
or the design of another release read from the same folder: ``release_switch.in_release``): its products,
remote-access options, load-balancing methods, VPN protocols (``vocabulary.choices``), never those of another
release behind the caller's back, and labels each with the name that design's tables give it
(``officenet.derive.scenario_labels``). The release is an answer too ("Products of"): choosing another one
rebuilds the lists, keeping each answer the other release offers. ``scenario()`` reads the answers back, or
raises the ``ScenarioError`` whose problems ``show_problems`` puts under the fields they concern;
``on_change(callback)`` is told of every change, whichever widgets the release gave.

The controls sit in grids of columns at least ``COLUMN_PX`` wide, as many as the output has room for: two in
JupyterLab's column at 1280 px, one in a narrow window, and nothing is cut on the right.
"""
from __future__ import annotations

import html
from typing import Callable

import ipywidgets as widgets

from ..model.design import Design
from ..model.scenario import Scenario, choices
from ..model.vocabulary import OPTION_ANSWERS
from ..model.release_switch import in_release, releases_in_order
from .base import select_px, text_px
from ..derive.scenario_labels import (FIELD_NAMES, access_name, answer_name, flag_name, method_name, product_name,
                                      vpn_name, workload_name, short_name)

FLAGS = ("federation", "lync_av_range", "public_im", "xmpp", "pop_imap", "teredo", "six_to_four",
         "directaccess_ipv6")
TEXTS = ("name", "domain", "internal_namespace", "public_network", "internal_network")
COLUMN_PX = 400  # a control's column: 190 px of name and at least 210 px of value (the longest option)
NAME_PX = 190
NAME_STYLE = {"description_width": f"{NAME_PX}px"}
FULL = widgets.Layout(width="auto", min_width="0")
CHECK_PX = 32  # a check box and the gap before its label
HINT = "Type, then press Enter or leave the box: the results follow."


def columns(children, min_px: int = COLUMN_PX) -> widgets.GridBox:
    """Controls in as many columns of ``min_px`` as the output has room for (at least one)."""
    return widgets.GridBox(children, layout=widgets.Layout(
        grid_template_columns=f"repeat(auto-fill, minmax(min({min_px}px, 100%), 1fr))", grid_gap="2px 12px",
        width="100%"))


def dropdown_columns(dropdowns: list[widgets.Dropdown]) -> widgets.GridBox:
    """Drop-downs in columns wide enough for the longest name and the longest option of each: a release's
    names may be longer than the 2013 poster's ("Skype for Business web, internal")."""
    name_px = max(NAME_PX, max(text_px(d.description) for d in dropdowns))
    for d in dropdowns:
        d.style.description_width = f"{name_px}px"
    widest = max(select_px(label for label, _ in d.options) for d in dropdowns)
    return columns(dropdowns, max(COLUMN_PX, name_px + widest + 16))


def checkbox_columns(boxes: list[widgets.Checkbox], min_px: int) -> widgets.GridBox:
    """Check boxes in columns wide enough for the longest label ("Skype for Business Server Subscription
    Edition" needs twice the room of "Lync Server 2013")."""
    return columns(boxes, max(min_px, max((text_px(b.description) for b in boxes), default=0) + CHECK_PX))


def heading(text: str) -> widgets.HTML:
    return widgets.HTML(f"<b>{html.escape(text)}</b>", layout=widgets.Layout(margin="8px 0 0 0"))


class ScenarioForm:
    """One widget per answer of a scenario; ``scenario()`` reads them back."""

    def __init__(self, scenario: Scenario, design: Design | None = None):
        if design is None:
            from ..loading.loader import load
            design = load()
        self.reference = design  # the design given; self.design is that of the release shown
        scenario = scenario.for_design(design)
        self._callbacks: list[Callable[[], None]] = []
        self._building = False
        self.texts = {k: widgets.Text(value=str(getattr(scenario, k)), description=FIELD_NAMES[k], style=NAME_STYLE,
                                      layout=FULL, continuous_update=False, tooltip=HINT) for k in TEXTS}
        for w in self.texts.values():
            w.observe(self._changed, names="value")
        options = [(r.name, r.id) for r in releases_in_order(design)]
        if scenario.release not in [v for _, v in options]:  # a design without releases.csv: its own products
            options.append(("The design's own products", scenario.release))
        self.release = widgets.Dropdown(options=options, value=scenario.release, description="Products of",
                                        style=NAME_STYLE, layout=FULL)
        self.release.layout.display = None if len(options) > 1 else "none"
        self.release.observe(self._release_chosen, names="value")
        # One error box per field (and one for what no field names), shown only when it has something to say.
        self.errors = {key: widgets.HTML(layout=widgets.Layout(display="none"))
                       for key in (*TEXTS, "release", "products", "owas_hosts", "remote_access", "load_balancing",
                                   "reverse_proxy", "mail", "vpn_protocols", "flags", "other")}
        self.widget = widgets.VBox(layout=widgets.Layout(width="100%"))
        self._keep(scenario)
        self._build(scenario.release, _answers_of(scenario))

    def _build(self, release: str | None, answers: dict) -> None:
        """The widgets of ``release``'s choices, showing ``answers`` where that release offers them (else its
        reference answer, the first option); the widgets of the release shown before are closed."""
        old = self._choice_widgets() if hasattr(self, "products") else []
        self.design = design = in_release(self.reference, release)
        self._release, c = release, choices(design)
        self.products = {p: self._checkbox(p in answers["products"], product_name(design, p)) for p in c.products}
        self.owas_hosts = {h: self._checkbox(h in answers["owas_hosts"], answer_name(design, "owas_hosts", h))
                           for h in c.owas_hosts}
        self.remote_access = {p: self._dropdown([(access_name(design, o), o) for o in opts], answers["remote_access"].get(p),
                                                short_name(design, p)) for p, opts in c.remote_access.items()}
        self.load_balancing = {k: self._dropdown([(method_name(design, m, k), m) for m in opts],
                                                 answers["load_balancing"].get(k), workload_name(design, k))
                               for k, opts in c.load_balancing.items()}
        self.reverse_proxy = self._dropdown([(answer_name(design, "reverse_proxy", r), r) for r in c.reverse_proxies],
                                            answers["reverse_proxy"], "Reverse proxy")
        self.mail = self._dropdown([(answer_name(design, "mail", m), m) for m in c.mail_routes], answers["mail"],
                                   "Mail (MX)")
        self.flags = {}
        for k in FLAGS:
            # A yes/no answer whose gateway option the release lacks (XMPP and the A/V range in today's Skype for
            # Business, Teredo and 6to4 without DirectAccess) is shown greyed out: offered, it could only be refused.
            lacking = OPTION_ANSWERS.get(k) is not None and OPTION_ANSWERS[k] not in c.gateway_options
            self.flags[k] = self._checkbox(answers["flags"].get(k, False) and not lacking, self._flag_label(k))
            self.flags[k].disabled = lacking
            self.flags[k].tooltip = "Not offered by the products of this release" if lacking else None
        self.vpn_protocols = {v: self._checkbox(v in answers["vpn_protocols"], vpn_name(design, v))
                              for v in c.vpn_protocols}
        self.widget.children = self._layout()
        for w in old:
            w.close()

    def _layout(self) -> list[widgets.Widget]:
        texts = [widgets.VBox([w, self.errors[k]], layout=FULL) for k, w in self.texts.items()]
        return [
            heading("Organisation"), widgets.HTML(f"<small>{HINT}</small>"), columns(texts),
            heading("Products"), dropdown_columns([self.release]), self.errors["release"],
            checkbox_columns(list(self.products.values()), 200), self.errors["products"],
            heading(f"{product_name(self.design, 'owas')} for"), checkbox_columns(list(self.owas_hosts.values()), 320),
            self.errors["owas_hosts"],
            heading("Remote access for roaming employees"), dropdown_columns(list(self.remote_access.values())),
            self.errors["remote_access"],
            heading("Load balancing"), dropdown_columns(list(self.load_balancing.values())),
            self.errors["load_balancing"],
            heading("Mail and the gateway"), dropdown_columns([self.reverse_proxy, self.mail]),
            self.errors["reverse_proxy"], self.errors["mail"],
            checkbox_columns(list(self.flags.values()), 360), self.errors["flags"],
            heading("VPN protocols"), checkbox_columns(list(self.vpn_protocols.values()), 200),
            self.errors["vpn_protocols"],
            self.errors["other"]]

    def _flag_label(self, flag: str) -> str:
        """The switch's label in the release shown, else in the first release that has its gateway option."""
        option = OPTION_ANSWERS.get(flag)
        releases = [self._release, *(r.id for r in releases_in_order(self.reference))]
        for release in releases:
            design = in_release(self.reference, release)
            if option is None or option in {o.id for o in design.gateway_options}:
                return flag_name(design, flag)
        return flag_name(self.design, flag)

    def _checkbox(self, value: bool, description: str) -> widgets.Checkbox:
        box = widgets.Checkbox(value=bool(value), description=description, indent=False, layout=FULL)
        box.observe(self._changed, names="value")
        return box

    def _dropdown(self, options, value, description) -> widgets.Dropdown:
        values = [v for _, v in options]
        box = widgets.Dropdown(options=options, value=value if value in values else values[0],
                               description=description, style=NAME_STYLE, layout=FULL)
        box.observe(self._changed, names="value")
        return box

    # --- changes ------------------------------------------------------------------------------
    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after each change of an answer, also of the widgets a release switch builds."""
        self._callbacks.append(callback)

    def _changed(self, _change=None) -> None:
        if not self._building:
            for callback in self._callbacks:
                callback()

    def _release_chosen(self, change) -> None:
        """Another release chosen: its lists, with every answer it offers kept (the others: its reference's)."""
        if self._building:
            return
        answers = self._answers()
        offered = choices(in_release(self.reference, change.new)).products
        answers["products"] |= set(offered) - set(self.products)  # a product new in that release: deployed
        self._build(change.new, answers)
        self._changed()

    def _choice_widgets(self) -> list[widgets.Widget]:
        return [*self.products.values(), *self.remote_access.values(), *self.load_balancing.values(),
                self.reverse_proxy, self.mail, *self.flags.values(), *self.owas_hosts.values(),
                *self.vpn_protocols.values()]

    def all_widgets(self) -> list[widgets.Widget]:
        """The answers' widgets of the release shown (a release switch replaces all but the texts)."""
        return [*self.texts.values(), self.release, *self._choice_widgets()]

    def _answers(self) -> dict:
        return {"products": {p for p, w in self.products.items() if w.value},
                "owas_hosts": {h for h, w in self.owas_hosts.items() if w.value},
                "vpn_protocols": {v for v, w in self.vpn_protocols.items() if w.value},
                "remote_access": {p: w.value for p, w in self.remote_access.items()},
                "load_balancing": {k: w.value for k, w in self.load_balancing.items()},
                "reverse_proxy": self.reverse_proxy.value, "mail": self.mail.value,
                "flags": {k: w.value for k, w in self.flags.items()}}

    def scenario(self) -> Scenario:
        """The answers as a Scenario of the release's design; raises ScenarioError naming each bad field."""
        a = self._answers()
        return Scenario(
            **{k: w.value.strip() for k, w in self.texts.items()},
            products=tuple(p for p in self.products if p in a["products"]),
            remote_access=a["remote_access"], load_balancing=a["load_balancing"],
            reverse_proxy=a["reverse_proxy"], mail=a["mail"],
            owas_hosts=tuple(h for h in self.owas_hosts if h in a["owas_hosts"]),
            gateway_rules=self._gateway_rules, release=self._release, today=self._today,
            vpn_protocols=tuple(v for v in self.vpn_protocols if v in a["vpn_protocols"]),
            vocabulary=choices(self.design), **a["flags"])

    def set_scenario(self, scenario: Scenario) -> None:
        """Show another scenario's answers (a saved design opened), on the lists of its release."""
        scenario = scenario.for_design(self.reference)
        self._building = True  # one change told at the end, not one per widget
        try:
            for k, w in self.texts.items():
                w.value = str(getattr(scenario, k))
            self.release.value = scenario.release
        finally:
            self._building = False
        self._keep(scenario)
        self._build(scenario.release, _answers_of(scenario))
        self._changed()

    def _keep(self, scenario: Scenario) -> None:
        self._gateway_rules = scenario.gateway_rules  # kept as loaded: audited, not edited here
        self._today = scenario.today  # kept as loaded: the date the lifecycle check measures against

    def field_of(self, column: str | None) -> str:
        """The error box of a problem's field: 'remote_access.lync' -> 'remote_access'."""
        key = (column or "").split(".")[0].split("[")[0]
        if key in FLAGS:
            return "flags"
        return key if key in self.errors else "other"

    def show_problems(self, problems=()) -> None:
        """Each problem under its field; the boxes of fields without a problem are emptied and hidden."""
        by_field: dict[str, list[str]] = {}
        for p in problems:
            column = getattr(p, "column", None)
            text = str(p).split(": ", 1)[-1] if column else str(p)
            by_field.setdefault(self.field_of(column), []).append(text)
        for key, box in self.errors.items():
            items = by_field.get(key, [])
            box.value = ("".join(f'<div class="officenet-field-error">⚠ {html.escape(t)}</div>' for t in items)
                         if items else "")
            box.layout.display = None if items else "none"


def _answers_of(scenario: Scenario) -> dict:
    """A scenario's answers as the form holds them."""
    return {"products": set(scenario.products), "owas_hosts": set(scenario.owas_hosts),
            "vpn_protocols": set(scenario.vpn_protocols), "remote_access": dict(scenario.remote_access),
            "load_balancing": dict(scenario.load_balancing), "reverse_proxy": scenario.reverse_proxy,
            "mail": scenario.mail, "flags": {k: getattr(scenario, k) for k in FLAGS}}
