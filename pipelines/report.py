"""What the crawls did lately and how complete the data is.

``python -m pipelines.report data/articles [--runs 15] [--days 14]``

Prints the recent run records (``_runs/*.json``) and, per day and source, how many stories there are and
the share missing authors, a dateline or ``published_at`` (newest version of each story), so a template
change shows up as a jump in a column.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds

from pipelines.dataset import latest


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
            "status": record.get("status"),
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


def completeness(root: Path, days: int) -> pd.DataFrame:
    """Per published day and source: stories, and the share missing authors/dateline/published_at."""
    dataset = ds.dataset(root, format="parquet", partitioning="hive")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", help="dataset folder, e.g. data/articles")
    parser.add_argument("--runs", type=int, default=15, help="recent runs to show")
    parser.add_argument("--days", type=int, default=14, help="recent publication days to show")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if not root.is_dir():
        print(f"no dataset at {root}", file=sys.stderr)
        return 2
    pd.set_option("display.width", 160)
    runs = runs_table(root, args.runs)
    print("Recent runs" if not runs.empty else "No run records yet")
    if not runs.empty:
        print(runs.to_string(index=False))
    table = completeness(root, args.days)
    print("\nCompleteness by publication day (share of stories missing a field)")
    if table.empty:
        print("(no stories)")
    else:
        print(table.to_string(formatters={c: "{:.0%}".format for c in
                                          ("no_authors", "no_dateline", "no_published_at")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
