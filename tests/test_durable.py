"""The one way files are written: whole or not at all, the temporary file gone after a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.durable import temp_name, write_atomic


def test_a_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "record.json"
    target.write_text("old")
    assert write_atomic(target, "new ✓") == target
    assert target.read_text("utf-8") == "new ✓"
    write_atomic(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    write_atomic(target, lambda handle: handle.write(b"streamed"))
    assert target.read_bytes() == b"streamed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "index.npz"
    target.write_bytes(b"old")

    def half_then_fail(handle) -> None:
        handle.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomic(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert not temp_name(target).exists()
    assert temp_name(target).name == ".index.npz.tmp"  # hidden: readers and the dataset check skip it
