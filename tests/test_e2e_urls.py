"""A story URL from a feed, a sitemap or ``-a urls=`` is fetched exactly as given (only the fragment
dropped), from a local server that answers each story at its exact URL alone: query order, a blank
parameter and ``ref=`` all matter to it, as they do to many real servers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import scrapy

from crawler.spiders.wire import GenericSpider
from tests.mirror import Server, Site, run_crawl
from tests.pages import spider_of

SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def story(title: str) -> str:
    """A plain news page of a site nobody wrote rules for."""
    text = "".join(f"<p>{title} was the talk of the harbour town on Tuesday, paragraph {n}, as the "
                   f"council met again to argue about the ferry timetable and the new bridge.</p>"
                   for n in range(6))
    return (f'<html lang="en"><head><title>{title}</title><meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="2024-05-03T10:00:00Z"></head>'
            f"<body><article><h1>{title}</h1>{text}</article></body></html>")


#: query strings a normaliser would "clean": a blank parameter and ``ref=``, and an unsorted order
FROM_FEED = "/news/harbour?id=7&cat=&ref=rss"
FROM_SITEMAP = "/news/council?z=2&a=1"
NAMED = "/news/ferry?b=&ref=home&a=3"


def exact_site(base_url: str) -> Site:
    site = Site()
    site.add_exact(FROM_FEED, story("Harbour reopens"))
    site.add_exact(FROM_SITEMAP, story("Council votes"))
    site.add_exact(NAMED, story("Ferry returns"))
    site.add("/feed.xml", f"<rss><channel><item><link>{base_url}{FROM_FEED.replace('&', '&amp;')}"
             f"</link></item></channel></rss>", content_type="application/rss+xml")
    site.add("/sitemap.xml", f'<?xml version="1.0"?><urlset {SITEMAP_NS}><url><loc>{base_url}'
             f"{FROM_SITEMAP.replace('&', '&amp;')}</loc></url></urlset>", content_type="application/xml")
    site.add("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {base_url}/sitemap.xml\n",
             content_type="text/plain")
    site.add("/", '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
             "</head><body>home</body></html>")
    return site


@pytest.mark.e2e
def test_feed_and_sitemap_urls_are_fetched_as_given(tmp_path: Path) -> None:
    holder = Site()
    with Server(holder) as base_url:
        site = exact_site(base_url)
        holder.routes.update(site.routes)
        result = run_crawl(None, tmp_path / "a", "-a", f"site={base_url}", spider="wire")
        assert result.returncode == 0, result.stderr[-3000:]
    assert FROM_FEED in holder.targets and FROM_SITEMAP in holder.targets
    assert "dropped/http_404" not in result.stderr
    frame = pd.read_parquet(tmp_path / "a")
    assert sorted(frame["headline"]) == ["Council votes", "Harbour reopens"]


@pytest.mark.e2e
def test_named_urls_are_fetched_as_given_without_the_fragment(tmp_path: Path) -> None:
    holder = Site()
    with Server(holder) as base_url:
        holder.routes.update(exact_site(base_url).routes)
        result = run_crawl(None, tmp_path / "a", "-a", f"urls={base_url}{NAMED}#comments",
                           spider="wire")
        assert result.returncode == 0, result.stderr[-3000:]
    assert [t for t in holder.targets if t != "/robots.txt"] == [NAMED]
    frame = pd.read_parquet(tmp_path / "a")
    assert list(frame["headline"]) == ["Ferry returns"]


def test_requests_keep_the_url_but_ids_use_the_normalised_form() -> None:
    spider = spider_of(GenericSpider, urls="https://news.example.com/a?b=&ref=x&a=1#top")
    first = spider.article_request("https://news.example.com/a?b=&ref=x&a=1#top", force=True)
    assert isinstance(first, scrapy.Request)
    assert first.url == "https://news.example.com/a?b=&ref=x&a=1"
    # the same story by another spelling is still one story
    assert spider.article_request("https://news.example.com/a?a=1", force=True) is None
    upi = spider_of("upi")
    url = "http://upi.com/Top_News/World-News/2020/01/07/Stampede/1141578394958/?spt=su&or=btn_tw"
    request = upi.article_request(url, force=True)
    assert request.url == url
    assert request.cb_kwargs["story_id"] == "upi:1141578394958"
