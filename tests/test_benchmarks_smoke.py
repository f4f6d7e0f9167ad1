"""The benchmark scripts still run (tiny sizes; no timing is asserted: timings are not tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def test_throughput_benchmark_runs(corpus: Path) -> None:
    result = _run("benchmarks/throughput.py", "--pages", "20", "40", "--profile")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "N=    20: 20 rows" in result.stdout and "N=    40: 40 rows" in result.stdout
    assert "ratio wirecrawl/bare" in result.stdout and "memory N=40 vs N=20" in result.stdout
    assert "profile of the crawler process (20 pages" in result.stdout and "ms/page" in result.stdout


def test_distributed_benchmark_runs(corpus: Path, redis_url: str) -> None:
    result = _run("benchmarks/distributed.py", "--pages", "20", "--slow-pages", "10",
                  "--delay", "0.01", "--redis-url", redis_url)
    assert result.returncode == 0, result.stderr[-3000:]
    for situation in ("parse-bound (20 pages", "site-bound (10 pages"):
        assert situation in result.stdout
    assert result.stdout.count("redis x2") == 2 and "vs 1 worker" in result.stdout


def test_parquet_benchmark_runs() -> None:
    result = _run("benchmarks/parquet_io.py", "--rows", "2000", "--flush", "500")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "2000 rows" in result.stdout and "after compaction" in result.stdout


@pytest.mark.parametrize(("script", "marker"), [("benchmarks/parsers.py", "parses/s"),
                                                ("benchmarks/extraction_quality.py", "F1")])
def test_quality_benchmarks_run(corpus: Path, script: str, marker: str) -> None:
    result = _run(script)
    assert result.returncode == 0, result.stderr[-3000:]
    assert marker in result.stdout


def test_generic_quality_benchmark_runs(corpus: Path) -> None:
    result = _run("benchmarks/generic_quality.py", "--limit", "4")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "aeb-dev: 4 pages" in result.stdout and "fundus-dev: 4 pages" in result.stdout
    assert "all     trafilatura" in result.stdout


def test_warc_benchmark_runs(corpus: Path) -> None:
    result = _run("benchmarks/warc_read.py", "--size-mb", "2", "--repeat", "1", "--write-pages", "20")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "read  ratio ours/warcio" in result.stdout and "write ratio ours/warcio" in result.stdout


def test_clusters_benchmark_runs(corpus: Path) -> None:
    result = _run("benchmarks/clusters.py", "--stories", "2000", "--datasketch-stories", "500")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "MinHash 64 x 32 bits" in result.stdout and "SimHash 64 bits" in result.stdout
    assert "ours: 2,000 stories assigned" in result.stdout and "datasketch" in result.stdout


def test_the_generic_benchmark_s_credit_and_zone_rules() -> None:
    """What fundus-dev expects as an "author" that is no person is scored as credit, and its zone-less
    times are the publisher's local times (09:00 at a Danish paper is 08:00 UTC in February)."""
    import datetime as dt

    from benchmarks.generic_quality import Page, credit_of, local_zone

    page = Page("fundus", "k", "https://www.theportugalnews.com/news/x", b"", ROOT, "",
                publisher="ThePortugalNews")
    for name, credit in [("AFP, MANILA", "afp"), ("Le Figaro et AFP", "afp"), ("dpa", "dpa"),
                         ("TPN", "publisher"), ("theportugalnews.com", "publisher"),
                         ("MND Staff", "publisher"), ("BR24 Redaktion", "publisher"),
                         ("Maria Silva", None), ("Sarah Portugal", None)]:
        assert credit_of(name, page) == credit, name
    when = dt.datetime(2025, 2, 2, 9, 0, tzinfo=local_zone("dk"))
    assert when.astimezone(dt.timezone.utc).hour == 8
    assert local_zone("us") == dt.timezone.utc and local_zone("uk").key == "Europe/London"
