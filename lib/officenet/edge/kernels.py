"""Kernels for the notebooks officenet runs itself (handouts, saved notebooks, tests).

They talk to their kernel over Unix sockets in a private temporary folder instead of TCP on
loopback: no other user of the machine can reach them, and ipykernel has no reason to warn that
the kernel "is running over TCP without encryption".
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from typing import Iterator

from traitlets.config import Config


@contextmanager
def private_kernel() -> Iterator[Config]:
    """Configuration for a NotebookClient (``config=``) whose kernel's sockets live in a folder removed on exit."""
    with tempfile.TemporaryDirectory(prefix="officenet-kernel-") as folder:
        yield Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(folder, "k")}})
