"""How many examples each property-based test ran (conftest prints the sum at the end of the run)."""
from collections import Counter

COUNTS: Counter = Counter()


def count(what: str) -> None:
    COUNTS[what] += 1
