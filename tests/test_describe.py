"""The tables describe themselves: docs/tables.md is generated from the schemas and kept current."""
import subprocess
import sys
from dataclasses import fields

import officenet
from officenet.derive.describe import describe_tables, tables_markdown
from officenet.model.records import TABLES

from conftest import ROOT


def test_one_row_per_column_of_every_table():
    frame = describe_tables()
    assert len(frame) == sum(len(fields(t)) for t in TABLES.values())
    assert set(frame["file"]) == {f"{name}.csv" for name in TABLES}
    assert (frame["meaning"].str.len() > 0).all(), frame[frame["meaning"] == ""]


def test_references_and_optional_columns_are_stated():
    frame = describe_tables().set_index(["file", "column"])
    assert frame.loc[("flows.csv", "product"), "refers to"] == "products.csv"
    assert frame.loc[("components.csv", "parent"), "required"] == "no"
    assert frame.loc[("components.csv", "kind"), "choices"].startswith("user_type, mail_host")


def test_the_library_offers_it():
    assert officenet.describe_tables().equals(describe_tables())


def test_markdown_escapes_pipes_in_cells():
    from dataclasses import dataclass
    from officenet.model.records import col

    @dataclass(frozen=True)
    class Odd:
        id: str = col("id", "a | b")

    assert "a \\| b" in tables_markdown({"odd": Odd})


def test_docs_tables_md_is_current():
    result = subprocess.run([sys.executable, "tools/describe_tables.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
