"""Yonhap (en.yna.co.kr): story ids ``AEN<17 digits>``, KST times, stories ending in a reporter's e-mail
and ``(END)``."""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import urlsplit, urlunsplit

import regex

from crawler.spiders.base import WireSpider
from pipelines.extraction import ArticleParser, has_class

_VIEW_PATH = regex.compile(r"^/(?:view|news)/(?P<id>AEN\d{17})/?$")


class YonhapLayout(ArticleParser):
    name = "yonhap"
    timezone = "Asia/Seoul"
    language = "en"
    drop_paragraph_patterns = (
        r"[\w.+-]+@yna\.co\.kr\s*(?:\(END\))?",
        r"\(END\)",
        r"\(?(?:LEAD|\d+(?:st|nd|rd|th) LD)\)?",
    )
    prune_xpaths = (
        '//figure | //figcaption',
        '//*[contains(@class,"share") or contains(@class,"sns")]',
        '//*[contains(@class,"related") or contains(@class,"keyword")]',
    )

    def structured_authors(self) -> list[str]:
        return [name for name in super().structured_authors() if name]


class Yonhap2019(YonhapLayout):
    """en.yna.co.kr since about 2019: body in ``article.story-news``."""

    name = "yonhap-2019"
    marker_xpath = f'//article[{has_class("story-news")}]'
    headline_xpath = '//h1'
    body_xpath = f'//article[{has_class("story-news")}]'


class YonhapSpider(WireSpider):
    """``scrapy crawl yonhap``: Yonhap's English RSS feed and robots.txt sitemaps."""

    name = "yonhap"
    source = "yonhap"
    default_agency = "Yonhap"
    timezone = "Asia/Seoul"
    allowed_domains = ["en.yna.co.kr"]
    site_hosts = frozenset({"en.yna.co.kr"})
    article_paths = (_VIEW_PATH,)
    feed_urls = ("https://en.yna.co.kr/RSS/news.xml",)
    robots_urls = ("https://en.yna.co.kr/robots.txt",)
    parsers: ClassVar = (Yonhap2019,)
    fallback_parser = YonhapLayout

    def normalize_url(self, url: str) -> str:
        key = self.story_key(url)
        if key is None:
            return url
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc.lower(), f"/view/{key}", "", ""))
