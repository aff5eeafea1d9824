"""Write docs/tables.md from the table schemas in lib/officenet/records.py.

    python tools/describe_tables.py          # rewrite docs/tables.md
    python tools/describe_tables.py --check  # exit 1 if it would change (used by the tests)
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from officenet.derive.describe import tables_markdown  # noqa: E402

TARGET = ROOT / "docs" / "tables.md"

if __name__ == "__main__":
    text = tables_markdown()
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else None
    if "--check" in sys.argv:
        if current != text:
            print(f"would change {TARGET.relative_to(ROOT)}: run python tools/describe_tables.py")
            sys.exit(1)
    elif current != text:
        TARGET.write_text(text, encoding="utf-8")
        print(f"updated {TARGET.relative_to(ROOT)}")
