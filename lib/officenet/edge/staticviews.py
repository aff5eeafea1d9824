"""How a display hands its pre-rendered views to the handout builder.

A display in a notebook (an explorer, the your-design app) offers ``static_views()``: (label, html)
pairs that need no kernel. While the handout builder (``officenet.edge.handout``) executes a notebook it
sets the environment variable ``HANDOUT_ENV`` to "1" in the kernel; a display then adds those views
to its output under ``VIEWS_MIME`` as ``views_payload``, and the builder turns them into a switcher.
In a normal session the variable is unset and the output stays small.

Only this agreement lives here, so the builder reads it without loading any widget toolkit.
"""
from __future__ import annotations

import os
from typing import Iterable

HANDOUT_ENV = "OFFICENET_HANDOUT"
VIEWS_MIME = "application/vnd.officenet.views+json"


def handout_mode() -> bool:
    """True while the handout builder executes the notebook."""
    return os.environ.get(HANDOUT_ENV) == "1"


def views_payload(title: str, views: Iterable[tuple[str, str]]) -> dict:
    """The ``VIEWS_MIME`` data of a display: its title and its (label, html) views."""
    return {"title": title, "views": [{"label": label, "html": body} for label, body in views]}
