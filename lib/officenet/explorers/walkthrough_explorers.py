"""The explorers of the DNS (03) and authentication (04) walk-through notebooks."""
from __future__ import annotations

import html

import ipywidgets as widgets

from ..model.design import Design
from ..derive.diagram import figure
from ..derive.dns import BadDomain, check_domain, default_internal, dns_checks, dns_figure, dns_records, zone_origins, zone_text
from ..edge.overview_frame import choices
from ..derive.tables import flow_table, html_table
from ..model.view import View
from ..derive.walkthrough import auth_rows, corrections_for, exchange_vdirs, urls_for
from .base import CONTROLS_LAYOUT, Explorer
from ..edge.display import figure_html


def _warnings(items) -> str:
    return "".join(f'<p class="officenet-warning" style="border-left:4px solid #c77700;padding-left:6px">'
                   f"<b>{html.escape(title)}</b>: {html.escape(text)}</p>" for title, text in items)


class AuthExplorer(Explorer):
    """Pick a user type (and a product): its flows on the diagram, its URLs and authentication."""

    title = "Authentication and flows"

    def dimensions(self):
        users = sorted(self.design.user_types, key=lambda u: u.order)
        return {"user_type": [(self.design.label(u.id), u.id) for u in users],
                "product": choices(self.design, "products")}

    def render(self, user_type="partner_companies", product=None) -> str:
        d = self.design
        view = View(user_type=user_type, product=product)
        flows = flow_table(d, view)
        auth, urls = auth_rows(d, user_type, product), urls_for(d, user_type, product)
        targets = [f"flows:{i}" for i in flows.index] + [f"authentication:{i}" for i in auth.index] \
            + [f"urls:{i}" for i in urls.index]
        notes = [(f"Correction {c.id} ({c.kind})", c.correct) for c in corrections_for(d, targets)]
        parts = [f"<p><b>{len(flows)}</b> flows for <b>{html.escape(view.describe(d))}</b></p>",
                 figure_html(figure(d, view), self.svg),
                 "<h4>Authentication</h4>", html_table(d, auth),
                 "<h4>Addresses</h4>", html_table(d, urls) if len(urls) else "<p>No address for this selection.</p>",
                 "<h4>Flows</h4>", html_table(d, flows), _warnings(notes)]
        if any(urls["product"] == d.label("exchange")) if len(urls) else False:
            parts += ["<h4>Exchange virtual directories behind mail</h4>", html_table(d, exchange_vdirs(d))]
        return "".join(parts)


class DnsExplorer(Explorer):
    """External or internal DNS view for any domain: records, rule checks and zone text."""

    title = "DNS"

    def __init__(self, design: Design, domain: str = "contoso.com", internal_namespace: str = "", **initial):
        # Text boxes beside the drop-downs; they exist before the base class draws the first view.
        self.domain_box = widgets.Text(value=domain, description="Domain", continuous_update=False)
        self.internal_box = widgets.Text(value=internal_namespace, description="Internal",
                                         placeholder="corp.<domain>", continuous_update=False)
        super().__init__(design, **initial)
        for box in (self.domain_box, self.internal_box):
            self.controls[box.description.lower()] = box
            box.observe(self._on_change, names="value")
        self.widget.children = (self.widget.children[0], widgets.HBox(list(self.controls.values()), layout=CONTROLS_LAYOUT),
                                self.output)
        self.redraw()

    @property
    def selection(self):
        sel = super().selection
        sel["domain"], sel["internal"] = self.domain_box.value, self.internal_box.value
        return sel

    def dimensions(self):
        return {"view": [("External (Internet)", "external"), ("Internal (intranet)", "internal")],
                "product": choices(self.design, "products") + [("Infrastructure / remote access", "")]}

    def render(self, view="external", product=None, domain="contoso.com", internal="", **_) -> str:
        d = self.design
        try:
            domain = check_domain(domain)
            internal = check_domain(internal or default_internal(domain), "internal namespace")
        except BadDomain as exc:
            return f'<p class="officenet-error" style="color:#b00020"><b>Not a valid DNS name.</b> {html.escape(str(exc))}</p>'
        everything = dns_records(d, domain, internal)
        checks = dns_checks(everything, domain, internal, rules=d.checks)
        shown = dns_records(d, domain, internal, view=view, product=product)
        failed = [(row["rule"], row["found"]) for _, row in checks.iterrows() if row["ok"] == "NO"]
        zones = "".join(f"<h4>Zone {html.escape(o)} ({view})</h4><pre>{html.escape(zone_text(d, view, domain, internal, o))}</pre>"
                        for o in zone_origins(d, view, domain, internal))
        return (f"<p><b>{len(shown)}</b> {html.escape(view)} records for <b>{html.escape(domain)}</b> "
                f"(internal namespace {html.escape(internal)})</p>"
                + _warnings(failed)
                + figure_html(dns_figure(d, view, domain, internal, product), self.svg)
                + html_table(d, _srv_in_one_column(shown.drop(columns=["view"])))
                + "<h4>Split-brain checks</h4>" + html_table(d, checks) + zones)


def _srv_in_one_column(records):
    """Port, priority and weight as one cell ("5061, priority 0, weight 0"), and "optional" in the
    purpose: four mostly empty columns pushed the records table past a 1000 px page."""
    def srv(row):
        parts = [str(row["port"])] if row["port"] != "" else []
        parts += [f"{k} {row[k]}" for k in ("priority", "weight") if row[k] != ""]
        return ", ".join(parts)
    table = records.drop(columns=["port", "priority", "weight"])
    table.insert(list(table.columns).index("value") + 1, "port, priority, weight", records.apply(srv, axis=1))
    if "optional" in table.columns and "purpose" in table.columns:  # one column fewer: "optional: ..." in the purpose
        table["purpose"] = [f"optional: {purpose}" if optional == "yes" else purpose
                            for purpose, optional in zip(table["purpose"], table["optional"])]
        table = table.drop(columns=["optional"])
    return table

