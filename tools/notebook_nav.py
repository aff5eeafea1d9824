"""Keep the notebook series navigable: the README's table of contents, the contents notebook
(notebooks/contents.ipynb, which the nav cells' "Contents" link opens: a link out of the notebooks
folder is refused by JupyterLab and Voila) and a navigation cell at the end of every walk-through
notebook, all generated from the notebooks.

    python tools/notebook_nav.py          # rewrite README.md, contents.ipynb and the nav cells
    python tools/notebook_nav.py --check  # exit 1 if anything would change (used by the tests)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
START, END = "<!-- notebooks:start -->", "<!-- notebooks:end -->"
NAV_TAG = "nav"
CONTENTS = NOTEBOOKS / "contents.ipynb"


def series(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb"))


SUMMARY_RE = re.compile(r"^> \*\*In short:\*\*\s*(.+)$", re.MULTILINE)


class NoSummary(ValueError):
    pass


def title_and_summary(path: Path) -> tuple[str, str]:
    """The title of the first heading and the notebook's own one-line summary, the
    '> **In short:** ...' line under it (the README quotes it; a reader sees it first)."""
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    heading = first.source.partition("\n")[0]
    title = re.sub(r"^#+\s*", "", heading).split("·", 1)[-1].strip()
    found = SUMMARY_RE.search(first.source)
    if not found:
        raise NoSummary(f"{path.name}: its first cell has no '> **In short:** ...' line under the title; "
                        "add one sentence that says what the notebook covers")
    return title, found.group(1).strip()


def toc() -> str:
    rows = ["| notebook | what it covers |", "|---|---|"]
    for path in series(NOTEBOOKS):
        title, summary = title_and_summary(path)
        rows.append(f"| [{path.stem}](notebooks/{path.name}) | **{title}**: {summary} |")
    work = series(NOTEBOOKS / "workshop")
    if work:
        rows.append(f"| [workshop/](notebooks/workshop) | **Workshop**: {len(work)} exercises with checks; "
                    f"trainer solutions in `notebooks/workshop/solutions/` |")
    return "\n".join(rows)


def contents_text() -> str:
    """The contents notebook's one cell: each walk-through notebook, linked, with its summary."""
    rows = ["# Contents", "",
            "The workbook's notebooks, in the order they build on each other. Each opens here (in JupyterLab or "
            "the Voila app); the handouts show the same pages without a kernel.", "",
            "| notebook | what it covers |", "|---|---|"]
    for path in series(NOTEBOOKS):
        title, summary = title_and_summary(path)
        rows.append(f"| [{path.stem}]({path.name}) | **{title}**: {summary} |")
    work = series(NOTEBOOKS / "workshop")
    if work:
        rows += ["", f"The workshop's {len(work)} exercises are in the `workshop` folder, each answered with a "
                     "form in the Voila app; the trainer's guide (docs/trainer-guide.md) says how to run a class."]
    return "\n".join(rows)


def _contents_changed(check: bool) -> bool:
    text = contents_text()
    if CONTENTS.exists():
        nb = nbformat.read(CONTENTS, as_version=4)
        if len(nb.cells) == 1 and nb.cells[0].source == text:
            return False
        cell_id = nb.cells[0].id if nb.cells else None
    else:
        nb, cell_id = nbformat.v4.new_notebook(), None
    if not check:
        cell = nbformat.v4.new_markdown_cell(text)
        cell.id = cell_id or "contents"
        nb.cells = [cell]
        nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                       "language_info": {"name": "python"}}
        nbformat.write(nb, CONTENTS)
    return True


def nav_text(paths: list[Path], i: int) -> str:
    parts = []
    if i > 0:
        parts.append(f"[← {paths[i - 1].stem}]({paths[i - 1].name})")
    parts.append(f"[Contents]({CONTENTS.name})")
    if i + 1 < len(paths):
        parts.append(f"[{paths[i + 1].stem} →]({paths[i + 1].name})")
    return "---\n" + " · ".join(parts)


def update(check: bool) -> list[str]:
    changed = []
    readme = README.read_text(encoding="utf-8")
    if START in readme and END in readme:
        head, rest = readme.split(START, 1)
        _, tail = rest.split(END, 1)
        new = f"{head}{START}\n{toc()}\n{END}{tail}"
        if new != readme:
            changed.append("README.md")
            if not check:
                README.write_text(new, encoding="utf-8")
    if _contents_changed(check):
        changed.append(str(CONTENTS.relative_to(ROOT)))
    paths = series(NOTEBOOKS)
    for i, path in enumerate(paths):
        nb = nbformat.read(path, as_version=4)
        text = nav_text(paths, i)
        cells = [c for c in nb.cells if NAV_TAG not in c.metadata.get("tags", [])]
        cell = nbformat.v4.new_markdown_cell(text)
        cell.metadata["tags"] = [NAV_TAG]
        old = [c for c in nb.cells if NAV_TAG in c.metadata.get("tags", [])]
        if len(old) != 1 or old[0].source != text or nb.cells[-1] is not old[0]:
            changed.append(str(path.relative_to(ROOT)))
            if not check:
                cell.id = old[0].id if old else cell.id
                nb.cells = cells + [cell]
                nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    check = "--check" in sys.argv
    try:
        changed = update(check)
    except NoSummary as exc:
        sys.exit(str(exc))
    for c in changed:
        print(("would change " if check else "updated ") + c)
    sys.exit(1 if check and changed else 0)
