"""Read one CSV table of a design folder into rows of cells, with a problem for what cannot be read.

Nothing is typed here (``cells`` does that): a row comes back as {column: text}. A file that
cannot be used at all (missing, unreadable, unbalanced quotes, wrong header, no rows) is one
problem and no rows; a cell that cannot be a fact (undecodable bytes, control characters,
huge) is a problem of its own row and column.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import fields
from pathlib import Path

from ..model.errors import Problem
from ..model.records import RELEASES_COLUMN, column_name, columns

# Control characters (C0, DEL, C1) and Unicode line separators: they break CSV rows, DOT labels
# and zone files, and are never part of a fact.
CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The longest cell of the shipped tables is about 220 characters; anything far longer is a mistake.
MAX_CELL = 2000


def read_table(data_dir: Path, name: str, record_type: type, problems: list[Problem]):
    """Rows of ``name``.csv as (line, {column: cell}, ok); ``ok`` is False for a row with an unreadable
    cell (reported here). None when the file cannot be used at all."""
    file = f"{name}.csv"
    path = data_dir / file
    wanted = columns(record_type)
    if not path.is_file():
        problems.append(Problem(file, None, None, f"the table {file} in {data_dir}",
                                found="no such file", fix=f"restore {file} with the columns {', '.join(wanted)}"))
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(file, None, None, "a readable file", found=exc.strerror or str(exc),
                                fix="check the file's permissions"))
        return None
    # Undecodable bytes become surrogates, so that they are reported cell by cell below.
    text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    records: list[list[str]] = []
    # The csv module refuses cells over 128 KiB with an error that names no column; let it read
    # them, so that _cell_problem names the cell (raising the process-wide limit is harmless).
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), strict=True):
            records.append(cells)
    except csv.Error as exc:
        problems.append(Problem(file, len(records) + 1, None, "comma-separated cells, each quote closed",
                                found=str(exc), fix="close the quotes of the cell that starts a quoted text, "
                                                    "and double any quote inside it"))
        return None
    if not records or not any(c.strip() for c in records[0]):
        problems.append(Problem(file, 1, None, "a header row naming the columns " + ", ".join(wanted),
                                found="an empty file" if not text.strip() else "an empty first line",
                                fix=f"restore the header and the rows of {file}"))
        return None
    header = [c.strip() for c in records[0]]
    if _header_problems(file, record_type, header, problems):
        return None
    rows = []
    for i, cells in enumerate(records[1:]):
        line = i + 2  # as a spreadsheet shows it: header on line 1
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(cells) == len(header) - 1 and header[-1] == RELEASES_COLUMN:
            cells = [*cells, ""]  # a row written without the optional last column belongs to every release
        if len(cells) != len(header):
            problems.append(Problem(file, line, None, f"{len(header)} cells, as many as the header has columns",
                                    found=f"{len(cells)} cells",
                                    fix="quote any cell that holds a comma, and remove or add separators"))
            # Kept (unparsed) so that its id still counts for the rows that refer to it.
            rows.append((line, dict(zip(header, [c.strip() for c in cells] + [""] * len(header))), False))
            continue
        row, ok = {}, True
        for column, cell in zip(header, cells):
            problem = _cell_problem(cell)  # before stripping: Python counts some control characters as spaces
            cell = cell.strip()
            if problem:
                expected, found, fix = problem
                problems.append(Problem(file, line, column, expected, found=found, fix=fix))
                ok = False
            row[column] = cell
        rows.append((line, row, ok))
    if not rows and not getattr(record_type, "may_be_empty", False):
        problems.append(Problem(file, 2, None, f"at least one row under the header: the design needs the "
                                               f"{name} table", found="only the header",
                                fix=f"restore the rows of {file}"))
        return None
    return rows


def _header_problems(file: str, record_type: type, header: list[str], problems: list[Problem]) -> bool:
    wanted = columns(record_type)
    found = ", ".join(header)
    before = len(problems)
    # The releases column is optional in every table (rows of some releases only; see records.Release).
    unknown = [c for c in header if c not in wanted and c != RELEASES_COLUMN]
    for c in sorted({c for c in header if header.count(c) > 1}):
        problems.append(Problem(file, 1, c, "each column once in the header", found=found,
                                fix=f"remove the second column '{c}'"))
    for c in wanted:
        if c not in header:
            hint = f"; is '{unknown[0]}' meant to be '{c}'?" if len(unknown) == 1 else ""
            problems.append(Problem(file, 1, c, f"a column '{c}' in the header", found=found,
                                    fix=f"add the column '{c}' ({_doc(record_type, c)}){hint}"))
    for c in unknown:
        if all(w in header for w in wanted):  # a renamed column is reported once, as missing
            problems.append(Problem(file, 1, c, "only the columns " + ", ".join(wanted), found=c,
                                    fix=f"remove the column '{c}' (officenet would ignore it)"))
    return len(problems) > before


def _cell_problem(cell: str):
    """(expected, found, fix) when a cell cannot be a fact: undecodable bytes, control characters, huge."""
    if len(cell) > MAX_CELL:
        return (f"a cell of at most {MAX_CELL} characters", f"{len(cell)} characters",
                "shorten the text; a long explanation belongs in the sources, not in a cell")
    bad = [c for c in cell if "\udc80" <= c <= "\udcff"]
    if bad:
        return ("text in UTF-8", "the byte " + ", ".join(f"0x{ord(c) - 0xdc00:02x}" for c in bad[:3]) + " (not UTF-8)",
                "save the file as CSV UTF-8 (a Latin-1 or Windows-1252 character slipped in)")
    control = CONTROL_RE.search(cell)
    if control:
        return ("text without control characters (no NUL, tab or line break inside a cell)",
                f"character U+{ord(control.group()):04X} in {cell[:60]!r}",
                "delete the character; write the cell on one line")
    return None


def _doc(record_type: type, column: str) -> str:
    for f in fields(record_type):
        if column_name(f) == column:
            return f.metadata["doc"]
    return ""
