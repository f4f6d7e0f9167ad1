"""Checking the dataset, and moving damaged files out of the way (an fsck for the Parquet folder).

``python -m pipelines.check data/articles [--quarantine]``

A file under the dataset root that is not a readable data file of a known schema version (garbage bytes,
a truncated or empty file, a column missing or of another type, an editor's or the OS's stray file, a
directory named like a data file) would make ``pd.read_parquet(root)`` fail for the whole dataset. Such
a file is moved, with one rename, to ``<root>/_quarantine/<same relative path>.quarantined``: readers skip
underscore folders, nothing is deleted, and a person can look at it later. The stories it held are
fetched again when the feeds list them.

Exit status: 0 nothing wrong; 1 problems found and left in place; 3 problems found and quarantined.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import regex

from pipelines.commandline import Parser, dataset_folder, run
from pipelines.dataset import FILE_SCHEMA, PARTITION_COLUMNS, dataset_lock, id_problem, schema_version
from pipelines.exits import EXIT_FAILED, EXIT_OK, EXIT_QUARANTINED
from pipelines.progress import Progress, add_option, interval

logger = logging.getLogger(__name__)

#: Schema versions this code reads, and the columns each version lacks (added later).
_ADDED_IN_4 = frozenset({"publisher", "kicker", "headline_source"})
KNOWN_VERSIONS: dict[str, frozenset[str]] = {
    "1": frozenset({"published_source", "published_precision", "cluster_id", "fingerprint"}) | _ADDED_IN_4,
    "2": frozenset({"cluster_id", "fingerprint"}) | _ADDED_IN_4,
    "3": _ADDED_IN_4,
    "4": frozenset(),
}
QUARANTINE = "_quarantine"
#: appended to a quarantined entry's name, so no ``*.parquet`` glob matches it
QUARANTINED_SUFFIX = ".quarantined"
_DATA_FILE = regex.compile(r"^part-[\w.-]+\.parquet$")
#: Hidden entries that our own writers and compaction leave while they work (never touched here).
_OURS_HIDDEN = regex.compile(
    r"^\.(?:part-[\w.-]+\.parquet\.tmp|published_date=.*\.(?:compact|parked)-\w+|compacted-into|"
    r"\.compacted-into\.tmp)$")
_PARTITION = regex.compile(r"^source=[a-z0-9][a-z0-9_-]{0,40}$")
_DAY = regex.compile(r"^published_date=(\d{4}-\d\d-\d\d)$")
#: Underscore entries at the root: run records, locks, the queue, the quarantine.
_RESERVED = regex.compile(r"^_")


@dataclass(frozen=True)
class Problem:
    path: Path
    reason: str

    def line(self, root: Path) -> str:
        return f"{self.path.relative_to(root)}: {self.reason}"


def inspect_file(path: Path, *, deep: bool = False) -> str | None:
    """Why ``path`` is not a sound data file (``None`` if it is). The footer is read, and with
    ``deep`` every row: row count, and each row's day against its ``published_date`` folder."""
    if path.is_dir():
        return "a directory named like a data file"
    if not _DATA_FILE.match(path.name):
        return "not a data file (stray file)"
    try:
        if path.stat().st_size == 0:
            return "empty file (0 bytes)"
        meta = pq.read_metadata(path)
        schema = meta.schema.to_arrow_schema()
    except (OSError, pa.ArrowException) as exc:
        return f"unreadable: {_short(exc)}"
    version = schema_version(schema)
    if version not in KNOWN_VERSIONS:
        return f"unknown schema version {version!r} (this wirecrawl reads {sorted(KNOWN_VERSIONS)})"
    if b"pandas" in (schema.metadata or {}):
        return "pandas metadata (a reader would make a column of it the index)"
    names = set(schema.names)
    extra = [name for name in schema.names if name not in FILE_SCHEMA.names]
    if extra:
        shown = ", ".join(repr(name[:40]) for name in extra[:3]) + (" ..." if len(extra) > 3 else "")
        partition = " (a partition key stored as a column)" if set(extra) & set(PARTITION_COLUMNS) else ""
        return f"{len(extra)} column(s) not in the schema{partition}: {shown}"
    for expected in FILE_SCHEMA:
        if expected.name not in names:
            if expected.name in KNOWN_VERSIONS[version]:
                continue
            return f"column {expected.name!r} missing"
        found = schema.field(expected.name).type
        if found != expected.type:
            return f"column {expected.name!r} is {found}, expected {expected.type}"
    try:
        problem = id_problem(pq.read_table(path, columns=["id"]).column("id"))
    except (OSError, pa.ArrowException) as exc:
        return f"unreadable ids: {_short(exc)}"
    if problem:
        return problem
    if deep:
        return _inspect_rows(path, meta.num_rows)
    return None


def _inspect_rows(path: Path, rows: int) -> str | None:
    try:
        table = pq.read_table(path, columns=["published_at", "fetched_at"])
    except (OSError, pa.ArrowException) as exc:
        return f"unreadable rows: {_short(exc)}"
    if table.num_rows != rows:
        return f"{table.num_rows} rows read, the footer says {rows}"
    day = _DAY.match(path.parent.name)
    if day is None:
        return None
    folder_day = dt.date.fromisoformat(day.group(1))
    for published, fetched in zip(table.column("published_at").to_pylist(),
                                  table.column("fetched_at").to_pylist(), strict=True):
        when = published or fetched
        if when is not None and when.astimezone(dt.timezone.utc).date() != folder_day:
            return f"a row of {when.date()} in the folder of {folder_day}"
    return None


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__


def scan(root: str | os.PathLike[str], *, deep: bool = False,
         progress: Progress | None = None) -> list[Problem]:
    """Every entry under ``root`` that readers would trip on. Underscore folders (run records, locks,
    the queue, the quarantine) and our own hidden work files are not looked at."""
    base = Path(root)
    problems: list[Problem] = []
    if not base.is_dir():
        return problems
    if progress is not None:
        progress.stage("", sum(1 for _ in base.glob("source=*/published_date=*")), "partitions",
                       note=lambda: f"{len(problems)} problems")
    for source in _folders(base, _RESERVED, _PARTITION, "source folder", problems):
        for day in _folders(source, _OURS_HIDDEN, _DAY, "publication-day folder", problems):
            for item in sorted(day.iterdir()):
                if _OURS_HIDDEN.match(item.name):
                    continue
                reason = inspect_file(item, deep=deep)
                if reason:
                    problems.append(Problem(item, reason))
            if progress is not None:
                progress.step()
    return problems


def _folders(parent: Path, skip: regex.Pattern[str], expected: regex.Pattern[str], what: str,
             problems: list[Problem]) -> Iterator[Path]:
    """The folders of ``parent`` named as ``expected``; any other entry not ``skip``ped is a problem."""
    for entry in sorted(parent.iterdir()):
        if skip.match(entry.name):
            continue
        if entry.is_dir() and expected.match(entry.name):
            yield entry
        else:
            problems.append(Problem(entry, f"not a {what} (stray entry)"))


def quarantine(root: str | os.PathLike[str], path: Path) -> Path:
    """Move ``path`` to ``<root>/_quarantine/<its relative path>.quarantined`` with one rename (``.1``,
    ``.2``, ... added if that name is taken); the destination. The suffix keeps the damaged file out of
    the ``**/*.parquet`` globs other readers (DuckDB, Polars) are often given, which would fail on it."""
    base = Path(root)
    relative = path.relative_to(base)
    target = base / QUARANTINE / relative.with_name(relative.name + QUARANTINED_SUFFIX)
    target.parent.mkdir(parents=True, exist_ok=True)
    candidate, n = target, 1
    while candidate.exists():
        candidate = target.with_name(f"{target.name}.{n}")
        n += 1
    os.rename(path, candidate)
    return candidate


def quarantine_damaged(root: str | os.PathLike[str], *, deep: bool = False,
                       progress: Progress | None = None) -> list[Problem]:
    """Find what readers would trip on and move it to the quarantine, one ERROR line each; the
    problems found (those that could not be moved are logged too, and stay listed)."""
    base = Path(root)
    if not base.is_dir():
        return []
    with dataset_lock(base, exclusive=True):
        problems = scan(base, deep=deep, progress=progress)
        for problem in problems:
            try:
                moved = quarantine(base, problem.path)
            except OSError as exc:
                logger.error("dataset file %s is damaged (%s) and could not be quarantined: %s",
                             problem.path, problem.reason, exc.strerror)
                continue
            logger.error("dataset file %s is damaged (%s): moved to %s; its stories will be fetched "
                         "again", problem.path, problem.reason, moved)
    return problems


def main(argv: list[str] | None = None, prog: str = "python -m pipelines.check") -> int:
    parser = Parser(prog=prog, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=dataset_folder, help="dataset folder, e.g. data/articles")
    parser.add_argument("--quarantine", action="store_true",
                        help="move every damaged file to <root>/_quarantine/")
    add_option(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    root = args.root
    progress = Progress("check", interval(args.progress))
    if args.quarantine:
        problems = quarantine_damaged(root, deep=True, progress=progress)
    else:
        problems = scan(root, deep=True, progress=progress)
        for problem in problems:
            print(f"damaged: {problem.line(root)}")
    files = sum(1 for _ in root.glob("source=*/published_date=*/part-*.parquet"))
    from pipelines.compact import interrupted  # compaction imports this module

    hidden = interrupted(root)
    for folder in hidden:
        print(f"not readable: {folder.relative_to(root)} holds the only copy of its partition (a "
              f"compaction was killed mid-swap); run python -m pipelines.compact {root} to put it back")
    from pipelines.cluster_index import interrupted_recompute

    mixed = interrupted_recompute(root)
    if mixed:
        print(f"not finished: a cluster recompute was interrupted (stories hold clusters of two passes); "
              f"run python -m pipelines.clusters {root} again")
    if (hidden or mixed) and not problems:
        return EXIT_FAILED
    if not problems:
        print(f"{root}: {files} data files, all sound")
        return EXIT_OK
    verb = "quarantined" if args.quarantine else "found (run with --quarantine to move them)"
    print(f"{root}: {len(problems)} damaged entries {verb}; {files} data files remain")
    return EXIT_QUARANTINED if args.quarantine else EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(run(main))
