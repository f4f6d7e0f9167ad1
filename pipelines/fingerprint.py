"""Text fingerprints that tell copies of one story from different stories.

A story's body becomes the set of its 5-word shingles (lower-cased words, punctuation and case
ignored, so a corrected comma or a retyped quote mark changes little); a MinHash signature of
:data:`NUM_PERM` 32-bit values estimates the Jaccard similarity of two such sets as the share of equal
values. It is stored with every row (``fingerprint``, 64 uint32), so clusters can be recomputed
without re-parsing. Everything here is fixed forever: a stored fingerprint must mean the same thing
to every later version (the hash of a word is BLAKE2b, the permutations come from a fixed seed).

:func:`simhash64` is the 64-bit alternative, kept for ``benchmarks/clusters.py``, which compares both
on the labelled copies (MinHash wins on trimmed copies: see docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np

NUM_PERM = 64
SHINGLE_WORDS = 5
#: texts with fewer shingles than this are too short to compare (a one-line brief): own cluster
MIN_SHINGLES = 12
_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script
_rng = np.random.Generator(np.random.PCG64(20261129))
_XOR = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_MUL = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_ROLL = np.uint64(0x9E3779B97F4A7C15)


@lru_cache(maxsize=200_000)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def words(text: str) -> list[str]:
    return _WORD.findall((text or "").casefold())


def shingles(text: str) -> np.ndarray:
    """The distinct 64-bit hashes of the text's 5-word shingles (fewer words: one shingle of all)."""
    tokens = words(text)
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.fromiter((_word_hash(w) for w in tokens), dtype=np.uint64, count=len(tokens))
    if len(hashes) < SHINGLE_WORDS:
        hashes = np.append(hashes, np.zeros(SHINGLE_WORDS - len(hashes), dtype=np.uint64))
    count = len(hashes) - SHINGLE_WORDS + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(SHINGLE_WORDS):
            combined = combined * _ROLL + hashes[offset:offset + count]
    return np.unique(combined)


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature (``NUM_PERM`` uint32), or ``None`` for a text too short to compare."""
    keys = shingles(text)
    if len(keys) < MIN_SHINGLES:
        return None
    with np.errstate(over="ignore"):
        mixed = (keys[:, None] ^ _XOR[None, :]) * _MUL[None, :]
    return (mixed.min(axis=0) >> np.uint64(32)).astype(np.uint32)


def to_stored(sig: np.ndarray | None) -> list[int] | None:
    """The signature as the ``fingerprint`` column holds it (a list, so pandas shows it)."""
    return sig.tolist() if sig is not None else None


def from_stored(value) -> np.ndarray | None:
    """A ``fingerprint`` value (list or array of ``NUM_PERM`` ints) as a signature, else ``None``."""
    if value is None or len(value) != NUM_PERM:
        return None
    return np.asarray(value, dtype=np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def jaccard(a: str, b: str) -> float:
    """The exact Jaccard similarity of two texts' shingle sets (for measuring the estimate)."""
    x, y = shingles(a), shingles(b)
    union = len(np.union1d(x, y))
    return len(np.intersect1d(x, y, assume_unique=True)) / union if union else 0.0


def simhash64(text: str) -> int:
    """A 64-bit SimHash of the shingles (the alternative measured in ``benchmarks/clusters.py``)."""
    keys = shingles(text)
    if not len(keys):
        return 0
    bits = ((keys[:, None] >> np.arange(64, dtype=np.uint64)[None, :]) & np.uint64(1)).astype(np.int32)
    votes = bits.sum(axis=0) * 2 - len(keys)
    return int(sum(1 << i for i in range(64) if votes[i] > 0))
