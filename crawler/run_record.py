"""The run record's file, ``<dataset>/_runs/<run id>.json``: reserved when the run starts and rewritten
whole when it ends, so that every run that started has a record, even one that filled the disk.

The reservation is the record so far (``status: running``) padded with spaces to
:data:`RESERVED_BYTES`: its blocks are the disk's before the run needs any. At the end the record is
written whole (:func:`pipelines.durable.write_atomic`: readers see the old record or the new one);
when the disk is full by then, it is written over the reservation instead, in place, in blocks it
already owns (its lists of files cut to their counts if it would not fit). JSON readers ignore padding.
A run killed outright keeps ``running``; :func:`pipelines.report` shows whether its process is gone.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from pipelines.durable import write_atomic

logger = logging.getLogger(__name__)

RESERVED_BYTES = 64 * 1024
#: the record's lists that can grow with a run, cut to their counts when the record must fit
_LISTS = ("files_written", "files_quarantined")


def _encoded(record: dict[str, Any]) -> bytes:
    return json.dumps(record, default=str, indent=1).encode("utf-8")


class RunRecordFile:
    def __init__(self, root: str | os.PathLike[str], run_id: str) -> None:
        self.folder = Path(root) / "_runs"
        self.path = self.folder / f"{run_id}.json"
        self.reserved = False

    def reserve(self, record: dict[str, Any]) -> None:
        """The record so far, padded: the blocks the final record may need on a full disk."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            data = _encoded(record)
            write_atomic(self.path, data + b" " * max(0, RESERVED_BYTES - len(data)))
            self.reserved = True
        except OSError as exc:  # the run goes on; its end tries again
            logger.error("could not write the run record in %s: %s", self.folder, exc.strerror or exc)

    def write(self, record: dict[str, Any]) -> bool:
        """The final record: renamed into place, else written over the reservation; never fatal."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, _encoded(record))
            return True
        except OSError as exc:
            if self.reserved and self._overwrite(record):
                logger.warning("the run record was written into the space reserved for it (%s)",
                               exc.strerror or exc)
                return True
            logger.error("could not write the run record in %s: %s", self.folder, exc.strerror or exc)
            return False

    def _overwrite(self, record: dict[str, Any]) -> bool:
        data = _encoded(record)
        if len(data) > RESERVED_BYTES:
            data = _encoded({key: (len(value) if key in _LISTS and isinstance(value, list) else value)
                             for key, value in record.items()})
        if len(data) > RESERVED_BYTES:
            return False
        try:
            with open(self.path, "r+b") as handle:
                handle.write(data + b" " * (RESERVED_BYTES - len(data)))
                handle.flush()
                os.fsync(handle.fileno())
            return True
        except OSError:
            return False
