"""DNS of the design for any public domain: records as a table, zone files, rules, pictures, the NRPT.

``dns_records`` fills the record templates of ``data/dns_records.csv`` with a domain, a DirectAccess
internal namespace and the address plan; ``zone_text`` writes one zone of one view with dnspython;
``dns_checks`` tests the split-brain rules on the filled records. All pure: same arguments, same
output. Each concern is a module of this package; the names below are the ones the notebooks,
the tables and the checks use, as ``officenet.derive.dns.<name>``.

Importing this package loads dnspython (``officenet`` itself imports it only when a DNS name is
first asked for).
"""
from .domain import (COLUMNS, DEFAULT_DOMAIN, VIEWS, BadDomain, check_domain, default_internal, dns_records,
                     internal_name, mx_token)
from .zones import build_zone, content_serial, zone_origins, zone_text
from .rules import DNS_RULES, dns_checks, dns_findings, dns_rules
from .spf import EOP_SPF, smtp_senders, spf_findings, spf_value
from .organisation_records import scenario_records
from .figure import RECORD_COLOUR, RECORD_MEANING, dns_dot, dns_figure
from .nrpt import nrpt_entries, nrpt_findings, nrpt_match, nrpt_powershell, nrpt_resolution, nrpt_table

__all__ = [
    "COLUMNS", "DEFAULT_DOMAIN", "VIEWS", "BadDomain", "check_domain", "default_internal", "dns_records",
    "internal_name", "mx_token",
    "build_zone", "content_serial", "zone_origins", "zone_text",
    "DNS_RULES", "dns_checks", "dns_findings", "dns_rules",
    "EOP_SPF", "smtp_senders", "spf_findings", "spf_value",
    "scenario_records",
    "RECORD_COLOUR", "RECORD_MEANING", "dns_dot", "dns_figure",
    "nrpt_entries", "nrpt_findings", "nrpt_match", "nrpt_powershell", "nrpt_resolution", "nrpt_table",
]
