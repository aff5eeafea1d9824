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


def blocked(data_dir: Path) -> list:
    """Load a folder that reads cleanly but holds a problem only a derivation finds: the problems, after
    checking that the export of its organisation refuses to write with the same problems."""
    import pytest

    import officenet
    from officenet import DesignError
    from officenet.derive.checks import blocking_problems, run_checks
    from officenet.derive.organisation import organisation
    from officenet.edge.exports import export_texts
    from officenet.model.scenario import Scenario
    design = officenet.load(data_dir)  # loading reads and validates the rows, nothing more
    problems = blocking_problems(design)
    assert problems, "the design should hold a problem"
    found = run_checks(design, Scenario.default_for(design))
    assert {f.check for f in found} == {"design_integrity"} and {f.severity for f in found} == {"error"}
    with pytest.raises(DesignError) as info:
        export_texts(organisation(design, Scenario()))
    # The organisation's design is derived from the folder: the same problems, by file, column and value.
    assert {(p.file, p.column, p.found) for p in info.value.problems} <= {(p.file, p.column, p.found) for p in problems}
    assert info.value.problems
    return problems
