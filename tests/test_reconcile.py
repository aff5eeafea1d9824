"""The design is reconciled with every vendor table it rests on (data/vendor_rows.csv)."""
from officenet.derive.reconcile import VENDOR_TABLES, left_out_table, reconciliation, unmapped

from conftest import check_golden
from helpers import only_problem


def test_every_vendor_row_is_mapped_and_every_mapped_id_exists(design):
    assert unmapped(design) == []
    counts = reconciliation(design)
    assert (counts["unmapped"] == 0).all() and (counts["rows"] > 0).all()
    assert set(counts.index) == set(VENDOR_TABLES)
    assert counts["rows"].sum() == len(design.vendor_rows) == counts["held"].sum() + counts["left out"].sum()
    check_golden("tables/reconciliation.csv", counts.to_csv(lineterminator="\n"))


def test_every_left_out_row_says_why(design):
    table = left_out_table(design)
    assert len(table) and table["why left out"].str.len().gt(20).all()


def test_the_edge_tables_are_whole(design):
    # L-EDGEPORT lists 16 rows outside and 11 inside (the CLS ports 50001-50003 counted one by one).
    counts = reconciliation(design)
    assert counts.loc["lync_edge_external", "rows"] == 16 and counts.loc["lync_edge_internal", "rows"] == 11


def test_a_vendor_row_naming_a_missing_row_is_a_load_error(data_copy):
    line, problem = only_problem(data_copy, "vendor_rows", "x_443", held_in="ports:ex_ext_4433")
    assert (problem.file, problem.row, problem.column) == ("vendor_rows.csv", line, "held_in")


def test_a_vendor_row_neither_held_nor_explained_is_a_load_error(data_copy):
    line, problem = only_problem(data_copy, "vendor_rows", "edge_ext_rtp_udp_out", left_out="")
    assert (problem.file, problem.row, problem.column) == ("vendor_rows.csv", line, "left_out")


def test_a_row_both_held_and_left_out_is_a_load_error(data_copy):
    _, problem = only_problem(data_copy, "vendor_rows", "x_443", left_out="also left out")
    assert problem.column == "left_out" and "both" in str(problem)
