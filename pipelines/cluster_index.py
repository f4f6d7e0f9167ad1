"""The near-duplicate index: which stored story a new row copies, so that a story's copies (a wire's own
page, partner sites, rewrites that keep its text, later versions) share a ``cluster_id``, the ``id`` of
the first stored story of the cluster.

A new row joins the cluster of the most similar stored story published within ``window`` of it
whose body shares at least ``threshold`` of its shingles (estimated Jaccard, from the ``fingerprint``
column, :mod:`pipelines.fingerprint`); otherwise it founds its own. Assignment happens once, when a
row is written: a story never changes cluster because a later copy arrives, and a new version of a
stored story keeps the cluster of its id.

Candidates come from a locality-sensitive index (``bands`` x ``rows`` of the signature; sorted numpy
arrays, 8 bytes a story a band) holding every stored story. Its snapshot lives in
``<dataset>/_clusters/`` (readers skip underscore folders) with the files it covers; files it does not
cover are read on load, a damaged or missing snapshot is rebuilt from the dataset, which stays the
single source of truth. The index assigns; it never writes rows: the dataset's writer
(:func:`pipelines.dataset.write_rows`) does, and a writer holds :func:`clusters_lock` around "read
others' new files, assign, write" (:class:`pipelines.stages.DatasetPipeline`), so two runs never found
two clusters for one story. Recomputing a whole dataset: :mod:`pipelines.clusters`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.dataset import data_files, file_lock
from pipelines.durable import write_atomic
from pipelines.fingerprint import NUM_PERM, from_stored, signature, to_stored

logger = logging.getLogger(__name__)

FOLDER = "_clusters"
_SNAPSHOT = "index.npz"
#: in ``_clusters/`` while a recompute rewrites files
PENDING = "recompute.pending"
_US = 1_000_000
_MERGE_AT = 20_000
_PER_BAND = 16
_BAND_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                      0x27D4EB2F165667C5, 0x85EBCA77C2B2AE63, 0xFF51AFD7ED558CCD,
                      0xC4CEB9FE1A85EC53, 0x94D049BB133111EB], dtype=np.uint64)


@dataclass(frozen=True)
class ClusterSettings:
    """Every tunable of clustering (``CLUSTER_THRESHOLD``, ``CLUSTER_WINDOW_DAYS`` in the crawl)."""

    #: estimated Jaccard similarity of two bodies' 5-word shingles at or above which they are one
    #: story (chosen on the labelled copies of ``benchmarks/clusters.py``)
    threshold: float = 0.5
    window: dt.timedelta = dt.timedelta(days=7)
    bands: int = 32

    @property
    def rows(self) -> int:
        return NUM_PERM // self.bands


class _BandIndex:
    """Band key -> story positions, for all bands at once (a key mixes in its band's number):
    sorted runs of (key, position) merged like a binary counter (each entry is re-sorted O(log n)
    times), plus a dict of the newest additions. 8 bytes a story a band."""

    def __init__(self) -> None:
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []
        self.pending: dict[int, list[int]] = {}
        self.pending_count = 0

    def add(self, keys: list[int], position: int) -> None:
        for key in keys:
            self.pending.setdefault(key, []).append(position)
        self.pending_count += len(keys)
        if self.pending_count >= _MERGE_AT:
            self.settle()

    def add_many(self, keys: np.ndarray, positions: np.ndarray) -> None:
        """Many stories at once (``keys``: one row of band keys a story), as one sorted run."""
        self.settle()
        self._push(keys.ravel().astype(np.uint32), np.repeat(positions.astype(np.uint32), keys.shape[1]))

    def settle(self) -> None:
        """The newest additions into a sorted run."""
        if not self.pending_count:
            return
        keys = np.fromiter((k for k, ps in self.pending.items() for _ in ps), np.uint32,
                           self.pending_count)
        positions = np.fromiter((p for ps in self.pending.values() for p in ps), np.uint32,
                                self.pending_count)
        self.pending, self.pending_count = {}, 0
        self._push(keys, positions)

    def _push(self, keys: np.ndarray, positions: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        run = (keys[order], positions[order])
        while self.runs and len(self.runs[-1][0]) <= len(run[0]):
            old = self.runs.pop()  # older entries first: within a key, positions stay in order
            keys, positions = np.concatenate([old[0], run[0]]), np.concatenate([old[1], run[1]])
            order = np.argsort(keys, kind="stable")
            run = (keys[order], positions[order])
        self.runs.append(run)

    def find(self, keys: list[int]) -> set[int]:
        """Stories sharing a band key; per key and run only the latest :data:`_PER_BAND` (a big
        cluster needs only its recent members to be found; all of them would make each insertion
        cost as much as the cluster is large)."""
        found: set[int] = set()
        for key in keys:
            if key in self.pending:
                found.update(self.pending[key][-_PER_BAND:])
        probe = np.asarray(keys, np.uint32)
        for run_keys, run_positions in self.runs:
            low = np.searchsorted(run_keys, probe, "left")
            high = np.searchsorted(run_keys, probe, "right")
            for i in np.flatnonzero(high > low):
                found.update(run_positions[max(low[i], high[i] - _PER_BAND):high[i]].tolist())
        return found

    def nbytes(self) -> int:
        return sum(k.nbytes + p.nbytes for k, p in self.runs) + self.pending_count * 64


class ClusterIndex:
    """Every stored story: id, cluster, time, the low 16 bits of its signature, and the band index."""

    def __init__(self, settings: ClusterSettings | None = None) -> None:
        self.settings = settings or ClusterSettings()
        self.ids: list[str] = []
        self.clusters: list[str] = []
        self.by_id: dict[str, int] = {}
        self._times = np.empty(1024, np.int64)
        self._sigs = np.zeros((1024, NUM_PERM), np.uint16)
        self._has_sig = np.zeros(1024, bool)
        self.bands = _BandIndex()
        #: data files whose rows are in the index: name relative to the dataset root -> the version
        #: read (:func:`_version`); a file rewritten since (a recompute) is read again
        self.files: dict[str, str] = {}
        #: data files a recompute left out as damaged
        self.damaged: list[Path] = []

    def __len__(self) -> int:
        return len(self.ids)

    def _band_keys(self, sigs: np.ndarray) -> np.ndarray:
        """(stories, bands) uint32 keys of (stories, NUM_PERM) signatures; from the low 16 bits the
        index keeps, so that keys are the same after a reload."""
        rows, bands = self.settings.rows, self.settings.bands
        blocks = (sigs & 0xFFFF).astype(np.uint64).reshape(len(sigs), bands, rows)
        with np.errstate(over="ignore"):
            mixed = (blocks * _BAND_MIX[:rows]).sum(axis=2, dtype=np.uint64)
            mixed = mixed + np.arange(bands, dtype=np.uint64) * _BAND_MIX[7]
        return (mixed >> np.uint64(32)).astype(np.uint32)

    def add(self, story_id: str, cluster_id: str, when: dt.datetime | None,
            sig: np.ndarray | None) -> None:
        """A stored story (its cluster already decided); a second copy of an id changes nothing."""
        if story_id in self.by_id:
            return
        self._append(story_id, cluster_id, when, sig)

    def _append(self, story_id: str, cluster_id: str, when: dt.datetime | None,
                sig: np.ndarray | None) -> None:
        position = len(self.ids)
        if position == len(self._times):
            grow = max(1024, position // 2)
            self._times = np.concatenate([self._times, np.empty(grow, np.int64)])
            self._sigs = np.concatenate([self._sigs, np.zeros((grow, NUM_PERM), np.uint16)])
            self._has_sig = np.concatenate([self._has_sig, np.zeros(grow, bool)])
        self.ids.append(story_id)
        self.clusters.append(cluster_id)
        self.by_id[story_id] = position
        self._times[position] = _micros(when)
        if sig is not None:
            self._sigs[position] = sig & 0xFFFF
            self._has_sig[position] = True
            self.bands.add(self._band_keys(sig[None, :])[0].tolist(), position)

    def match(self, sig: np.ndarray, when: dt.datetime | None) -> str | None:
        """The cluster of the most similar stored story within the window (``None``: none is)."""
        candidates = self.bands.find(self._band_keys(sig[None, :])[0].tolist())
        if not candidates:
            return None
        positions = np.fromiter(candidates, np.int64, len(candidates))
        if when is not None:
            window = int(self.settings.window.total_seconds() * _US)
            times = self._times[positions]
            positions = positions[(times == _NO_TIME) | (np.abs(times - _micros(when)) <= window)]
        if not len(positions):
            return None
        same = (self._sigs[positions] == (sig & 0xFFFF).astype(np.uint16)).sum(axis=1) / NUM_PERM
        best = np.flatnonzero(same >= self.settings.threshold)
        if not len(best):
            return None
        # the most similar; among equals the earliest stored
        order = sorted(best, key=lambda i: (-same[i], positions[i]))
        return self.clusters[int(positions[order[0]])]

    def assign(self, story_id: str, when: dt.datetime | None, sig: np.ndarray | None) -> str:
        """The cluster of a story about to be stored, and the story added to the index."""
        if story_id in self.by_id:
            return self.clusters[self.by_id[story_id]]
        cluster = (self.match(sig, when) if sig is not None else None) or story_id
        self.add(story_id, cluster, when, sig)
        return cluster

    def assign_rows(self, rows: list[dict[str, Any]]) -> None:
        """Give each row its ``cluster_id`` (and a ``fingerprint`` if the worker gave none)."""
        for row in rows:
            sig = from_stored(row.get("fingerprint"))
            if sig is None and row.get("fingerprint") is None:
                sig = signature(row.get("body") or "")
                row["fingerprint"] = to_stored(sig)
            row["cluster_id"] = self.assign(row["id"], row.get("published_at") or row.get("fetched_at"),
                                            sig)

    def nbytes(self) -> int:
        """Memory held (arrays, bands, and an estimate for the id strings and their dict)."""
        strings = sum(len(i) for i in self.ids) + 120 * len(self.ids)
        return (self._times.nbytes + self._sigs.nbytes + self._has_sig.nbytes + strings
                + self.bands.nbytes())

    # -- the dataset ---------------------------------------------------------------------------

    def refresh(self, root: str | os.PathLike[str]) -> int:
        """Add the rows of data files not yet covered (written by other runs, or compacted); how many
        files were read. Rows without a cluster (files older than clustering) are their own."""
        read = 0
        present: set[str] = set()
        for path in data_files(root):
            name = path.relative_to(root).as_posix()
            present.add(name)
            version = _version(path)
            if self.files.get(name) == version:
                continue
            try:
                rows = _stored(path)[0]
            except (OSError, pa.ArrowException) as exc:
                logger.warning("%s: unreadable (%s); its stories are not in the cluster index", path, exc)
                continue
            if any(row.id is None for row in rows):  # the crawl's check quarantines it
                logger.warning("%s: a null id; its stories are not in the cluster index", path)
                continue
            for row in rows:  # a rewritten file's clusters are the dataset's now
                self.place(row.id, row.cluster_id or row.id, row.published_at or row.fetched_at, row.sig)
            self.files[name] = version
            read += 1
        for gone in self.files.keys() - present:  # compacted or quarantined: its rows live elsewhere
            del self.files[gone]
        return read

    def place(self, story_id: str, cluster_id: str, when: dt.datetime | None,
              sig: np.ndarray | None) -> None:
        """A stored story as the dataset holds it: its cluster follows the file if it changed."""
        position = self.by_id.get(story_id)
        if position is None:
            self._append(story_id, cluster_id, when, sig)
        else:
            self.clusters[position] = cluster_id

    def covered(self, root: str | os.PathLike[str], paths: Iterable[Path]) -> None:
        for path in paths:
            self.files[Path(path).relative_to(root).as_posix()] = _version(Path(path))

    def save(self, root: str | os.PathLike[str]) -> None:
        """Write the snapshot (whole or not at all)."""
        folder = Path(root) / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        n = len(self.ids)
        write_atomic(folder / _SNAPSHOT, lambda handle: np.savez(
            handle, ids=_blob(self.ids), clusters=_blob(self.clusters),
            times=self._times[:n], sigs=self._sigs[:n], has_sig=self._has_sig[:n],
            files=_blob([f"{name}\t{version}" for name, version in sorted(self.files.items())]),
            settings=np.frombuffer(json.dumps(_settings_key(self.settings)).encode(), np.uint8)))

    @classmethod
    def load(cls, root: str | os.PathLike[str], settings: ClusterSettings | None = None) -> ClusterIndex:
        """The snapshot plus the files it does not cover; rebuilt from the dataset if the snapshot is
        missing, damaged or made with other settings."""
        index = cls(settings)
        path = Path(root) / FOLDER / _SNAPSHOT
        if path.exists():
            try:
                index._restore(path)
            except (OSError, ValueError, KeyError, EOFError) as exc:
                logger.warning("cluster index %s unreadable (%s); rebuilt from the dataset", path, exc)
                index = cls(settings)
        if interrupted_recompute(root):
            logger.warning("a cluster recompute of %s was interrupted: its stories hold clusters of two "
                           "passes until python -m pipelines.clusters %s is run again", root, root)
        index.refresh(root)
        return index

    def _restore(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            if json.loads(data["settings"].tobytes()) != _settings_key(self.settings):
                raise ValueError("made with other settings")
            ids, clusters = _unblob(data["ids"]), _unblob(data["clusters"])
            times, sigs, has_sig = data["times"], data["sigs"], data["has_sig"]
            if not (len(ids) == len(clusters) == len(times) == len(sigs) == len(has_sig)):
                raise ValueError("inconsistent arrays")
            self.files = dict(line.split("\t", 1) for line in _unblob(data["files"]))
        count = len(ids)
        self._times, self._sigs, self._has_sig = times.copy(), sigs.copy(), has_sig.copy()
        self.ids, self.clusters = ids, clusters
        self.by_id = {story_id: n for n, story_id in enumerate(ids)}
        if len(self.by_id) != count:
            raise ValueError("an id twice")
        with_sig = np.flatnonzero(has_sig)
        self.bands.add_many(self._band_keys(sigs[with_sig]), with_sig)


_NO_TIME = np.iinfo(np.int64).min


def _version(path: Path) -> str:
    """What tells one write of a data file from another: every write is a new file renamed into place."""
    info = path.stat()
    return f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"


def _micros(when: dt.datetime | None) -> int:
    if when is None:
        return int(_NO_TIME)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return int(when.timestamp() * _US)


def _settings_key(settings: ClusterSettings) -> dict[str, Any]:
    return {"bands": settings.bands, "perm": NUM_PERM, "version": 2}  # 2: files with their versions


def _blob(values: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(values).encode("utf-8"), np.uint8) if values else np.empty(0, np.uint8)


def _unblob(data: np.ndarray) -> list[str]:
    return data.tobytes().decode("utf-8").split("\n") if len(data) else []


class _Stored(NamedTuple):
    id: str
    cluster_id: str | None
    published_at: dt.datetime | None
    fetched_at: dt.datetime | None
    sig: np.ndarray | None
    headline: str | None


def _stored(path: Path, *, headlines: bool = False, fill: bool = False) -> tuple[list[_Stored], bool]:
    """A data file's rows as the index needs them, and whether the file lacks fingerprints it could
    hold. A file older than clustering has no fingerprints: each row's comes from its body; with
    ``fill``, so does a null one (a row written without one), where the body allows it."""
    names = set(pq.read_schema(path).names)
    current = "fingerprint" in names
    wanted = ["id", "published_at", "fetched_at"] + (["headline"] if headlines else []) \
        + (["cluster_id", "fingerprint"] if current else [])
    columns = {name: values.to_pylist() for name, values in
               zip(wanted, pq.read_table(path, columns=wanted).columns, strict=True)}
    count = len(columns["id"])
    sigs = [from_stored(value) for value in columns["fingerprint"]] if current else [None] * count
    missing = [n for n in range(count) if not current or (fill and columns["fingerprint"][n] is None)]
    if missing:
        bodies = pq.read_table(path, columns=["body"]).column("body").to_pylist()
        for n in missing:
            sigs[n] = signature(bodies[n] or "")
    nothing = [None] * count
    rows = [_Stored(*fields) for fields in zip(
        columns["id"], columns.get("cluster_id", nothing), columns["published_at"],
        columns["fetched_at"], sigs, columns.get("headline", nothing), strict=True)]
    return rows, any(sigs[n] is not None for n in missing)


@contextlib.contextmanager
def clusters_lock(root: str | os.PathLike[str], redis_client: Any = None, name: str = "",
                  timeout: float = 60.0) -> Iterator[None]:
    """Writers take it around refresh + assignment + write. A file lock in ``<root>/_clusters``; in
    distributed mode a Redis lock (``name``), since workers on other hosts share the dataset; it
    lapses after ``timeout`` seconds if its holder dies (the worker lease)."""
    if redis_client is not None:
        lock = redis_client.lock(name, timeout=max(1.0, timeout), blocking_timeout=2 * timeout + 30)
        try:
            acquired = lock.acquire()
        except Exception as exc:  # noqa: BLE001 - redis's errors: the write fails, counted, retried
            raise OSError(f"cluster lock in Redis: {exc}") from exc
        if not acquired:
            raise OSError(f"cluster lock in Redis: not acquired within {2 * timeout + 30:.0f} s")
        try:
            yield
        finally:
            with contextlib.suppress(Exception):  # expired meanwhile: nothing to release
                lock.release()
        return
    with file_lock(Path(root) / FOLDER / "lock", exclusive=True):
        yield


def interrupted_recompute(root: str | os.PathLike[str]) -> bool:
    """Whether a recompute was killed before it finished (clusters of two passes are mixed)."""
    return (Path(root) / FOLDER / PENDING).exists()
