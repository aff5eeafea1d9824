"""Files written whole or not at all: a reader (or a failed run) sees the previous version or the new one,
never half of one. Used by every writer of the project: scenarios, ACLs, exports and handouts."""
from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path
from typing import Mapping


@functools.cache
def _umask() -> int:
    # Read once: setting and restoring the umask is process-wide, so it must not race with writer threads.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _shared(path: str | Path, mode: int) -> None:
    # mkstemp and mkdtemp create private files (0600) and folders (0700); what we write is for sharing,
    # so it gets the permissions of a file the user would have made by hand.
    os.chmod(path, mode & ~_umask())


def atomic_write(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8, LF line ends) to ``path`` through a temporary file beside it and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        _shared(tmp, 0o666)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def replace_folder(target: str | Path, texts: Mapping[str, str]) -> list[Path]:
    """Make ``target`` a folder holding exactly ``texts`` ({relative path: text}): written in a staging folder
    beside it, then swapped in by rename; on failure the previous folder is put back."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for rel, text in texts.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_text(path, text)
        _shared(staging, 0o777)
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.rmdir(old)
            os.rename(target, old)
        try:
            os.rename(staging, target)
        except BaseException:
            if old is not None:
                os.rename(old, target)  # put the previous folder back
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / rel for rel in texts]
