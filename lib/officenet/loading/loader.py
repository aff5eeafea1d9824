"""Read the CSV tables of ``data/`` into a checked, immutable ``Design``.

Every problem is collected with its file, row and column before anything is
raised, so one run of ``load`` tells a user everything there is to fix. Every
table is read here, from its schema in ``records``: ``TABLES`` for the network,
``OTHER_TABLES`` for what the design carries besides (its gateway options and the
rules of its checks), all from the same folder.

The steps live in their own modules: ``csv_reader`` reads a file into rows of cells,
``cells`` types each cell (and checks its references), ``row_rules`` checks the cells
of one row together, ``design_rules`` checks rows of different tables together.
"""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from .cells import parse_cell
from .csv_reader import read_table
from ..model.design import Design
from .design_rules import consistency_problems, design_problems
from ..model.errors import DesignError, Problem
from ..model.records import OTHER_TABLES, TABLES, column_name
from .releases import select_release
from .row_rules import row_problems

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3] / "data"
SCHEMAS = {**TABLES, **OTHER_TABLES}


def load(data_dir: str | Path | None = None, release: str | None = None) -> Design:
    """Load and check the tables of a design folder for one release of the products (None: the reference
    release of releases.csv, the poster's 2013); raise ``DesignError`` listing every problem."""
    data_dir = _folder(data_dir)
    problems: list[Problem] = []
    raw = {name: read_table(data_dir, name, record_type, problems) for name, record_type in SCHEMAS.items()}
    if problems:
        raise DesignError(problems)
    return _release_design(raw, str(data_dir), release)


def _release_design(raw, data_dir: str, release: str | None, reader: "ReleaseReader | None" = None) -> Design:
    """The checked design of one release from the rows read (``raw`` stays as read: every release of the
    folder is built from it, so a switch of release opens no file)."""
    problems: list[Problem] = []
    mine = dict(raw)
    release = select_release(mine, release, problems)
    if problems:
        raise DesignError(problems)
    tables = _parse_tables(SCHEMAS, mine, problems)
    if problems:
        raise DesignError(problems)
    design = Design.from_tables(tables, data_dir=data_dir, release=release or "",
                                reader=reader or ReleaseReader(raw, data_dir))
    problems.extend(consistency_problems(design))
    problems.extend(design_problems(design))
    if problems:
        raise DesignError(problems)
    return design


class ReleaseReader:
    """``Design.reader``: the design of another release built from the same rows read, once per release."""

    def __init__(self, raw, data_dir: str):
        self.raw, self.data_dir, self.built = raw, data_dir, {}

    def __call__(self, release: str) -> Design:
        if release not in self.built:
            self.built[release] = _release_design(self.raw, self.data_dir, release, self)
        return self.built[release]


def load_table(name: str, data_dir: str | Path | None = None) -> tuple[tuple[int, object], ...]:
    """(CSV line, record) of each row of one table of ``OTHER_TABLES`` (such as ``checks``) read
    alone, checked like the design's tables; the tables it refers to (``sources``) are read for
    their ids. Raises ``DesignError``."""
    data_dir = _folder(data_dir)
    record_type = OTHER_TABLES[name]
    problems: list[Problem] = []
    refs = {m["ref"] for m in (f.metadata for f in fields(record_type)) if m["ref"]}
    refs |= {"sources"} if any(f.metadata["kind"] == "source" for f in fields(record_type)) else set()
    refs |= {"releases"}
    raw = {ref: read_table(data_dir, ref, TABLES[ref], problems) for ref in sorted(refs)}
    raw[name] = read_table(data_dir, name, record_type, problems)
    select_release(raw, None, problems)  # a table read alone: the rows of the reference release
    ids = _ids({**TABLES, name: record_type}, raw)
    records = _records(name, record_type, raw[name], ids, problems)
    if problems:
        raise DesignError(problems)
    return tuple(records)


def load_rules(data_dir: str | Path | None = None) -> tuple:
    """The rules of checks.csv read alone, checked like any table (a loaded design carries its own:
    ``Design.checks``). Whether each has its function is ``derive.checks``' question."""
    return tuple(r for _, r in load_table("checks", data_dir))


def _folder(data_dir) -> Path:
    """The data folder; one clear problem when it is missing, instead of one per table."""
    folder = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    if not folder.is_dir():
        found = "a file, not a folder" if folder.exists() else "no such folder"
        raise DesignError([Problem(str(folder), None, None, "a folder holding the design tables (such as data/)",
                                   found=found, fix="give the path of a copy of data/, or call load() without "
                                                    "arguments for the reference design")])
    return folder


def _ids(schemas: dict[str, type], raw) -> dict[str, set[str] | None]:
    # A table that could not be read (or is empty) has ids None: references to it are not
    # checked, so one broken file does not bury its own problem under hundreds of others.
    return {name: None if not rows else {row[_id_column(schemas[name])] for _, row, _ in rows}
            for name, rows in raw.items()}


def _parse_tables(schemas: dict[str, type], raw, problems: list[Problem]):
    ids = _ids(schemas, raw)
    return {name: _records(name, schemas[name], rows, ids, problems) for name, rows in raw.items()}


def _id_column(record_type: type) -> str:
    return column_name(fields(record_type)[0])


def _records(name, record_type, rows, ids, problems):
    if rows is None:
        return []
    file = f"{name}.csv"
    id_column = _id_column(record_type)
    out, seen = [], {}
    unique = [f for f in fields(record_type) if f.metadata.get("unique")]
    labels: dict[str, dict[str, int]] = {column_name(f): {} for f in unique}
    for line, row, readable in rows:
        key = row[id_column]
        if key in seen:
            problems.append(Problem(file, line, id_column, f"a unique {id_column} (already used on row {seen[key]})",
                                    found=key, fix="rename one of the two rows or merge them"))
            readable = False
        seen.setdefault(key, line)
        for f in unique:
            column = column_name(f)
            first = labels[column].setdefault(row[column], line)
            if first != line and row[column]:
                problems.append(Problem(file, line, column, f"a {column} no other row has (row {first} has it)",
                                        found=row[column], fix=f"give each row its own {column}: tables and "
                                                                 "diagrams tell the rows apart by it"))
                readable = False
        if not readable:
            continue  # its cells are reported already
        values, ok = {}, True
        for f in fields(record_type):
            column = column_name(f)
            try:
                values[f.name] = parse_cell(f.metadata, row[column], ids)
            except ValueError as exc:
                expected, fix = exc.args
                problems.append(Problem(file, line, column, expected, found=row[column], fix=fix))
                ok = False
        if ok:
            record = record_type(**values)
            for column, expected, found, fix in row_problems(record):
                problems.append(Problem(file, line, column, expected, found=found, fix=fix))
            out.append((line, record))
    return out
