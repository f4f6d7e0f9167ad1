"""Compact sets of story ids: 8 bytes an id instead of a Python string's ~80.

A crawl keeps several sets of ids (stored, requested, seen by the duplicate filter); on a backfill of
millions of stories Python sets of strings grow by hundreds of megabytes. Here an id is reduced to a
64-bit BLAKE2 hash, kept in a sorted numpy array (recent additions wait in a small Python set and are
merged in batches). A false match needs two ids with the same 64-bit hash: about one chance in 10^8
for a dataset of ten million stories.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

import numpy as np

_MERGE_AT = 1 << 16
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def id_hash(value: str | bytes) -> int:
    data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


class IdSet:
    """A set of ids (strings or bytes) that costs about 8 bytes an id."""

    def __init__(self, ids: Iterable[str | bytes] = ()) -> None:
        self._sorted = np.empty(0, dtype=np.uint64)
        self._recent: set[int] = set()
        for value in ids:
            self.add(value)

    def add(self, value: str | bytes) -> None:
        self.add_hash(id_hash(value))

    def add_hash(self, hashed: int) -> None:
        self._recent.add(hashed)
        if len(self._recent) >= _MERGE_AT:
            self._merge()

    def _merge(self) -> None:
        fresh = np.fromiter(self._recent, dtype=np.uint64, count=len(self._recent))
        self._sorted = np.union1d(self._sorted, fresh)
        self._recent = set()

    def contains_hash(self, hashed: int) -> bool:
        if hashed in self._recent:
            return True
        index = int(np.searchsorted(self._sorted, np.uint64(hashed)))
        return index < len(self._sorted) and int(self._sorted[index]) == hashed

    def __contains__(self, value: object) -> bool:
        return isinstance(value, (str, bytes)) and self.contains_hash(id_hash(value))

    def __len__(self) -> int:
        return len(self._sorted) + sum(1 for h in self._recent if not self._in_sorted(h))

    def _in_sorted(self, hashed: int) -> bool:
        index = int(np.searchsorted(self._sorted, np.uint64(hashed)))
        return index < len(self._sorted) and int(self._sorted[index]) == hashed

    @property
    def nbytes(self) -> int:
        """Approximate memory held (for the benchmarks)."""
        return self._sorted.nbytes + len(self._recent) * 60


class KnownIds:
    """Stored story ids with when each was last fetched: 16 bytes an id, built once per run."""

    def __init__(self, hashes: np.ndarray, fetched_us: np.ndarray) -> None:
        order = np.lexsort((fetched_us, hashes))  # by hash, then by time
        hashes, fetched_us = hashes[order], fetched_us[order]
        last = np.ones(len(hashes), dtype=bool)
        last[:-1] = hashes[1:] != hashes[:-1]  # keep the newest fetch of each id
        self._hashes, self._fetched = hashes[last], fetched_us[last]

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, dt.datetime | None]]) -> KnownIds:
        hashes, times = [], []
        for story, fetched in pairs:
            hashes.append(id_hash(story))
            times.append(int((fetched - _EPOCH).total_seconds() * 1e6) if fetched else 0)
        return cls(np.array(hashes, dtype=np.uint64), np.array(times, dtype=np.int64))

    def _index(self, story: str) -> int | None:
        hashed = np.uint64(id_hash(story))
        index = int(np.searchsorted(self._hashes, hashed))
        if index < len(self._hashes) and self._hashes[index] == hashed:
            return index
        return None

    def __contains__(self, story: object) -> bool:
        return isinstance(story, str) and self._index(story) is not None

    def fetched_at(self, story: str) -> dt.datetime | None:
        """When the newest stored version of ``story`` was fetched (``None``: unknown or no time)."""
        index = self._index(story)
        if index is None or not self._fetched[index]:
            return None
        return _EPOCH + dt.timedelta(microseconds=int(self._fetched[index]))

    def __len__(self) -> int:
        return len(self._hashes)

    @property
    def nbytes(self) -> int:
        return self._hashes.nbytes + self._fetched.nbytes
