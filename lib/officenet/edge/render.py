"""The thin edge that calls Graphviz: DOT text in, SVG text out, with a small cache."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import OrderedDict
from typing import Callable


class GraphvizMissing(RuntimeError):
    pass


class GraphvizFailed(RuntimeError):
    pass


def _require(engine: str) -> None:
    if shutil.which(engine) is None:
        raise GraphvizMissing(
            f"Graphviz's '{engine}' program is not installed. Run 'make lab' or 'make test' "
            "(they install it), or 'sudo apt-get install graphviz' / 'conda install -c conda-forge graphviz'.")


def svg(dot_text: str, engine: str = "dot") -> str:
    """Render DOT text to SVG with Graphviz's own program."""
    _require(engine)
    import graphviz  # here, not at the top: importing officenet should not load it (see officenet/__init__)
    return graphviz.Source(dot_text, engine=engine).pipe(format="svg", encoding="utf-8")


class PendingSvg:
    """Graphviz laying out one diagram in its own process while Python does other work.

    The explorer's redraw builds its port table meanwhile: a thread could not, since the
    table holds Python's lock that the thread needs to start Graphviz. The DOT text is
    written and the input closed at once, so dot starts; ``result()`` reads the SVG (the
    same bytes as ``svg``). Graphviz's messages go to a temporary file, never a full pipe."""

    def __init__(self, dot_text: str, engine: str = "dot"):
        _require(engine)
        self._errors = tempfile.TemporaryFile()
        self._proc = subprocess.Popen([engine, "-Tsvg"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=self._errors)
        try:
            self._proc.stdin.write(dot_text.encode("utf-8"))
        except BrokenPipeError:
            pass  # dot stopped reading (a syntax error): result() reports its message
        finally:
            try:
                self._proc.stdin.close()
            except BrokenPipeError:
                pass
        self._svg: str | None = None

    def result(self) -> str:
        if self._svg is None:
            with self._proc.stdout:
                out = self._proc.stdout.read()
            code = self._proc.wait()
            self._errors.seek(0)
            message = self._errors.read().decode("utf-8", "replace").strip()
            self._errors.close()
            if code != 0:
                raise GraphvizFailed(f"Graphviz's dot could not draw the diagram (exit status {code}): {message}")
            self._svg = out.decode("utf-8")
        return self._svg


class SvgCache:
    """Remembers the SVG of recently seen DOT texts, so revisiting a view costs nothing."""

    def __init__(self, size: int = 64):
        self.size = size
        self._items: OrderedDict[str, str] = OrderedDict()

    def __call__(self, dot_text: str) -> str:
        if dot_text in self._items:
            self._items.move_to_end(dot_text)
            return self._items[dot_text]
        return self._remember(dot_text, svg(dot_text))

    def start(self, dot_text: str) -> Callable[[], str]:
        """Start drawing ``dot_text`` (unless it is cached); call what comes back for the SVG."""
        if dot_text in self._items:
            text = self(dot_text)
            return lambda: text
        pending = PendingSvg(dot_text)
        return lambda: self._remember(dot_text, pending.result())

    def _remember(self, dot_text: str, result: str) -> str:
        self._items[dot_text] = result
        self._items.move_to_end(dot_text)
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return result


def inline_svg(svg_text: str) -> str:
    """The <svg> element alone, without XML prolog and DOCTYPE, for embedding in HTML."""
    start = svg_text.find("<svg")
    return svg_text[start:] if start >= 0 else svg_text
