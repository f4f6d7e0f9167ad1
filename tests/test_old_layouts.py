"""Layouts no parser was written for still bring their stories home, through the real ``scrapy crawl``.

The pages are written after real 2007-2008 layouts (UPI's "NewsTrack" pages, reuters.com's edition
pages): no structured data, the time only in the visible header, URL schemes of that era. A run of such
pages stores every story and raises the drift alarm.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from tests.mirror import Server, Site, run_crawl
from tests.wires import WirePage, differences, story_problems, wire_pages

pytestmark = pytest.mark.e2e

UTC = dt.timezone.utc


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _plain(value):
    """A value read back with pandas as the row held it (Timestamp -> datetime, array -> list)."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "tolist"):
        return value.tolist()
    return None if value is pd.NaT else value


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


def _written(source: str) -> WirePage:
    """The page written for this era, with the fields its row must have (tests/wires/<source>.json)."""
    return next(page for page in wire_pages(source) if page.page.startswith("fixture:") and not page.layout)


@pytest.mark.parametrize("source", ["upi", "reuters"])
def test_a_page_of_no_known_layout_is_crawled_into_its_expected_row(tmp_path: Path, corpus: Path,
                                                                   source: str) -> None:
    page = _written(source)
    result, frame, stats = _crawl(source, {_path(page.url): page.html(corpus)}, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    row = {name: _plain(value) for name, value in frame.iloc[0].items()}
    assert differences(row, page) == []
    assert story_problems(row, page, corpus) == []
    assert stats["wirecrawl/layout/unknown"] == 1


def test_a_run_of_unknown_layouts_stores_every_story_and_raises_the_alarm(tmp_path: Path) -> None:
    page = _written("upi")
    paths = {_path(page.url).replace("/5821/", f"/{5821 + n}/"): page.html()
             for n in range(5)}
    result, frame, stats = _crawl("upi", paths, tmp_path)
    assert len(frame) == 5 and frame["id"].is_unique
    assert stats["wirecrawl/layout/unknown"] == 5
    assert result.returncode == 1  # cron hears of it
    assert "layout drift? layout missing on 5/5 pages" in result.stderr
