"""Golden files: the DOT text and the key tables, byte for byte.

On a mismatch the new output is written beside the golden file as .actual;
`make accept` takes it after review.
"""
import pytest

import officenet
from officenet import View
from officenet.derive.diagram import to_dot

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


def _every_trace(design) -> str:
    """Every step of every flow's trace, then the flow's findings, as CSV."""
    import pandas as pd
    from officenet.derive.trace import trace_rows
    rows = []
    for flow in design.flows:
        steps, findings = trace_rows(design, flow.id)
        rows += [{"flow": flow.id, **step} for step in steps]
        rows += [{"flow": flow.id, "finding": finding} for finding in findings]
    return pd.DataFrame(rows).to_csv(index=False, lineterminator="\n")


def _every_other_port_row_dropped(design):
    """The reference with half of its port rows gone: most rules and trace findings have something to say."""
    from dataclasses import replace
    return replace(design, ports=design.ports[1::2])


def test_every_trace(design):
    check_golden("tables/traces.csv", _every_trace(design))


def test_every_trace_and_finding_with_half_the_port_rows(design):
    from officenet.derive.checks import run_checks
    from officenet.model.scenario import Scenario
    broken = _every_other_port_row_dropped(design)
    scenario = Scenario(gateway_rules=({"protocol": "TCP", "port": "443", "to": "internal"},), pop_imap=True)
    findings = "".join(f"{f.check},{f.severity},{f.subject},{f.detail}\n" for f in run_checks(broken, scenario))
    check_golden("tables/traces_half_the_port_rows.csv", _every_trace(broken) + "\nfindings\n" + findings)
