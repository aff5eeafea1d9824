"""Which rows of the tables belong to one release of the products (2013, current).

A release is data: ``releases.csv`` lists them, and a row of any table that belongs to some releases
only names them in its optional ``releases`` column (``2013``, ``current``, or ``2013; current``; empty:
every release). Rows are picked before their cells are typed, so the same id may stand for different
rows in different releases (``products:exchange`` is Exchange Server 2013 in one, Exchange Server SE in
the other) and every reference is checked within the release it is read for.
"""
from __future__ import annotations

from ..model.errors import Problem
from ..model.records import RELEASES_COLUMN

RELEASES_FILE = "releases.csv"


def release_ids(raw) -> tuple[tuple[str, ...], str | None]:
    """(the release ids in file order, the reference release) from the raw rows of releases.csv."""
    rows = raw.get("releases") or ()
    ids = tuple(row["id"] for _, row, _ in rows)
    reference = next((row["id"] for _, row, _ in rows if row.get("reference") == "yes"), ids[0] if ids else None)
    return ids, reference


def select_release(raw: dict, release: str | None, problems: list[Problem]) -> str | None:
    """Keep, in each table of ``raw`` (name -> rows of csv_reader.read_table), the rows of ``release``
    (None: the reference release); return the release read. A releases cell naming no release, or a
    release releases.csv lacks, is a problem."""
    ids, reference = release_ids(raw)
    if not ids:
        return release  # releases.csv itself is missing or empty: reported by the reader
    chosen = reference if release is None else str(release)
    if chosen not in ids:
        problems.append(Problem(RELEASES_FILE, None, "id", "a release of " + ", ".join(ids), found=chosen,
                                fix="name one of the releases listed in releases.csv"))
        return chosen
    for name, rows in raw.items():
        if not rows:
            continue
        kept = []
        for line, row, ok in rows:
            named = _names(row.get(RELEASES_COLUMN, ""))
            unknown = [n for n in named if n not in ids]
            if unknown:
                problems.append(Problem(f"{name}.csv", line, RELEASES_COLUMN,
                                        "release ids of releases.csv separated by ';' (empty: every release)",
                                        found=unknown[0], fix="use " + " or ".join(ids) + ", or leave the cell empty"))
                continue
            if not named or chosen in named:
                kept.append((line, row, ok))
        raw[name] = kept
    return chosen


def _names(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split(";") if p.strip())
