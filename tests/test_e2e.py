"""End to end: the real ``scrapy crawl upi`` against a mirror on 127.0.0.1, read back with pandas."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipelines.dataset import data_files
from tests.mirror import (
    FEED_PATHS,
    ROOT,
    Server,
    Site,
    feed_xml,
    make_stories,
    run_crawl,
    stats_of,
    upi_mirror,
)

pytestmark = pytest.mark.e2e


def test_crawl_writes_typed_rows_then_second_run_downloads_nothing(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    stories = make_stories(8)
    with upi_mirror(stories=stories) as mirror:
        mirror.crawl(dataset, "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/1.json")
        downloaded_first = mirror.site.article_hits()
        mirror.site.hits.clear()
        second = mirror.crawl(dataset, "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/2.json")
        downloaded_second = mirror.site.article_hits()

    assert sorted(downloaded_first) == sorted(s.path for s in stories)
    frame = pd.read_parquet(dataset)
    assert len(frame) == 8
    assert sorted(frame["id"]) == sorted(f"upi:{s.story_id}" for s in stories)
    assert str(frame["published_at"].dtype) == "datetime64[us, UTC]"
    assert str(frame["fetched_at"].dtype) == "datetime64[us, UTC]"
    assert frame["word_count"].dtype.name == "int32"
    assert set(frame["source"].astype(str)) == {"upi"}
    by_id = frame.set_index("id")
    for story in stories:
        row = by_id.loc[f"upi:{story.story_id}"]
        assert row["published_at"] == pd.Timestamp(story.published_utc)
        assert row["url"] == mirror.base_url + story.path  # tracking query of the feed link dropped
        assert row["body"].startswith(story.paragraphs[0])
        assert "Advertisement" not in row["body"] and "RELATED" not in row["body"]
        assert "teaser" not in row["body"]
        assert row["agency"] == "UPI"
        assert len(row["authors"]) == 1
    # Files carry the schema version and are complete Parquet files.
    files = data_files(dataset)
    assert files and all(not p.name.startswith(".") for p in files)
    meta = pq.read_schema(files[0]).metadata
    assert meta[b"wirecrawl.schema_version"] == b"4"

    # The run's private request queue (a JOBDIR under _queue/) is gone with the run.
    assert list((dataset / "_queue").iterdir()) == []

    # Second run: nothing downloaded, nothing written, all known.
    assert downloaded_second == []
    assert len(pd.read_parquet(dataset)) == 8
    stats = stats_of(tmp_path / "2.json")
    assert stats["wirecrawl/skipped/known"] == 8
    assert stats.get("wirecrawl/items/written", 0) == 0
    assert "8 skipped as known" in second.stderr


def test_sigkill_mid_run_loses_nothing_written_and_next_run_completes(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    stories = make_stories(30)
    with upi_mirror(stories=stories) as mirror:
        for story in stories[10:]:  # later pages answer slowly: the kill lands mid-crawl
            mirror.site.routes[story.path].delay = 0.5
        command = [sys.executable, "-m", "scrapy", "crawl", "upi", "-a", f"base_url={mirror.base_url}",
                   "-s", f"DATASET_URI={dataset}", "-s", "DATASET_FLUSH_ITEMS=3",
                   "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                   "-s", "CONCURRENT_REQUESTS=2"]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL,
                                   env=dict(os.environ, PYTHONPATH=str(ROOT)))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(data_files(dataset)) < 2:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
        partial = pd.read_parquet(dataset)
        assert 0 < len(partial) < 30
        assert partial["id"].is_unique
        for story in stories:
            mirror.site.routes[story.path].delay = 0
        mirror.crawl(dataset)
    complete = pd.read_parquet(dataset)
    assert sorted(complete["id"]) == sorted(f"upi:{s.story_id}" for s in stories)
    assert set(partial["id"]) <= set(complete["id"])


def test_urls_argument_fetches_exactly_those_pages_even_if_known(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    stories = make_stories(4)
    with upi_mirror(stories=stories) as mirror:
        # the AMP and print forms of two stories, served at their own URLs as upi.com serves them
        variants = ["/amp" + stories[1].path, stories[2].path + "print/"]
        mirror.site.routes[variants[0]] = mirror.site.routes[stories[1].path]
        mirror.site.routes[variants[1]] = mirror.site.routes[stories[2].path]
        wanted = [mirror.base_url + path for path in variants]
        result = run_crawl(None, dataset, "-a", "urls=" + ",".join(wanted))
        assert result.returncode == 0, result.stderr[-3000:]
        assert not any(h in FEED_PATHS for h in mirror.site.hits)
        assert sorted(h for h in mirror.site.hits if h != "/robots.txt") == sorted(variants)  # as asked
        again = run_crawl(None, dataset, "-a", "urls=" + wanted[0])
        assert again.returncode == 0, again.stderr[-3000:]
    frame = pd.read_parquet(dataset)
    assert sorted(frame["id"]) == sorted(
        [f"upi:{stories[1].story_id}", f"upi:{stories[2].story_id}", f"upi:{stories[1].story_id}"])
    # canonical URL, not the AMP or print form that was asked for
    assert set(frame["url"]) == {mirror.base_url + stories[1].path, mirror.base_url + stories[2].path}


def test_max_items_and_since(tmp_path: Path) -> None:
    stories = make_stories(14)  # one an hour back from 2024-03-12 09:30 Eastern
    with upi_mirror(stories=stories) as mirror:
        mirror.crawl(tmp_path / "a", "-a", "max_items=3")
        mirror.crawl(tmp_path / "b", "-a", "since=2024-03-12")
    assert len(pd.read_parquet(tmp_path / "a")) == 3
    recent = pd.read_parquet(tmp_path / "b")
    expected = [s for s in stories if s.published.date().isoformat() >= "2024-03-12"]
    assert sorted(recent["id"]) == sorted(f"upi:{s.story_id}" for s in expected)
    assert 0 < len(expected) < len(stories)


def test_since_walks_listing_pages_back_to_the_date(tmp_path: Path) -> None:
    """Backfill through section listings ``/<Section>/p<N>/`` (the assumed UPI pagination)."""
    stories = make_stories(12)
    with upi_mirror(stories=stories, feed_stories=[]) as mirror:
        pages = [stories[0:4], stories[4:8], stories[8:12]]
        for number, page in enumerate(pages, start=1):
            links = "".join(f'<a href="{s.path}">{s.headline}</a>' for s in page)
            links += f'<a href="/Top_News/p{number + 1}/">Next</a>'
            path = "/Top_News/" if number == 1 else f"/Top_News/p{number}/"
            mirror.site.add(path, f"<html><body>{links}</body></html>")
        cutoff = stories[6].published.date().isoformat()
        mirror.crawl(tmp_path / "a", "-a", f"since={cutoff}")
        assert "/Top_News/p4/" not in mirror.site.hits
    frame = pd.read_parquet(tmp_path / "a")
    expected = {f"upi:{s.story_id}" for s in stories if s.published.date().isoformat() >= cutoff}
    assert set(frame["id"]) == expected


def test_exit_status_is_1_when_no_feed_is_reachable(tmp_path: Path) -> None:
    site = Site()
    with Server(site) as base_url:  # every feed answers 404
        result = run_crawl(base_url, tmp_path / "a")
    assert result.returncode == 1, result.stderr[-3000:]
    assert "run FAILED" in result.stderr and "no_feed_reachable" in result.stderr
    assert not (tmp_path / "a").exists() or not data_files(tmp_path / "a")


def test_exit_status_is_1_when_nothing_can_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the dataset directory should be")
    with upi_mirror(2) as mirror:
        result = mirror.run(blocker / "articles")
    assert result.returncode == 1, result.stderr[-3000:]
    assert "cannot use the dataset" in result.stderr and "dataset_unusable" in result.stderr


@pytest.mark.parametrize("feed", [b"<html><body>Not a feed</body></html>", b"\x00\x01binary"])
def test_feed_that_is_not_xml_fails_the_run_with_a_clear_line(tmp_path: Path, feed: bytes) -> None:
    site = Site()
    with Server(site) as base_url:
        for path in FEED_PATHS:
            site.add(path, feed, content_type="application/rss+xml")
        result = run_crawl(base_url, tmp_path / "a",
                           "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/s.json")
    assert result.returncode == 1, result.stderr[-3000:]
    assert "is unreadable" in result.stderr
    assert stats_of(tmp_path / "s.json")["wirecrawl/feeds/invalid"] == 4


def test_feed_links_to_other_hosts_and_schemes_are_never_requested(tmp_path: Path) -> None:
    with upi_mirror(2) as mirror:
        foreign = ("http://169.254.169.254/latest/meta-data/", "file:///etc/passwd",
                   "ftp://127.0.0.1/Top_News/US/2024/03/12/x/1001710249600/",
                   "http://localhost:1/Top_News/US/2024/03/12/x/1001710249600/",
                   "https://evil.example/Top_News/US/2024/03/12/x/1001710249600/")
        mirror.site.add(FEED_PATHS[3], feed_xml(mirror.base_url, [], extra_links=foreign),
                 content_type="application/rss+xml")
        result = mirror.run(tmp_path / "a",
                           "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/s.json")
    assert result.returncode == 0, result.stderr[-3000:]
    stats = stats_of(tmp_path / "s.json")
    assert stats["wirecrawl/skipped/not_article_url"] == len(foreign)
    assert stats["downloader/request_count"] == 1 + 4 + 2  # robots.txt, feeds, articles
    assert len(pd.read_parquet(tmp_path / "a")) == 2


@pytest.mark.parametrize("packing", ["plain", "gzip_encoded"])
def test_a_feed_larger_than_the_size_cap_is_read_up_to_it(tmp_path: Path, packing: str) -> None:
    """Before: a feed past ``DOWNLOAD_MAXSIZE`` (raw, or once its gzip encoding was undone) was
    refused whole as too large, and its first entries, the newest stories, with it."""
    stories = make_stories(6)
    with upi_mirror(stories=stories, feed_stories=[]) as mirror:
        filler = tuple(f"{mirror.base_url}/about/page-{n}.html" for n in range(20_000))  # ~1.2 MB of links
        body = feed_xml(mirror.base_url, stories, extra_links=filler).encode()
        headers = {}
        if packing == "gzip_encoded":
            body, headers = gzip.compress(body), {"Content-Encoding": "gzip"}
        assert len(gzip.decompress(body) if headers else body) > 1_000_000
        mirror.site.add(FEED_PATHS[0], body, content_type="application/rss+xml", **headers)
        result = mirror.run(tmp_path / "data", "-s", "DOWNLOAD_MAXSIZE=200000",
                           "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/stats.json")
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(pd.read_parquet(tmp_path / "data")["id"]) == sorted(f"upi:{s.story_id}" for s in stories)
    stats = stats_of(tmp_path / "stats.json")
    assert stats["wirecrawl/feeds/cut_at_size"] == 1
    assert "is larger than DOWNLOAD_MAXSIZE (200000 bytes)" in result.stderr
    assert "broken XML" not in result.stderr, "the cut is ours, not the feed's"
