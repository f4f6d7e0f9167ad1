"""Compaction: one file per partition, one row per story (its newest version).

``python -m pipelines.compact data/articles [--source upi]``

Each partition is rebuilt in a hidden sibling folder and swapped with the live one in a single atomic
``renameat2(RENAME_EXCHANGE)`` (Linux), so a reader lists either all the old files or the one new file:
never a partition with rows missing or doubled. A crash before the swap leaves the old files untouched;
after it, only a hidden folder of old files to sweep. Crawls write under a shared lock and compaction
takes it exclusively per partition, so no file written meanwhile is lost.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import datetime as dt
import logging
import os
import secrets
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.check import EXIT_QUARANTINED, QUARANTINE, quarantine_damaged
from pipelines.clusters import fill_missing
from pipelines.dataset import (
    FILE_SCHEMA,
    SCHEMA_VERSION,
    dataset_lock,
    file_schema_version,
    write_table,
)

logger = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass
class Result:
    partition: str
    files_before: int
    rows_before: int
    rows_after: int


def latest_versions(table: pa.Table) -> pa.Table:
    """One row per ``id``: the newest ``modified_at`` (a row without one loses to any with one),
    then the newest ``fetched_at``. The same rule as :func:`pipelines.dataset.latest`."""
    if table.num_rows == 0:
        return table
    ordered = table.sort_by([("id", "ascending"), ("modified_at", "descending"),
                             ("fetched_at", "descending")])
    ids = ordered.column("id").to_numpy(zero_copy_only=False)
    first = np.ones(len(ids), dtype=bool)
    first[1:] = ids[1:] != ids[:-1]
    return ordered.filter(pa.array(first))


def _exchange(a: Path, b: Path) -> None:
    """Swap two directories atomically (Linux renameat2); elsewhere two renames, a brief gap."""
    libc_name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(libc_name, use_errno=True) if libc_name else None
    renameat2 = getattr(libc, "renameat2", None) if libc else None
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return
        errno = ctypes.get_errno()
        if errno not in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: fall back
            raise OSError(errno, os.strerror(errno), str(a))
    parked = b.with_name(f".{b.name}.parked-{secrets.token_hex(3)}")
    os.rename(b, parked)
    os.rename(a, b)
    os.rename(parked, a)


def compact_partition(folder: Path) -> Result | None:
    """Rebuild one partition folder; ``None`` when it is already compact (one file, one row per story,
    the current schema) or cannot be read whole. Files of an older schema get the new columns, null."""
    files = sorted(p for p in folder.glob("*.parquet") if not p.name.startswith((".", "_")))
    if not files:
        return None
    try:
        tables = [pq.read_table(p, schema=FILE_SCHEMA) for p in files]
    except (OSError, pa.ArrowException) as exc:
        logger.error("%s: a file is unreadable (%s); partition left as it is", folder, exc)
        return None
    table = pa.concat_tables(tables)
    merged = fill_missing(latest_versions(table))
    if len(files) == 1 and merged.num_rows == table.num_rows \
            and file_schema_version(files[0]) == SCHEMA_VERSION:
        return None
    work = folder.with_name(f".{folder.name}.compact-{secrets.token_hex(4)}")
    work.mkdir()
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    write_table(merged.sort_by([("published_at", "ascending"), ("id", "ascending")]),
                work / f"part-compact-{stamp}-{secrets.token_hex(3)}.parquet")
    _exchange(work, folder)
    shutil.rmtree(work, ignore_errors=True)
    return Result(folder.name, len(files), table.num_rows, merged.num_rows)


def sweep(root: Path) -> int:
    """Remove what interrupted compactions left: hidden ``.compact-``/``.parked-`` folders."""
    removed = 0
    for leftover in list(root.glob("source=*/.*.compact-*")) + list(root.glob("source=*/.*.parked-*")):
        shutil.rmtree(leftover, ignore_errors=True)
        removed += 1
    return removed


def compact(root: str | os.PathLike[str], source: str | None = None) -> list[Result]:
    """Compact every partition (of ``source``); damaged files are quarantined first
    (:func:`pipelines.check.quarantine_damaged`), so one bad file never blocks its partition."""
    quarantine_damaged(root)
    return compact_partitions(root, source)


def compact_partitions(root: str | os.PathLike[str], source: str | None = None) -> list[Result]:
    """Sweep what interrupted compactions left, then rebuild each partition that needs it."""
    base = Path(root)
    results: list[Result] = []
    with dataset_lock(base, exclusive=True):
        swept = sweep(base)
    if swept:
        logger.info("removed %d folders left by interrupted compactions", swept)
    pattern = f"source={source}/published_date=*" if source else "source=*/published_date=*"
    for folder in sorted(base.glob(pattern)):
        if not folder.is_dir():
            continue
        with dataset_lock(base, exclusive=True):
            result = compact_partition(folder)
        if result:
            results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.compact", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", help="dataset folder, e.g. data/articles")
    parser.add_argument("--source", help="only this source's partitions")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    if not Path(args.root).is_dir():
        print(f"error: no dataset at {args.root}; give the dataset folder (e.g. data/articles)",
              file=sys.stderr)
        return 2
    damaged = quarantine_damaged(args.root)
    results = compact_partitions(args.root, args.source)
    for r in results:
        print(f"{r.partition}: {r.files_before} files, {r.rows_before} rows -> 1 file, "
              f"{r.rows_after} rows")
    print(f"compacted {len(results)} partitions; "
          f"{sum(r.rows_before - r.rows_after for r in results)} superseded rows dropped")
    if damaged:
        print(f"{len(damaged)} damaged dataset entries moved to {Path(args.root) / QUARANTINE}")
        return EXIT_QUARANTINED
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
