"""The write path of a run: rows, their clusters, files. The cluster index assigns each row its
``cluster_id`` (:mod:`pipelines.cluster_index`); the dataset writes the files
(:func:`pipelines.dataset.write_rows`); both under the writers' lock, so the files another writer added
meanwhile are in the index before it assigns. The crawl's item pipeline (:mod:`pipelines.stages`) and
the re-parse (:mod:`pipelines.reparse`) write through it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from pipelines.cluster_index import ClusterIndex, ClusterSettings, clusters_lock
from pipelines.dataset import PartlyWritten, write_rows


class ClusteredWriter:
    """Writes a run's rows into the dataset at ``root`` with their clusters. ``lock`` makes the writers'
    lock (default: the file lock in ``<root>/_clusters``; in distributed mode a Redis lock)."""

    def __init__(self, root: str | os.PathLike[str], run_id: str, settings: ClusterSettings | None = None,
                 lock: Callable[[], AbstractContextManager[None]] | None = None) -> None:
        self.root, self.run_id, self.settings = root, run_id, settings
        self.lock = lock or (lambda: clusters_lock(root))
        self.index: ClusterIndex | None = None

    def open(self) -> ClusterIndex:
        """The index as the dataset stands (raises ``OSError`` if it cannot be read)."""
        with self.lock():
            self.index = ClusterIndex.load(self.root, self.settings)
        return self.index

    def write(self, rows: list[dict[str, Any]], seq: int) -> list[Path]:
        """Others' new files into the index, each row its cluster, the rows into files; the files."""
        with self.lock():
            if self.index is None:
                self.index = ClusterIndex.load(self.root, self.settings)
            self.index.refresh(self.root)
            self.index.assign_rows(rows)
            try:
                paths = write_rows(self.root, rows, self.run_id, seq)
            except PartlyWritten as exc:
                self.index.covered(self.root, exc.paths)
                raise
            self.index.covered(self.root, paths)
        return paths

    def forget(self) -> None:
        """After a failed write: the index holds clusters of rows that were not stored; it is read
        again from the dataset at the next write."""
        self.index = None

    def save(self) -> None:
        """Keep the index's snapshot for the next run (only a cache: the dataset is the truth)."""
        if self.index is not None:
            with self.lock():
                self.index.save(self.root)
