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

from jupyter_client.manager import KernelManager


@contextmanager
def private_kernel(kernel_name: str = "python3") -> Iterator[KernelManager]:
    """A kernel manager (not started) whose sockets live in a folder removed on exit."""
    with tempfile.TemporaryDirectory(prefix="officenet-kernel-") as folder:
        yield KernelManager(kernel_name=kernel_name, transport="ipc", ip=os.path.join(folder, "k"))
