"""The Parquet dataset: one explicit schema, hive partitions, files that appear whole or not at all.

Layout: ``<root>/source=<source>/published_date=<YYYY-MM-DD>/part-<run>-<seq>.parquet``. A file is
written under a dot-prefixed temporary name (which pyarrow and pandas skip), flushed to disk and then
renamed, so a reader, a crash or ``kill -9`` never meets a partial file. The dataset itself is the record
of what is stored: incremental runs read its ``id`` column.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401 - pa.compute
import pyarrow.parquet as pq
import regex

from pipelines.durable import write_atomic
from pipelines.idset import KnownIds, id_hash
from pipelines.version import parser_version

#: 2: ``published_source`` and ``published_precision`` added, ``published_at`` may be null (a story
#: with no date at all, filed under the day it was fetched). 3: ``cluster_id`` and ``fingerprint``.
#: 4: ``publisher``, ``kicker`` and ``headline_source``. Files of older versions stay readable (the
#: columns they lack read as null); compaction rewrites them in the current schema.
SCHEMA_VERSION = "4"
_TS = pa.timestamp("us", tz="UTC")

#: The columns stored in every file, in order. ``source`` and ``published_date`` are the partition
#: keys: they live in the directory names and come back as columns when the dataset is read.
FILE_SCHEMA = pa.schema([
    pa.field("id", pa.string(), nullable=False),
    pa.field("url", pa.string(), nullable=False),
    pa.field("headline", pa.string(), nullable=False),
    pa.field("description", pa.string()),
    pa.field("body", pa.string(), nullable=False),
    pa.field("authors", pa.list_(pa.string()), nullable=False),
    pa.field("byline", pa.string()),
    pa.field("agency", pa.string()),
    pa.field("contributors", pa.list_(pa.string()), nullable=False),
    pa.field("published_at", _TS),
    pa.field("published_source", pa.string()),
    pa.field("published_precision", pa.string()),
    pa.field("modified_at", _TS),
    pa.field("fetched_at", _TS, nullable=False),
    pa.field("dateline", pa.string()),
    pa.field("dateline_city", pa.string()),
    pa.field("dateline_region", pa.string()),
    pa.field("dateline_country", pa.string()),
    pa.field("dateline_country_code", pa.string()),
    pa.field("dateline_date", pa.date32()),
    pa.field("section", pa.string()),
    pa.field("tags", pa.list_(pa.string()), nullable=False),
    pa.field("language", pa.string()),
    pa.field("word_count", pa.int32(), nullable=False),
    pa.field("image_url", pa.string()),
    # schema 3: near-duplicate clusters (pipelines.clusters); null in rows written before it
    pa.field("cluster_id", pa.string()),
    pa.field("fingerprint", pa.list_(pa.uint32(), 64)),
    # schema 4: the publication, the kicker set apart from the headline, where the headline came from;
    # null in rows written before it
    pa.field("publisher", pa.string()),
    pa.field("kicker", pa.string()),
    pa.field("headline_source", pa.string()),
])
PARTITION_COLUMNS = ("source", "published_date")
_SAFE_VALUE = regex.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")


@lru_cache(maxsize=1)
def _versions() -> dict[bytes, bytes]:
    """Schema and tool versions for every file's metadata (looked up once per process)."""
    versions = {b"wirecrawl.schema_version": SCHEMA_VERSION.encode(),
                b"wirecrawl.parser_version": parser_version().encode()}
    for package in ("wirecrawl", "scrapy", "trafilatura", "pyarrow"):
        try:
            versions[f"wirecrawl.version.{package}".encode()] = metadata.version(package).encode()
        except metadata.PackageNotFoundError:
            continue
    return versions


def new_run_id(now: dt.datetime | None = None) -> str:
    """A name unique to one run (time, process, randomness), used in every file it writes."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{os.getpid()}-{secrets.token_hex(3)}"


def run_id_of(run: Any) -> str:
    """The id of the run ``run`` stands for (a Scrapy crawler: every component of one crawl gets the
    same), named in every file it writes and its worker name in a distributed crawl; made by whichever
    component asks first and kept on ``run``."""
    if getattr(run, "wirecrawl_run_id", None) is None:
        run.wirecrawl_run_id = new_run_id()
    return run.wirecrawl_run_id


def partition_day(row: dict[str, Any]) -> dt.date:
    """The ``published_date`` a row is filed under: the UTC day of ``published_at``, or for a story
    with no date at all, the day it was fetched (its ``published_at`` stays null)."""
    when = row.get("published_at") or row["fetched_at"]
    return when.astimezone(dt.timezone.utc).date()


def schema_version(schema: pa.Schema) -> str | None:
    """The ``wirecrawl.schema_version`` a file's schema carries (``None`` if it says none)."""
    value = (schema.metadata or {}).get(b"wirecrawl.schema_version")
    return value.decode() if value else None


def file_schema_version(path: str | os.PathLike[str]) -> str | None:
    """The schema version a data file was written with."""
    return schema_version(pq.read_schema(path))


def partition_dir(root: str | os.PathLike[str], source: str, day: dt.date) -> Path:
    """The directory of one partition; ``source`` must be a plain lower-case name."""
    if not _SAFE_VALUE.match(source):
        raise ValueError(f"unsafe source name {source!r}")
    return Path(root) / f"source={source}" / f"published_date={day.isoformat()}"


@contextlib.contextmanager
def file_lock(path: Path, *, exclusive: bool) -> Iterator[None]:
    """``flock`` on ``path`` (created with its folder) for the duration of the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def dataset_lock(root: str | os.PathLike[str], *, exclusive: bool) -> contextlib.AbstractContextManager[None]:
    """Writers share it; compaction takes it alone, so a file written meanwhile is never swept away.

    The lock file ``_wirecrawl.lock`` is invisible to readers (leading underscore).
    """
    return file_lock(Path(root) / "_wirecrawl.lock", exclusive=exclusive)


def try_run_lock(root: str | os.PathLike[str], source: str):
    """An open handle holding ``<root>/_locks/<source>.lock`` exclusively, or ``None`` when another
    run holds it. The lock lives as long as the handle (the process, if it is simply kept)."""
    folder = Path(root) / "_locks"
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / f"{source}.lock", "a+b")  # noqa: SIM115 - held for the whole run
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def write_table(table: pa.Table, final: Path) -> Path:
    """Write ``table`` to ``final`` whole or not at all (:func:`pipelines.durable.write_atomic`), with
    the schema and parser versions in its metadata."""
    return write_atomic(final, lambda handle: pq.write_table(
        table.replace_schema_metadata(_versions()), handle, compression="zstd"))


def write_rows(
    root: str | os.PathLike[str], rows: Iterable[dict[str, Any]], run_id: str, seq: int
) -> list[Path]:
    """Write rows as one file per partition; returns the paths, each complete on disk."""
    groups: dict[tuple[str, dt.date], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["source"], partition_day(row))].append(row)
    written: list[Path] = []
    stored: list[dict[str, Any]] = []
    with dataset_lock(root, exclusive=False):
        for (source, day), group in sorted(groups.items()):
            folder = partition_dir(root, source, day)
            try:
                folder.mkdir(parents=True, exist_ok=True)
                written.append(write_table(_table(group), folder / f"part-{run_id}-{seq:05d}.parquet"))
            except OSError as exc:
                if written:  # the files before it are stored: the caller must count them so
                    raise PartlyWritten(exc, written, stored) from exc
                raise
            stored.extend(group)
    return written


class PartlyWritten(OSError):
    """A write that failed after some of its files were stored: ``paths`` and their ``rows`` are in
    the dataset (the caller counts them as stored, the rest as lost)."""

    def __init__(self, cause: OSError, paths: list[Path], rows: list[dict[str, Any]]) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause), cause.filename)
        self.paths, self.rows = paths, rows


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist([{k: row.get(k) for k in FILE_SCHEMA.names} for row in rows],
                                schema=FILE_SCHEMA)


_UNSTORABLE = (pa.ArrowException, UnicodeError, ValueError, TypeError, OverflowError, KeyError)


def split_storable(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[tuple[dict, str]]]:
    """(rows the file schema accepts, [(row, reason)] for those it does not). One conversion of the
    whole batch when all is well; row by row only when it fails, so one bad row never costs the others."""
    try:
        _table(rows)
        for row in rows:
            partition_dir("/", row["source"], partition_day(row))
        return rows, []
    except _UNSTORABLE:
        pass
    good: list[dict[str, Any]] = []
    bad: list[tuple[dict, str]] = []
    for row in rows:
        try:
            _table([row])
            partition_dir("/", row["source"], partition_day(row))
        except _UNSTORABLE as exc:
            bad.append((row, f"{type(exc).__name__}: {exc}"[:500]))
        else:
            good.append(row)
    return good, bad


def set_aside(root: str | os.PathLike[str], rejected: list[tuple[dict, str]], run_id: str,
              seq: int) -> Path | None:
    """Keep rows the dataset cannot hold in ``<root>/_setaside/<run>-<seq>.jsonl`` (escaped JSON, one
    row and its reason a line), for a person to look at; ``None`` if there were none."""
    if not rejected:
        return None
    folder = Path(root) / "_setaside"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"reason": reason, "row": {k: v for k, v in row.items() if not k.startswith("_")}},
                        default=str, ensure_ascii=True) for row, reason in rejected]
    return write_atomic(folder / f"{run_id}-{seq:05d}.jsonl", "\n".join(lines) + "\n")


def latest(frame: pd.DataFrame) -> pd.DataFrame:
    """The newest version of every story: ``frame.sort_values(["modified_at", "fetched_at"],
    na_position="first").drop_duplicates("id", keep="last")`` (compaction keeps the same rows)."""
    return frame.sort_values(["modified_at", "fetched_at"], na_position="first").drop_duplicates(
        "id", keep="last")


def data_files(root: str | os.PathLike[str], source: str | None = None) -> list[Path]:
    """The committed data files (temporary and hidden files excluded), sorted."""
    base = Path(root)
    if source is not None:
        base = base / f"source={source}"
    if not base.is_dir():
        return []
    return sorted(
        p for p in base.rglob("*.parquet")
        if not any(part.startswith((".", "_")) for part in p.relative_to(root).parts)
    )


def id_problem(ids: pa.ChunkedArray | pa.Array) -> str | None:
    """Why a file's ``id`` column breaks the dataset's contract (a null, or a story twice in one file:
    every run would fetch and store it again), or ``None``."""
    if ids.null_count:
        return f"{ids.null_count} row(s) with a null id"
    if len(ids) and pa.compute.count_distinct(ids).as_py() != len(ids):
        return "the same id twice in one file"
    return None


def read_ids(root: str | os.PathLike[str] | None, source: str) -> tuple[KnownIds, list[Path]]:
    """(the stored ids of ``source`` with when each was last fetched, files that could not be read).

    Compact (16 bytes a story) however large the dataset; a bad file never hides the rest: its
    stories are simply fetched again.
    """
    hashes: list[np.ndarray] = []
    times: list[np.ndarray] = []
    unreadable: list[Path] = []
    for path in data_files(root, source) if root else []:
        try:
            table = pq.read_table(path, columns=["id", "fetched_at"])
        except (OSError, pa.ArrowException):
            unreadable.append(path)
            continue
        if table.column("id").null_count:  # never trusted half: check --quarantine moves it aside
            unreadable.append(path)
            continue
        hashes.append(np.fromiter((id_hash(i) for i in table.column("id").to_pylist()),
                                  dtype=np.uint64, count=table.num_rows))
        fetched = table.column("fetched_at").cast(pa.int64()).fill_null(0)
        times.append(fetched.to_numpy())
    if not hashes:
        return KnownIds(np.empty(0, np.uint64), np.empty(0, np.int64)), unreadable
    return KnownIds(np.concatenate(hashes), np.concatenate(times)), unreadable


def ids_in_run(root: str | os.PathLike[str], source: str, run_id: str) -> set[str]:
    """The story ids in the files one run wrote (``part-<run id>-*.parquet``); unreadable files
    count as holding nothing."""
    ids: set[str] = set()
    for path in data_files(root, source):
        if path.name.startswith(f"part-{run_id}-"):
            try:
                ids.update(pq.read_table(path, columns=["id"]).column("id").to_pylist())
            except (OSError, pa.ArrowException):
                continue
    return ids


def cleanup_temp_files(root: str | os.PathLike[str], older_than: dt.timedelta) -> int:
    """Remove temporary files that crashed runs left behind; how many. When no writer holds the
    dataset lock, none is writing: every one is a dead run's, whatever its age; otherwise only those
    older than ``older_than`` are taken for such."""
    base = Path(root)
    if not base.is_dir():
        return 0
    removed = 0
    with _unless_locked(base / "_wirecrawl.lock") as alone:
        limit = float("inf") if alone else dt.datetime.now().timestamp() - older_than.total_seconds()
        for temp in base.rglob(".part-*.parquet.tmp"):
            try:
                if temp.stat().st_mtime < limit:
                    temp.unlink()
                    removed += 1
            except OSError:
                continue
    return removed


@contextlib.contextmanager
def _unless_locked(path: Path) -> Iterator[bool]:
    """The lock at ``path`` held exclusively for the block if no one holds it (``True``), else not
    waited for (``False``)."""
    try:
        handle = open(path, "a+b")  # noqa: SIM115 - closed below
    except OSError:
        yield False
        return
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
