"""Small tools for tests that edit a copy of the design tables."""
import csv
from pathlib import Path


def rows(path: Path):
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(path: Path, records, fieldnames=None):
    fieldnames = fieldnames or list(records[0].keys())
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fieldnames)
        w.writeheader()
        w.writerows(records)


def edit(data_dir: Path, table: str, row_id: str, **changes) -> int:
    """Change cells of the row whose first column is ``row_id``; return its CSV line number."""
    path = data_dir / f"{table}.csv"
    records = rows(path)
    key = list(records[0].keys())[0]
    for i, r in enumerate(records):
        if r[key] == row_id:
            r.update(changes)
            write(path, records)
            return i + 2
    raise KeyError(row_id)


def only_problem(data_dir: Path, table: str, row_id: str, **changes):
    """Edit one row, load the design, and return (CSV line, the single Problem reported)."""
    import pytest

    import officenet
    from officenet import DesignError
    line = edit(data_dir, table, row_id, **changes)
    with pytest.raises(DesignError) as info:
        officenet.load(data_dir)
    problems = info.value.problems
    assert len(problems) == 1, problems
    return line, problems[0]


def drop_rows(data_dir: Path, table: str, *ids: str) -> None:
    """Delete rows of a table and the reconciliation's references to them (data/vendor_rows.csv),
    so that a test can remove a row without breaking the vendor mapping."""
    path = data_dir / f"{table}.csv"
    records = rows(path)
    key = list(records[0].keys())[0]
    write(path, [r for r in records if r[key] not in ids])
    gone = {f"{table}:{i}" for i in ids}
    vendor = data_dir / "vendor_rows.csv"
    if vendor.exists():
        kept = []
        for r in rows(vendor):
            held = [t.strip() for t in r["held_in"].split(";") if t.strip() and t.strip() not in gone]
            if not held and r["held_in"]:
                r["left_out"] = "held by rows this test removed"
            r["held_in"] = "; ".join(held)
            kept.append(r)
        write(vendor, kept)
