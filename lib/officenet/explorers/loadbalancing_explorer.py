"""The load-balancing explorer: workload, method and affinity over the rules and VIPs of
``officenet.derive.loadbalancing``."""
from __future__ import annotations

import html

from ..derive.loadbalancing import (AFFINITY_NAMES, METHODS, check, figure, findings_html, recommended, related_corrections,
                             vip_table, workload_label, workloads)
from ..derive.table_html import frame_html
from ..model.records_access import AFFINITIES
from .base import Explorer
from ..edge.display import figure_html


class LoadBalancingExplorer(Explorer):
    """Workload, method and affinity: the VIPs of the workload, its rules, and warnings for bad choices."""

    title = "Load balancing"

    def dimensions(self):
        return {"workload": [(workload_label(self.design, w), w) for w in workloads(self.design)],
                "method": [(label, key) for key, label in METHODS.items()],
                "affinity": [(AFFINITY_NAMES[a], a) for a in AFFINITIES]}

    def render(self, workload="lync_sip", method="dns", affinity="none") -> str:
        findings = check(self.design, workload, method, affinity)
        warnings = [f for f in findings if f.is_warning]
        best = recommended(self.design, workload)
        head = (f"<p><b>{html.escape(workload_label(self.design, workload))}</b>: "
                + ("<b style='color:#b22222'>check the warnings</b>" if warnings else "the choices are sound")
                + f". Best rated: {html.escape(METHODS[best['method']])}, "
                  f"{html.escape(AFFINITY_NAMES[best['affinity']].lower())}.</p>")
        corr = related_corrections(self.design, workload)
        corr_html = ("<p><b>Corrections to the poster</b></p><ul>" + "".join(
            f"<li>{html.escape(c.topic)}: {html.escape(c.correct)} ({html.escape(c.source)})</li>" for c in corr)
            + "</ul>") if corr else ""
        vips = vip_table(self.design, workload)
        vip_html = (frame_html(vips.drop(columns=["note"])) if len(vips)
                    else "<p>No VIP: the pool is DNS load balanced (one A record per Front End server).</p>")
        return (head + findings_html(findings)
                + figure_html(figure(self.design, workload), self.svg)
                + vip_html + corr_html)
