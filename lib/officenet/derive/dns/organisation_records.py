"""The DNS records of one organisation: its scenario's domain, networks and way of sending mail."""
from __future__ import annotations

import pandas as pd

from ..addresses import address_plan, ip_map
from ...model.design import Design
from ..gateway import permits, scenario_gateway
from .domain import check_domain, dns_records
from .spf import spf_value


def scenario_records(design: Design, scenario) -> pd.DataFrame:
    """The DNS records of an organisation: ``design`` is the scenario applied to the reference
    (``apply_scenario`` keeps the record templates of what is deployed), filled with the
    scenario's domain and the one address plan in its networks. Without EOP the MX and SPF
    point to the organisation's own mail name instead.
    """
    scenario = scenario.checked(design)
    plan = address_plan(design, scenario.public_network, scenario.internal_network)
    frame = dns_records(design, scenario.domain, scenario.internal_namespace, addresses=ip_map(plan))
    if scenario.mail == "direct":
        domain = check_domain(scenario.domain)
        spf = spf_value(permits(design, *scenario_gateway(design, scenario)))
        direct = pd.DataFrame([
            {"view": "external", "name": domain, "type": "MX", "value": f"mail.{domain}", "port": "", "priority": 10,
             "weight": "", "product": design.label("exchange"), "purpose": "Inbound mail straight to the Exchange VIP",
             "optional": "", "source": "OFFICENET: scenario mail direct"},
            {"view": "external", "name": domain, "type": "TXT", "value": spf, "port": "", "priority": "",
             "weight": "", "product": design.label("exchange"),
             "purpose": "SPF: every address the gateway lets send on TCP 25 (mail does not leave from the MX address)",
             "optional": "", "source": "OFFICENET: scenario mail direct; O365DNS"}],
            index=pd.Index(["direct_mx", "direct_spf"], name="id"))
        frame = pd.concat([frame, direct[frame.columns]])
    return frame
