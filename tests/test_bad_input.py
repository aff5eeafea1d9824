"""Every bad input of issue 15 gets one clear DesignError naming file, row and column."""
from pathlib import Path

import pytest

import officenet
from officenet import DesignError
from officenet.loading.loader import load_rules
from officenet.model.records import OTHER_TABLES, RELEASES_COLUMN, TABLES, columns

from helpers import edit, rows, write


def problems_of(call, *args):
    with pytest.raises(DesignError) as info:
        call(*args)
    text = str(info.value)
    for p in info.value.problems:  # every problem is in the message, with its place
        assert str(p) in text
        assert p.file in str(p)
    return info.value.problems


def only(call, *args):
    problems = problems_of(call, *args)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def where(p):
    return p.file, p.row, p.column


# --- ports out of range, outside ports.csv -------------------------------------------

@pytest.mark.parametrize("value", ["0", "65536", "1" + "0" * 20])
@pytest.mark.parametrize("table, row_id, column", [
    ("dns_records", "ext_sip_tls", "port"),
    ("vip_services", "rp_lync_443", "listener_port"),
    ("vip_services", "rp_lync_443", "backend_port"),
])
def test_port_out_of_range(data_copy, table, row_id, column, value):
    line = edit(data_copy, table, row_id, **{column: value})
    p = only(officenet.load, data_copy)
    assert where(p) == (f"{table}.csv", line, column) and p.found == value
    assert "from 1 to 65535" in p.expected
    assert f"{table}.csv, row {line}, column '{column}'" in str(p)


@pytest.mark.parametrize("column, value, expected", [
    ("priority", "65536", "from 0 to 65535"),
    ("weight", "70000", "from 0 to 65535"),
])
def test_srv_priority_and_weight_are_sixteen_bits(data_copy, column, value, expected):
    line = edit(data_copy, "dns_records", "ext_sipfed", **{column: value})
    p = only(officenet.load, data_copy)
    assert where(p) == ("dns_records.csv", line, column) and expected in p.expected


def test_idle_timeout_range(data_copy):
    line = edit(data_copy, "vip_services", "hlb_int_443", idle_timeout="0")
    p = only(officenet.load, data_copy)
    assert where(p) == ("vip_services.csv", line, "idle_timeout") and "from 1 to 86400" in p.expected


def test_unicode_digits_are_not_a_port(data_copy):
    line = edit(data_copy, "vip_services", "rp_lync_443", listener_port="\u0664\u0664\u0663")  # Arabic-Indic 443
    p = only(officenet.load, data_copy)
    assert where(p) == ("vip_services.csv", line, "listener_port")


# --- checks.csv through the checked loader ------------------------------------------

def test_checks_empty_file(data_copy):
    (data_copy / "checks.csv").write_bytes(b"")
    p = only(load_rules, data_copy)
    assert where(p) == ("checks.csv", 1, None) and p.found == "an empty file"
    assert "checks.csv, row 1: expected a header row naming the columns id, severity" in str(p)


def test_checks_renamed_header(data_copy):
    path = data_copy / "checks.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("id,", "ident,", 1), encoding="utf-8")
    p = only(load_rules, data_copy)
    assert where(p) == ("checks.csv", 1, "id") and "'ident' meant to be 'id'" in p.fix


def test_checks_dropped_column(data_copy):
    records = rows(data_copy / "checks.csv")
    for r in records:
        del r["source"]
    write(data_copy / "checks.csv", records)
    p = only(load_rules, data_copy)
    assert where(p) == ("checks.csv", 1, "source")


def test_checks_latin1_byte(data_copy):
    path = data_copy / "checks.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"error,", "error,Caf\u00e9 ".encode("latin-1"), 1)
    path.write_bytes(b"\n".join(lines))
    p = only(load_rules, data_copy)
    assert where(p) == ("checks.csv", 4, "applies_to") and "0xe9" in p.found and "UTF-8" in p.fix


@pytest.mark.parametrize("column", ["title", "reason", "fix"])
def test_checks_blank_text(data_copy, column):
    line = edit(data_copy, "checks", "uag_for_lync", **{column: ""})
    p = only(load_rules, data_copy)
    assert where(p) == ("checks.csv", line, column)


def test_checks_one_megabyte_source(data_copy):
    line = edit(data_copy, "checks", "uag_for_lync", source="EN: " + "x" * 1_000_000)
    p = only(load_rules, data_copy)
    assert where(p) == ("checks.csv", line, "source") and "at most" in p.expected
    assert len(str(p)) < 300, "the message does not repeat the megabyte"


def test_checks_unknown_source_key(data_copy):
    line = edit(data_copy, "checks", "uag_for_lync", source="WIKI")
    p = only(load_rules, data_copy)
    assert where(p) == ("checks.csv", line, "source") and "WIKI" in p.fix


def test_every_shipped_table_has_a_schema():
    from conftest import ROOT
    shipped = {p.stem for p in (ROOT / "data").glob("*.csv")}
    assert shipped == set(TABLES) | set(OTHER_TABLES)
    for name, record_type in OTHER_TABLES.items():
        header = (ROOT / "data" / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header in (columns(record_type), [*columns(record_type), RELEASES_COLUMN]), name


# --- tables the design needs are not empty -------------------------------------------

@pytest.mark.parametrize("table", list(TABLES))
def test_emptied_table_is_named(data_copy, table):
    path = data_copy / f"{table}.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    p = only(officenet.load, data_copy)  # the table itself, not the rows that refer to it
    assert where(p) == (f"{table}.csv", 2, None) and p.found == "only the header"
    assert f"the design needs the {table} table" in p.expected


def test_emptied_checks_table(data_copy):
    path = data_copy / "checks.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    p = only(load_rules, data_copy)
    assert where(p) == ("checks.csv", 2, None)


# --- control characters in every table -----------------------------------------------

@pytest.mark.parametrize("table", list(TABLES) + list(OTHER_TABLES))
@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_character_refused(data_copy, table, char):
    records = rows(data_copy / f"{table}.csv")
    column = columns((TABLES | OTHER_TABLES)[table])[-1]  # the source, or the last column
    records[0][column] = records[0][column][:3] + char + records[0][column][3:]
    write(data_copy / f"{table}.csv", records)
    p = only(officenet.load, data_copy)  # checks.csv and gateway_options.csv too: a design carries them
    assert where(p) == (f"{table}.csv", 2, column) and f"U+{ord(char):04X}" in p.found


def test_line_break_inside_a_quoted_cell_refused(data_copy):
    line = edit(data_copy, "components", "lync_edge", description="two\nlines")
    p = only(officenet.load, data_copy)
    assert where(p) == ("components.csv", line, "description")


# --- blank required cells ----------------------------------------------------------------

@pytest.mark.parametrize("row_id, column", [
    ("rp_lync_443", "layer"),
    ("hlb_int_443", "idle_timeout"),
    ("ex_443", "probe"),
    ("sp_443", "layer"),  # a cell that says 'unstated' may not become blank either
])
def test_blank_vip_cell(data_copy, row_id, column):
    line = edit(data_copy, "vip_services", row_id, **{column: ""})
    p = only(officenet.load, data_copy)
    assert where(p) == ("vip_services.csv", line, column) and "unstated" in p.fix


@pytest.mark.parametrize("column", ["component", "product"])
def test_blank_certificate_cell(data_copy, column):
    line = edit(data_copy, "certificates", "rp_webext", **{column: ""})
    p = only(officenet.load, data_copy)
    assert where(p) == ("certificates.csv", line, column)


def test_blank_srv_port(data_copy):
    line = edit(data_copy, "dns_records", "ext_sip_tls", port="")
    p = only(officenet.load, data_copy)
    assert where(p) == ("dns_records.csv", line, "port")


# --- the folder, and several problems at once -------------------------------------------

def test_missing_folder_in_one_line(tmp_path):
    for folder in (Path("/nonexistent"), tmp_path / "nowhere"):
        p = only(officenet.load, folder)
        assert where(p) == (str(folder), None, None) and p.found == "no such folder"
        assert "\n" not in str(p)


def test_folder_that_is_a_file(tmp_path):
    (tmp_path / "data").write_text("x")
    p = only(officenet.load, tmp_path / "data")
    assert p.found == "a file, not a folder"


def test_wrong_cell_count(data_copy):
    path = data_copy / "zones.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = only(officenet.load, data_copy)
    assert (p.file, p.row) == ("zones.csv", 3) and "as many as the header" in p.expected


def test_duplicate_and_unknown_columns(data_copy):
    path = data_copy / "products.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([text[0] + ",name,colour", *(t + ",x,y" for t in text[1:])]) + "\n", encoding="utf-8")
    problems = problems_of(officenet.load, data_copy)
    assert {where(p) for p in problems} == {("products.csv", 1, "name"), ("products.csv", 1, "colour")}


def test_byte_order_mark_is_accepted(data_copy):
    path = data_copy / "zones.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert officenet.load(data_copy).zones


# --- a scenario reports every problem at once ---------------------------------------------

def test_scenario_unknown_field_and_bad_value_together(tmp_path, design):
    from officenet.model.scenario import ScenarioError
    from officenet.loading.scenario_file import load_scenario
    path = tmp_path / "org.yaml"
    path.write_text("name: Org\ndomian: org.example\nmail: carrier-pigeon\npublic_network: 10.0.0.1/8\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, design)
    found = {(p.file, p.row, p.column) for p in info.value.problems}
    assert found == {("org.yaml", None, "domian"), ("org.yaml", None, "mail"), ("org.yaml", None, "public_network")}
    assert str(info.value).startswith("3 problems in the scenario:")
    assert "org.yaml, field 'domian'" in str(info.value) and "org.yaml, field 'mail'" in str(info.value)
