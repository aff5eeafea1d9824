"""Write docs/review.md, the review sheet, from data/requirements.csv (officenet.derive.requirements).

    python tools/review_sheet.py          # rewrite docs/review.md and print the counts per page
    python tools/review_sheet.py --check  # exit 1 if it would change (the tests compare the same way)
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from officenet import load  # noqa: E402
from officenet.derive.requirements import ledger, review_markdown  # noqa: E402

TARGET = ROOT / "docs" / "review.md"

if __name__ == "__main__":
    design = load(ROOT / "data")
    text = review_markdown(design)
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else None
    if "--check" in sys.argv:
        if current != text:
            print(f"would change {TARGET.relative_to(ROOT)}: run python tools/review_sheet.py")
            sys.exit(1)
        sys.exit(0)
    if current != text:
        TARGET.write_text(text, encoding="utf-8")
        print(f"updated {TARGET.relative_to(ROOT)}")
    print(ledger(design)[["requirements", "held", "left out"]].to_string())
