"""Near-duplicate clustering: accuracy on labelled copies of real texts, and the index at scale.

    python benchmarks/clusters.py [--stories 1000000] [--datasketch-stories 100000]

1. Accuracy (``tests.near_copies``: real story texts, their copies with partner-site and correction
   edits, distinct stories incl. same-topic pairs): pairwise precision and recall, and clusters that
   merge two distinct stories, for our MinHash index (the crawl's settings) and for a 64-bit SimHash
   at several Hamming radii (the alternative the fingerprint could have been).
2. Scale, one core: ``--stories`` synthetic stories (random signatures: distinct stories) assigned one
   by one as a crawl does (a lookup, then an insert), then copies of 1,000 of them looked up; memory of
   the index (its arrays, and the growth of the process, which includes the signatures' source array).
   The same with ``datasketch.MinHashLSH`` (same signatures and band layout) on
   ``--datasketch-stories`` when datasketch is installed (it is not a dependency).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.cluster_index import ClusterIndex, ClusterSettings  # noqa: E402
from pipelines.fingerprint import NUM_PERM, signature, simhash64  # noqa: E402
from tests.near_copies import labelled_set, pair_scores  # noqa: E402

CORPUS = Path(os.environ.get("WIRECRAWL_CORPUS") or ROOT.parent / "shared" / "corpus")
NOW = dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)


def accuracy() -> None:
    items = labelled_set(CORPUS)
    stories = len({item.story for item in items})
    print(f"labelled set: {len(items)} texts, {stories} stories "
          f"({sum(item.edit not in ('same', 'original') for item in items)} edited copies)")
    settings = ClusterSettings()
    index = ClusterIndex(settings)
    start = time.perf_counter()
    sigs = {item.key: signature(item.text) for item in items}
    fingerprint_ms = (time.perf_counter() - start) * 1000 / len(items)
    clusters = {item.key: index.assign(item.key, NOW, sigs[item.key]) for item in items}
    precision, recall, merged = pair_scores(items, clusters)
    print(f"  MinHash {NUM_PERM} x 32 bits, {settings.bands} bands, Jaccard >= {settings.threshold}: "
          f"precision {precision:.3f}, recall {recall:.3f}, merged clusters {merged} "
          f"({fingerprint_ms:.2f} ms a fingerprint)")
    hashes = {item.key: simhash64(item.text) for item in items}
    for radius in (3, 6, 10, 14):
        found: dict[str, str] = {}
        stored: list[tuple[int, str]] = []
        for item in items:
            value = hashes[item.key]
            match = next((cluster for other, cluster in stored
                          if bin(value ^ other).count("1") <= radius), None)
            found[item.key] = match or item.key
            stored.append((value, found[item.key]))
        precision, recall, merged = pair_scores(items, found)
        print(f"  SimHash 64 bits, Hamming <= {radius:2d}: precision {precision:.3f}, "
              f"recall {recall:.3f}, merged clusters {merged}")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def copy_of(sig: np.ndarray, rng: np.random.Generator, changed: float = 0.3) -> np.ndarray:
    out = sig.copy()
    where = rng.random(NUM_PERM) < changed
    out[where] = rng.integers(0, 2**32, int(where.sum()), dtype=np.uint64).astype(np.uint32)
    return out


def scale(count: int) -> None:
    rng = np.random.default_rng(1)
    sigs = rng.integers(0, 2**32, (count, NUM_PERM), dtype=np.uint64).astype(np.uint32)
    index = ClusterIndex()
    before = rss_mb()
    start = time.perf_counter()
    for n in range(count):
        index.assign(f"upi:{1_000_000_000_000 + n}", NOW + dt.timedelta(seconds=n), sigs[n])
    insert = time.perf_counter() - start
    grown = rss_mb() - before
    probes = rng.choice(count, 1000, replace=False)
    start = time.perf_counter()
    found = sum(index.match(copy_of(sigs[p], rng), NOW + dt.timedelta(seconds=int(p))) ==
                f"upi:{1_000_000_000_000 + p}" for p in probes)
    query = time.perf_counter() - start
    print(f"ours: {count:,} stories assigned at {count / insert:,.0f}/s (lookup + insert), "
          f"index {index.nbytes() / 1e6:,.0f} MB (process grew {grown:,.0f} MB); "
          f"copies (30% of the signature changed) found {found}/1000 at {1000 / query:,.0f} lookups/s")


def scale_datasketch(count: int) -> None:
    try:
        from datasketch import LeanMinHash, MinHashLSH
    except ImportError:
        print("datasketch: not installed (pip install datasketch) - skipped")
        return
    settings = ClusterSettings()
    rng = np.random.default_rng(1)
    sigs = rng.integers(0, 2**32, (count, NUM_PERM), dtype=np.uint64).astype(np.uint32)
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(settings.bands, settings.rows))
    before = rss_mb()
    start = time.perf_counter()
    for n in range(count):
        minhash = LeanMinHash(seed=1, hashvalues=sigs[n].astype(np.uint64), scheme="legacy")
        lsh.query(minhash)
        lsh.insert(str(n), minhash, check_duplication=False)
    insert = time.perf_counter() - start
    grown = rss_mb() - before
    print(f"datasketch MinHashLSH: {count:,} stories at {count / insert:,.0f}/s (query + insert), "
          f"process grew {grown:,.0f} MB ({grown * 1e6 / count:,.0f} bytes a story)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1_000_000)
    parser.add_argument("--datasketch-stories", type=int, default=100_000)
    args = parser.parse_args()
    if not (CORPUS / "aeb-dev").is_dir():
        print(f"corpus not found at {CORPUS} (set WIRECRAWL_CORPUS)", file=sys.stderr)
        return 1
    accuracy()
    scale(args.stories)
    scale_datasketch(args.datasketch_stories)
    return 0


if __name__ == "__main__":
    sys.exit(main())
