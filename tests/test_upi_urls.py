"""UPI's URL scheme: which URLs are articles, their one normal form, and the story id."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.pages import upi_spider

CANON = ("https://www.upi.com/Top_News/World-News/2020/01/07/"
         "At-least-50-dead-in-stampede-during-funeral-for-Iranian-general/1141578394958/")


@pytest.fixture(scope="module")
def spider():
    return upi_spider()


@pytest.mark.parametrize("url", [
    CANON,
    CANON + "?spt=hs&or=tn",
    CANON.replace("www.upi.com/", "www.upi.com/amp/"),
    CANON + "print/",
    CANON + "ph3/",
    CANON.replace("https://www.", "http://"),
    CANON.rstrip("/"),
    CANON + "#comments",
])
def test_every_form_of_a_story_normalizes_to_one_url_and_id(spider, url: str) -> None:
    assert spider.site.story_key(url) == "1141578394958"
    assert spider.site.normalize_url(url) == CANON


def test_old_ids_drop_the_upi_prefix(spider) -> None:
    url = ("http://www.upi.com/Top_News/2005/01/07/UPI-NewsTrack-TopNews/UPI-68061105118069/"
           "?st_rec=68061105118069")
    assert spider.site.story_key(url) == "68061105118069"
    assert spider.site.story_id(spider.site.story_key(url)) == "upi:68061105118069"
    assert spider.site.normalize_url(url) == (
        "https://www.upi.com/Top_News/2005/01/07/UPI-NewsTrack-TopNews/UPI-68061105118069/")


@pytest.mark.parametrize("url", [
    "https://www.upi.com/",
    "https://www.upi.com/Top_News/",
    "https://www.upi.com/topic/Qassem-Soleimani/",
    "https://www.upi.com/Video/2020/01/07/Some-video/1141578394958/",
    "https://upi.com/6972411",
    "https://www.upi.com.evil.example/Top_News/2020/01/07/x/1141578394958/",
    "https://evil.example/Top_News/2020/01/07/x/1141578394958/",
    "ftp://www.upi.com/Top_News/2020/01/07/x/1141578394958/",
    "file:///Top_News/2020/01/07/x/1141578394958/",
    "https://www.upi.com/Top_News/2020/13/07/x/1141578394958/",
])
def test_non_articles_and_other_hosts_are_rejected(spider, url: str) -> None:
    assert spider.site.story_key(url) is None


def test_story_date_and_id_timestamp(spider) -> None:
    assert spider.site.story_date(CANON) == dt.date(2020, 1, 7)
    assert spider.site.published_from_url(CANON) == dt.datetime(2020, 1, 7, 11, 2, 38,
                                                              tzinfo=dt.timezone.utc)
    archive = "https://www.upi.com/Archives/1993/05/12/Detroit-strike/1234737172800/"
    assert spider.site.story_key(archive) == "1234737172800"
    assert spider.site.published_from_url(archive) is None  # archive ids carry no timestamp


def test_base_url_hosts_are_accepted_and_kept() -> None:
    local = upi_spider(base_url="http://127.0.0.1:8000")
    url = "http://127.0.0.1:8000" + CANON.removeprefix("https://www.upi.com")
    assert local.site.story_key(url) == "1141578394958"
    assert local.site.normalize_url(url + "?x=1") == url
    assert local.discovery.rebase("https://rss.upi.com/news/news.rss") == "http://127.0.0.1:8000/news/news.rss"
    assert "127.0.0.1" in local.allowed_domains
    assert local.site.story_key("http://127.0.0.2:8000" + CANON.removeprefix("https://www.upi.com")) is None
