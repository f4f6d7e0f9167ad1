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


def test_report_benchmark_runs() -> None:
    result = _run("benchmarks/report.py", "--rows", "3000", "--runs", "40", "--days", "7")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "dataset: 3,000 rows" in result.stdout and "report --html (--days 7)" in result.stdout
    assert "HTML page:" in result.stdout
