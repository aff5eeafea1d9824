"""Run notebooks top to bottom in a fresh kernel and save them in place.

    python tools/run_notebooks.py                 # every notebook under notebooks/
    python tools/run_notebooks.py notebooks/00-overview.ipynb

Widget state is not stored: an exported page then falls back to the static
HTML each explorer provides, instead of widget views that need a CDN script.
Execution timestamps are not stored either: they would change the file on every run.
"""
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from officenet.edge.kernels import private_kernel

ROOT = Path(__file__).resolve().parents[1]


def run(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    with private_kernel() as config:
        NotebookClient(nb, config=config, timeout=300, kernel_name="python3", store_widget_state=False, record_timing=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    print(f"ran and saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    targets = [Path(p).resolve() for p in sys.argv[1:]] or sorted((ROOT / "notebooks").rglob("*.ipynb"))
    for target in targets:
        if ".ipynb_checkpoints" not in target.parts:
            run(target)
