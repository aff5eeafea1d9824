"""Every link resolves where it is shown: in JupyterLab and Voila (both serve notebooks/ as their
root and refuse a path outside it: the old "Contents" link to ../README.md was 403 in JupyterLab
and 404 in Voila) and in the handouts (a folder of pages that links only to itself)."""
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
ALL = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
MD_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
# A double-quoted href may hold an apostrophe (a heading's anchor such as today's), and the reverse.
HREF_RE = re.compile(r"""\bhref=(?:"([^"]+)"|'([^']+)')""")


class HREF:
    @staticmethod
    def findall(text: str) -> list[str]:
        return [double or single for double, single in HREF_RE.findall(text)]


def markdown_links(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [link for cell in nb.cells if cell.cell_type == "markdown"
            for link in MD_LINK.findall(cell.source) + HREF.findall(cell.source)]


def broken_in_served_root(page: Path, links: list[str], root: Path) -> list[str]:
    """Links that a server rooted at ``root`` cannot answer for ``page``: outside the root or missing.
    A web address must be https; an anchor of the page itself is fine."""
    broken = []
    for link in links:
        parsed = urlparse(link)
        if parsed.scheme in ("http", "https", "mailto"):
            if parsed.scheme == "http":
                broken.append(f"{link} (plain http)")
            continue
        if not parsed.path:  # '#anchor' on the same page
            continue
        target = (page.parent / unquote(parsed.path)).resolve()
        if root.resolve() not in (target, *target.parents):
            broken.append(f"{link} (outside {root.name}/: the server refuses it)")
        elif not target.exists():
            broken.append(f"{link} (no such file)")
    return broken


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_every_notebook_link_resolves_in_jupyterlab_and_voila(path):
    assert broken_in_served_root(path, markdown_links(path), NOTEBOOKS) == []


def test_the_foot_contents_link_opens_the_contents_notebook():
    series = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    for path in series:
        assert "contents.ipynb" in markdown_links(path), path.name
    listed = markdown_links(NOTEBOOKS / "contents.ipynb")
    assert listed == [p.name for p in series]


def test_a_link_out_of_the_root_is_named(tmp_path):
    """The check can fail: the old link, and a missing page."""
    root = tmp_path / "notebooks"
    root.mkdir()
    page = root / "00-a.ipynb"
    found = broken_in_served_root(page, ["../README.md#the-notebooks", "01-missing.ipynb", "#here",
                                         "https://example.org/"], root)
    assert found == ["../README.md#the-notebooks (outside notebooks/: the server refuses it)",
                     "01-missing.ipynb (no such file)"]


def test_every_handout_link_resolves_in_the_handout_folder(handouts):
    folder = next(iter(handouts.values())).parent
    assert "reference.html" in handouts and "index.html" in handouts
    for name, path in handouts.items():
        text = path.read_text(encoding="utf-8")
        links = HREF.findall(text)
        assert broken_in_served_root(path, links, folder) == [], name
        ids = set(re.findall(r'\bid="([^"]+)"', text))
        anchors = [link[1:] for link in links if link.startswith("#")]
        assert all(a in ids for a in anchors), (name, [a for a in anchors if a not in ids])
    for path in handouts.values():
        if path.name not in ("index.html", "reference.html"):
            text = path.read_text(encoding="utf-8")
            assert 'href="index.html"' in text and 'href="reference.html"' in text  # contents, appendix


def test_a_dataframe_in_a_notebook_shows_as_a_readable_table():
    """``import officenet`` in a kernel: DataFrames show whole (pandas cut cells at 50 characters)."""
    import pandas as pd
    from IPython.core.interactiveshell import InteractiveShell

    from officenet.edge.display import show_tables_in_full
    shell = InteractiveShell.instance()
    try:
        assert show_tables_in_full()
        long = "a reason " * 12
        data, _ = shell.display_formatter.format(pd.DataFrame({"reason": [long]}))
        assert 'class="officenet-table"' in data["text/html"] and long.strip() in data["text/html"]
    finally:
        InteractiveShell.clear_instance()


def test_readme_is_for_users_first():
    """What it is, the two commands, how to open what `make lab` serves, the products' support status;
    the maintainers' detail is in docs/maintainers.md."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme.split("## The notebooks")[0]
    assert "make lab" in head and "make test" in head and "?token=" in head
    assert "11 April 2023" in head and "LIFECYCLE-2023" in head
    sources = (ROOT / "data" / "sources.csv").read_text(encoding="utf-8")
    assert "LIFECYCLE-2023," in sources and "end-of-support-2023" in sources
    assert "docs/maintainers.md" in readme and (ROOT / "docs" / "maintainers.md").exists()
    assert len(readme.splitlines()) < 90  # the maintainers' detail was about 60% of 162 lines
    assert broken_in_served_root(ROOT / "README.md", MD_LINK.findall(readme), ROOT) == []
    maintainers = ROOT / "docs" / "maintainers.md"
    assert broken_in_served_root(maintainers, MD_LINK.findall(maintainers.read_text(encoding="utf-8")), ROOT) == []
