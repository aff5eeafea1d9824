"""Handout pages without a browser: the views hook, the switcher, escaping, offline checks."""
import asyncio
import concurrent.futures

import nbformat
import pytest

from officenet.edge import handout, handout_outputs, handout_page, offline_check
from officenet.explorers.overview_explorer import OverviewExplorer
from officenet.edge.staticviews import HANDOUT_ENV, VIEWS_MIME

from conftest import ROOT


def test_views_are_only_in_the_display_while_building_a_handout(design, monkeypatch):
    monkeypatch.delenv(HANDOUT_ENV, raising=False)
    ex = OverviewExplorer(design)
    assert VIEWS_MIME not in ex._repr_mimebundle_()
    monkeypatch.setenv(HANDOUT_ENV, "1")
    payload = ex._repr_mimebundle_()[VIEWS_MIME]
    assert payload["title"] == "Overview"
    assert [(v["label"], v["html"]) for v in payload["views"]] == ex.static_views()


def test_switcher_has_one_radio_label_and_panel_per_view_and_escapes_labels():
    views = [("Default view", "<p>A</p>"), ('User type: <script>x()</script> "q"', "<p>B</p>"),
             ("Product: Lync", "<p>C</p>")]
    out = handout_outputs.switcher_html("k", "T & co", views)
    assert out.count('type="radio"') == 3 and out.count('class="on-panel"') == 3
    assert out.count(' checked') == 1 and 'id="k-0" checked' in out
    assert "<script>" not in out and "&lt;script&gt;x()&lt;/script&gt; &quot;q&quot;" in out
    assert '<span class="on-group">User type</span>' in out and "T &amp; co" in out
    assert "#k-1:checked~.on-panels>#k-1-panel{display:block}" in out
    assert "<p>B</p>" in out  # the view's own HTML is the library's, already escaped


@pytest.mark.parametrize("snippet", [
    '<script src="https://cdn.example.org/require.js"></script>',
    '<link rel="stylesheet" href="//fonts.example.org/css">',
    '<img src="http://example.org/x.png">',
    '<style>@import "https://example.org/a.css";</style>',
    '<div style="background:url(https://example.org/b.png)"></div>',
    '<svg><image href="https://example.org/c.png"/></svg>',
])
def test_external_references_are_found(snippet):
    assert offline_check.external_references(f"<html><body>{snippet}</body></html>")


def test_links_to_read_and_local_files_are_not_external_references():
    assert offline_check.external_references(
        '<a href="https://learn.microsoft.com/">doc</a><img src="data:image/png;base64,AA"><link href="x.css">') == []


def test_preprocessor_turns_views_into_a_switcher_and_drops_widgets_and_scripts():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={
            VIEWS_MIME: {"title": "T", "views": [{"label": "Default view", "html": "<b>d</b>"},
                                                  {"label": "P: q", "html": "<b>q</b>"}]},
            "application/vnd.jupyter.widget-view+json": {"model_id": "m"}, "text/html": "<b>d</b>"}),
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(1)", "text/plain": "js"}),
        nbformat.v4.new_output("display_data", data={"image/svg+xml": '<?xml version="1.0"?>\n<svg><text>t</text></svg>'}),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\nFirst para."), cell]
    text = handout_page._exporter(False).from_notebook_node(nb)[0]
    assert text.count('class="on-panel"') == 2 and "model_id" not in text
    assert "alert(1)" not in text and "<script" not in text
    assert '<div class="officenet-diagram"><svg><text>t</text></svg></div>' in text and "<?xml" not in text


def test_page_is_whole_offline_and_links_the_appendix_printed_once(design):
    """The legend, corrections and sources are one page of the set (printed once), not on every page."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 99 · Test <page>\n\nSee [docs](https://learn.microsoft.com/).")]
    out = handout_page.page(nb, design, source_name="notebooks/99-test.ipynb")
    assert out.startswith("<!DOCTYPE html>") and "<title>99 · Test &lt;page&gt;</title>" in out
    assert 'id="legend"' not in out and 'id="sources"' not in out and 'href="reference.html"' in out
    ref = handout_page.reference_page(design)
    assert 'id="legend"' in ref and 'id="corrections"' in ref and 'id="sources"' in ref
    assert all(s.key in ref for s in design.sources)
    for text in (out, ref):
        assert offline_check.external_references(text) == [] and "<script" not in text
    assert handout_page.page(nb, design, source_name="notebooks/99-test.ipynb") == out  # deterministic


def test_links_between_notebooks_become_links_between_pages(design):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(
        "# 98 · Links\n\n[next](01-b.ipynb#part) · [Contents](contents.ipynb) · [other](scratch.ipynb) · "
        "[web](https://example.org/x.ipynb)")]
    out = handout_page.page(nb, design, source_name="notebooks/98-links.ipynb", pages={"01-b.ipynb": "01-b.html"})
    assert 'href="01-b.html#part"' in out and 'href="index.html"' in out
    assert 'href="scratch.ipynb"' in out  # no page of its own: left as it is (the link test names it)
    assert 'href="https://example.org/x.ipynb"' in out


def test_notebooks_are_the_numbered_ones(tmp_path):
    for name in ("00-a.ipynb", "01-b.ipynb", "scratch.ipynb", "1-c.ipynb"):
        (tmp_path / name).write_text("{}")
    assert [p.name for p in handout.notebooks_in(tmp_path)] == ["00-a.ipynb", "01-b.ipynb"]


def test_build_refuses_a_page_that_would_fetch_something(tmp_path, design, monkeypatch):
    monkeypatch.setattr(handout, "page", lambda *a, **k: '<script src="https://cdn.example.org/x.js"></script>')
    async def execute(path):
        return nbformat.v4.new_notebook()
    monkeypatch.setattr(handout, "execute", execute)
    with pytest.raises(handout.HandoutError, match="cdn.example.org"):
        handout.build([tmp_path / "00-x.ipynb"], tmp_path / "out", design)
    assert not (tmp_path / "out" / "00-x.html").exists()


def _tiny_notebook(path, title, code):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nA small page."), nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, path)
    return path


def test_notebooks_built_side_by_side_give_the_same_pages_as_one_by_one(tmp_path, design):
    sources = [_tiny_notebook(tmp_path / "00-a.ipynb", "A", "for i in range(200):\n    print('line', i)"),
               _tiny_notebook(tmp_path / "01-b.ipynb", "B", "import officenet\nofficenet.flow_table(officenet.load()).head(3)")]
    one = handout.build(sources, tmp_path / "one", design, jobs=1)
    two = handout.build(sources, tmp_path / "two", design, jobs=2)
    assert [p.name for p in one] == [p.name for p in two] == ["00-a.html", "01-b.html", "index.html", "reference.html"]
    for a, b in zip(one, two):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert "line 199" in one[0].read_text(encoding="utf-8")


def test_a_failing_notebook_among_others_names_itself_and_nothing_is_written(tmp_path, design):
    sources = [_tiny_notebook(tmp_path / "00-ok.ipynb", "OK", "1 + 1"),
               _tiny_notebook(tmp_path / "01-bad.ipynb", "Bad", "raise ValueError('boom in cell')")]
    with pytest.raises(handout.HandoutError, match=r"01-bad\.ipynb: a cell raised ValueError: boom in cell"):
        handout.build(sources, tmp_path / "out", design, jobs=2)
    assert not (tmp_path / "out").exists()


def test_build_works_from_code_that_already_runs_an_event_loop(tmp_path, design):
    """As from a notebook cell, or under Playwright's sync API in the browser tests."""
    source = _tiny_notebook(tmp_path / "00-a.ipynb", "A", "1 + 1")

    async def inside_a_loop():
        return handout.build([source], tmp_path / "out", design)

    # a thread of its own: the session's browser (Playwright's sync API) may hold this thread's loop already
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        built = pool.submit(asyncio.run, inside_a_loop()).result()
    assert [p.name for p in built] == ["00-a.html", "index.html", "reference.html"]


def _outputs_notebook(*outputs):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = list(outputs)
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\nFirst para, *emphasis* &amp; <br> a break."), cell]
    return nb


def test_page_exporter_gives_what_nbconvert_gives_but_for_its_re_serialisation():
    """Skipping nbconvert's BeautifulSoup pass changes how the markup is written, not what it is."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter
    nb = _outputs_notebook(
        nbformat.v4.new_output("display_data", data={"text/html": "<table><tr><td>a_b</td></tr></table>\n\n<p>x<br>y</p>"}),
        nbformat.v4.new_output("display_data", data={"image/svg+xml": '<svg><path d="M0 0"/></svg>'}))
    ours = handout_page._exporter(False).from_notebook_node(nb)[0]
    theirs = HTMLExporter.from_notebook_node(handout_page._exporter(False), nb)[0]  # nbconvert's own method
    assert ours != theirs
    assert str(BeautifulSoup(ours, features="html.parser")) == theirs


def test_page_exporter_leaves_images_to_nbconvert_which_gives_them_alt_text():
    nb = _outputs_notebook(nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="}))
    out = handout_page._exporter(False).from_notebook_node(nb)[0]
    assert '<img alt="No description has been provided for this image"' in out


def test_the_migration_page_builds_offline_with_its_marked_differences(tmp_path, design):
    """Notebook 07 (2013 -> today's editions) is picked up as a numbered notebook and its page carries the
    marked differences, the lifecycle dates and both diagrams, fetching nothing."""
    from officenet.derive.migration import MARKS
    notebooks = ROOT / "notebooks"
    page_07 = next(p for p in handout.notebooks_in(notebooks) if p.name.startswith("07-"))
    written = handout.build([page_07], tmp_path, design, jobs=1)
    text = next(p for p in written if p.name.startswith("07-")).read_text()
    assert "in-directaccess-server-tcp-443" in text and "out of support since 2023-04-11" in text
    assert MARKS["removed"] in text and text.count("<svg") >= 2
    assert offline_check.external_references(text) == [] and "<script" not in text
