"""Workshop: every exercise run blank (its check names what is missing) and with the
trainer's solution (every check passes), plus the soft checks on their own."""
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from officenet import workshop
from officenet.edge.kernels import private_kernel

from conftest import ROOT

WORKSHOP = ROOT / "notebooks" / "workshop"
EXERCISES = sorted(p.name for p in WORKSHOP.glob("*.ipynb"))


def run(path: Path):
    nb = nbformat.read(path, as_version=4)
    with private_kernel() as config:
        NotebookClient(nb, config=config, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def check_output(nb) -> str:
    cell = next(c for c in nb.cells if "check" in c.metadata.get("tags", []))
    return "\n".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)


def test_there_are_exercises_and_a_solution_for_each():
    assert len(EXERCISES) >= 5
    assert sorted(p.name for p in (WORKSHOP / "solutions").glob("*.ipynb")) == EXERCISES


@pytest.mark.parametrize("name", EXERCISES)
def test_blank_exercise_names_what_is_missing(name):
    text = check_output(run(WORKSHOP / name))
    assert "not yet" in text and "Missing:" in text and "Traceback" not in text


@pytest.mark.parametrize("name", EXERCISES)
def test_solution_passes(name):
    text = check_output(run(WORKSHOP / "solutions" / name))
    assert "all correct" in text and "Missing:" not in text and "Wrong:" not in text


@pytest.mark.parametrize("name", EXERCISES)
def test_solution_differs_from_the_exercise_only_in_the_answer(name):
    blank = nbformat.read(WORKSHOP / name, as_version=4)
    solved = nbformat.read(WORKSHOP / "solutions" / name, as_version=4)
    assert len(blank.cells) == len(solved.cells)
    for a, b in zip(blank.cells, solved.cells):
        if "answer" not in a.metadata.get("tags", []):
            assert a.source == b.source


def test_wrong_path_gets_a_hint(design):
    fb = workshop.check_sharepoint_paths(design, {"partner_companies": ["gateway_router", "lync_edge", "sharepoint_fe"]})
    assert not fb.passed and fb.wrong and "hop 2 should be sharepoint_vip" in fb.hints[0]
    assert len(fb.missing) == 3


def test_federation_direction_hint(design):
    fb = workshop.check_federation_ports(design, {("TCP", 5061, "in"), ("TCP", 25, "in")})
    assert "TCP 5061 in" in fb.wrong and any("check the direction" in h for h in fb.hints)
    assert any("not for Lync federation" in h for h in fb.hints)


def test_remote_access_vpn_for_lync_explains_why(design):
    fb = workshop.check_remote_access(design, {"lync": "vpn"})
    assert any("latency" in h for h in fb.hints) and "a choice for sharepoint" in fb.missing


def test_unknown_option_is_feedback_not_a_traceback(design):
    fb = workshop.check_load_balancing(design, {"lync_web": "round_robin"})
    assert not fb.passed and "round_robin" in fb.wrong[0]


def test_feedback_html_escapes(design):
    fb = workshop.check_sharepoint_paths(design, {"<script>": ["x"]})
    assert "<script>" not in fb._repr_html_() and "&lt;script&gt;" in fb._repr_html_()
