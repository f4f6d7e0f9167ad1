"""One damaged file never stops a crawl: for every fault of :mod:`tests.damage`, a real ``scrapy crawl upi``
moves it to ``_quarantine/`` with one ERROR line, fetches its stories again and exits 3, its run record
says so, and ``pd.read_parquet`` reads the whole dataset. Never a traceback, nothing readable lost. What
``check``, ``report``, ``clusters`` and ``compact`` do with each fault: ``tests/test_check.py``, and one
subprocess run of each here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipelines.dataset import data_files
from tests.damage import FAULTS
from tests.mirror import ROOT, Server, Site, fill_upi_site, make_stories, run_crawl

pytestmark = pytest.mark.e2e

STORIES = make_stories(6)


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

    crawl = run_crawl(base_url, dataset, "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/stats.json")
    assert "Traceback" not in crawl.stderr + crawl.stdout
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



def test_the_dataset_commands_as_processes_on_a_damaged_dataset(clean_dataset: Path, tmp_path: Path) -> None:
    """The commands as cron runs them, once: one line each, their exit status, never a traceback."""
    dataset = tmp_path / "articles"
    shutil.copytree(clean_dataset, dataset)
    damage, _ = FAULTS["half_a_file"]
    relative = damage(data_files(dataset)[0]).relative_to(dataset)
    report = _tool("pipelines.report", str(dataset))
    assert report.returncode == 1 and f"damaged (left out): {relative}" in report.stderr
    check = _tool("pipelines.check", str(dataset))
    assert check.returncode == 1 and f"damaged: {relative}" in check.stdout
    clusters = _tool("pipelines.clusters", str(dataset))
    assert clusters.returncode == 1
    compact = _tool("pipelines.compact", str(dataset))
    assert compact.returncode == 3, compact.stderr
    final = _tool("pipelines.check", str(dataset))
    assert final.returncode == 0, final.stdout + final.stderr
    for output in (report, check, clusters, compact, final):
        assert "Traceback" not in output.stderr + output.stdout
