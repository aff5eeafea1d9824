"""One error type for bad design data, listing every problem found."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of the design tables.

    ``row`` is the line number in the CSV file as a spreadsheet shows it
    (the header is line 1), or None when the problem concerns the whole file.
    """

    file: str
    row: int | None
    column: str | None
    expected: str
    found: str = ""
    fix: str = ""
    what: str = "column"  # "field" for scenario files

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", {self.what} '{self.column}'"
        text = f"{where}: expected {self.expected}"
        if self.found:
            found = self.found if len(self.found) <= 80 else self.found[:77] + "..."  # a message stays readable
            text += f", found {found!r}"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text


class DesignError(ValueError):
    """The design tables are not valid. ``problems`` lists every problem."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the design data:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))
