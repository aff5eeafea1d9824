"""A design of another release of the products, read from the same folder (releases.csv).

The loader gives each design it reads a ``reader`` for its folder; the model never opens a file itself.
"""
from __future__ import annotations

from .design import Design
from .records import Release


def releases_in_order(design: Design) -> tuple[Release, ...]:
    """The releases of the design's folder, oldest first (releases.csv's ``order``)."""
    return tuple(sorted(design.releases, key=lambda r: r.order))


def in_release(design: Design, release: str | int | None) -> Design:
    """The design of ``release`` read from the same folder: ``design`` itself when it is that release, when no
    release is named, or when the release is not one of releases.csv (the scenario's check names that)."""
    release = None if release is None else str(release)
    if not release or release == design.release or not design.release \
            or release not in {r.id for r in design.releases}:
        return design
    if design.reader is None:
        raise ValueError(f"the design was built in memory for release {design.release}; "
                         f"load its folder with officenet.load(folder, release={release!r})")
    return design.reader(release)
