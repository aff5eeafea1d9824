"""The house stays easy to read: no library module grows past 400 lines (split it by concern instead)."""
from pathlib import Path

LIMIT = 400
LIB = Path(__file__).resolve().parents[1] / "lib" / "officenet"


def test_no_library_module_is_over_400_lines():
    sizes = {str(p.relative_to(LIB)): len(p.read_text(encoding="utf-8").splitlines()) for p in LIB.rglob("*.py")}
    assert len(sizes) > 20  # the walk found the library
    too_long = {name: n for name, n in sorted(sizes.items()) if n > LIMIT}
    assert not too_long, f"modules over {LIMIT} lines (split each by concern): {too_long}"
