"""Parquet write and read for 100,000 rows, next to a one-shot pyarrow write of the same rows.

    python benchmarks/parquet_io.py [--rows 100000] [--flush 500]

Our writer commits a file every ``--flush`` rows (as a crawl does) into daily partitions, atomically;
the baseline writes the same rows as one file with one ``pq.write_table`` call. Then
``pd.read_parquet`` of the dataset as the crawl left it, after ``pipelines.compact``, and of the
baseline file. Ratios are against the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.compact import compact  # noqa: E402
from pipelines.dataset import FILE_SCHEMA, data_files, new_run_id, write_rows  # noqa: E402

UTC = dt.timezone.utc
WORDS = ("the council approved budget harbor wall ferry piers storm season officials said "
         "opponents argued revenue estimates independent review port authority accounts").split()


def rows(count: int) -> list[dict]:
    start = dt.datetime(2026, 1, 1, tzinfo=UTC)
    out = []
    for n in range(count):
        body = "\n\n".join(" ".join(WORDS[(n + i + j) % len(WORDS)] for j in range(60))
                           for i in range(8))  # ~3 KB, like a wire story
        published = start + dt.timedelta(minutes=7 * n)
        out.append({
            "id": f"upi:{1000000000000 + n}", "source": "upi",
            "url": f"https://www.upi.com/Top_News/US/x/{1000000000000 + n}/",
            "headline": f"Council number {n} votes on the harbor budget", "description": None,
            "body": body, "authors": ["Jane Roe"], "byline": "By Jane Roe", "agency": "UPI",
            "contributors": [], "published_at": published, "published_source": "structured",
            "published_precision": "time", "modified_at": None,
            "fetched_at": published + dt.timedelta(minutes=5), "dateline": "SEOUL, Jan. 1 (UPI) --",
            "dateline_city": "Seoul", "dateline_region": None, "dateline_country": "South Korea",
            "dateline_country_code": "KR", "dateline_date": published.date(), "section": "US",
            "tags": ["Harbor"], "language": "en", "word_count": len(body.split()), "image_url": None,
        })
    return out


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--flush", type=int, default=500)
    args = parser.parse_args()
    data = rows(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        root, single = Path(tmp) / "articles", Path(tmp) / "single.parquet"
        run = new_run_id()

        def ours() -> None:
            for seq, start in enumerate(range(0, len(data), args.flush), start=1):
                write_rows(root, data[start:start + args.flush], run, seq)

        def baseline() -> None:
            table = pa.Table.from_pylist([{k: r.get(k) for k in FILE_SCHEMA.names} for r in data],
                                         schema=FILE_SCHEMA)
            pq.write_table(table, single, compression="zstd")

        base_write, _ = timed(baseline)
        our_write, _ = timed(ours)
        files = len(data_files(root))
        read_many, frame = timed(lambda: pd.read_parquet(root))
        assert len(frame) == args.rows
        compact_time, _ = timed(lambda: compact(root))
        read_compact, frame = timed(lambda: pd.read_parquet(root))
        assert len(frame) == args.rows
        read_single, _ = timed(lambda: pd.read_parquet(single))
    print(f"{args.rows} rows, ~3 KB bodies")
    print(f"write: one pq.write_table {base_write:.2f} s; wirecrawl, {files} atomic files of "
          f"{args.flush} rows {our_write:.2f} s (ratio {our_write / base_write:.2f})")
    print(f"read:  one file {read_single:.2f} s; dataset as crawled ({files} files) "
          f"{read_many:.2f} s (ratio {read_many / read_single:.2f}); after compaction "
          f"({compact_time:.1f} s) {read_compact:.2f} s (ratio {read_compact / read_single:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
