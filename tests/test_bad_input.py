"""Bad input (issue: UPI end to end, point 7): every case ends in a log line and a stats counter,
never a crash, never a half-filled row, and never the loss of rows already written."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
import regex

from tests.mirror import (
    FEED_PATHS,
    Server,
    Site,
    Story,
    article_html,
    feed_xml,
    make_stories,
    run_crawl,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory) -> dict:
    """Crawl once a site full of bad pages, after a first clean run wrote two rows."""
    tmp = tmp_path_factory.mktemp("bad")
    dataset = tmp / "articles"
    stories = make_stories(12)
    good, bad = stories[:2], stories[2:]
    site = Site()
    with Server(site) as base_url:
        for path in FEED_PATHS:
            site.add(path, feed_xml(base_url, []), content_type="application/rss+xml")
        site.add(FEED_PATHS[0], feed_xml(base_url, good), content_type="application/rss+xml")
        for story in good:
            site.add(story.path, article_html(story, base_url))
        first = run_crawl(base_url, dataset)
        assert first.returncode == 0, first.stderr[-3000:]

        cases: dict[str, Story] = dict(zip(
            ["missing", "server_error", "hangs", "empty", "cut", "topic", "bare", "latin1_as_utf8",
             "utf8_as_latin1", "huge"], bad, strict=True))
        # (no route for "missing": 404)
        site.add(cases["server_error"].path, "<html>oops</html>", status=500)
        site.add(cases["hangs"].path, article_html(cases["hangs"], base_url), delay=4)
        site.add(cases["empty"].path, b"")
        page = article_html(cases["cut"], base_url).encode()
        site.add(cases["cut"].path, page, truncate_at=len(page) // 3)
        site.add(cases["topic"].path, "<html><head><title>Topic: Harbor</title></head><body>"
                 "<h1>Harbor</h1><ul><li><a href='/a'>a story</a></li></ul></body></html>")
        bare = article_html(cases["bare"], base_url)
        for cut in ('<div class="row author-social">', '<span class="story_dl">'):
            bare = bare.replace(cut, cut.replace("class=", "data-x="))
        # no date shown at all (the date line's text would still be read as a visible date)
        bare = regex.sub(r'<div class="article-date">[^<]*</div>', "", bare)
        bare = bare.replace('itemprop="datePublished"', 'itemprop="x"').replace(
            '"datePublished"', '"x"').replace("(UPI) --", "").replace("By</span>", "</span>")
        bare = bare.replace('<div class="author"><span></span> <div>', '<div class="x"><div>')
        site.add(cases["bare"].path, bare)
        latin = dataclasses.replace(cases["latin1_as_utf8"], paragraphs=(
            "The caf\u00e9 owner said the \u201cnew rules\u201d would cost jobs in the old port "
            "district this winter.",) + cases["latin1_as_utf8"].paragraphs[1:])
        site.add(latin.path, article_html(latin, base_url).encode("cp1252"),
                 content_type="text/html; charset=utf-8")
        utf8 = dataclasses.replace(cases["utf8_as_latin1"], city="S\u00c3O PAULO, Brazil")
        site.add(utf8.path, article_html(utf8, base_url).encode("utf-8"),
                 content_type="text/html; charset=iso-8859-1")
        huge = article_html(cases["huge"], base_url)
        site.add(cases["huge"].path, huge.replace("</body>", "<!--" + "x" * (20 * 2**20) + "-->"
                                                  "</body>"))
        listed = list(cases.values()) + good  # the good ones again: known, not downloaded
        site.add(FEED_PATHS[0], feed_xml(base_url, listed, extra_links=(
            base_url + "/Video/2024/03/12/Some-video/1001710249600/",)),
            content_type="application/rss+xml")
        site.hits.clear()
        result = run_crawl(base_url, dataset, "-s", "DOWNLOAD_TIMEOUT=2",
                           "-s", f"WIRECRAWL_STATS_FILE={tmp}/stats.json")
    return {
        "result": result, "stats": json.loads((tmp / "stats.json").read_text()),
        "frame": pd.read_parquet(dataset), "cases": cases, "good": good, "hits": site.hits,
    }


def test_run_completes_and_keeps_rows_already_written(bad_run: dict) -> None:
    assert bad_run["result"].returncode == 0, bad_run["result"].stderr[-3000:]
    # a dropped page is named in the log, never printed into it (Scrapy's default "Dropped:" line
    # prints the whole item, here the fetched page)
    assert "Topic: Harbor" not in bad_run["result"].stderr
    ids = set(bad_run["frame"]["id"])
    assert {f"upi:{s.story_id}" for s in bad_run["good"]} <= ids
    assert not any(s.path in bad_run["hits"] for s in bad_run["good"])
    assert "Traceback" not in bad_run["result"].stderr


@pytest.mark.parametrize(("case", "stat", "log"), [
    ("missing", "wirecrawl/dropped/http_404", "failed: http_404"),
    ("server_error", "wirecrawl/dropped/http_500", "failed: http_500"),
    ("hangs", "wirecrawl/dropped/timeout", "failed: timeout"),
    ("empty", "wirecrawl/dropped/empty_page", "empty_page"),
    ("cut", "wirecrawl/dropped/truncated", "failed: truncated"),
    ("topic", "wirecrawl/dropped/not_article", "not_article"),
    ("huge", "wirecrawl/dropped/too_large", "failed: too_large"),
])
def test_dropped_with_stat_and_log_line_and_no_row(bad_run: dict, case: str, stat: str,
                                                    log: str) -> None:
    story = bad_run["cases"][case]
    assert bad_run["stats"].get(stat, 0) >= 1
    assert any(story.path in line and log in line
               for line in bad_run["result"].stderr.splitlines()), log
    assert f"upi:{story.story_id}" not in set(bad_run["frame"]["id"])


def test_video_url_in_feed_is_never_requested(bad_run: dict) -> None:
    assert bad_run["stats"]["wirecrawl/skipped/not_article_url"] == 1
    assert not any("/Video/" in h for h in bad_run["hits"])


def test_page_without_byline_dateline_or_date_is_stored_honestly(bad_run: dict) -> None:
    story = bad_run["cases"]["bare"]
    row = bad_run["frame"].set_index("id").loc[f"upi:{story.story_id}"]
    assert list(row["authors"]) == []
    assert row["dateline"] is None or pd.isna(row["dateline"])
    # publication time from the story id (created ten minutes before publication), flagged
    assert row["published_at"] == pd.Timestamp(story.published_utc) - pd.Timedelta(minutes=10)
    stats = bad_run["stats"]
    assert stats["wirecrawl/missing/no_authors"] >= 1
    assert stats["wirecrawl/missing/no_dateline"] >= 1
    assert stats["wirecrawl/missing/published_at_from_url"] >= 1


def test_wrong_charsets_are_repaired(bad_run: dict) -> None:
    frame = bad_run["frame"].set_index("id")
    latin = frame.loc[f"upi:{bad_run['cases']['latin1_as_utf8'].story_id}"]
    assert latin["body"].startswith("The caf\u00e9 owner said the \u201cnew rules\u201d")
    utf8 = frame.loc[f"upi:{bad_run['cases']['utf8_as_latin1'].story_id}"]
    assert utf8["dateline_city"] == "S\u00e3o Paulo" and utf8["dateline_country_code"] == "BR"
    stats = bad_run["stats"]
    assert stats["wirecrawl/encoding/invalid_utf8"] == 1
    assert stats["wirecrawl/encoding/declared_charset_wrong"] == 1


def test_every_stored_row_is_complete(bad_run: dict) -> None:
    frame = bad_run["frame"]
    assert frame["id"].is_unique
    for column in ("id", "url", "headline", "body", "published_at", "fetched_at"):
        assert frame[column].notna().all(), column
    assert (frame["word_count"] >= 15).all()
