"""The gateway explorer: toggles for the optional permits and the ACL platform."""
from __future__ import annotations

import html

from ..derive.acls import PLATFORMS, render_acls
from ..derive.gateway import gateway_allow_list
from ..derive.gateway_views import allow_list_table, gateway_figure
from .base import Explorer
from ..edge.display import figure_html

ON_OFF = [("on (as the poster)", True), ("off", False)]


class GatewayExplorer(Explorer):
    """Lync A/V range and POP/IMAP on or off, and the platform of the ACL text."""

    title = "Gateway allow-list"
    names = {"av_range": "A/V range", "pop_imap": "POP/IMAP"}

    def dimensions(self):
        return {"av_range": ON_OFF, "pop_imap": ON_OFF,
                "platform": [(PLATFORMS[p].title, p) for p in PLATFORMS]}

    def render(self, av_range=True, pop_imap=True, platform="cisco") -> str:
        design = self.design
        options = {"av_range": av_range, "pop_imap": pop_imap}
        allow = gateway_allow_list(design, options)
        acl = render_acls(design, options, platforms=(platform,))[platform]
        inbound = int((allow["direction"] == "inbound").sum())
        notes = [c for c in design.corrections if c.id in ("co_sp_inout", "er_av_range")]
        if not av_range:
            notes = [c for c in notes if c.id != "er_av_range"]
        parts = [
            f"<p><b>{len(allow)}</b> permits on the gateway router: <b>{inbound}</b> inbound, "
            f"<b>{len(allow) - inbound}</b> outbound; everything else is denied.</p>",
            "<ul>" + "".join(f"<li><b>{html.escape(c.topic)}</b>: {html.escape(c.correct)} "
                             f"<i>({html.escape(c.source)})</i></li>" for c in notes) + "</ul>",
            figure_html(gateway_figure(design, options), self.svg),
            allow_list_table(design, allow).to_html(),
            f"<p><b>{html.escape(PLATFORMS[platform].title)}</b>, rendered by aerleon "
            f"({len(acl.splitlines())} lines):</p>",
            f'<pre style="max-height: 24em; overflow: auto; font-size: 11px">{html.escape(acl)}</pre>',
        ]
        return "".join(parts)
