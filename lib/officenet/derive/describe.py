"""The design tables describe themselves: one row per column of every CSV file in ``data/``.

The descriptions come from the field metadata in ``records.py`` (kind, reference, choices,
meaning), so the page a user reads (``docs/tables.md``) cannot drift from what the loader checks.
"""
from __future__ import annotations

from dataclasses import fields

import pandas as pd

from ..model.records import TABLES, column_name

# What a column kind asks of a cell, in words a spreadsheet user understands.
KIND_WORDS = {
    "id": "identifier (lower case, digits, _), unique",
    "id_text": "identifier (lower case, digits, _)",
    "key": "source key (upper case, digits, -), unique",
    "text": "text",
    "enum": "one of the choices",
    "int": "whole number",
    "bool": "yes or no",
    "colour": "colour #rrggbb",
    "url": "http(s) address",
    "ref": "id of a row in another table",
    "refs": "ids of rows in another table, separated by ;",
    "words": "identifiers used by the design's data (products, choices, components), separated by ;",
    "endpoint": "id of a component or a zone",
    "path": "component ids separated by ' > '",
    "ip": "IP address",
    "cidr": "network in CIDR form",
    "dns_template": "text with {domain}, {internal}, {mx_token} or {ip:<address id>}",
    "targets": "rows written as table:id, separated by ;",
    "source": "source keys of sources.csv, separated by ;",
    "port": "port, range lo-hi, or IP protocol number",
    "label": "name (lower case, digits, _; may start with a digit), unique",
    "date": "date YYYY-MM-DD",
    "cidr_any": "IPv4 or IPv6 network in CIDR form",
}


def _kind_text(kind: str) -> tuple[str, bool]:
    optional = kind.startswith("opt_")
    return KIND_WORDS.get(kind.removeprefix("opt_"), kind.removeprefix("opt_")), not optional


def describe_tables(tables: dict[str, type] | None = None) -> pd.DataFrame:
    """One row per column: file, column, what a cell holds, whether it is required, the
    table it refers to, the allowed choices and what the column means."""
    rows = []
    for name, record_type in (tables or TABLES).items():
        for f in fields(record_type):
            meta = f.metadata
            kind = meta.get("kind", "text")
            holds, required = _kind_text(kind)
            rows.append({
                "file": f"{name}.csv",
                "column": column_name(f),
                "holds": holds,
                "required": "yes" if required else "no",
                "refers to": f"{meta['ref']}.csv" if meta.get("ref") else "",
                "choices": ", ".join(meta.get("choices") or ()),
                "meaning": meta.get("doc", ""),
            })
    return pd.DataFrame(rows, columns=["file", "column", "holds", "required", "refers to", "choices", "meaning"])


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def tables_markdown(tables: dict[str, type] | None = None) -> str:
    """The table descriptions as a Markdown page: one section per file, in load order."""
    frame = describe_tables(tables)
    out = ["# The design tables", "",
           "Generated from `lib/officenet/records.py` by `python tools/describe_tables.py`; do not edit by hand.",
           "Every file lives in `data/`; every row needs a `source` made of keys from `sources.csv`.",
           "Any table may end with an optional column `releases`: the releases of `releases.csv` a row belongs to,",
           "separated by `;` (empty: every release).", ""]
    for file, group in frame.groupby("file", sort=False):
        out += [f"## {file}", "", "| column | holds | required | refers to | choices | meaning |",
                "|---|---|---|---|---|---|"]
        for row in group.drop(columns="file").to_dict("records"):
            out.append("| " + " | ".join(_cell(c) for c in row.values()) + " |")
        out.append("")
    return "\n".join(out)
