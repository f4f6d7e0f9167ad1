"""Layouts no parser was written for still bring their stories home, through the real ``scrapy crawl``.

The pages are written after the 2007-2008 layouts that ``shared/REFERENCE.md`` describes (UPI's
"NewsTrack" pages, reuters.com's edition pages): no structured data, the time only in the visible
header, URL schemes of that era. A run of such pages stores every story and raises the drift alarm.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from tests.mirror import Server, Site, run_crawl

pytestmark = pytest.mark.e2e

UTC = dt.timezone.utc
NEWSTRACK = "/NewsTrack/Top_News/2007/12/30/senate_sets_vote_on_war_funding_bill/5821/"
REUTERS_2008 = "/article/worldNews/idUSN1022850320080110"


def _crawl(spider: str, paths: dict[str, bytes], tmp_path: Path, *extra: str):
    site = Site()
    for path, body in paths.items():
        site.add(path, body)
    dataset, stats = tmp_path / "articles", tmp_path / "stats.json"
    with Server(site) as base_url:
        urls = tmp_path / "urls.txt"
        urls.write_text("".join(f"{base_url}{p}\n" for p in paths))
        result = run_crawl(None, dataset, "-a", f"urls=@{urls}", "-s", f"WIRECRAWL_STATS_FILE={stats}",
                           *extra, spider=spider)
    return result, pd.read_parquet(dataset), json.loads(stats.read_text())


def test_upi_newstrack_page(tmp_path: Path) -> None:
    page = (FIXTURES / "upi_2007_newstrack.html").read_bytes()
    result, frame, stats = _crawl("upi", {NEWSTRACK: page}, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    row = frame.iloc[0]
    assert row["id"] == "upi:5821"
    assert row["headline"] == "Senate sets vote on war funding bill"
    # "Published: Dec. 30, 2007 at 8:20 PM", US Eastern (EST, UTC-5)
    assert row["published_at"] == pd.Timestamp("2007-12-31T01:20:00Z")
    assert (row["published_source"], row["published_precision"]) == ("visible", "time")
    assert (row["dateline"], row["dateline_city"], row["agency"]) == (
        "WASHINGTON, Dec. 30 (UPI) --", "Washington", "UPI")
    assert row["body"].startswith("The U.S. Senate will vote next week")
    for furniture in ("Print story", "Email to a friend", "Font size", "UPI Photo",
                      "All Rights Reserved", "may not be reproduced", "Most Popular"):
        assert furniture not in row["body"], furniture
    assert stats["wirecrawl/layout/unknown"] == 1


def test_reuters_2008_edition_page(tmp_path: Path) -> None:
    page = (FIXTURES / "reuters_2008_edition.html").read_bytes()
    result, frame, _ = _crawl("reuters", {REUTERS_2008: page}, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    row = frame.iloc[0]
    assert row["id"] == "reuters:N10228503"
    # "Thu Jan 10, 2008 6:04pm EST"
    assert row["published_at"] == pd.Timestamp("2008-01-10T23:04:00Z")
    assert (row["dateline_city"], row["dateline_country_code"], row["agency"]) == (
        "Surabaya", "ID", "Reuters")
    assert list(row["authors"]) == ["Ahmad Pathoni", "Olivia Rondonuwu"]
    assert list(row["contributors"]) == ["Heru Asprihanto", "Sanjeev Miglani"]
    assert row["body"].startswith("Indonesia widened its search on Thursday")
    assert "Thomson Reuters" not in row["body"] and "Reporting by" not in row["body"]


def test_a_run_of_unknown_layouts_stores_every_story_and_raises_the_alarm(tmp_path: Path) -> None:
    page = (FIXTURES / "upi_2007_newstrack.html").read_bytes()
    paths = {NEWSTRACK.replace("/5821/", f"/{5821 + n}/"): page for n in range(5)}
    result, frame, stats = _crawl("upi", paths, tmp_path)
    assert len(frame) == 5 and frame["id"].is_unique
    assert stats["wirecrawl/layout/unknown"] == 5
    assert result.returncode == 1  # cron hears of it
    assert "layout drift? layout missing on 5/5 pages" in result.stderr
