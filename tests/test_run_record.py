"""The run record's file (:mod:`crawler.run_record`): reserved at the start, the final record written
whole, or over the reservation when the disk has no room left for a new file."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

import crawler.run_record as run_record
from crawler.run_record import RESERVED_BYTES, RunRecordFile


def _disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_the_reservation_holds_the_record_so_far_and_its_room(tmp_path: Path) -> None:
    records = RunRecordFile(tmp_path, "run-1")
    records.reserve({"run_id": "run-1", "status": "running"})
    assert records.path.stat().st_size == RESERVED_BYTES
    assert json.loads(records.path.read_text())["status"] == "running"
    assert records.write({"run_id": "run-1", "status": "ok"})
    assert json.loads(records.path.read_text()) == {"run_id": "run-1", "status": "ok"}
    assert records.path.stat().st_size < RESERVED_BYTES  # the final record is its own size
    assert sorted(p.name for p in records.folder.iterdir()) == ["run-1.json"]


def test_on_a_full_disk_the_final_record_goes_into_its_reservation(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    records = RunRecordFile(tmp_path, "run-2")
    records.reserve({"run_id": "run-2", "status": "running"})
    monkeypatch.setattr(run_record, "write_atomic", _disk_full)  # no room for a new file
    final = {"run_id": "run-2", "status": "failed", "failure_reasons": ["write_error"],
             "files_written": [f"/data/part-{n:05d}.parquet" for n in range(3000)]}  # > the room
    assert records.write(final)
    stored = json.loads(records.path.read_text())
    assert stored["status"] == "failed" and stored["failure_reasons"] == ["write_error"]
    assert stored["files_written"] == 3000  # the list cut to its count to fit
    assert records.path.stat().st_size == RESERVED_BYTES  # no block more than reserved


def test_without_a_reservation_a_full_disk_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(run_record, "write_atomic", _disk_full)
    records = RunRecordFile(tmp_path, "run-3")
    records.reserve({"run_id": "run-3", "status": "running"})
    assert not records.write({"run_id": "run-3", "status": "failed"})
    assert [r.getMessage() for r in caplog.records] == [
        f"could not write the run record in {tmp_path / '_runs'}: No space left on device"] * 2
    assert not records.path.exists()
