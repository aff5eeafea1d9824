"""Series hygiene: numbered names, generated contents and navigation, saved after a clean run."""
import importlib.util
import re

import nbformat
import pytest

from conftest import ROOT

ALL = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def nav_tool():
    spec = importlib.util.spec_from_file_location("notebook_nav", ROOT / "tools" / "notebook_nav.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_names_are_numbered():
    """Every notebook is numbered but the one contents page the nav cells link to."""
    assert ALL
    named = [p for p in ALL if p != ROOT / "notebooks" / "contents.ipynb"]
    assert all(re.match(r"^\d\d-[a-z0-9-]+\.ipynb$", p.name) for p in named), [p.name for p in named]


def test_contents_and_navigation_are_up_to_date():
    changed = nav_tool().update(check=True)
    assert changed == [], f"run: python tools/notebook_nav.py  (would change {changed})"


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_saved_after_a_clean_run_in_order(path):
    nb = nbformat.read(path, as_version=4)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert counts == list(range(1, len(counts) + 1)), \
        f"run it top to bottom and save: python tools/run_notebooks.py {path.relative_to(ROOT)}"
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert "widgets" not in nb.metadata, "saved widget state makes exported pages depend on a CDN"
    timed = [c.id for c in nb.cells if "execution" in c.metadata]
    assert not timed, (f"cells {timed} carry execution timestamps (a git diff on every run): "
                       f"python tools/run_notebooks.py {path.relative_to(ROOT)}")


def test_every_walkthrough_says_what_it_covers_in_one_line():
    tool = nav_tool()
    for path in tool.series(ROOT / "notebooks"):
        title, summary = tool.title_and_summary(path)
        assert title and summary.endswith(".") and len(summary) <= 200, (path.name, summary)


def test_a_notebook_without_a_summary_line_is_named(tmp_path):
    tool = nav_tool()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 09 · Title\n\nProse only.")])
    path = tmp_path / "09-title.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(tool.NoSummary, match="09-title.ipynb.*In short"):
        tool.title_and_summary(path)
