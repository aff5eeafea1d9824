"""Load balancing per product: the rules (lb_rules.csv), the VIP listeners (vip_services.csv),
a VIP -> pool diagram and a checker that warns about unsupported choices.

Every function is pure: a design and a selection in, DOT text, DataFrames or HTML out.
"""
from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from ..model.design import Design
from .dotlang import HtmlLabel, html_text
from .drawing import Builder, Figure, small, wrap_ports
from .release_names import named
from ..model.records import range_text
from ..model.records_access import AFFINITIES, LB_METHODS, LbRule, VipService

# The name of each workload as a pattern of release_names: the products and roles come from the design's rows.
WORKLOADS = {
    "lync_sip": "{lync} SIP ({lync_pool})",
    "lync_web_internal": "{lync} web, internal",
    "lync_web_external": "{lync} web, external",
    "exchange_cas": "{exchange} {exchange_cas}",
    "exchange_web": "{exchange} client access ({exchange_mailbox})",
    "sharepoint_web": "{sharepoint} web front ends",
    "owas": "{owas.name}",
}
METHODS = {"dns": "DNS load balancing", "layer4": "Layer 4 load balancer", "layer7": "Layer 7 load balancer"}
AFFINITY_NAMES = {"none": "No affinity", "source_address": "Source address", "cookie": "Cookie", "client": "Client affinity"}
STATUS_COLOUR = {"required": "#1e7b34", "recommended": "#1e7b34", "supported": "#1f5fbf",
                 "not_recommended": "#c77700", "not_supported": "#b22222"}
WARN = ("not_recommended", "not_supported")


def workloads(design: Design) -> list[str]:
    """Workloads in the order of WORKLOADS, then any others the rules name."""
    used = {r.workload for r in design.lb_rules} | {v.workload for v in design.vip_services}
    return [w for w in WORKLOADS if w in used] + sorted(used - set(WORKLOADS))


def workload_label(design: Design, workload: str) -> str:
    """The workload in the design's own product names ('Lync SIP (Front End pool)' in 2013)."""
    return named(design, WORKLOADS.get(workload), workload)


def rules_for(design: Design, workload: str) -> tuple[LbRule, ...]:
    return tuple(r for r in design.lb_rules if r.workload == workload)


def rule_table(design: Design, workload: str | None = None) -> pd.DataFrame:
    """The load-balancing rules, per workload, method first then affinity."""
    order = {w: i for i, w in enumerate(workloads(design))}
    choice_order = {c: i for i, c in enumerate(LB_METHODS + AFFINITIES)}
    rows = sorted((r for r in design.lb_rules if workload in (None, r.workload)),
                  key=lambda r: (order[r.workload], choice_order[r.choice]))
    return pd.DataFrame([{"id": r.id, "workload": workload_label(design, r.workload), "aspect": r.aspect,
                          "choice": METHODS.get(r.choice) or AFFINITY_NAMES[r.choice],
                          "status": r.status.replace("_", " "), "reason": r.reason, "source": r.source}
                         for r in rows], columns=["id", "workload", "aspect", "choice", "status", "reason",
                                                  "source"]).set_index("id")


def rule_matrix(design: Design) -> pd.DataFrame:
    """Workload x choice: the status of each documented choice ('—' where the sources say nothing)."""
    data = {}
    for choice in LB_METHODS + AFFINITIES:
        col = METHODS.get(choice) or "affinity: " + AFFINITY_NAMES[choice]
        data[col] = [next((r.status.replace("_", " ") for r in rules_for(design, w) if r.choice == choice), "—")
                     for w in workloads(design)]
    return pd.DataFrame(data, index=pd.Index([workload_label(design, w) for w in workloads(design)], name="workload"))


def vip_table(design: Design, workload: str | None = None) -> pd.DataFrame:
    """One row per VIP listener: port translation, persistence, probe, pool."""
    order = {w: i for i, w in enumerate(workloads(design))}
    rows = [v for v in design.vip_services if workload in (None, v.workload)]
    rows.sort(key=lambda v: (order[v.workload], v.vip, v.listener_port, v.id))
    return pd.DataFrame([{
        "id": v.id, "VIP": v.vip_label, "device": v.device, "layer": v.layer or "—",
        "listener": f"{v.protocol} {range_text(v.listener_port)}",
        "backend": design.label(v.backend), "backend port": range_text(v.backend_port),
        "translation": "yes" if v.listener_port != v.backend_port else "",
        "persistence": AFFINITY_NAMES[v.persistence], "idle timeout": f"{v.idle_timeout} s" if v.idle_timeout else "",
        "probe": v.probe or "—", "on the poster": "yes" if v.in_poster else "added by officenet",
        "note": v.note, "source": v.source,
    } for v in rows], columns=["id", "VIP", "device", "layer", "listener", "backend", "backend port", "translation",
                               "persistence", "idle timeout", "probe", "on the poster", "note", "source"]).set_index("id")


@dataclass(frozen=True)
class Finding:
    """What the rules say of one choice of a selection."""

    aspect: str
    choice: str
    rule: LbRule | None

    @property
    def status(self) -> str:
        return self.rule.status if self.rule else "undocumented"

    @property
    def is_warning(self) -> bool:
        return self.rule is None or self.rule.status in WARN

    def text(self) -> str:
        name = METHODS.get(self.choice) or AFFINITY_NAMES[self.choice]
        if self.rule is None:
            return f"{name}: the sources say nothing of this choice; check the product documentation before using it"
        return f"{name}: {self.rule.status.replace('_', ' ')}. {self.rule.reason} (source: {self.rule.source})"


def check(design: Design, workload: str, method: str, affinity: str) -> tuple[Finding, ...]:
    """The rule for the chosen method and the chosen affinity of a workload (None where there is none)."""
    rules = rules_for(design, workload)
    out = []
    for aspect, choice in (("method", method), ("affinity", affinity)):
        rule = next((r for r in rules if r.aspect == aspect and r.choice == choice), None)
        if aspect == "affinity" and rule is None and not any(r.aspect == "affinity" for r in rules):
            continue  # the sources give no affinity rule for this workload (Lync SIP)
        out.append(Finding(aspect, choice, rule))
    return tuple(out)


def recommended(design: Design, workload: str) -> dict[str, str]:
    """The best-rated method and affinity of a workload (required > recommended > supported)."""
    rank = {s: i for i, s in enumerate(("required", "recommended", "supported", "not_recommended", "not_supported"))}
    best = {}
    for aspect, default in (("method", LB_METHODS[0]), ("affinity", AFFINITIES[0])):
        rules = sorted((r for r in rules_for(design, workload) if r.aspect == aspect),
                       key=lambda r: (rank[r.status], r.id))
        best[aspect] = rules[0].choice if rules else default
    return best


def related_corrections(design: Design, workload: str):
    """Corrections that apply to the components behind a workload's VIPs (and their devices)."""
    comps = set()
    for v in design.vip_services:
        if v.workload == workload:
            comps.add(v.backend)
            c = v.component
            while c:  # the VIP and the device that holds it
                comps.add(c)
                c = design.component(c).parent
    if workload in ("lync_sip",):
        comps.add("lync_pool")
    targets = {f"components:{c}" for c in comps}
    return tuple(c for c in design.corrections if targets & set(c.applies_to))


LISTENER_COLOUR, DIM, DIM_TEXT = "#1f5fbf", "#c8c8c8", "#9a9a9a"


def figure(design: Design, workload: str | None = None) -> Figure:
    """VIPs grouped by device, with an edge per listener to its backend; the workload's VIPs lit."""
    lit = {v.id for v in design.vip_services if workload in (None, v.workload)}
    b = Builder("load_balancing", "Load balancing: VIP listeners and pools"
                + (f" · {workload_label(design, workload)}" if workload else ""), nodesep="0.12", ranksep="0.5")
    devices: dict[str, dict[str, VipService]] = defaultdict(dict)
    for v in design.vip_services:
        devices[v.device].setdefault(v.vip, v)
    for i, device in enumerate(sorted(devices)):
        added = not any(v.in_poster for v in devices[device].values())
        b.open_cluster(f"device_{i}", device, style="rounded,dashed" if added else "rounded,filled",
                       color="#8a8a8a", fillcolor="#fdf1dc", fontsize="11")
        for vip_id, v in sorted(devices[device].items()):
            on = any(s.id in lit for s in design.vip_services if s.vip == vip_id)
            listeners = [s for s in design.vip_services if s.vip == vip_id]
            kinds = sorted({s.persistence for s in listeners})
            if len(kinds) == 1:
                details = [f"persistence: {AFFINITY_NAMES[kinds[0]].lower()}"]
            else:  # listeners differ (the reverse proxy: Office Web Apps sticks, Lync web does not);
                # one line each: on one line they made the picture too wide for a notebook's column
                names = {k: sorted({workload_label(design, s.workload) for s in listeners if s.persistence == k})
                         for k in kinds}
                details = ["persistence:"] + [f"{AFFINITY_NAMES[k].lower()} ({', '.join(names[k])})" for k in kinds]
            if any(s.idle_timeout for s in listeners):
                details[-1] += f"; idle {max(s.idle_timeout or 0 for s in listeners)} s"
            label = f"<B>{html_text(v.vip_label)}</B>" + "".join(f"<BR/>{small(html_text(d))}" for d in details)
            if not v.in_poster:
                label += "<BR/>" + small("<I>added by officenet</I>")
            b.node("vip_" + vip_id, label=HtmlLabel(label), shape="box", style="rounded,filled,dashed"
                   if not v.in_poster else "rounded,filled", fillcolor="#ffffff",
                   color="#333333" if on else DIM, fontcolor="#000000" if on else DIM_TEXT,
                   penwidth="1.6" if on and workload else "1")
        b.close_cluster()
    vip_components = {v.component: v.vip for v in design.vip_services if v.component}
    backends = sorted({v.backend for v in design.vip_services if v.backend not in vip_components})
    b.open_cluster("pools", "Pools (front end tier)", style="rounded,filled", color="#8a8a8a",
                   fillcolor="#eef6ee", fontsize="11")
    for backend in backends:
        on = any(v.backend == backend and v.id in lit for v in design.vip_services)
        b.node("pool_" + backend, label=design.label(backend), tooltip=design.component(backend).name, shape="box",
               style="rounded,filled", fillcolor="#ffffff", color="#333333" if on else DIM,
               fontcolor="#000000" if on else DIM_TEXT)
    b.close_cluster()
    groups: dict[tuple[str, str], list[VipService]] = defaultdict(list)
    for v in design.vip_services:
        groups[(v.vip, v.backend)].append(v)
    for (vip, backend), listeners in sorted(groups.items()):
        on = any(v.id in lit for v in listeners)
        target = "vip_" + vip_components[backend] if backend in vip_components else "pool_" + backend
        texts = []
        for v in sorted(listeners, key=lambda s: (s.listener_port, s.id)):
            text = range_text(v.listener_port)
            if v.listener_port != v.backend_port:
                text += f" → {range_text(v.backend_port)}"
            texts.append(text)
        # the workload's listeners carry their ports; the others are context, drawn thin and unlabelled
        b.edge("vip_" + vip, target, colour=LISTENER_COLOUR if on else DIM, order=0 if on else 1,
               meaning=("listener to its pool: port → backend port" if workload else "listener to its pool")
               if on else "other workloads' listeners",
               label=wrap_ports(f"{listeners[0].protocol} " + ", ".join(texts), 22) if on else None,
               fontcolor=LISTENER_COLOUR if on else None, penwidth="1.8" if on and workload else "1",
               tooltip="; ".join(v.id for v in listeners))
    return b.figure("Lines drawn")


def to_dot(design: Design, workload: str | None = None) -> str:
    return figure(design, workload).dot


def findings_html(findings) -> str:
    items = []
    for f in findings:
        colour = STATUS_COLOUR.get(f.status, "#c77700")
        mark = "⚠ " if f.is_warning else "✔ "
        items.append(f'<li style="color:{colour}">{mark}{html.escape(f.text())}</li>')
    return "<ul class=\"officenet-findings\">" + "".join(items) + "</ul>"


def decision_table(design: Design, choices: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """Per workload: the chosen (default: best-rated) method and affinity, their status and the VIPs."""
    choices = choices or {}
    rows = []
    for w in workloads(design):
        pick = {**recommended(design, w), **choices.get(w, {})}
        findings = {f.aspect: f for f in check(design, w, pick["method"], pick["affinity"])}
        vips = sorted({v.vip_label for v in design.vip_services if v.workload == w})
        rows.append({"workload": workload_label(design, w), "method": METHODS[pick["method"]],
                     "method status": findings["method"].status.replace("_", " "),
                     "affinity": AFFINITY_NAMES[pick["affinity"]] if "affinity" in findings else "—",
                     "affinity status": findings["affinity"].status.replace("_", " ") if "affinity" in findings else "—",
                     "VIPs": ", ".join(vips) or "(none: DNS)"})
    return pd.DataFrame(rows).set_index("workload")
