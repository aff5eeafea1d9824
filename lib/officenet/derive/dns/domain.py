"""A public domain checked, and the design's record templates filled for it.

``dns_records`` fills the templates of ``data/dns_records.csv`` with a domain, a DirectAccess
internal namespace and the address plan (``data/addresses.csv``). Plain pandas: the zone files,
which need dnspython, are ``zones.py``.
"""
from __future__ import annotations

import re

import pandas as pd

from ...model.design import Design
from ...model.schema import TEMPLATE_RE

DEFAULT_DOMAIN = "contoso.com"
VIEWS = ("external", "internal")
LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
COLUMNS = ["view", "name", "type", "value", "port", "priority", "weight", "product", "purpose", "optional", "source"]


class BadDomain(ValueError):
    """A domain that is not a valid public DNS name; the message says why."""


def check_domain(text: str, what: str = "domain") -> str:
    """The domain in lower case without a final dot; BadDomain says what is wrong."""
    name = str(text).strip().lower().rstrip(".")
    if not name:
        raise BadDomain(f"The {what} is empty: type a name such as contoso.com.")
    if len(name) > 253:
        raise BadDomain(f"The {what} has {len(name)} characters; a DNS name has at most 253.")
    labels = name.split(".")
    if len(labels) < 2:
        raise BadDomain(f"'{name}' has a single label; the {what} needs at least two, such as contoso.com.")
    for label in labels:
        if not LABEL_RE.match(label):
            raise BadDomain(f"'{label}' in '{name}' is not a valid DNS label: use 1 to 63 letters, digits or "
                            "hyphens, not starting or ending with a hyphen.")
    if labels[-1].isdigit():
        raise BadDomain(f"'{name}' ends in a number; the {what} must end in a top-level domain such as .com.")
    return name


def default_internal(domain: str) -> str:
    """The DirectAccess internal namespace the poster suggests: corp.<domain>."""
    return "corp." + domain


def internal_name(domain: str, internal_namespace: str | None) -> str:
    """The DirectAccess internal namespace checked: the one given, else the poster's corp.<domain>."""
    return check_domain(internal_namespace or default_internal(domain), "internal namespace")


def mx_token(domain: str) -> str:
    """Example EOP MX token: the domain with dots as hyphens (the admin center gives the real one)."""
    return domain.replace(".", "-")


def fill_template(design: Design, pattern: str, domain: str, internal: str, token: str, plan=None) -> str:
    """A record, NRPT or certificate template with its {domain}, {internal}, {mx_token} and {ip:<id>} filled."""
    def one(match):
        key = match.group(1)
        if key.startswith("ip:"):
            if plan and key[3:] in plan:
                return str(plan[key[3:]])
            return design.get("addresses", key[3:]).address
        return {"domain": domain, "internal": internal, "mx_token": token}[key]
    return TEMPLATE_RE.sub(one, pattern)


def dns_records(design: Design, domain: str = DEFAULT_DOMAIN, internal_namespace: str | None = None,
                view: str | None = None, product: str | None = None, mx: str | None = None,
                addresses=None) -> pd.DataFrame:
    """Every record of the design for ``domain``: view, name, type, value, port, priority, product,
    purpose, source. ``view`` (external/internal) and ``product`` ('' = infrastructure and remote
    access) narrow the table; ``mx`` is your EOP MX token; ``addresses`` maps ids of
    data/addresses.csv to your own addresses. Raises BadDomain for a name that is not valid."""
    domain = check_domain(domain)
    internal = internal_name(domain, internal_namespace)
    token = mx or mx_token(domain)
    rows = []
    for r in design.dns_records:
        if view is not None and r.view != view:
            continue
        if product is not None and r.product != product:
            continue
        rows.append({
            "id": r.id, "view": r.view, "name": fill_template(design, r.name, domain, internal, token, addresses),
            "type": r.type, "value": fill_template(design, r.value, domain, internal, token, addresses),
            "port": r.port or "", "priority": "" if r.priority is None else r.priority,
            "weight": "" if r.weight is None else r.weight,
            "product": design.label(r.product) if r.product else "(infrastructure / remote access)",
            "purpose": r.purpose, "optional": "yes" if r.optional else "", "source": r.source,
        })
    return pd.DataFrame(rows, columns=["id", *COLUMNS]).set_index("id")
