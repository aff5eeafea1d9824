"""Every exercise's answer, derived from the design: what a learner should give, in the shape the
exercise's check takes. Nothing here is typed by hand, so when the data changes the answers follow.

The checks judge an answer against the same derivations, a trainer's solution notebook must agree
with them, and every form must offer each item of them (``tests/test_workshop_answers.py``).
"""
from __future__ import annotations

from ..derive.dns import dns_records
from ..model.design import Design
from ..model.scenario import choices
from .certificate_plan import CERT_DOMAIN, av_reasons, expected_certificates
from .dns_records import expected_dns_records
from .federation import federation_gateway_ports
from .mistakes import broken_findings
from .paths import sharepoint_paths
from .trouble_tickets import expected_broken_hops

DNS_DOMAIN = "fabrikam.com"  # the domain exercise 6 writes records for


def paths_answer(design: Design) -> dict[str, list[str]]:
    """Exercise 1: per user type, the first path the design gives (a tunnel's other path is right too)."""
    return {user: list(paths[0]) for user, paths in sharepoint_paths(design).items()}


def federation_answer(design: Design) -> set[tuple[str, int, str]]:
    """Exercise 2: the gateway rules of partner federation, the A/V Edge's TCP 50000-59999 included."""
    return federation_gateway_ports(design)


def remote_access_answer(design: Design) -> dict[str, str]:
    """Exercise 3: the reference design's choice per product (the first of each list of choices)."""
    return {item: options[0] for item, options in choices(design).remote_access.items()}


def load_balancing_answer(design: Design) -> dict[str, str]:
    """Exercise 4: the best-rated method per workload (the first of each list of choices)."""
    return {item: options[0] for item, options in choices(design).load_balancing.items()}


def mistakes_answer(design: Design) -> list[str]:
    """Exercise 5: the checks the broken design fails."""
    return sorted({f.check for f in broken_findings(design)})


def dns_answer(design: Design, domain: str = DNS_DOMAIN) -> list[tuple]:
    """Exercise 6: the required records; an SRV record with its port and target."""
    frame = dns_records(design, domain)
    targets = {(r["view"], r["name"], r["type"]): r["value"] for _, r in frame.iterrows()}
    return [(*key, port, targets[key]) if port is not None else key
            for key, port in sorted(expected_dns_records(design, domain, frame).items())]


def certificate_answer(design: Design) -> tuple[dict[str, str], str]:
    """Exercise 7: the certificate of each name of ``CERT_DOMAIN``, and why the A/V Edge name needs none."""
    return expected_certificates(design), av_reasons(design)[0]


def tickets_answer(design: Design) -> dict[str, str]:
    """Exercise 8: the first broken hop of each ticket's flow."""
    return expected_broken_hops(design)


ANSWERS = {"01": paths_answer, "02": federation_answer, "03": remote_access_answer, "04": load_balancing_answer,
           "05": mistakes_answer, "06": dns_answer, "07": certificate_answer, "08": tickets_answer}
assert CERT_DOMAIN == DNS_DOMAIN  # both exercises speak of one organisation's names
