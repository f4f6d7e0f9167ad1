"""Compaction: one file per partition, one row per story (its newest version).

``python -m pipelines.compact data/articles [--source upi]``

Each partition is rebuilt in a hidden sibling folder and swapped with the live one in a single atomic
``renameat2(RENAME_EXCHANGE)`` (Linux), so a reader lists either all the old files or the one new file:
never a partition with rows missing or doubled. Where the exchange is unavailable (the NFS client, other
systems) the live folder is parked first and the new one moved in: between the two renames the partition
is briefly absent, never lost. Before either swap the old folder is marked with the name of the file
that replaces it (``.compacted-into``), so the next compaction (:func:`sweep`) can always tell a
folder of superseded files (remove it) from the only copy of a partition (put it back, or merge it into
a folder a crawl has since begun). Crawls write under a shared lock and compaction takes it
exclusively per partition, so no file written meanwhile is lost.
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

from pipelines import progress as progress_lines
from pipelines.check import QUARANTINE, quarantine_damaged
from pipelines.clusters import fill_missing
from pipelines.commandline import Parser, dataset_folder, run, unwritable
from pipelines.dataset import (
    FILE_SCHEMA,
    SCHEMA_VERSION,
    dataset_lock,
    file_schema_version,
    write_table,
)
from pipelines.durable import fsync_dir, temp_name, write_atomic
from pipelines.exits import EXIT_FAILED, EXIT_OK, EXIT_QUARANTINED
from pipelines.sites import SITES

logger = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2
#: in a partition folder about to be replaced: the name of the file replacing it (see :func:`sweep`)
MARKER = ".compacted-into"
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
    os.rename(b, parked)  # a kill from here to the next rename: sweep() puts ``parked`` back
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
    new_file = work / f"part-compact-{stamp}-{secrets.token_hex(3)}.parquet"
    write_table(merged.sort_by([("published_at", "ascending"), ("id", "ascending")]), new_file)
    write_atomic(folder / MARKER, new_file.name)
    try:
        _exchange(work, folder)
    except OSError:
        (folder / MARKER).unlink(missing_ok=True)
        raise
    shutil.rmtree(work, ignore_errors=True)
    return Result(folder.name, len(files), table.num_rows, merged.num_rows)


def _leftovers(root: Path) -> list[Path]:
    return sorted(list(root.glob("source=*/.*.compact-*")) + list(root.glob("source=*/.*.parked-*")))


def _live_of(leftover: Path) -> Path:
    """``source=x/.published_date=D.parked-abc`` -> ``source=x/published_date=D``."""
    return leftover.with_name(leftover.name[1:].rsplit(".", 1)[0])


def _superseded_by(folder: Path) -> str | None:
    try:
        return (folder / MARKER).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def sweep(root: Path) -> int:
    """Settle what interrupted compactions left; returns how many leftovers it settled.

    A hidden folder without the marker is a new file never swapped in: removed (its partition is
    untouched). One with it holds the old files: removed when the live folder holds the file that
    replaced them; put back when the live folder is missing (killed between the two plain renames);
    its files moved into the live folder when a crawl has begun a new one meanwhile. A marker left in
    a live folder by a compaction killed before its swap is removed."""
    settled = 0
    for leftover in _leftovers(root):
        live = _live_of(leftover)
        replacement = _superseded_by(leftover)
        if replacement is None or (live / replacement).exists():
            shutil.rmtree(leftover, ignore_errors=True)
        elif not live.exists():
            (leftover / MARKER).unlink()
            os.rename(leftover, live)
            logger.warning("%s was missing (a compaction was killed mid-swap); put back from %s",
                           live, leftover.name)
        else:
            for file in sorted(leftover.glob("*.parquet")):
                os.rename(file, live / file.name)
            fsync_dir(live)
            shutil.rmtree(leftover, ignore_errors=True)
            logger.warning("%s: the files of an interrupted compaction moved back in", live)
        settled += 1
    for marker in root.glob(f"source=*/published_date=*/{MARKER}"):  # a swap never made
        marker.unlink(missing_ok=True)
    for half in root.glob(f"source=*/published_date=*/{temp_name(Path(MARKER))}"):  # killed writing it
        half.unlink(missing_ok=True)
    return settled


def interrupted(root: str | os.PathLike[str]) -> list[Path]:
    """Hidden folders holding the only copy of stories (an interrupted fallback swap): for
    :mod:`pipelines.check`, since readers do not see them until the next compaction puts them back."""
    return [leftover for leftover in _leftovers(Path(root))
            if (replacement := _superseded_by(leftover)) is not None
            and not (_live_of(leftover) / replacement).exists()]


def compact(root: str | os.PathLike[str], source: str | None = None) -> list[Result]:
    """Compact every partition (of ``source``); damaged files are quarantined first
    (:func:`pipelines.check.quarantine_damaged`), so one bad file never blocks its partition."""
    quarantine_damaged(root)
    return compact_partitions(root, source)


def compact_partitions(root: str | os.PathLike[str], source: str | None = None,
                       progress: progress_lines.Progress | None = None) -> list[Result]:
    """Sweep what interrupted compactions left, then rebuild each partition that needs it."""
    base = Path(root)
    results: list[Result] = []
    with dataset_lock(base, exclusive=True):
        swept = sweep(base)
    if swept:
        logger.info("removed %d folders left by interrupted compactions", swept)
    pattern = f"source={source}/published_date=*" if source else "source=*/published_date=*"
    folders = [folder for folder in sorted(base.glob(pattern)) if folder.is_dir()]
    if progress is not None:
        progress.stage("", len(folders), "partitions", note=lambda: (
            f"{len(results):,} compacted, {sum(r.rows_before - r.rows_after for r in results):,} "
            "superseded rows dropped"))
    for folder in folders:
        with dataset_lock(base, exclusive=True):
            result = compact_partition(folder)
        if result:
            results.append(result)
        if progress is not None:
            progress.step()
    return results


def main(argv: list[str] | None = None, prog: str = "python -m pipelines.compact") -> int:
    parser = Parser(prog=prog, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=dataset_folder, help="dataset folder, e.g. data/articles")
    parser.add_argument("--source", help="only this source's partitions")
    parser.add_argument("--quiet", action="store_true",
                        help="print nothing when all went well (for cron: mail only what went wrong)")
    progress_lines.add_option(parser)
    args = parser.parse_args(argv)
    root = args.root
    if args.source is not None:
        known = sorted({*SITES, "wire", *(p.name.removeprefix("source=") for p in root.glob("source=*"))})
        if args.source not in known:
            parser.error(f"--source {args.source!r} is no source; the sources are: {', '.join(known)}")
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(levelname)s %(message)s")
    progress = progress_lines.Progress("compact", progress_lines.interval(args.progress))
    try:
        damaged = quarantine_damaged(root)
        results = compact_partitions(root, args.source, progress)
    except OSError as exc:  # a read-only or full filesystem: nothing already there is lost
        print(f"error: {unwritable(exc, root)}", file=sys.stderr)
        return EXIT_FAILED
    if not args.quiet:
        for r in results:
            print(f"{r.partition}: {r.files_before} files, {r.rows_before} rows -> 1 file, "
                  f"{r.rows_after} rows")
        print(f"compacted {len(results)} partitions; "
              f"{sum(r.rows_before - r.rows_after for r in results)} superseded rows dropped")
    if damaged:
        print(f"{len(damaged)} damaged dataset entries moved to {root / QUARANTINE}", file=sys.stderr)
        return EXIT_QUARANTINED
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(run(main))
