"""Result objects that show themselves in Jupyter and still carry their data."""
from __future__ import annotations

from .design import Design
from .diagram import figure
from .drawing import Figure
from .view import View

# A diagram is a Figure: DOT text, a title and the legend of what it draws (see ``drawing``).
Diagram = Figure


def diagram(design: Design, view: View = View()) -> Figure:
    f = figure(design, view)
    return Figure(f.dot, view.describe(design), f.legend, f.legend_title)


def show_tables_in_full() -> bool:
    """In a notebook's kernel, every DataFrame shows as a readable table (``table_html``): whole
    cells wrapping at words instead of pandas' 50-character cut and one long line per row.

    ``import officenet`` calls this; outside IPython (scripts, tests, the handout builder's own
    process) it does nothing and imports nothing. Returns whether the formatter is in place."""
    import sys
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    import pandas as pd  # loaded already by the tables

    from .table_html import frame_html
    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, frame_html)
    return True
