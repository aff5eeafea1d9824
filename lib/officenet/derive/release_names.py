"""Names that follow the release: a pattern such as ``{lync} SIP ({lync_pool})`` filled with the design's own
rows, so one pattern reads "Lync SIP (Front End pool)" on the 2013 design and "Skype for Business SIP (Front End
pool)" on today's. The patterns hold no product name; products.csv, components.csv and answers.csv do.

``{key}`` is the row's short label, ``{key.name}`` its full name. The rows are looked up in products, components
and answers (by answer id), in that order.
"""
from __future__ import annotations

from dataclasses import dataclass
from string import Formatter

from ..model.design import Design

TABLES = ("products", "components", "answers")


@dataclass(frozen=True)
class Named:
    """One row as a pattern sees it: formats as its short label, ``.name`` is its full name."""

    label: str
    name: str

    def __format__(self, spec: str) -> str:
        return format(self.label, spec)


def words(key: str) -> str:
    """An id nobody named, as words: 'sharepoint_web' -> 'sharepoint web'."""
    return key.replace("_", " ")


def _row(design: Design, key: str) -> Named | None:
    for table in TABLES[:2]:  # products and components: the design's index
        try:
            row = design.get(table, key)
        except KeyError:
            continue
        return Named(row.short_label, row.name)
    # answers.csv is not among the indexed tables: a scan of its few rows
    answer = next((a for a in design.answers if a.id == key), None)
    return Named(answer.short_label or answer.label, answer.label) if answer else None


def named(design: Design, pattern: str | None, key: str) -> str:
    """``pattern`` filled with the rows it names; the words of ``key`` when there is no pattern or the design
    lacks a row it names (a row of another release)."""
    if pattern is None:
        return words(key)
    rows = {}
    for _, field, _, _ in Formatter().parse(pattern):
        if field is None:
            continue
        ref = field.split(".")[0]
        row = _row(design, ref)
        if row is None:
            return words(key)
        rows[ref] = row
    return pattern.format_map(rows)
