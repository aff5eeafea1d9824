"""The form that fills in a scenario: one widget per answer, named in words, each with its error beside it.

``ScenarioForm(scenario, design)`` offers the choices of ``design`` (its products, remote-access options,
load-balancing methods and VPN protocols: ``scenario.choices``), never those of the reference design behind
the caller's back, and labels each with the name the design's tables give it (``officenet.derive.scenario_labels``).
``scenario()`` reads the answers back, or raises the ``ScenarioError`` whose problems ``show_problems`` puts
under the fields they concern.

The controls sit in grids of columns at least ``COLUMN_PX`` wide, as many as the output has room for: two in
JupyterLab's column at 1280 px, one in a narrow window, and nothing is cut on the right.
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from ..model.design import Design
from ..model.scenario import Scenario, choices
from ..model.release_switch import in_release
from .base import select_px
from ..derive.scenario_labels import (FIELD_NAMES, access_name, answer_name, flag_name, method_name, product_name,
                                      vpn_name, workload_name, short_name)

FLAGS = ("federation", "lync_av_range", "public_im", "xmpp", "pop_imap", "teredo", "six_to_four",
         "directaccess_ipv6")
TEXTS = ("name", "domain", "internal_namespace", "public_network", "internal_network")
COLUMN_PX = 400  # a control's column: 190 px of name and at least 210 px of value (the longest option)
NAME_PX = 190
NAME_STYLE = {"description_width": f"{NAME_PX}px"}
FULL = widgets.Layout(width="auto", min_width="0")
HINT = "Type, then press Enter or leave the box: the results follow."


def columns(children, min_px: int = COLUMN_PX) -> widgets.GridBox:
    """Controls in as many columns of ``min_px`` as the output has room for (at least one)."""
    return widgets.GridBox(children, layout=widgets.Layout(
        grid_template_columns=f"repeat(auto-fill, minmax(min({min_px}px, 100%), 1fr))", grid_gap="2px 12px",
        width="100%"))


def dropdown_columns(dropdowns: list[widgets.Dropdown]) -> widgets.GridBox:
    """Drop-downs in columns wide enough for the name and the longest option of each."""
    widest = max(select_px(label for label, _ in d.options) for d in dropdowns)
    return columns(dropdowns, max(COLUMN_PX, NAME_PX + widest + 16))


def heading(text: str) -> widgets.HTML:
    return widgets.HTML(f"<b>{html.escape(text)}</b>", layout=widgets.Layout(margin="8px 0 0 0"))


class ScenarioForm:
    """One widget per answer of a scenario; ``scenario()`` reads them back."""

    def __init__(self, scenario: Scenario, design: Design | None = None):
        if design is None:
            from ..loading.loader import load
            design = load()
        self.design = design
        c = choices(design)
        scenario = scenario.for_design(design)
        self.texts = {k: widgets.Text(value=str(getattr(scenario, k)), description=FIELD_NAMES[k], style=NAME_STYLE,
                                      layout=FULL, continuous_update=False, tooltip=HINT) for k in TEXTS}
        self.products = {p: widgets.Checkbox(value=p in scenario.products, description=product_name(design, p),
                                             indent=False, layout=FULL) for p in c.products}
        self.owas_hosts = {h: widgets.Checkbox(value=h in scenario.owas_hosts,
                                               description=answer_name(design, "owas_hosts", h),
                                               indent=False, layout=FULL) for h in c.owas_hosts}
        self.remote_access = {p: self._dropdown([(access_name(o), o) for o in opts], scenario.remote_access.get(p),
                                                short_name(design, p)) for p, opts in c.remote_access.items()}
        self.load_balancing = {k: self._dropdown([(method_name(design, m, k), m) for m in opts],
                                                 scenario.load_balancing.get(k), workload_name(k))
                               for k, opts in c.load_balancing.items()}
        self.reverse_proxy = self._dropdown([(answer_name(design, "reverse_proxy", r), r) for r in c.reverse_proxies],
                                            scenario.reverse_proxy, "Reverse proxy")
        self.mail = self._dropdown([(answer_name(design, "mail", m), m) for m in c.mail_routes], scenario.mail,
                                   "Mail (MX)")
        self.flags = {k: widgets.Checkbox(value=getattr(scenario, k), description=flag_name(design, k), indent=False,
                                          layout=FULL) for k in FLAGS}
        self.vpn_protocols = {v: widgets.Checkbox(value=v in scenario.vpn_protocols, description=vpn_name(design, v),
                                                  indent=False, layout=FULL) for v in c.vpn_protocols}
        self._gateway_rules = scenario.gateway_rules  # kept as loaded: audited, not edited here
        self._release, self._today = scenario.release, scenario.today  # kept as loaded: no widget yet
        # One error box per field (and one for what no field names), shown only when it has something to say.
        self.errors = {key: widgets.HTML(layout=widgets.Layout(display="none"))
                       for key in (*TEXTS, "products", "owas_hosts", "remote_access", "load_balancing",
                                   "reverse_proxy", "mail", "vpn_protocols", "flags", "other")}
        texts = [widgets.VBox([w, self.errors[k]], layout=FULL) for k, w in self.texts.items()]
        self.widget = widgets.VBox([
            heading("Organisation"), widgets.HTML(f"<small>{HINT}</small>"), columns(texts),
            heading("Products"), columns(list(self.products.values()), 200), self.errors["products"],
            heading("Office Web Apps Server for"), columns(list(self.owas_hosts.values()), 320),
            self.errors["owas_hosts"],
            heading("Remote access for roaming employees"), dropdown_columns(list(self.remote_access.values())),
            self.errors["remote_access"],
            heading("Load balancing"), dropdown_columns(list(self.load_balancing.values())),
            self.errors["load_balancing"],
            heading("Mail and the gateway"), dropdown_columns([self.reverse_proxy, self.mail]),
            self.errors["reverse_proxy"], self.errors["mail"],
            columns(list(self.flags.values()), 360), self.errors["flags"],
            heading("VPN protocols"), columns(list(self.vpn_protocols.values()), 200), self.errors["vpn_protocols"],
            self.errors["other"],
        ], layout=widgets.Layout(width="100%"))

    @staticmethod
    def _dropdown(options, value, description) -> widgets.Dropdown:
        values = [v for _, v in options]
        return widgets.Dropdown(options=options, value=value if value in values else values[0],
                                description=description, style=NAME_STYLE, layout=FULL)

    def all_widgets(self) -> list[widgets.Widget]:
        return [*self.texts.values(), *self.products.values(), *self.remote_access.values(),
                *self.load_balancing.values(), self.reverse_proxy, self.mail, *self.flags.values(),
                *self.owas_hosts.values(), *self.vpn_protocols.values()]

    def scenario(self) -> Scenario:
        """The answers as a Scenario of the form's design; raises ScenarioError naming each bad field."""
        return Scenario(
            **{k: w.value.strip() for k, w in self.texts.items()},
            products=tuple(p for p, w in self.products.items() if w.value),
            remote_access={p: w.value for p, w in self.remote_access.items()},
            load_balancing={k: w.value for k, w in self.load_balancing.items()},
            reverse_proxy=self.reverse_proxy.value, mail=self.mail.value,
            owas_hosts=tuple(h for h, w in self.owas_hosts.items() if w.value),
            gateway_rules=self._gateway_rules, release=self._release, today=self._today,
            vpn_protocols=tuple(v for v, w in self.vpn_protocols.items() if w.value),
            vocabulary=choices(in_release(self.design, self._release)),
            **{k: w.value for k, w in self.flags.items()})

    def set_scenario(self, scenario: Scenario) -> None:
        """Show another scenario's answers (a saved design opened)."""
        scenario = scenario.for_design(self.design)
        for k, w in self.texts.items():
            w.value = str(getattr(scenario, k))
        for group, chosen in ((self.products, scenario.products), (self.owas_hosts, scenario.owas_hosts),
                              (self.vpn_protocols, scenario.vpn_protocols)):
            for k, w in group.items():
                w.value = k in chosen
        for group, chosen in ((self.remote_access, scenario.remote_access),
                              (self.load_balancing, scenario.load_balancing)):
            for k, w in group.items():
                w.value = chosen.get(k, w.options[0][1])
        self.reverse_proxy.value, self.mail.value = scenario.reverse_proxy, scenario.mail
        for k, w in self.flags.items():
            w.value = getattr(scenario, k)
        self._gateway_rules = scenario.gateway_rules
        self._release, self._today = scenario.release, scenario.today

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
