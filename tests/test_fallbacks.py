"""Never lose a story for want of a detail: dates found wherever the page keeps them (and where from),
stories stored without any date, bodies found where generic pruning would have cut them, authors and
credits from wherever the page keeps them. Pages written for the purpose, parsed by the real spiders."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from crawler.spiders.base import named_urls
from crawler.spiders.wire import GenericSpider
from tests.pages import parse_outcome, spider_of

UTC = dt.timezone.utc
STORY = [
    "The city council voted on Tuesday to close the old harbour bridge to traffic for a year while "
    "engineers replace the steel beams that an inspection found were badly corroded.",
    "Drivers will be sent over the river by the northern ring road, which the council says can carry "
    "the extra cars if the lights at two junctions are retimed before the closure begins.",
    "Shop owners on the waterfront said they feared losing customers and asked the council to pay "
    "for signs pointing visitors to the parking garages that will stay open during the work.",
]


def page(*, head: str = "", before: str = "", body_attrs: str = "", wrap: str = "div",
         story: list[str] | None = None, after: str = "") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in (story or STORY))
    return (f"<html><head><title>Harbour bridge to close for a year</title>{head}</head>"
            f"<body {body_attrs}><nav><a href='/'>Home</a></nav>"
            f"<{wrap} class='main'><h1>Harbour bridge to close for a year</h1>{before}"
            f"<div class='story'>{paragraphs}</div>{after}</{wrap}>"
            f"<footer>About us | Contact</footer></body></html>").encode()


def parse(html: bytes, url: str = "https://news.example.com/local/harbour-bridge-closes"):
    outcome = parse_outcome(spider_of(GenericSpider, urls=url), html, url)
    assert outcome is not None
    return outcome


def test_date_only_in_the_visible_text() -> None:
    outcome = parse(page(before="<div class='meta'>Posted by staff. Last change: March 3, 2021 "
                                "4:15 PM GMT</div>"))
    row = outcome.row
    assert row["published_at"] == dt.datetime(2021, 3, 3, 16, 15, tzinfo=UTC)
    assert (row["published_source"], row["published_precision"]) == ("visible", "time")
    assert outcome.counters["wirecrawl/published_at/visible"] == 1


def test_date_only_in_the_url_is_stored_as_that_day_and_marked() -> None:
    outcome = parse(page(), "https://news.example.com/2019/11/18/harbour-bridge-closes/")
    row = outcome.row
    assert row["published_at"] == dt.datetime(2019, 11, 18, tzinfo=UTC)
    assert (row["published_source"], row["published_precision"]) == ("url", "day")


def test_two_itemprop_words_and_a_non_standard_property_name() -> None:
    head = ('<meta property="article:published" itemprop="datePublished dateCreated" '
            'content="2019-11-19T11:00:09.000Z">')
    row = parse(page(head=head)).row
    assert row["published_at"] == dt.datetime(2019, 11, 19, 11, 0, 9, tzinfo=UTC)
    assert row["published_source"] == "meta"


def test_a_day_only_meta_beats_the_url_and_says_day() -> None:
    row = parse(page(head='<meta name="sailthru.date" content="2020-02-03">'),
                "https://news.example.com/2019/11/18/harbour/").row
    assert row["published_at"] == dt.datetime(2020, 2, 3, tzinfo=UTC)
    assert (row["published_source"], row["published_precision"]) == ("meta", "day")


def test_no_date_at_all_still_stores_the_story_undated() -> None:
    outcome = parse(page())
    row = outcome.row
    assert row is not None and row["body"].startswith("The city council voted")
    assert row["published_at"] is None and row["published_source"] is None
    assert outcome.counters["wirecrawl/items/undated"] == 1
    assert outcome.counters["wirecrawl/missing/no_published_at"] == 1


def test_a_story_inside_a_form_and_a_share_classed_container_is_found() -> None:
    # ASP.NET wraps the whole page in a <form>; the story's own container carries a "social" class
    html = page(wrap="form", before="<div class='share-bar'><a>Share</a></div>").replace(
        b"<div class='story'>", b"<div class='story social-embed-ready'>")
    row = parse(html).row
    assert row is not None
    assert row["body"].split("\n\n") == STORY
    assert "Share" not in row["body"]


def test_shared_furniture_leaves_the_body() -> None:
    furniture = ["What to know about the harbour works", "Our Standards: The Thomson Reuters Trust "
                 "Principles.", "Read more: Council approves budget for bridge repairs",
                 "Sign up for our morning newsletter to get the day's news in your inbox."]
    row = parse(page(story=STORY[:2] + furniture[:2] + STORY[2:] + furniture[2:])).row
    assert row["body"].split("\n\n") == STORY


def test_the_visible_byline_wins_when_it_names_more_people() -> None:
    head = ('<script type="application/ld+json">' + json.dumps({
        "@type": "NewsArticle", "headline": "Harbour bridge to close for a year",
        "datePublished": "2019-11-20T10:52:20Z",
        "author": [{"@type": "Person", "name": "Lisa Mascaro"},
                   {"@type": "Person", "name": "Mary Clare Jalonick"}]}) + "</script>")
    html = page(head=head, before="<p class='byline'>By LISA MASCARO, MARY CLARE JALONICK and ERIC "
                                  "TUCKER</p>")
    row = parse(html).row
    assert row["authors"] == ["Lisa Mascaro", "Mary Clare Jalonick", "Eric Tucker"]


def test_credit_line_kept_only_in_embedded_json() -> None:
    state = json.dumps({"article": {"attribution": "(Reporting by Jill Serjeant; additional reporting "
                                                   "by Steve Gorman; Editing by Nick Zieminski)"}})
    row = parse(page(head=f"<script>window.__STATE__ = {state};</script>")).row
    assert row["contributors"] == ["Jill Serjeant", "Steve Gorman", "Nick Zieminski"]


def test_generic_spider_stores_the_canonical_url_but_keeps_the_requested_id() -> None:
    fetched = "https://www.news.example.com/local/harbour-bridge-closes?utm_source=x&page=1"
    html = page(head='<link rel="canonical" href="https://news.example.com/local/harbour-bridge">')
    spider = spider_of(GenericSpider, urls=fetched)
    row = parse_outcome(spider, html, fetched).row
    assert row["url"] == "https://news.example.com/local/harbour-bridge"
    assert row["id"] == "wire:" + spider.site.story_key(fetched)
    offsite = page(head='<link rel="canonical" href="https://elsewhere.example.org/story">')
    assert parse_outcome(spider, offsite, fetched).row["url"] == spider.site.normalize_url(fetched)


def test_a_page_with_no_story_is_still_dropped() -> None:
    outcome = parse(page(story=["Subscribe", "Log in"]))
    assert outcome.row is None and outcome.reason == "no_body"


@pytest.mark.parametrize(("value", "expected"), [
    ("https://a.example/x,https://b.example/y", ["https://a.example/x", "https://b.example/y"]),
    ("https://www.news.com.au/world/0,21598,23026523-5005361,00.html",
     ["https://www.news.com.au/world/0,21598,23026523-5005361,00.html"]),
    ("https://a.example/1,2, https://b.example/", ["https://a.example/1,2", "https://b.example/"]),
])
def test_urls_split_only_where_a_url_begins(value: str, expected: list[str]) -> None:
    assert named_urls(value) == expected


def test_urls_from_a_file(tmp_path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text("# wanted\nhttps://www.news.com.au/world/0,21598,23026523-5005361,00.html\n\n"
                      "https://b.example/topics/harbour\n")
    assert named_urls(f"@{listed}") == [
        "https://www.news.com.au/world/0,21598,23026523-5005361,00.html",
        "https://b.example/topics/harbour"]
    with pytest.raises(ValueError, match="cannot be read"):
        named_urls(f"@{tmp_path}/missing.txt")
    with pytest.raises(ValueError, match="http"):
        named_urls("not-a-url")
