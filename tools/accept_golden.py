"""Accept every tests/golden/**/*.actual written by a failed golden test."""
from pathlib import Path

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden"

accepted = 0
for actual in sorted(GOLDEN.rglob("*.actual")):
    target = actual.with_suffix("")
    actual.replace(target)
    print(f"accepted {target.relative_to(GOLDEN.parent.parent)}")
    accepted += 1
print(f"{accepted} golden file(s) accepted" if accepted else "nothing to accept: no .actual files")
