"""The remote-access explorer: an external user type and an option per product over the plans of
``officenet.derive.remoteaccess``."""
from __future__ import annotations

import html

from ..derive.remoteaccess import option_name, options_for, plan, port_list, products, related_corrections, row
from ..derive.table_html import frame_html
from .base import Explorer
from ..edge.display import figure_html


class RemoteAccessExplorer(Explorer):
    """External user type and an option per product: the path, the gateway ports and the warnings."""

    title = "Remote access"

    def dimensions(self):
        external = sorted((u for u in self.design.user_types if u.external), key=lambda u: -u.order)
        dims = {"user_type": [(self.design.label(u.id), u.id) for u in external]}
        for product in products(self.design):
            opts = options_for(self.design, product)
            best = sorted(opts, key=lambda o: ("required", "recommended", "supported", "not_recommended",
                                               "not_supported").index(row(self.design, o, product).status))
            dims[product] = [(option_name(self.design, o), o) for o in best]
        return dims

    def render(self, user_type="roaming_employees", **choices) -> str:
        p = plan(self.design, user_type, choices)
        ports = port_list(self.design, p)
        warn = "".join(f'<li style="color:#b22222">⚠ {html.escape(w)}</li>' for w in p.warnings)
        unused = [self.design.label(l.product) for l in p.legs if not l.used]
        head = (f"<p><b>{html.escape(self.design.label(user_type))}</b>: <b>{len(ports)}</b> port rows on the "
                f"gateway" + (f"; does not use {html.escape(', '.join(unused))}" if unused else "") + ".</p>")
        corr = related_corrections(self.design, p)
        corr_html = ("<p><b>Corrections to the poster</b></p><ul>" + "".join(
            f"<li>{html.escape(c.topic)}: {html.escape(c.correct)} ({html.escape(c.source)})</li>" for c in corr)
            + "</ul>") if corr else ""
        return (head + (f"<ul>{warn}</ul>" if warn else "<p>✔ Every choice is supported.</p>")
                + figure_html(p.figure, self.svg)
                + frame_html(ports) + corr_html)
