"""Files that appear whole or not at all, and stay once written: the one way every writer of the dataset
and its sidecars (data files, run records, markers, the cluster index, backfill progress) puts a file
on disk.

A hidden temporary file beside the target is written, flushed and fsynced, renamed over the target, and
the folder fsynced, so a crash or a kill at any point leaves either the old file or the new one, and a
power cut after the call returns loses neither the file nor its name. A failed write removes the
temporary file (a full disk must not keep half a copy).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

#: what a writer may hand over: the bytes, the text (UTF-8), or a function that writes to the file
Content = bytes | str | Callable[[BinaryIO], None]


def temp_name(final: Path) -> Path:
    """The hidden temporary file beside ``final`` (readers and the dataset check skip dot-files)."""
    return final.with_name(f".{final.name}.tmp")


def write_atomic(final: str | os.PathLike[str], content: Content) -> Path:
    """Write ``content`` to ``final`` whole or not at all, durably; the folder must exist."""
    final = Path(final)
    temp = temp_name(final)
    try:
        with open(temp, "wb") as handle:
            if callable(content):
                content(handle)
            else:
                handle.write(content.encode("utf-8") if isinstance(content, str) else content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(final.parent)
    return final


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make the names in ``folder`` durable (a rename is not, until its folder is synced). Best effort:
    some filesystems refuse to open or sync a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
