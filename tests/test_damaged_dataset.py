"""One damaged file never stops the dataset: each fault below, then the real tools on the damaged folder.

For every fault: the report leaves the file out and says so (exit 1), the check lists it (exit 1), a real
``scrapy crawl upi`` moves it to ``_quarantine/`` with one ERROR line, fetches its stories again and exits 3,
``pd.read_parquet`` reads the whole dataset; the same fault again, and compaction quarantines it (exit 3);
then the check finds nothing (exit 0). Never a traceback, nothing readable lost.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.dataset import data_files
from tests.mirror import ROOT, Server, Site, fill_upi_site, make_stories, run_crawl

pytestmark = pytest.mark.e2e

STORIES = make_stories(6)


def _rewrite(path: Path, change: Callable[[pa.Table], pa.Table]) -> None:
    table = pq.read_table(path)
    metadata = table.schema.metadata
    pq.write_table(change(table).replace_schema_metadata(metadata), path)


def _garbage(path: Path) -> Path:
    path.write_bytes(os.urandom(3000))
    return path


def _half(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _column_missing(path: Path) -> Path:
    _rewrite(path, lambda t: t.drop_columns(["headline"]))
    return path


def _column_of_another_type(path: Path) -> Path:
    _rewrite(path, lambda t: t.set_column(t.schema.get_field_index("word_count"), "word_count",
                                          pa.array([str(v) for v in t.column("word_count").to_pylist()])))
    return path


def _ds_store(path: Path) -> Path:
    stray = path.parent / ".DS_Store"
    stray.write_bytes(b"\x00\x00\x00\x01Bud1" + os.urandom(200))
    return stray


def _directory(path: Path) -> Path:
    folder = path.parent / "part-20990101T000000Z-1-aaaaaa-00001.parquet"
    folder.mkdir()
    (folder / "x").write_text("not data")
    return folder


def _null_id(path: Path) -> Path:
    def change(t: pa.Table) -> pa.Table:
        ids = [None] + t.column("id").to_pylist()[1:]
        return t.set_column(0, pa.field("id", pa.string()), pa.array(ids, pa.string()))
    _rewrite(path, change)
    return path


def _same_id_twice(path: Path) -> Path:
    _rewrite(path, lambda t: pa.concat_tables([t, t]))
    return path


def _partition_key_as_column(path: Path) -> Path:
    _rewrite(path, lambda t: t.append_column("source", pa.array(["upi"] * t.num_rows)))
    return path


def _pandas_index(path: Path) -> Path:
    table = pq.read_table(path)
    frame = table.to_pandas().set_index("id")
    indexed = pa.Table.from_pandas(frame, preserve_index=True)
    pq.write_table(indexed.replace_schema_metadata(
        {**table.schema.metadata, **indexed.schema.metadata}), path)
    return path


def _extra_columns(path: Path) -> Path:
    def change(t: pa.Table) -> pa.Table:
        for n in range(20):
            t = t.append_column(f"x{n}", pa.array(["<script>alert(1)</script>"] * t.num_rows))
        return t
    _rewrite(path, change)
    return path


FAULTS: dict[str, tuple[Callable[[Path], Path], bool]] = {
    # the dataset's contract (non-null unique ids, no column outside the schema): these once passed the check
    "null_id": (_null_id, True),
    "same_id_twice": (_same_id_twice, True),
    "partition_key_as_column": (_partition_key_as_column, True),
    "pandas_index": (_pandas_index, True),
    "extra_columns": (_extra_columns, True),
    # name: (damage, whether the damaged file held stories that must be fetched again)
    "garbage_bytes": (_garbage, True),
    "half_a_file": (_half, True),
    "zero_bytes": (_empty, True),
    "column_missing": (_column_missing, True),
    "column_of_another_type": (_column_of_another_type, True),
    "ds_store": (_ds_store, False),
    "directory_named_like_a_part_file": (_directory, False),
}


def _tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))


@pytest.fixture(scope="module")
def site():
    site = Site()
    with Server(site) as base_url:
        fill_upi_site(site, base_url, STORIES)
        yield site, base_url


@pytest.fixture(scope="module")
def clean_dataset(site, tmp_path_factory) -> Path:
    _, base_url = site
    dataset = tmp_path_factory.mktemp("clean") / "articles"
    result = run_crawl(base_url, dataset)
    assert result.returncode == 0, result.stderr[-3000:]
    return dataset


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_damaged_entry_is_quarantined_and_nothing_readable_is_lost(
        fault: str, site, clean_dataset: Path, tmp_path: Path) -> None:
    _, base_url = site
    damage, held_stories = FAULTS[fault]
    dataset = tmp_path / "articles"
    shutil.copytree(clean_dataset, dataset)
    victim = data_files(dataset)[0]
    relative = damage(victim).relative_to(dataset)

    report = _tool("pipelines.report", str(dataset))
    assert report.returncode == 1, report.stderr
    assert f"damaged (left out): {relative}" in report.stderr
    check = _tool("pipelines.check", str(dataset))
    assert check.returncode == 1 and f"damaged: {relative}" in check.stdout
    clusters = _tool("pipelines.clusters", str(dataset))
    assert "Traceback" not in clusters.stderr + clusters.stdout, clusters.stderr[-2000:]

    crawl = run_crawl(base_url, dataset, "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/stats.json")
    for output in (report, check, crawl):
        assert "Traceback" not in output.stderr + output.stdout
    assert crawl.returncode == 3, crawl.stderr[-3000:]
    errors = [line for line in crawl.stderr.splitlines() if "is damaged" in line]
    assert len(errors) == 1 and "ERROR" in errors[0] and str(relative) in errors[0]
    assert crawl.stderr.strip().splitlines()[-1].endswith("1 damaged dataset files quarantined")
    assert (dataset / "_quarantine" / f"{relative}.quarantined").exists()
    assert not (dataset / relative).exists()
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats.get("wirecrawl/items/new", 0) == (len(STORIES) if held_stories else 0)
    [record] = [json.loads(p.read_text()) for p in (dataset / "_runs").glob("*.json")
                if json.loads(p.read_text())["run_id"] == stats["wirecrawl/run_id"]]
    assert record["status"] == "quarantined" and len(record["files_quarantined"]) == 1

    frame = pd.read_parquet(dataset)
    assert sorted(frame["id"]) == sorted(f"upi:{s.story_id}" for s in STORIES)

    again = damage(data_files(dataset)[0])
    compact = _tool("pipelines.compact", str(dataset))
    assert compact.returncode == 3, compact.stderr
    assert "Traceback" not in compact.stderr + compact.stdout
    assert not again.exists()
    pd.read_parquet(dataset)  # readable again
    final = _tool("pipelines.check", str(dataset))
    assert final.returncode == 0, final.stdout + final.stderr
