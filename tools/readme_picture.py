"""Draw the README's picture, docs/overview.png: the overview of all flows with its legend, as a
browser shows it (headless Chromium, the network blocked), at 1400 px wide at 1.5 times the pixel density.

    .venv/bin/python tools/readme_picture.py
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

import officenet
from officenet.derive.diagram import figure

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import FLAGS, chromium_path  # noqa: E402  (the tests' Chromium settings)
from officenet.edge.display import figure_html

PAGE = ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:12px;'
        'font-family:system-ui,"DejaVu Sans",sans-serif;background:#fff}</style></head><body>{}</body></html>')


def main(out: Path = ROOT / "docs" / "overview.png") -> None:
    html = PAGE.replace("{}", figure_html(figure(officenet.load())))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, device_scale_factor=1.5)
            page.route("**/*", lambda route: route.abort())  # everything is inline
            page.set_content(html)
            page.locator(".officenet-figure").screenshot(path=str(out))
        finally:
            browser.close()
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
