"""Your design: a form that fills in a scenario, and the views of the organisation it gives.

``ScenarioForm`` holds one widget per scenario answer and turns them into a
``Scenario`` (or the ``ScenarioError`` that names the bad fields). ``YourDesign``
shows, for the current answers: the findings as a stoplight, a flow trace with the
flow's path on the diagram, the comparison with the reference, and buttons to save
the scenario (atomic write) and export the configuration folder. Everything shown is
made by the pure functions of ``officenet.edge.organisation_views``.
"""
from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from ..model.design import Design
from ..edge.exports import write_exports
from ..derive.organisation import Organisation, organisation
from ..edge.render import SvgCache
from ..edge.scenario_store import save_scenario
from ..model.scenario import Scenario, ScenarioError, scenario_yaml
from ..model.vocabulary import Choices
from ..edge.staticviews import VIEWS_MIME, handout_mode, views_payload
from ..edge.organisation_views import compare_html, error_html, findings_html, trace_html
from .base import OUTPUT_CSS
from ..edge.display import figure_html

FLAGS = ("pop_imap", "lync_av_range", "federation", "public_im", "xmpp", "teredo", "six_to_four",
         "directaccess_ipv6")
TEXTS = ("name", "domain", "internal_namespace", "public_network", "internal_network")


class ScenarioForm:
    """One widget per answer of a scenario; ``scenario()`` reads them back."""

    def __init__(self, scenario: Scenario):
        # The lists come from the design the scenario was checked against (Scenario.checked).
        c: Choices = scenario.vocabulary
        style = {"description_width": "150px"}
        wide = widgets.Layout(width="420px")
        label = lambda key: key.replace("_", " ").capitalize()
        self.texts = {k: widgets.Text(value=str(getattr(scenario, k)), description=label(k), style=style, layout=wide)
                      for k in TEXTS}
        self.products = {p: widgets.Checkbox(value=p in scenario.products, description=p, indent=False,
                                             layout=widgets.Layout(width="110px")) for p in c.products}
        self.remote_access = {p: widgets.Dropdown(options=opts, value=scenario.remote_access.get(p, opts[0]),
                                                  description=f"Roaming → {p}", style=style)
                              for p, opts in c.remote_access.items()}
        self.load_balancing = {k: widgets.Dropdown(options=opts, value=scenario.load_balancing.get(k, opts[0]),
                                                   description=f"LB {k}", style=style)
                               for k, opts in c.load_balancing.items()}
        self.reverse_proxy = widgets.Dropdown(options=c.reverse_proxies, value=scenario.reverse_proxy,
                                              description="Reverse proxy", style=style)
        self.mail = widgets.Dropdown(options=c.mail_routes, value=scenario.mail, description="Mail (MX)", style=style)
        self.flags = {k: widgets.Checkbox(value=getattr(scenario, k), description=label(k), indent=False)
                      for k in FLAGS}
        self.owas_hosts = {h: widgets.Checkbox(value=h in scenario.owas_hosts, description=f"OWAS for {h}",
                                               indent=False, layout=widgets.Layout(width="160px"))
                           for h in c.owas_hosts}
        self._gateway_rules = scenario.gateway_rules
        self._vpn_protocols = scenario.vpn_protocols  # kept as loaded: no widget yet
        self._vocabulary = c
        self.widget = widgets.VBox([
            widgets.HBox([widgets.VBox(list(self.texts.values()), layout=widgets.Layout(min_width="440px")),
                          widgets.VBox([widgets.HTML("<b>Products</b>"), widgets.HBox(list(self.products.values())),
                                        widgets.HBox(list(self.owas_hosts.values())),
                                        widgets.HBox([self.reverse_proxy, self.mail]),
                                        widgets.HBox(list(self.flags.values()))])]),
            widgets.HBox([widgets.VBox(list(self.remote_access.values())),
                          widgets.VBox(list(self.load_balancing.values()))]),
        ])

    def all_widgets(self) -> list[widgets.Widget]:
        return [*self.texts.values(), *self.products.values(), *self.remote_access.values(),
                *self.load_balancing.values(), self.reverse_proxy, self.mail, *self.flags.values(),
                *self.owas_hosts.values()]

    def scenario(self) -> Scenario:
        """The answers as a Scenario; raises ScenarioError naming each bad field."""
        return Scenario(
            **{k: w.value.strip() for k, w in self.texts.items()},
            products=tuple(p for p, w in self.products.items() if w.value),
            remote_access={p: w.value for p, w in self.remote_access.items()},
            load_balancing={k: w.value for k, w in self.load_balancing.items()},
            reverse_proxy=self.reverse_proxy.value, mail=self.mail.value,
            owas_hosts=tuple(h for h, w in self.owas_hosts.items() if w.value),
            gateway_rules=self._gateway_rules, vpn_protocols=self._vpn_protocols, vocabulary=self._vocabulary,
            **{k: w.value for k, w in self.flags.items()})


class YourDesign:
    """The form, the tabs of results, and save/export buttons for one organisation."""

    def __init__(self, reference: Design, scenario: Scenario | None = None,
                 scenario_path: str | Path = "my-scenario.yaml", export_dir: str | Path = "exports"):
        self.reference = reference
        self.reference_org = organisation(reference, Scenario())
        self.svg = SvgCache()
        self.form = ScenarioForm((scenario or Scenario()).checked(reference))
        self.scenario_path = widgets.Text(value=str(scenario_path), description="Scenario file")
        self.export_dir = widgets.Text(value=str(export_dir), description="Export folder")
        self.save_button = widgets.Button(description="Save scenario", icon="save")
        self.export_button = widgets.Button(description="Export configuration", icon="download")
        self.flow = widgets.Dropdown(description="Flow", layout=widgets.Layout(width="480px"))
        self.status = widgets.HTML()
        self.findings = widgets.HTML()
        self.trace = widgets.HTML()
        self.comparison = widgets.HTML()
        tabs = widgets.Tab(children=[self.findings, widgets.VBox([self.flow, self.trace]), self.comparison])
        for i, title in enumerate(("Findings", "Trace", "Compare")):
            tabs.set_title(i, title)
        self.widget = widgets.VBox([widgets.HTML(OUTPUT_CSS, layout=widgets.Layout(display="none")),
                                    self.form.widget, tabs,
                                    widgets.HBox([self.scenario_path, self.save_button]),
                                    widgets.HBox([self.export_dir, self.export_button]), self.status])
        self.widget.add_class("officenet-explorer")  # diagrams and tables fit the output (see explorers.base)
        self._orgs: dict[str, Organisation] = {}
        self._quiet = False
        self.org: Organisation | None = None
        for w in self.form.all_widgets():
            w.observe(lambda _change: self.refresh(), names="value")
        self.flow.observe(lambda _change: self._show_trace(), names="value")
        self.save_button.on_click(lambda _b: self.save())
        self.export_button.on_click(lambda _b: self.export())
        self.refresh()

    def refresh(self) -> None:
        """Re-derive the organisation from the form; a bad answer shows its error, never raises."""
        try:
            scenario = self.form.scenario()
            key = scenario_yaml(scenario)  # a Scenario holds mappings, so its YAML is the cache key
            if key not in self._orgs:
                self._orgs[key] = organisation(self.reference, scenario)
            self.org = self._orgs[key]
        except (ScenarioError, ValueError) as error:
            self.org = None
            self.status.value = error_html(error)
            return
        self.status.value = ""
        self.findings.value = findings_html(self.org)
        flows = [(f"{f.id} ({self.org.design.label(f.user_type) if f.user_type else 'server'})", f.id)
                 for f in self.org.design.flows]
        current = self.flow.value if self.flow.value in {v for _, v in flows} else flows[0][1]
        self._quiet = True  # changing the options moves the value: draw once, below
        try:
            self.flow.options = flows
            self.flow.value = current
        finally:
            self._quiet = False
        self._show_trace()
        self.comparison.value = compare_html(self.reference_org, self.org, self.svg)

    def _show_trace(self) -> None:
        if not self._quiet and self.org is not None and self.flow.value:
            self.trace.value = trace_html(self.org, self.flow.value, self.svg)

    def save(self) -> Path | None:
        if self.org is None:
            return None
        path = save_scenario(self.org.scenario, self.scenario_path.value)
        self.status.value = f"<p>Saved <code>{html.escape(str(path))}</code>.</p>"
        return path

    def export(self) -> list[Path]:
        if self.org is None:
            return []
        try:
            written = write_exports(self.org, self.export_dir.value)
        except (OSError, ValueError) as error:
            self.status.value = error_html(error)
            return []
        self.status.value = (f"<p>Wrote {len(written)} files into <code>{html.escape(self.export_dir.value)}"
                             "</code>:</p><ul>" + "".join(f"<li>{html.escape(str(p))}</li>" for p in written)
                             + "</ul>")
        return written

    def static_views(self) -> list[tuple[str, str]]:
        """(label, html) of the current answers, for a page without a kernel (handouts)."""
        if self.org is None:
            return [("The answers are not valid", self.status.value)]
        overview = findings_html(self.org) + figure_html(self.org.figure(), self.svg)
        return [("Findings and diagram", overview), (f"Trace of {self.flow.value}", self.trace.value),
                ("Compare with the reference", self.comparison.value)]

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = self.findings.value  # an exported page shows the findings
        if handout_mode():
            bundle[VIEWS_MIME] = views_payload(f"Your design: {self.org.scenario.name if self.org else ''}",
                                               self.static_views())
        return bundle
