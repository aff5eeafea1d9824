"""Your organisation, derived: a scenario applied to the reference design, with every
artefact the architect needs (flows, ports, gateway permits, DNS records, certificate
names, findings, configuration texts), and a side-by-side comparison of two organisations.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Callable, Mapping

import pandas as pd

from .apply import apply_scenario
from .checks import Context, run_checks
from .stoplight import stoplight
from ..model.design import Design
from .diagram import figure, to_dot
from .dns import VIEWS, mx_token, zone_origins, zone_text
from .acls import render_acls
from .lbconfig import CERT_DIR, haproxy_config, sni_from_dns
from ..model.scenario import Scenario
from .tables import flow_table, port_matrix
from ..model.view import View


@dataclass(frozen=True)
class Organisation:
    scenario: Scenario
    design: Design
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def _memo(self, key: str, make: Callable[[], object]):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def artefact(self, name: str) -> pd.DataFrame:
        """A derived table (computed once, returned as a copy so callers cannot change it)."""
        producer, _ = ARTEFACTS[name]
        return self._memo("artefact:" + name, lambda: producer(self)).copy()

    # --- what the artefacts and exports are made of ---------------------------------
    def context(self) -> Context:
        """What the checks derive (DNS records, certificate names, permits), shared with the exports."""
        return self._memo("context", lambda: Context(self.design, self.scenario))

    def findings(self):
        return self._memo("findings", lambda: run_checks(self.design, self.scenario, context=self.context()))

    def stoplight(self) -> pd.DataFrame:
        return stoplight(self.findings(), self.design.checks)

    def records(self) -> pd.DataFrame:
        return self.context().records.copy()

    def certificate_names(self) -> pd.DataFrame:
        return self.context().certificate_names.copy()

    def gateway(self) -> tuple[dict[str, bool], dict]:
        """The gateway options and address plan of the scenario (see gateway.scenario_gateway)."""
        return self.context().gateway

    def allow_list(self) -> pd.DataFrame:
        return self.context().permits.frame()  # the permits the checks read, shown as a table

    def acls(self, platforms=("cisco", "juniper", "nftables")) -> dict[str, str]:
        options, addresses = self.gateway()
        return render_acls(self.design, options, platforms, addresses)

    def zone_texts(self, serial: int | None = None) -> dict[str, str]:
        """'<view>-<zone>.zone' -> zone-file text, for every zone of both views. ``serial`` None:
        each zone's serial is derived from its records (see dns.content_serial)."""
        s, records = self.scenario, self.records()
        return {f"{view}-{origin}.zone": zone_text(self.design, view, s.domain, s.internal_namespace, origin,
                                                   serial=serial, records=records)
                for view in VIEWS for origin in zone_origins(self.design, view, s.domain, s.internal_namespace,
                                                             records)}

    def reachable(self) -> frozenset[tuple[str, int]]:
        """(public address, TCP port) pairs the gateway lets in from the Internet."""
        out = set()
        for r in self.context().permits:
            if r.direction == "inbound" and r.protocol == "TCP" and r.to_addresses and r.ports[1] - r.ports[0] < 1024:
                for net in r.to_addresses:
                    out |= {(str(a), port) for a in ipaddress.ip_network(net)
                            for port in range(r.ports[0], r.ports[1] + 1)}
        return frozenset(out)

    def haproxy(self, cert_dir: str | None = None) -> str:
        """The load-balancer file: listeners on the VIPs' addresses, public ones only where the
        gateway lets the Internet in; ``cert_dir``: where the certificates will be."""
        s = self.scenario
        return haproxy_config(self.design, s.public_network, s.internal_network,
                              sni=sni_from_dns(self.design, self.records()), permitted=self.reachable(),
                              cert_dir=cert_dir or CERT_DIR, names=self.certificate_names())

    def dot(self, view: View = View()) -> str:
        return to_dot(self.design, view)

    def figure(self, view: View = View()):
        return figure(self.design, view)


def organisation(reference: Design, scenario: Scenario) -> Organisation:
    """Every artefact of one organisation; its scenario is checked against ``reference`` first."""
    scenario = scenario.checked(reference)
    return Organisation(scenario, apply_scenario(reference, scenario))


def relative(text: str, scenario: Scenario) -> str:
    """A name with the organisation's namespaces written as {internal} and {domain}, so that
    two organisations with different domains compare record by record."""
    text = str(text).replace(scenario.internal_namespace, "{internal}")
    return text.replace(scenario.domain, "{domain}").replace(mx_token(scenario.domain), "{mx_token}")


def _findings(org: Organisation) -> pd.DataFrame:
    return pd.DataFrame([{"check": f.check, "severity": f.severity, "subject": relative(f.subject, org.scenario),
                          "detail": f.detail} for f in org.findings()],
                        columns=["check", "severity", "subject", "detail"])


def _dns(org: Organisation) -> pd.DataFrame:
    frame = org.records().reset_index()
    frame["record"] = [f"{relative(r['name'], org.scenario)} {r['type']} "
                       + (f"{r['port']} " if r["type"] == "SRV" else "")
                       + ("<address>" if r["type"] == "A" else relative(r["value"], org.scenario))
                       for _, r in frame.iterrows()]
    return frame


def _certificates(org: Organisation) -> pd.DataFrame:
    frame = org.certificate_names().reset_index()
    frame = frame[frame["role"] != "none"]
    frame["relative name"] = [relative(n, org.scenario) for n in frame["name"]]
    return frame


def _gateway(org: Organisation) -> pd.DataFrame:
    return org.allow_list().reset_index()


# artefact name -> (function of the organisation, columns that identify a row for comparison).
# Keys avoid addresses and the domain itself, so that they say what differs in the design.
ARTEFACTS: dict[str, tuple[Callable[[Organisation], pd.DataFrame], tuple[str, ...]]] = {
    "flows": (lambda o: flow_table(o.design).reset_index(), ("id", "path")),
    "ports": (lambda o: port_matrix(o.design).reset_index(), ("protocol", "ports", "from", "to", "crossing")),
    "gateway": (_gateway, ("direction", "protocol", "ports", "from", "to")),
    "dns": (_dns, ("view", "record")),
    "certificates": (_certificates, ("certificate", "role", "relative name")),
    "findings": (_findings, ("check", "subject")),
}


def compare(a: Organisation, b: Organisation, artefacts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Rows that differ between two organisations, artefact by artefact: what only A has, what only B has."""
    rows = []
    for name in artefacts or tuple(ARTEFACTS):
        keys = ARTEFACTS[name][1]
        left = {_key(r, keys) for r in a.artefact(name).to_dict("records")}
        right = {_key(r, keys) for r in b.artefact(name).to_dict("records")}
        for side, only in (("only in " + a.scenario.name, left - right), ("only in " + b.scenario.name, right - left)):
            for item in sorted(only):
                rows.append({"artefact": name, "side": side, "item": " · ".join(item)})
    return pd.DataFrame(rows, columns=["artefact", "side", "item"])


def _key(row: Mapping, keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(row[k]) for k in keys)
