"""What the crawls did lately and how complete the data is.

``python -m pipelines.report data/articles [--runs 15] [--days 14]``

Prints the recent run records (``_runs/*.json``) and, per day and source, how many stories there are and
the share missing authors, a dateline or ``published_at`` (newest version of each story), so a template
change shows up as a jump in a column.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from pipelines.check import scan
from pipelines.commandline import Parser, dataset_folder, option, run
from pipelines.compact import latest_versions
from pipelines.config import whole
from pipelines.dataset import FILE_SCHEMA, data_files
from pipelines.durable import write_atomic
from pipelines.exits import EXIT_FAILED, EXIT_OK

#: What the report reads: every file's columns (older files get the newer ones as nulls) + partitions.
READ_SCHEMA = pa.schema([*FILE_SCHEMA, pa.field("source", pa.string()),
                         pa.field("published_date", pa.string())])


def run_status(record: dict) -> str:
    """The record's status; a run still ``running`` whose process is gone was killed outright
    (SIGKILL, power loss): its record was reserved when it started and never finished."""
    status = str(record.get("status"))
    if status == "running" and record.get("host") == socket.gethostname() and record.get("pid"):
        try:
            os.kill(int(record["pid"]), 0)
        except ProcessLookupError:
            return "killed"
        except (PermissionError, ValueError, OverflowError):
            pass
    return status


def run_records(root: Path) -> list[dict]:
    """Every readable run record (``_runs/*.json``), oldest first."""
    records = []
    for path in sorted((root / "_runs").glob("*.json")):
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(record, dict):
            records.append(record)
    return sorted(records, key=lambda record: str(record.get("start_time", "")))


def runs_table(root: Path, limit: int, records: list[dict] | None = None) -> pd.DataFrame:
    rows = []
    for record in run_records(root) if records is None else records:
        counts = record.get("counts", {})
        rows.append({
            "start": str(record.get("start_time", ""))[:19],
            "spider": record.get("spider"),
            "status": run_status(record),
            "new": counts.get("new", 0),
            "updated": counts.get("updated", 0),
            "known": counts.get("known", 0),
            "dropped": sum((counts.get("dropped") or {}).values()),
            "errors": counts.get("errors", 0),
            "files": len(record.get("files_written") or []),
            "why": ", ".join(record.get("failure_reasons") or []),
        })
    frame = pd.DataFrame(rows)
    return frame.sort_values("start").tail(limit) if not frame.empty else frame


#: What is read of each stored row: no text, only what the tables and charts count (a 1,000,000-row
#: dataset costs about 100 MB); ``authors`` and ``dateline`` become flags as each batch is read.
STORY_COLUMNS = ["id", "source", "published_date", "published_at", "published_source",
                 "published_precision", "modified_at", "fetched_at", "cluster_id", "authors", "dateline"]


def read_dataset(root: Path, skip: frozenset[Path] = frozenset()) -> ds.Dataset | None:
    """The dataset's data files (but those in ``skip``) as one pyarrow dataset of every schema
    version (older files get the newer columns as nulls), partition columns included; ``None`` if
    there is no file."""
    files = [str(p) for p in data_files(root) if p not in skip]
    if not files:
        return None
    return ds.dataset(files, format="parquet", partitioning=ds.partitioning(flavor="hive"),
                      partition_base_dir=str(root), schema=READ_SCHEMA)


_STORY_SCHEMA = pa.schema([READ_SCHEMA.field(name) for name in STORY_COLUMNS[:-2]]
                          + [pa.field(flag, pa.bool_()) for flag in
                             ("no_authors", "no_dateline", "no_published_at")])


def stories(root: Path, skip: frozenset[Path] = frozenset()) -> pa.Table:
    """The newest version of every stored story (files in ``skip``, the damaged ones, left out), with
    ``no_authors``, ``no_dateline`` and ``no_published_at`` flags in place of those columns."""
    dataset = read_dataset(root, skip)
    if dataset is None:
        return _STORY_SCHEMA.empty_table()
    parts = []
    for batch in dataset.to_batches(columns=STORY_COLUMNS):
        table = pa.Table.from_batches([batch])
        authors = pc.fill_null(pc.list_value_length(table["authors"]), 0)
        table = table.drop_columns(["authors", "dateline"]).append_column(
            "no_authors", pc.equal(authors, 0)).append_column(
            "no_dateline", pc.is_null(batch.column("dateline"))).append_column(
            "no_published_at", pc.is_null(batch.column("published_at")))
        parts.append(table)
    return latest_versions(pa.concat_tables(parts))


def completeness(root: Path, days: int, skip: frozenset[Path] = frozenset(),
                 table: pa.Table | None = None) -> pd.DataFrame:
    """Per published day and source: stories, and the share missing authors/dateline/published_at
    (files in ``skip``, the damaged ones, left out), for the last ``days`` days that have stories."""
    table = stories(root, skip) if table is None else table
    if table.num_rows == 0:
        return pd.DataFrame()
    grouped = table.group_by(["published_date", "source"]).aggregate(
        [("id", "count"), ("no_authors", "mean"), ("no_dateline", "mean"), ("no_published_at", "mean")])
    frame = grouped.to_pandas().rename(columns={
        "id_count": "stories", "no_authors_mean": "no_authors", "no_dateline_mean": "no_dateline",
        "no_published_at_mean": "no_published_at"})
    frame = frame.set_index(["published_date", "source"]).sort_index()[
        ["stories", "no_authors", "no_dateline", "no_published_at"]]
    recent = sorted(frame.index.get_level_values(0).unique())[-days:]
    return frame[frame.index.get_level_values(0).isin(recent)]


def main(argv: list[str] | None = None, prog: str = "python -m pipelines.report") -> int:
    parser = Parser(prog=prog, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=dataset_folder, help="dataset folder, e.g. data/articles")
    parser.add_argument("--runs", type=option("--runs", whole(1)), default=15, help="recent runs to show")
    parser.add_argument("--days", type=option("--days", whole(1)), default=14,
                        help="recent publication days to show")
    parser.add_argument("--html", metavar="FILE",
                        help="write the report as one self-contained HTML page with charts to FILE "
                             "(no script, nothing fetched: it opens offline) instead of printing it")
    args = parser.parse_args(argv)
    root = args.root
    if args.html:
        return _html(root, Path(args.html), args.days, args.runs)
    pd.set_option("display.width", 160)
    runs = runs_table(root, args.runs)
    print("Recent runs" if not runs.empty else "No run records yet")
    if not runs.empty:
        print(runs.to_string(index=False))
    damaged = scan(root)
    for problem in damaged:
        print(f"damaged (left out): {problem.line(root)}", file=sys.stderr)
    table = completeness(root, args.days, frozenset(p.path for p in damaged))
    print("\nCompleteness by publication day (share of stories missing a field)")
    if table.empty:
        print("(no stories)")
    else:
        print(table.to_string(formatters={c: "{:.0%}".format for c in
                                          ("no_authors", "no_dateline", "no_published_at")}))
    if damaged:
        print(f"\n{len(damaged)} damaged dataset entries were left out; move them aside with "
              f"python -m pipelines.check {root} --quarantine", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _html(root: Path, target: Path, days: int, runs: int) -> int:
    from pipelines import report_html  # it builds on this module

    damaged = scan(root)
    for problem in damaged:
        print(f"damaged (left out): {problem.line(root)}", file=sys.stderr)
    try:
        write_atomic(target, report_html.render(root, days, runs, damaged))  # whole or not at all
    except OSError as exc:
        print(f"error: cannot write the report to {target}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"report written to {target}")
    return EXIT_FAILED if damaged else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(run(main))
