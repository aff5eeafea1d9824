"""The thin edge that calls Graphviz: DOT text in, SVG text out, with a small cache."""
from __future__ import annotations

import shutil
from collections import OrderedDict


class GraphvizMissing(RuntimeError):
    pass


def svg(dot_text: str, engine: str = "dot") -> str:
    """Render DOT text to SVG with Graphviz's own program."""
    if shutil.which(engine) is None:
        raise GraphvizMissing(
            f"Graphviz's '{engine}' program is not installed. Run 'make lab' or 'make test' "
            "(they install it), or 'sudo apt-get install graphviz' / 'conda install -c conda-forge graphviz'.")
    import graphviz  # here, not at the top: importing officenet should not load it (see officenet/__init__)
    return graphviz.Source(dot_text, engine=engine).pipe(format="svg", encoding="utf-8")


class SvgCache:
    """Remembers the SVG of recently seen DOT texts, so revisiting a view costs nothing."""

    def __init__(self, size: int = 64):
        self.size = size
        self._items: OrderedDict[str, str] = OrderedDict()

    def __call__(self, dot_text: str) -> str:
        if dot_text in self._items:
            self._items.move_to_end(dot_text)
            return self._items[dot_text]
        result = svg(dot_text)
        self._items[dot_text] = result
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return result


def inline_svg(svg_text: str) -> str:
    """The <svg> element alone, without XML prolog and DOCTYPE, for embedding in HTML."""
    start = svg_text.find("<svg")
    return svg_text[start:] if start >= 0 else svg_text
