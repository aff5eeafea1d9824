"""Workshop exercises: soft checks that tell a learner what is missing or wrong, with a hint.

Every check compares an answer with what the library derives from the design, so the exercises
stay true when the data improves. A check never raises on a bad answer: it returns ``Feedback``,
which shows itself in Jupyter.

One module per exercise (the notebooks of ``notebooks/workshop/`` in order); the notebooks read
them all through this package, as ``workshop.check_<exercise>``.
"""
from .feedback import Feedback
from .paths import check_sharepoint_paths, sharepoint_paths
from .federation import DIRECTION, check_federation_ports, federation_gateway_ports, gateway_port_rows
from .access_and_balancing import check_load_balancing, check_remote_access
from .mistakes import (BROKEN, BROKEN_EDITS, broken_design, broken_edits, broken_findings, broken_scenario,
                       check_mistakes, rules_table)
from .dns_records import DNS_PRODUCTS, check_dns_records, expected_dns_records
from .certificate_plan import (CERT_CHOICES, CERT_DOMAIN, av_reasons, check_certificate_plan, expected_certificates,
                               external_names_table, optional_certificate_names)
from .answers import ANSWERS, DNS_DOMAIN
from .trouble_tickets import (TICKETS, Tickets, check_broken_hops, expected_broken_hops, ticket_design,
                              ticket_traces, tickets)

__all__ = [
    "Feedback",
    "check_sharepoint_paths", "sharepoint_paths",
    "DIRECTION", "check_federation_ports", "federation_gateway_ports", "gateway_port_rows",
    "check_load_balancing", "check_remote_access",
    "BROKEN", "BROKEN_EDITS", "broken_design", "broken_edits", "broken_findings", "broken_scenario",
    "check_mistakes", "rules_table",
    "DNS_PRODUCTS", "check_dns_records", "expected_dns_records",
    "CERT_CHOICES", "CERT_DOMAIN", "av_reasons", "check_certificate_plan", "expected_certificates",
    "external_names_table", "optional_certificate_names",
    "ANSWERS", "DNS_DOMAIN",
    "TICKETS", "Tickets", "check_broken_hops", "expected_broken_hops", "ticket_design", "ticket_traces", "tickets",
]
