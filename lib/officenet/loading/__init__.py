"""Loading: a design folder read and validated into a ``Design`` (CSV reader, cells, row rules, rules
between rows). Imports only the model."""

from importlib import import_module as _import_module
from importlib.util import find_spec as _find_spec


def __getattr__(name: str):
    # officenet.<layer>.<module> works without an import statement, as notebooks write it.
    if not name.startswith("_") and _find_spec(f"{__name__}.{name}") is not None:
        return _import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
