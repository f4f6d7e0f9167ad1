"""Other readers of the dataset: the README's DuckDB and Polars snippets, run exactly as written, on a
crawled dataset holding every sidecar the crawler leaves (run records, the cluster index, a quarantined
file, a crashed compaction's hidden leftover)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipelines.dataset import data_files
from tests import readme
from tests.mirror import ROOT, crawl_env, upi_mirror

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A folder holding ``data/articles`` as the README's snippets name it."""
    home = tmp_path_factory.mktemp("readers")
    dataset = home / "data" / "articles"
    with upi_mirror(6) as mirror:
        result = mirror.run(dataset)
    assert result.returncode == 0, result.stderr[-3000:]
    partition = data_files(dataset)[0].parent
    (partition / "part-damaged.parquet").write_bytes(b"PAR1 not really parquet")
    check = subprocess.run([sys.executable, "-m", "pipelines.check", str(dataset), "--quarantine"],
                           cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=120)
    assert check.returncode == 3, check.stdout + check.stderr
    # what a compaction killed before its swap leaves: a hidden copy of a partition's files
    shutil.copytree(partition, partition.with_name(f".{partition.name}.compact-0a1b2c3d"))
    for sidecar in ("_runs", "_clusters/index.npz", "_quarantine", "_locks"):
        assert (dataset / sidecar).exists(), sidecar
    return home


@pytest.fixture(scope="module")
def expected(home: Path) -> pd.DataFrame:
    frame = pd.read_parquet(home / "data" / "articles")
    return frame.groupby(frame["source"].astype(str)).agg(
        stories=("id", "size"), newest=("published_at", "max")).sort_index()


@pytest.mark.parametrize("reader", ["duckdb", "polars"])
def test_the_readme_snippets_read_every_story_once_beside_the_sidecars(
        reader: str, home: Path, expected: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    [code] = readme.python_blocks(f"import {reader}")
    assert "source=*/published_date=*/*.parquet" in code
    monkeypatch.chdir(home)
    result = readme.run_snippet(code)
    frame = result.df() if reader == "duckdb" else result.to_pandas()
    frame = frame.set_index("source").sort_index()
    assert frame["stories"].tolist() == expected["stories"].tolist() == [6]
    assert list(frame.index) == list(expected.index)
    newest = pd.to_datetime(frame["newest"], utc=True)
    assert newest.tolist() == expected["newest"].tolist()


def test_no_sidecar_file_matches_a_parquet_glob(home: Path) -> None:
    """A quarantined file carries a suffix, so even a careless ``**/*.parquet`` glob never meets it
    (before, DuckDB's and Polars' ``**/*.parquet`` failed on it after any quarantine)."""
    dataset = home / "data" / "articles"
    [quarantined] = [p for p in (dataset / "_quarantine").rglob("*") if p.is_file()]
    assert quarantined.name == "part-damaged.parquet.quarantined"
    assert [p for p in dataset.rglob("*.parquet") if p.relative_to(dataset).parts[0].startswith("_")] == []
