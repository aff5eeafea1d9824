"""Golden files: the DOT text and the key tables, byte for byte.

On a mismatch the new output is written beside the golden file as .actual;
`make accept` takes it after review.
"""
import pytest

import officenet
from officenet import View
from officenet.diagram import to_dot

from conftest import check_golden

VIEWS = {
    "overview": View(),
    "roaming_employees": View(user_type="roaming_employees"),
    "lync_web": View(product="lync", traffic_type="lync_web"),
}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_dot(design, name):
    check_golden(f"dot/{name}.dot", to_dot(design, VIEWS[name]))


def test_port_matrix(design):
    check_golden("tables/port_matrix.csv", officenet.port_matrix(design).to_csv(lineterminator="\n"))


def test_auth_matrix(design):
    check_golden("tables/auth_matrix.csv", officenet.auth_matrix(design).to_csv(lineterminator="\n"))


def test_flow_table(design):
    check_golden("tables/flows.csv", officenet.flow_table(design).to_csv(lineterminator="\n"))


def test_a_changed_output_writes_actual_and_fails(tmp_path, monkeypatch):
    import conftest
    monkeypatch.setattr(conftest, "GOLDEN", tmp_path)
    (tmp_path / "x.txt").write_text("old")
    with pytest.raises(pytest.fail.Exception, match="make accept"):
        conftest.check_golden("x.txt", "new")
    assert (tmp_path / "x.txt.actual").read_text() == "new"
    conftest.check_golden("x.txt", "old")
    assert not (tmp_path / "x.txt.actual").exists()
