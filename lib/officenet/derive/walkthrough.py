"""Tables of the authentication walk-through notebook (04): authentication, addresses, Exchange
virtual directories, anonymous Lync users. Their explorers are in ``officenet.explorers.walkthrough_explorers``."""
from __future__ import annotations

import pandas as pd

from ..model.design import Design


def auth_rows(design: Design, user_type: str, product: str | None = None) -> pd.DataFrame:
    """Authentication methods of one user type (optionally one product), with the corrections that apply."""
    order = {p.id: i for i, p in enumerate(design.products)}
    rows = [a for a in design.authentication if a.user_type == user_type and (product is None or a.product == product)]
    rows.sort(key=lambda a: (order[a.product], a.id))
    return pd.DataFrame([{"id": a.id, "product": design.label(a.product), "method": a.method, "scope": a.scope,
                          "correction": "; ".join(c.id for c in corrections_for(design, [f"authentication:{a.id}"])),
                          "source": a.source} for a in rows],
                        columns=["id", "product", "method", "scope", "correction", "source"]).set_index("id")


def urls_for(design: Design, user_type: str, product: str | None = None) -> pd.DataFrame:
    rows = [u for u in design.urls if u.user_type == user_type and (product is None or u.product == product)]
    return pd.DataFrame([{"id": u.id, "url": u.url, "product": design.label(u.product), "note": u.note,
                          "source": u.source} for u in rows],
                        columns=["id", "url", "product", "note", "source"]).set_index("id")


def corrections_for(design: Design, targets) -> list:
    """Corrections whose applies_to names any of ``targets`` ('table:id'), in table order."""
    targets = set(targets)
    return [c for c in design.corrections if targets & set(c.applies_to)]


def exchange_vdirs(design: Design, host: str = "mail.contoso.com") -> pd.DataFrame:
    """The Exchange 2013 virtual directories behind ``host`` with their default authentication."""
    return pd.DataFrame([{"id": v.id, "url": f"https://{host}/{v.vdir}", "service": v.service,
                          "IIS authentication": v.iis_auth, "Exchange-level": v.exchange_auth or "—",
                          "SSL": v.ssl, "on the poster": "yes" if v.in_poster else "added", "source": v.source}
                         for v in design.exchange_vdirs]).set_index("id")


def anonymous_lync(design: Design) -> pd.DataFrame:
    """What anonymous Lync users may do: their authentication rows and their Lync flows."""
    auth = [a for a in design.authentication if a.user_type == "individual_partners" and a.product == "lync"]
    flows = design.select_flows(user_type="individual_partners", product="lync")
    rows = [{"what": "authentication", "detail": f"{a.method}: {a.scope}", "source": a.source} for a in auth]
    rows += [{"what": f"flow ({design.traffic_type(f.traffic_type).name})", "detail": f.description,
              "source": f.source} for f in flows]
    return pd.DataFrame(rows, columns=["what", "detail", "source"])
