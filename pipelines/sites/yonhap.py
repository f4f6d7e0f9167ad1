"""Yonhap (en.yna.co.kr): story ids ``AEN<17 digits>``, KST times, stories ending in a reporter's e-mail
and ``(END)``."""

from __future__ import annotations

import regex

from pipelines.layouts import ArticleParser
from pipelines.sites.base import Site
from pipelines.trees import has_class

_VIEW_PATH = regex.compile(r"^/(?:view|news)/(?P<id>AEN\d{17})/?$")


class YonhapLayout(ArticleParser):
    name = "yonhap"
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


YONHAP = Site(
    source="yonhap", agency="Yonhap", timezone="Asia/Seoul",
    hosts=frozenset({"en.yna.co.kr"}),
    article_urls=(_VIEW_PATH,),
    canonical_path="/view/{id}",
    layouts=(Yonhap2019,),
    fallback=YonhapLayout,
    feeds=("https://en.yna.co.kr/RSS/news.xml",),
    robots=("https://en.yna.co.kr/robots.txt",),
)
