"""What a page would fetch from the network: a handout must work offline, so it may fetch nothing.

Links to read (``<a href>``) are fine; anything a browser loads by itself (scripts, images,
style sheets, frames, media, CSS ``url()`` and ``@import``) is reported.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

_LOADING_ATTRS = {("script", "src"), ("img", "src"), ("img", "srcset"), ("link", "href"), ("iframe", "src"),
                  ("source", "src"), ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"),
                  ("embed", "src"), ("object", "data"), ("image", "href"), ("image", "xlink:href"),
                  ("use", "href"), ("use", "xlink:href"), ("input", "src"), ("track", "src")}
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)


def _is_external(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:"))


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for name, value in attrs:
            if value and (tag, name) in _LOADING_ATTRS:
                for part in value.split(",") if name == "srcset" else [value]:
                    if _is_external(part):
                        self.found.append(f"<{tag} {name}={part.strip()}>")
            if name == "style" and value:
                self.found += [f"<{tag} style> {u}" for u in _CSS_URL.findall(value)]

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.found += [f"<style> {u}" for u in _CSS_URL.findall(data)]


def external_references(page_html: str) -> list[str]:
    """Everything in the page that a browser would fetch from the network (links to read are fine)."""
    parser = _Refs()
    parser.feed(page_html)
    parser.close()
    return parser.found
