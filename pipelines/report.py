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
import pyarrow.dataset as ds

from pipelines.check import EXIT_PROBLEMS, scan
from pipelines.commandline import Parser, dataset_folder, option, run
from pipelines.config import whole
from pipelines.dataset import FILE_SCHEMA, data_files, latest

#: What the report reads: every file's columns (older files get the newer ones as nulls) + partitions.
_READ_SCHEMA = pa.schema([*FILE_SCHEMA, pa.field("source", pa.string()),
                          pa.field("published_date", pa.string())])


def _status(record: dict) -> str:
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


def runs_table(root: Path, limit: int) -> pd.DataFrame:
    records = []
    for path in sorted((root / "_runs").glob("*.json")):
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        counts = record.get("counts", {})
        records.append({
            "start": str(record.get("start_time", ""))[:19],
            "spider": record.get("spider"),
            "status": _status(record),
            "new": counts.get("new", 0),
            "updated": counts.get("updated", 0),
            "known": counts.get("known", 0),
            "dropped": sum((counts.get("dropped") or {}).values()),
            "errors": counts.get("errors", 0),
            "files": len(record.get("files_written") or []),
            "why": ", ".join(record.get("failure_reasons") or []),
        })
    frame = pd.DataFrame(records)
    return frame.sort_values("start").tail(limit) if not frame.empty else frame


def completeness(root: Path, days: int, skip: frozenset[Path] = frozenset()) -> pd.DataFrame:
    """Per published day and source: stories, and the share missing authors/dateline/published_at
    (files in ``skip``, the damaged ones, left out)."""
    files = [str(p) for p in data_files(root) if p not in skip]
    if not files:
        return pd.DataFrame()
    dataset = ds.dataset(files, format="parquet", partitioning=ds.partitioning(flavor="hive"),
                         partition_base_dir=str(root), schema=_READ_SCHEMA)
    frame = dataset.to_table(columns=["id", "source", "published_date", "authors", "dateline",
                                      "published_at", "modified_at", "fetched_at"]).to_pandas()
    if frame.empty:
        return frame
    frame = latest(frame)
    frame["no_authors"] = frame["authors"].map(lambda a: a is None or len(a) == 0)
    frame["no_dateline"] = frame["dateline"].isna()
    frame["no_published_at"] = frame["published_at"].isna()
    grouped = frame.groupby([frame["published_date"].astype(str), frame["source"].astype(str)])
    table = grouped.agg(stories=("id", "size"), no_authors=("no_authors", "mean"),
                        no_dateline=("no_dateline", "mean"),
                        no_published_at=("no_published_at", "mean"))
    recent = sorted(table.index.get_level_values(0).unique())[-days:]
    return table[table.index.get_level_values(0).isin(recent)]


def main(argv: list[str] | None = None, prog: str = "python -m pipelines.report") -> int:
    parser = Parser(prog=prog, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=dataset_folder, help="dataset folder, e.g. data/articles")
    parser.add_argument("--runs", type=option("--runs", whole(1)), default=15, help="recent runs to show")
    parser.add_argument("--days", type=option("--days", whole(1)), default=14,
                        help="recent publication days to show")
    args = parser.parse_args(argv)
    root = args.root
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
        return EXIT_PROBLEMS
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
