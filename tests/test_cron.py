"""Living in cron: story updates refreshed end to end, run records and the report, the drift alarm."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from pipelines.compact import compact
from pipelines.dataset import latest
from tests.mirror import ROOT, fill_upi_site, make_stories, upi_mirror

pytestmark = pytest.mark.e2e

EASTERN = ZoneInfo("America/New_York")


def test_an_updated_story_is_fetched_again_and_compaction_keeps_the_update(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    stories = make_stories(3)
    with upi_mirror(stories=stories) as mirror:
        mirror.crawl(dataset)

        # The wire corrects story 0: the page shows an update, the feed a newer modification.
        now = dt.datetime.now(dt.timezone.utc)  # after the first run fetched everything
        shown = now.replace(second=0, microsecond=0)  # the page shows minutes only
        corrected = dataclasses.replace(
            stories[0], feed_modified=now,
            updated=shown.astimezone(EASTERN).replace(tzinfo=None),
            paragraphs=("CORRECTED: " + stories[0].paragraphs[0],) + stories[0].paragraphs[1:])
        # an old correction (outside REFRESH_WINDOW) on story 1 is left alone
        stale = dataclasses.replace(stories[1], feed_modified=now - dt.timedelta(hours=72))
        fill_upi_site(mirror.site, mirror.base_url, [corrected, stale, stories[2]])
        mirror.site.hits.clear()
        second = mirror.crawl(dataset, "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/2.json")
        assert mirror.site.article_hits() == [stories[0].path]
        mirror.site.hits.clear()
        third = mirror.run(dataset)  # fetched after the modification: nothing to do
        assert third.returncode == 0, third.stderr[-3000:]
        assert mirror.site.article_hits() == []

    stats = json.loads((tmp_path / "2.json").read_text())
    assert stats["wirecrawl/items/updated"] == 1 and stats.get("wirecrawl/items/new", 0) == 0
    assert "0 new, 1 updated, 2 skipped as known" in second.stderr
    frame = pd.read_parquet(dataset)
    assert len(frame) == 4
    newest = latest(frame).set_index("id")
    story_id = f"upi:{stories[0].story_id}"
    assert newest.loc[story_id, "body"].startswith("CORRECTED: ")
    assert newest.loc[story_id, "modified_at"] == pd.Timestamp(shown)
    compact(dataset)
    compacted = pd.read_parquet(dataset).set_index("id")
    assert len(compacted) == 3
    assert compacted.loc[story_id, "body"].startswith("CORRECTED: ")


def test_run_records_and_the_report(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    stories = make_stories(4)
    stories[3] = dataclasses.replace(stories[3], author="")
    with upi_mirror(stories=stories) as mirror:
        assert mirror.run(dataset).returncode == 0
        assert mirror.run(dataset).returncode == 0
    records = sorted((dataset / "_runs").glob("*.json"))
    assert len(records) == 2
    first = json.loads(records[0].read_text())
    assert first["spider"] == "upi" and first["status"] == "ok"
    assert first["counts"]["new"] == 4 and first["counts"]["missing"] == {"no_authors": 1}
    assert first["arguments"]["base_url"] == mirror.base_url
    assert first["files_written"] and all(Path(f).is_file() for f in first["files_written"])
    assert first["start_time"] < first["finish_time"]
    second = json.loads(records[1].read_text())
    assert second["counts"]["known"] == 4 and second["counts"]["new"] == 0
    assert len(pd.read_parquet(dataset)) == 4  # the records are invisible to readers
    report = subprocess.run([sys.executable, "-m", "pipelines.report", str(dataset)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert report.returncode == 0, report.stderr
    assert "Recent runs" in report.stdout and report.stdout.count(" upi ") >= 2
    assert "2024-03-12" in report.stdout and "25%" in report.stdout  # 1 of 4 without authors


def test_drift_alarm_fires_when_bylines_vanish_and_not_on_the_normal_set(tmp_path: Path) -> None:
    stories = make_stories(6)
    with upi_mirror(stories=stories) as mirror:
        normal = mirror.run(tmp_path / "a")
        fill_upi_site(mirror.site, mirror.base_url, [dataclasses.replace(s, author="") for s in stories])
        broken = mirror.run(tmp_path / "b")
    assert normal.returncode == 0 and "layout drift" not in normal.stderr
    assert broken.returncode == 1  # the drift alarm fails the run
    assert "layout drift? authors missing on 6/6 pages" in broken.stderr
    assert "layout_drift:authors" in broken.stderr
    assert len(pd.read_parquet(tmp_path / "b")) == 6  # the rows are kept; cron mail tells a person
