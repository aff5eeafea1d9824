"""Loading the reference design, and a clear error for every kind of bad input."""
import pytest

import officenet
from officenet import DesignError
from officenet.model.records import RELEASES_COLUMN, TABLES, columns

from helpers import edit, rows, write


def test_reference_design_loads(design):
    assert len(design.user_types) == 4
    assert {c.id for c in design.components if c.kind == "vip" and c.parent == "lb_rp"} == {
        "lync_vip", "sharepoint_vip", "exchange_vip"}
    assert len([t for t in design.traffic_types if t.in_poster]) == 5


def test_every_row_of_every_table_has_a_known_source(design):
    keys = {s.key for s in design.sources}
    for name in TABLES:
        if name == "sources":
            continue
        for rec in getattr(design, name):
            assert rec.source.strip(), f"{name}: {rec} has no source"
            for part in rec.source.split(";"):
                assert part.split(":")[0].split("(")[0].strip() in keys


def only_problem(exc):
    assert len(exc.problems) == 1, str(exc)
    return exc.problems[0]


def load_error(data_dir):
    with pytest.raises(DesignError) as info:
        officenet.load(data_dir)
    return info.value


def test_missing_file(data_copy):
    (data_copy / "ports.csv").unlink()
    p = only_problem(load_error(data_copy))
    assert (p.file, p.row, p.column) == ("ports.csv", None, None)
    assert "no such file" in str(p) and "protocol" in p.fix


def test_missing_column(data_copy):
    records = rows(data_copy / "ports.csv")
    for r in records:
        del r["protocol"]
    write(data_copy / "ports.csv", records)
    p = only_problem(load_error(data_copy))
    assert (p.file, p.row, p.column) == ("ports.csv", 1, "protocol")
    assert "add the column 'protocol'" in p.fix


def test_flow_hop_that_is_no_component(data_copy):
    line = edit(data_copy, "flows", "roaming_exchange",
                path="roaming_employees > gateway_router > exchange_vipp > exchange_cas")
    p = only_problem(load_error(data_copy))
    assert (p.file, p.row, p.column) == ("flows.csv", line, "path")
    assert "exchange_vipp" in p.fix and "exchange_vip" in p.fix  # names the unknown hop and a near miss


def test_unknown_reference_between_tables(data_copy):
    line = edit(data_copy, "flows", "roaming_exchange", traffic_type="exchange_clients")
    p = only_problem(load_error(data_copy))
    assert (p.file, p.row, p.column) == ("flows.csv", line, "traffic_type")
    assert "traffic_types" in p.expected


@pytest.mark.parametrize("port, expected", [
    ("0", "from 1 to 65535"),
    ("65536", "from 1 to 65535"),
    ("abc", "a port (443)"),
    ("5000-4000", "low-high"),
])
def test_bad_port(data_copy, port, expected):
    line = edit(data_copy, "ports", "ex_ext_443", port=port)
    p = only_problem(load_error(data_copy))
    assert (p.file, p.row, p.column) == ("ports.csv", line, "port")
    assert expected in p.expected and p.found == port


def test_ip_protocol_number_range(data_copy):
    line = edit(data_copy, "ports", "da_6to4_41", port="256")
    p = only_problem(load_error(data_copy))
    assert (p.file, p.row, p.column, p.found) == ("ports.csv", line, "port", "256")
    assert "IP protocol number from 0 to 255" in p.expected


def test_unknown_protocol(data_copy):
    line = edit(data_copy, "ports", "ex_ext_443", protocol="SCTP")
    p = only_problem(load_error(data_copy))
    assert (p.file, p.row, p.column, p.found) == ("ports.csv", line, "protocol", "SCTP")
    assert "TCP, UDP, IP" in p.expected


def test_duplicate_id(data_copy):
    path = data_copy / "ports.csv"
    records = rows(path)
    records.append(dict(records[0]))
    write(path, records)
    p = only_problem(load_error(data_copy))
    assert (p.file, p.row, p.column) == ("ports.csv", len(records) + 1, "id")
    assert "already used on row 2" in p.expected


def test_row_without_source(data_copy):
    line = edit(data_copy, "components", "lync_edge", source="")
    p = only_problem(load_error(data_copy))
    assert (p.file, p.row, p.column) == ("components.csv", line, "source")


def test_source_key_that_is_not_listed(data_copy):
    line = edit(data_copy, "ports", "ex_ext_443", source="WIKIPEDIA: ports")
    p = only_problem(load_error(data_copy))
    assert (p.file, p.row, p.column) == ("ports.csv", line, "source")
    assert "WIKIPEDIA" in p.fix


def test_hops_without_a_link(data_copy):
    line = edit(data_copy, "flows", "roaming_exchange", path="roaming_employees > exchange_vip > exchange_cas")
    p = only_problem(load_error(data_copy))
    assert (p.file, p.row, p.column) == ("flows.csv", line, "path")
    assert "roaming_employees > exchange_vip" in p.found


def test_every_problem_is_listed_at_once(data_copy):
    edit(data_copy, "ports", "ex_ext_443", port="0")
    edit(data_copy, "ports", "ex_int_443", protocol="SCTP")
    edit(data_copy, "components", "lync_edge", source="")
    error = load_error(data_copy)
    files = sorted(p.file for p in error.problems)
    assert files == ["components.csv", "ports.csv", "ports.csv"]
    assert str(error).startswith("3 problems in the design data:")


def test_unreadable_csv(data_copy):
    (data_copy / "zones.csv").write_text('id,name\n"unterminated,x\n', encoding="utf-8")
    error = load_error(data_copy)
    files = {p.file for p in error.problems}
    assert files == {"zones.csv"}, "one broken file must not cascade into errors elsewhere"


def test_column_documentation_matches_the_files(design):
    from pathlib import Path
    for name, record_type in TABLES.items():
        header = (Path(design.data_dir) / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        # The optional releases column (records.RELEASES_COLUMN) may follow: rows of some releases only.
        assert header in (columns(record_type), [*columns(record_type), RELEASES_COLUMN]), name
