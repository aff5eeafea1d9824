"""Safe building blocks for DOT text: every label that reaches DOT goes through here."""
from __future__ import annotations

import html


def quoted(text: str) -> str:
    """A DOT double-quoted string: backslashes, quotes and line breaks escaped."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r", "").replace("\n", "\\n") + '"'


def html_text(text: str) -> str:
    """Text for a DOT HTML-like label (<...>), with markup characters escaped."""
    return html.escape(str(text), quote=True)


def attrs(**values) -> str:
    """Attribute list in a fixed (sorted) order; values that start with '<' are HTML labels."""
    items = []
    for key in sorted(values):
        value = values[key]
        if value is None:
            continue
        if isinstance(value, HtmlLabel):
            items.append(f"{key}=<{value.markup}>")
        else:
            items.append(f"{key}={quoted(value)}")
    return "[" + ", ".join(items) + "]" if items else ""


class HtmlLabel:
    """Markup already escaped with ``html_text``; DOT wraps it in <...>."""

    def __init__(self, markup: str):
        self.markup = markup
