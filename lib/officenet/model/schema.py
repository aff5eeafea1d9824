"""How a record type declares its columns: ``col`` and the ranges several tables share.

Each field of a record type (``records.py``, ``records_naming.py``, ``records_access.py``) is one
column; its metadata says how the loader reads it (``kind``), which table it points to (``ref``),
its choices, its range and what it means (``doc``).
"""
from __future__ import annotations

import re
from dataclasses import field

# Written in a cell of a column declared with unstated=True when the sources give no value.
UNSTATED = "unstated"


def col(kind: str, doc: str, ref: str | None = None, choices: tuple[str, ...] = (),
        lo: int | None = None, hi: int | None = None, unstated: bool = False, unique: bool = False):
    """One column: ``kind`` says how the loader reads it; ``lo``..``hi`` bound a number or a port;
    ``unique`` for a label that tables and diagrams use as a key (like the id column always is)."""
    return field(metadata={"kind": kind, "doc": doc, "ref": ref, "choices": choices, "lo": lo, "hi": hi,
                           "unstated": unstated, "unique": unique})


# The placeholders of a name or value pattern (columns of kind dns_template): {domain}, {internal},
# {mx_token}, and {ip:<id>} for a row of addresses.csv.
TEMPLATE_RE = re.compile(r"\{([^{}]*)\}")
TEMPLATE_NAMES = ("domain", "internal", "mx_token")


def address_refs(template: str) -> tuple[str, ...]:
    """Ids of addresses.csv that a record template names as {ip:<id>}."""
    return tuple(key[3:] for key in TEMPLATE_RE.findall(template) if key.startswith("ip:"))


# Ranges shared by several tables.
TCP_UDP_PORT = dict(lo=1, hi=65535)
SIXTEEN_BITS = dict(lo=0, hi=65535)  # SRV priority and weight, MX preference (RFC 2782, RFC 5321)
ORDER = dict(lo=0, hi=9999)
