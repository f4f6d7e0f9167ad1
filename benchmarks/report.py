"""The report of a large dataset: time and peak memory of ``python -m pipelines.report`` (text) and of
``--html``, next to a plain ``pd.read_parquet`` of the same columns (what reading them costs at all).

    python benchmarks/report.py [--rows 1000000] [--runs 35040] [--days 60]

The dataset is built here: ``--rows`` stories over a year in five sources, one compacted file per
partition, ~3 KB bodies, one in ten stories a copy of another; ``--runs`` run records (35,040: a
year of a crawl every 15 minutes). Each measurement runs in its own process (peak RSS from
``getrusage``); ratios are against the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.dataset import FILE_SCHEMA, partition_dir, write_table  # noqa: E402
from pipelines.report import STORY_COLUMNS  # noqa: E402

SOURCES = ("upi", "ap", "reuters", "yonhap", "wire")
START = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
BODY = " ".join(("officials said the council approved the plan after a long debate on the harbor "
                 "wall and the ferry piers before the storm season") for _ in range(25))


def build(root: Path, rows: int, runs: int) -> None:
    rng = np.random.default_rng(1)
    minutes = np.sort(rng.integers(0, 365 * 24 * 60, rows))
    source = rng.integers(0, len(SOURCES), rows)
    ids = np.array([f"{SOURCES[s]}:{n}" for n, s in enumerate(source)], dtype=object)
    copy_of = np.where(rng.random(rows) < 0.1, np.maximum(0, np.arange(rows) - rng.integers(1, 50, rows)),
                       np.arange(rows))
    clusters = ids[copy_of]
    no_author = rng.random(rows) < 0.2
    no_dateline = rng.random(rows) < 0.1
    origin = rng.choice(np.array(["structured", "meta", "visible", "url"], dtype=object), rows,
                        p=[0.7, 0.2, 0.08, 0.02])
    published = [START + dt.timedelta(minutes=int(m)) for m in minutes]
    days = np.array([when.date().toordinal() for when in published])
    for s, name in enumerate(SOURCES):
        for day in np.unique(days[source == s]):
            picked = np.flatnonzero((source == s) & (days == day))
            folder = partition_dir(root, name, dt.date.fromordinal(int(day)))
            folder.mkdir(parents=True, exist_ok=True)
            write_table(_table(picked, ids, clusters, published, origin, no_author, no_dateline),
                        folder / "part-compact-bench.parquet")
    records = root / "_runs"
    records.mkdir(parents=True, exist_ok=True)
    for n in range(runs):
        start = START + dt.timedelta(minutes=15 * n)
        record = {"run_id": f"run{n}", "spider": SOURCES[n % len(SOURCES)],
                  "status": "ok" if n % 97 else "failed",
                  "start_time": str(start), "finish_time": str(start + dt.timedelta(minutes=2)),
                  "failure_reasons": [] if n % 97 else ["no_feed_reachable"],
                  "counts": {"new": 28, "updated": 1, "known": 300, "parsed": 30,
                             "dropped": {"http_404": n % 3, "not_article": n % 2},
                             "missing": {"no_authors": 6, "no_dateline": 3}, "errors": 0},
                  "drift": {"missing": {"body": 0, "published_at": 1, "authors": 6, "dateline": 3,
                                        "layout": 0},
                            "thresholds": {"body": 0.25, "published_at": 0.25, "authors": 0.6,
                                           "dateline": 0.6, "layout": 0.25}},
                  "files_written": []}
        (records / f"run{n}.json").write_text(json.dumps(record))


def _table(picked, ids, clusters, published, origin, no_author, no_dateline) -> pa.Table:
    count = len(picked)
    stamps = pa.timestamp("us", tz="UTC")
    columns = {
        "id": pa.array(ids[picked], pa.string()),
        "url": pa.array([f"https://example.com/{i}" for i in picked], pa.string()),
        "headline": pa.array([f"Headline of story {i}" for i in picked], pa.string()),
        "body": pa.array([BODY] * count, pa.string()),
        "authors": pa.array([[] if no_author[i] else ["Jane Roe"] for i in picked], pa.list_(pa.string())),
        "contributors": pa.array([[]] * count, pa.list_(pa.string())),
        "tags": pa.array([[]] * count, pa.list_(pa.string())),
        "published_at": pa.array([published[i] for i in picked], stamps),
        "published_source": pa.array(origin[picked], pa.string()),
        "published_precision": pa.array(["day" if origin[i] == "url" else "time" for i in picked]),
        "fetched_at": pa.array([published[i] + dt.timedelta(minutes=5) for i in picked], stamps),
        "dateline": pa.array([None if no_dateline[i] else "SEOUL, Jan. 1 (UPI) --" for i in picked],
                             pa.string()),
        "word_count": pa.array([len(BODY.split())] * count, pa.int32()),
        "cluster_id": pa.array(clusters[picked], pa.string()),
    }
    return pa.table([columns.get(field.name, pa.nulls(count, field.type)) for field in FILE_SCHEMA],
                    schema=FILE_SCHEMA)


def measure(code: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of ``code`` run in a fresh interpreter."""
    probe = ("import resource, time; t = time.perf_counter()\n" + code +
             "\nprint(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                            check=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    seconds, peak = result.stdout.split()[-2:]
    return float(seconds), float(peak)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=35_040)
    parser.add_argument("--days", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "articles"
        began = time.perf_counter()
        build(root, args.rows, args.runs)
        files = sum(1 for _ in root.glob("source=*/published_date=*/*.parquet"))
        print(f"dataset: {args.rows:,} rows in {files:,} files, {args.runs:,} run records "
              f"(built in {time.perf_counter() - began:.0f} s)")
        page = Path(temp) / "report.html"
        baseline = measure(f"import pandas as pd; pd.read_parquet({str(root)!r}, columns={STORY_COLUMNS!r})")
        text = measure(f"import contextlib, io\nfrom pipelines.report import main\n"
                       f"with contextlib.redirect_stdout(io.StringIO()): main([{str(root)!r}, "
                       f"'--days', '{args.days}'])")
        html = measure(f"from pipelines.report import main; main([{str(root)!r}, '--days', "
                       f"'{args.days}', '--html', {str(page)!r}])")
        print(f"{'':34} {'seconds':>8} {'peak RSS MB':>12} {'time ratio':>11}")
        for name, (seconds, peak) in (("pd.read_parquet, same columns", baseline),
                                      ("report (text)", text), (f"report --html (--days {args.days})", html)):
            print(f"{name:34} {seconds:8.1f} {peak:12.0f} {seconds / baseline[0]:10.2f}x")
        print(f"HTML page: {page.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
