"""The requirements ledger: every stated requirement of the vendors' planning pages, and what holds it.

``data/vendor_rows.csv`` reconciles the rows of Microsoft's port, DNS and certificate tables; what
those tables miss is in the prose of the planning pages ("must", "required", "not supported",
"recommended"). ``data/requirements.csv`` holds one row per such statement, with the page it is on and
either what in the design holds it (rows and checks, as ``table:id``, or export files) or why the
design leaves it out. Its ``releases`` column, as in every table, says which releases a row belongs to: the
ledger checks each row in each of them, against that release's design and export. ``PAGES`` lists the pages read whole; ``unheld`` lists what breaks the ledger;
``review_markdown`` is the review sheet an architect signs (``docs/review.md``).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from ..model.design import Design
from ..model.records import Requirement
from ..model.release_switch import in_release, releases_in_order
from .reconcile import reconciliation

# Planning pages read (whole, unless the page's title in sources.csv says otherwise), in the order the
# review sheet shows them (keys of data/sources.csv).
# Each page listed here must have at least one requirement row, and every row must be on one of them.
PAGES = (
    # Lync Server 2013, then Skype for Business Server 2019 (the current release's Edge and removals)
    "L-CERTINT", "L-CERTEXT", "L-CERTMOB", "L-MOB", "L-DNSREQ", "L-SURL", "L-LB", "L-DNSLB", "L-HLB",
    "L-EXTCOMP", "L-RPREQ", "L-RPSETUP", "L-OWASRP", "L-OWASCFG", "L-S2S", "SFB-EDGE", "SFB-MOB", "SFB-DEPR",
    # Exchange 2013, then Exchange 2016 and later; mail flow with EOP
    "X-LB", "X-CERT", "X-AD", "X-PORTS", "X-CAS", "X-KERB",
    "X-SE-LB", "X-SE-PORTS", "XS-CERT", "X-TLS", "X-EP",
    "EOP-CONN", "O365DNS", "O365-IP", "O365-ADD",
    # SharePoint 2013 and Subscription Edition
    "SP-HARD", "SP-AUTH", "SP-AAM", "SP-HNSC", "SP-DESIGN", "SP-S2S", "SP-OIDC", "SP-TLS2013", "SP-STRONGTLS", "SP-TLS13",
    # Office Web Apps Server and Office Online Server
    "OWAS", "OOS-PLAN",
    # DirectAccess, VPN and Always On VPN
    "DA-BASIC", "DA-ADV", "DA-UNSUP", "AOVPN", "AOVPN-PLAN", "AOVPN-MAP",
)

PRODUCT_TITLES = {
    "lync": "Lync Server 2013 / Skype for Business Server",
    "exchange": "Exchange Server",
    "eop": "Exchange Online Protection (mail flow)",
    "sharepoint": "SharePoint Server",
    "owas": "Office Web Apps Server / Office Online Server",
    "remote_access": "Remote access: DirectAccess, VPN, Always On VPN",
}

STATUS_WORDS = {"held": "held", "left_out": "left out"}

# Why a requirement is left out, told by how its reason begins: a gap this reconciliation found, a decision
# of the exports, a part held, pages that disagree, or a choice or condition of the design (everything else).
# Every prefix must begin some reason (the test refuses a kind no row has).
LEFT_OUT_KINDS = (("Gap found", "gap found by this reconciliation"),
                  ("Decided in export_decisions", "decided in the exports, with the reason (export_decisions.csv)"),
                  ("Follows export_decisions", "decided in the exports, with the reason (export_decisions.csv)"),
                  ("Partly", "partly held (the reason says what is missing)"),
                  ("Conflicts", "pages that disagree (the reason says which the design follows)"))
OTHER_KIND = "outside the design, or its condition is not met"


def left_out_kind(reason: str) -> str:
    return next((kind for prefix, kind in LEFT_OUT_KINDS if reason.startswith(prefix)), OTHER_KIND)


def release_designs(design: Design) -> tuple[Design, ...]:
    """The design of every release of the design's folder, in the order of releases.csv (built from the same
    rows read: no file is opened). Each carries the requirements of its release only."""
    order = [r.id for r in releases_in_order(design)] or [design.release]
    return tuple(in_release(design, release) for release in order)


def ledger_rows(design: Design) -> tuple[tuple[Requirement, tuple[str, ...]], ...]:
    """Every row of requirements.csv once, with the releases it belongs to: the rows of the first release in
    file order, then those of the next release that the first lacks. A statement held differently in two
    releases is two rows with one id (as ``products:exchange`` is), each with its release, the one after
    the other."""
    rows: dict[Requirement, list[str]] = {}
    for mine in release_designs(design):
        for r in mine.requirements:
            rows.setdefault(r, []).append(mine.release)
    first: dict[str, int] = {}
    for i, r in enumerate(rows):
        first.setdefault(r.id, i)
    return tuple(sorted(((r, tuple(releases)) for r, releases in rows.items()), key=lambda row: first[row[0].id]))


def release_label(releases: tuple[str, ...], design: Design) -> str:
    """How the review sheet names a row's releases: 'both' (or 'every') when it belongs to every release."""
    every = {r.id for r in design.releases} or set(releases)
    if set(releases) >= every:
        return "both" if len(every) == 2 else "every"
    return "; ".join(releases)


def left_out_summary(design: Design) -> pd.DataFrame:
    """How many requirements are left out for each kind of reason, and which."""
    by_kind: dict[str, list[str]] = {kind: [] for _, kind in LEFT_OUT_KINDS}  # one entry per kind, in order
    by_kind[OTHER_KIND] = []
    for r, _ in ledger_rows(design):
        if r.status == "left_out":
            by_kind[left_out_kind(r.left_out)].append(r.id)
    rows = [{"kind": kind, "requirements": len(ids), "ids": ", ".join(ids)} for kind, ids in by_kind.items()]
    return pd.DataFrame(rows, columns=["kind", "requirements", "ids"]).set_index("kind")


def unheld(design: Design, export_files: Mapping[str, Iterable[str]]) -> list[str]:
    """What breaks the ledger, in every release of the design's folder: a row on no listed page, a listed
    page with no row, a held reference to a row, check or export file that the design or the export of the
    row's release lacks. ``export_files``: release id -> the file names of an organisation's export folder
    in that release (``exports.export_texts``)."""
    out = []
    for mine in release_designs(design):
        files = export_files.get(mine.release)
        if files is None:
            out.append(f"release {mine.release}: no export given to check its rows' export files against")
        out += unheld_in(mine, files or ())
    pages = {r.page for r, _ in ledger_rows(design)}
    out += [f"page {key}: listed as reconciled but no requirement comes from it" for key in PAGES if key not in pages]
    return out


def unheld_in(design: Design, export_files: Iterable[str]) -> list[str]:
    """What breaks the ledger in one release: each of its rows (``design.requirements``) against its design and
    the file names of its export. Each line names the row and the release."""
    out = []
    export_files = set(export_files)
    # Checks and gateway options are read beside the network's tables (records.OTHER_TABLES), not indexed by get.
    beside = {"checks": {rule.id for rule in design.checks},
              "gateway_options": {option.id for option in design.gateway_options}}
    for r in design.requirements:
        where = f"{r.id} in {design.release or 'the design'}"
        if r.page not in PAGES:
            out.append(f"{where}: page {r.page} is not among the reconciled pages (requirements.PAGES)")
        for target in r.holders:
            table, _, key = target.partition(":")
            if not key:
                out.append(f"{where}: {target} is not written table:id")
            elif table in beside:
                if key not in beside[table]:
                    out.append(f"{where}: {target} is no row of its checks or gateway options")
            elif not _has(design, table, key):
                out.append(f"{where}: {target} is no row of its design")
        out += [f"{where}: export file {name} is not in its export" for name in r.export_files
                if name not in export_files]
    return out


def _has(design: Design, table: str, key: str) -> bool:
    try:
        design.get(table, key)
    except KeyError:
        return False
    return True


def ledger(design: Design) -> pd.DataFrame:
    """Per reconciled page: its title, how many requirements (each row once, whatever its releases), how many
    held and how many left out."""
    titles = {s.key: s.title for s in design.sources}
    every = ledger_rows(design)
    rows = []
    for key in PAGES:
        mine = [r for r, _ in every if r.page == key]
        held = sum(r.status == "held" for r in mine)
        rows.append({"page": key, "title": titles.get(key, "(not in sources.csv)"), "requirements": len(mine),
                     "held": held, "left out": len(mine) - held})
    return pd.DataFrame(rows, columns=["page", "title", "requirements", "held", "left out"]).set_index("page")


def requirement_table(design: Design) -> pd.DataFrame:
    """Every requirement (each row of requirements.csv once) with its releases, its status, what holds it (or
    why it is left out) and its source."""
    rows = [{"id": r.id, "product": r.product, "release": release_label(releases, design), "strength": r.strength,
             "requirement": r.requirement, "status": STATUS_WORDS[r.status], "held by or why left out": _holder(r),
             "source": r.source} for r, releases in ledger_rows(design)]
    columns = ["id", "product", "release", "strength", "requirement", "status", "held by or why left out", "source"]
    return pd.DataFrame(rows, columns=columns).set_index("id")


def by_release(design: Design) -> list[tuple[str, int, int]]:
    """(release, requirements checked in it, held) for each release: a row of every release counts in each."""
    return [(mine.release, len(mine.requirements), sum(r.status == "held" for r in mine.requirements))
            for mine in release_designs(design)]


def _holder(r) -> str:
    if r.status == "left_out":
        return r.left_out
    return "; ".join([*r.holders, *(f"export {name}" for name in r.export_files)])


def _cell(text) -> str:
    """A Markdown table cell: HTML's special characters as entities (a viewer would take <domain> for a tag
    and hide it), backslashes and pipes escaped, no line breaks."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


def review_markdown(design: Design) -> str:
    """The review sheet (docs/review.md): counts per page, then every requirement per product, then the
    vendor tables' counts and a place to sign. Deterministic: the same design gives the same text."""
    pages = ledger(design)
    sources = {s.key: s for s in design.sources}
    held = int(pages["held"].sum())
    total = int(pages["requirements"].sum())
    lines = ["# Review sheet: the stated requirements and what holds them", "",
             "Generated from `data/requirements.csv` by `python tools/review_sheet.py` (do not edit by hand; "
             "`tests/derive/test_requirements.py` fails when this file is stale).", "",
             "Every row is one statement of a Microsoft planning page (\"must\", \"required\", \"not supported\", "
             "\"recommended\") that bears on the network design, in our words. *Held* names the rows of `data/` "
             "(as `table:id`), the design checks (`checks:id`) or the export files that carry it; *left out* "
             "says why the design does not. Release *2013* is the poster's products, *current* the supported "
             "successors (Exchange Server SE, SharePoint Server SE, Skype for Business Server SE/2019, Office "
             "Online Server, Always On VPN), *both* holds for each; a statement held differently in the two "
             "releases is one row per release under one id.", "",
             f"**{total} requirements from {len(pages)} pages: {held} held, {total - held} left out.**", "",
             "Each row is checked in every release it belongs to, against that release's design and contoso's "
             "export on it (a row of both releases counts in each): " + "; ".join(f"{release}: {n} ({h} held, {n - h} left out)"
                                                          for release, n, h in by_release(design)) + ".", "",
             "## Pages read", ""]
    lines += _table(["page", "what", "where", "requirements", "held", "left out"],
                    [[key, row["title"], sources[key].location if key in sources else "", row["requirements"],
                      row["held"], row["left out"]] for key, row in pages.iterrows()])
    lines += ["", "## What is left out, by kind of reason", ""]
    lines += _table(["kind", "requirements", "which"],
                    [[kind, row["requirements"], " ".join(f"`{i}`" for i in row["ids"].split(", ") if i)]
                     for kind, row in left_out_summary(design).iterrows()])
    table = requirement_table(design)
    for product, title in PRODUCT_TITLES.items():
        mine = table[table["product"] == product]
        if mine.empty:
            continue
        lines += ["", f"## {title}", ""]
        lines += _table(["id", "release", "strength", "requirement", "status", "held by or why left out", "source"],
                        [[f"`{rid}`", r["release"], r["strength"], r["requirement"], f"**{r['status']}**",
                          r["held by or why left out"], r["source"]] for rid, r in mine.iterrows()])
    vendor = reconciliation(design)
    lines += ["", "## The vendor tables (data/vendor_rows.csv)", "",
              "The rows of the port, DNS and certificate tables, reconciled one by one in `data/vendor_rows.csv`:", ""]
    lines += _table(["vendor table", "what", "rows", "held", "left out"],
                    [[key, r["what"], r["rows"], r["held"], r["left out"]] for key, r in vendor.iterrows()])
    lines += ["", "## Sign-off", "",
              "I have read each requirement above, its status and its reason, against the pages named.", "",
              "| role | name | date | signature |", "|---|---|---|---|",
              "| network architect | | | |", "| security officer | | | |", "| customer | | | |", ""]
    return "\n".join(lines)
