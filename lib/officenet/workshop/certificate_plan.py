"""Exercise 7: the certificate plan, which certificate carries each Lync name of a domain."""
from __future__ import annotations

from typing import Mapping

from ..derive.certificates import certificate_names
from ..model.design import Design
from ..derive.dns import dns_records
from .feedback import Feedback, empty_answer, id_hint


CERT_DOMAIN = "fabrikam.com"
PUBLIC_CERTIFICATES = ("edge_external", "reverse_proxy")  # the two the exercise asks about
CERT_CHOICES = {"edge_external": "the Edge's external certificate", "reverse_proxy": "the reverse proxy's certificate",
                "internal": "an internal certificate only", "none": "no certificate"}
# Reasons a learner may give for the A/V Edge name; the right one is read from data/certificates.csv.
AV_WRONG_REASONS = ("it only resolves in the internal DNS view", "the reverse proxy presents it",
                    "it is the subject of the internal Edge certificate")


def _lync_certificate_names(design: Design):
    names = certificate_names(design, CERT_DOMAIN)
    return names[names["presented_by"].isin([design.label(c) for c in ("lync_edge", "lync_vip", "lync_pool")])]


def expected_certificates(design: Design) -> dict[str, str]:
    """name -> the certificate it goes on (a key of CERT_CHOICES), for the Lync names of the Edge, the
    reverse proxy and the pool."""
    names = _lync_certificate_names(design)
    out = {}
    for name, group in names.groupby("name", sort=True):
        on = group[group["role"] != "none"]
        public = [c for c in PUBLIC_CERTIFICATES if c in set(on["certificate"])]
        out[name] = public[0] if public else ("internal" if len(on) else "none")
    return out


def optional_certificate_names(design: Design) -> set[str]:
    names = _lync_certificate_names(design)
    return set(names[names["optional"] == "yes"]["name"])


def av_reasons(design: Design) -> tuple[str, tuple[str, ...]]:
    """(the right reason, every reason offered) why the A/V Edge external name needs no certificate."""
    names = _lync_certificate_names(design)
    row = names[(names["role"] == "none") & names["name"].str.startswith("av.")].iloc[0]
    right = row["purpose"].split(": ", 1)[-1].strip().rstrip(".")
    return right, tuple(sorted((right, *AV_WRONG_REASONS)))


def check_certificate_plan(design: Design, answer: Mapping[str, str] | None, why_av: str | None = None) -> Feedback:
    """``answer``: name -> "edge_external", "reverse_proxy", "internal" or "none"; ``why_av``: one of the
    reasons ``av_reasons`` offers."""
    title = f"Certificate plan for Lync of {CERT_DOMAIN}"
    expected = expected_certificates(design)
    optional = optional_certificate_names(design)
    right_reason, reasons = av_reasons(design)
    av = next(n for n in expected if n.startswith("av."))
    if empty_answer(answer) and not why_av:
        return Feedback(title, missing=(f"a certificate for each of {len(expected)} names", f"why {av} needs none"),
                        hints=("Each external name belongs to the server that answers it from the Internet: "
                               "the Edge's external interface or the reverse proxy.",))
    if answer is not None and not isinstance(answer, Mapping):
        return Feedback(title, wrong=(repr(answer)[:80],),
                        hints=(f'Write a dictionary: {{"sip.{CERT_DOMAIN}": "edge_external", ...}}',))
    answer = {str(k).strip().lower().rstrip("."): v for k, v in (answer or {}).items()}
    correct, missing, wrong, hints, notes = [], [], [], [], []
    for name, want in expected.items():
        if name not in answer:
            if name not in optional:
                missing.append(f"a certificate for {name}")
            continue
        given = str(answer[name]).strip().lower()
        if given not in CERT_CHOICES:
            wrong.append(f"{name}: {answer[name]}")
            hints.append(f"{name}: choose one of {', '.join(CERT_CHOICES)}")
        elif given == want or (name in optional and given in (want, "none")):
            correct.append(f"{name}: {CERT_CHOICES[given]}")
            if name in optional:
                notes.append(f"{name} is optional: it goes on {CERT_CHOICES[want]} only with XMPP federation")
        else:
            wrong.append(f"{name}: {CERT_CHOICES[given]}")
            if want == "none":
                hints.append(f"{name}: the A/V Edge name is in DNS, but does it carry TLS?")
            elif want == "internal":
                hints.append(f"{name} is an intranet name: no Internet client reaches it, so no public certificate")
            elif given in PUBLIC_CERTIFICATES:
                hints.append(f"{name}: which server answers this name from the Internet? Look at its external "
                             "A record")
            else:
                hints.append(f"{name}: Internet clients reach it over TLS, so a public certificate carries it")
    for name in sorted(set(answer) - set(expected)):
        wrong.append(f"{name}: not one of the names of this exercise")
        hints.append(id_hint(expected, name, "name of this exercise") or "")
    if not why_av:
        missing.append(f"why {av} needs no certificate")
    elif str(why_av).strip().rstrip(".").lower() == right_reason.lower():
        correct.append(f"{av} needs none: {right_reason}")
    else:
        wrong.append(f"why {av} needs none: {why_av}")
        hints.append(f"{av}: it is in the external DNS view and answered by the A/V Edge; think of what "
                     "travels to it and whether that traffic uses TLS")
    return Feedback(title, tuple(correct), tuple(missing), tuple(wrong), tuple(h for h in hints + notes if h))


def external_names_table(design: Design, domain: str = CERT_DOMAIN):
    """The external A and CNAME records of ``domain``: which name points to which address or host."""
    frame = dns_records(design, domain)
    frame = frame[(frame["view"] == "external") & frame["type"].isin(["A", "CNAME"])]
    return frame[["name", "type", "value", "purpose"]].reset_index(drop=True)
