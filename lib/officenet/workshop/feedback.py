"""What every exercise check returns, and the hints they share.

A check never raises on a bad answer: it returns ``Feedback``, which shows itself in Jupyter
(coloured by whether the answer passed) and as plain text.
"""
from __future__ import annotations

import difflib
import html
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, repr=False)
class Feedback:
    exercise: str
    correct: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return bool(self.correct) and not self.missing and not self.wrong

    def __str__(self) -> str:
        lines = [f"{self.exercise}: " + ("all correct." if self.passed else "not yet.")]
        for title, items in (("Correct", self.correct), ("Missing", self.missing), ("Wrong", self.wrong),
                             ("Hint", self.hints)):
            lines += [f"  {title}: {item}" for item in items]
        return "\n".join(lines)

    __repr__ = __str__  # what a plain-text front end (and a test) reads

    def _repr_html_(self) -> str:
        colour = "#2e7d32" if self.passed else "#b26a00"
        parts = [f'<div style="border-left:6px solid {colour};padding:4px 10px">',
                 f"<b>{html.escape(self.exercise)}</b>: " + ("all correct." if self.passed else "not yet.")]
        for title, items in (("Correct", self.correct), ("Missing", self.missing), ("Wrong", self.wrong),
                             ("Hint", self.hints)):
            if items:
                parts.append(f"<div><i>{title}</i><ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items)
                             + "</ul></div>")
        return "".join(parts) + "</div>"


def empty_answer(answer) -> bool:
    return answer is None or (hasattr(answer, "__len__") and len(answer) == 0)


def id_hint(known: Iterable[str], given: str, what: str) -> str | None:
    """A hint for an id that is not one: another case, or a near spelling; None when it is known."""
    known = sorted(known)
    if given in known:
        return None
    by_case = {k.lower(): k for k in known}
    if str(given).strip().lower() in by_case:
        return f"write {given!r} as {by_case[str(given).strip().lower()]!r}: ids are lower case with underscores"
    close = difflib.get_close_matches(str(given), known, n=1, cutoff=0.6)
    return f"{given!r} is not a {what}" + (f"; did you mean {close[0]!r}?" if close else "")
