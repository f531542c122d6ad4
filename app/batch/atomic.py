"""Crash-safe file writes: write to a temporary name in the same folder, fsync, rename.

A reader (or a re-run after SIGKILL) therefore sees either the old file or the complete new
one, never a half-written file. Temporary names start with "." and contain ".tmp-", so a
re-run can sweep leftovers with :func:`remove_stale_temps`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

TMP_MARK = ".tmp-"


def temp_path(path: Path) -> Path:
    """The temporary name `path` is written under before its rename."""
    return path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}")


def _rename(src: Path, dst: Path) -> None:
    # One seam for every commit point, so tests can inject a crash at each of them.
    os.replace(src, dst)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a directory be fsynced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def commit(tmp: Path, path: Path) -> None:
    """fsync `tmp`, then atomically rename it to `path`."""
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    _rename(tmp, path)
    _fsync_dir(path.parent)


def write_atomic(path: Path, content: bytes | Callable[[BinaryIO], None]) -> None:
    """Write bytes (or whatever `content(fh)` writes) to `path` atomically."""
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as fh:
            if callable(content):
                content(fh)
            else:
                fh.write(content)
        commit(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path to write with any library; it becomes `path` when the block succeeds."""
    tmp = temp_path(path)
    try:
        yield tmp
        commit(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def remove_stale_temps(folder: Path, prefix: str = "") -> int:
    """Delete temporary files left in `folder` by a killed run; returns how many."""
    removed = 0
    if not folder.is_dir():
        return 0
    for p in folder.glob(f".{prefix}*{TMP_MARK}*"):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            removed += 1
    return removed
