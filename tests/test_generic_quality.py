"""The generic path on the aeb-dev pages (news pages of many sites that no rule here was written for):
a row for every story, a body at least as good as plain trafilatura's on the same bytes, the right day.

The figures come from ``benchmarks/generic_quality.py``'s own scorer (the article-extraction benchmark's
4-token shingles); the benchmark prints them in full.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura

from benchmarks.generic_quality import pages, prf, story_text, url_day
from crawler.spiders.wire import GenericSpider
from tests.pages import parse_outcome, spider_of

pytestmark = pytest.mark.quality


@pytest.fixture(scope="module")
def results(corpus: Path) -> list[dict]:
    found = []
    for key, url, html, reference in pages():
        outcome = parse_outcome(spider_of(GenericSpider, urls=url), html, url)
        row = outcome.row if outcome else None
        found.append({
            "key": key, "url": url, "row": row,
            "ours": prf(story_text(row), reference)[2],
            "plain": prf(trafilatura.extract(html, favor_precision=True) or "", reference)[2],
        })
    return found


def test_a_row_for_every_page(results: list[dict]) -> None:
    missing = [r["url"] for r in results if r["row"] is None]
    assert len(missing) <= len(results) // 100, missing


def test_bodies_at_least_as_good_as_plain_trafilatura(results: list[dict]) -> None:
    ours = sum(r["ours"] for r in results) / len(results)
    plain = sum(r["plain"] for r in results) / len(results)
    assert ours >= plain + 0.005, (ours, plain)


def test_published_day_matches_the_day_in_the_url(results: list[dict]) -> None:
    dated = [(r["row"], url_day(r["url"])) for r in results if url_day(r["url"])]
    right = [1 for row, day in dated
             if row and row["published_at"] and abs((row["published_at"].date() - day).days) <= 1]
    assert len(right) >= 0.95 * len(dated)


def test_every_row_says_where_its_date_came_from(results: list[dict]) -> None:
    for r in results:
        row = r["row"]
        if row and row["published_at"] is not None:
            assert row["published_source"] in {"structured", "meta", "visible", "url", "htmldate"}
            assert row["published_precision"] in {"time", "day"}
