"""Reuters (reuters.com): URL scheme, sitemaps and page layouts by era.

Since about 2021 story URLs end in ``<slug>-<YYYY-MM-DD>/`` (id: that last segment); before, in
``…-id<EDITION><KBN code>[<YYYYMMDD>]`` (id: the ``KBN…`` code, which editions share). Stories end with a
``Reporting by …; Editing by …`` credit line, parsed into ``contributors``.
"""

from __future__ import annotations

import datetime as dt

import regex

from pipelines.jsonld import ld_names
from pipelines.layouts import ArticleParser
from pipelines.sites.base import Site
from pipelines.trees import has_class, meta_content

_NEW_PATH = regex.compile(
    r"^/(?:[a-z0-9-]+/){1,4}(?P<id>[a-z0-9-]+-(?P<date>(?:19|20)\d\d-[01]\d-[0-3]\d))/?$")
# 2007-2020: ``/article/<section>/idUSN1022850320080110``,
# ``/article/2014/12/30/<slug>-idINKBN0K80A020141230``, ``/article/<slug>-idUSKBN1ZI0EH``: an edition
# code, the story code (shared by editions), maybe its day.
_OLD_PATH = regex.compile(
    r"^/article/(?:[\w-]+/)*[\w-]*?-?id(?:[A-Z]{2})?(?P<id>[A-Z0-9]{5,12}?)"
    r"(?P<date>(?:19|20)\d\d[01]\d[0-3]\d)?/?$")
# 2007-2008 Africa edition: ``africa.reuters.com/wire/news/<code>.html``
_WIRE_PATH = regex.compile(r"^/wire/news/(?P<id>[A-Za-z0-9]{5,30})\.html$")


class ReutersLayout(ArticleParser):
    name = "reuters"
    language = "en"
    drop_paragraph_patterns = (
        r"Our Standards: The Thomson Reuters Trust Principles\.?.*",
        r"\d+ (?:Min|minute) [Rr]ead",
        r"Sign up here\.?",
        r"(?:Reporting|Writing) by .{0,300}",  # the trailer when it is not the last paragraph
    )
    prune_xpaths = (
        '//figure | //figcaption',
        '//*[contains(@data-testid,"toolbar") or contains(@class,"toolbar")]',
        '//*[contains(@class,"related") or contains(@class,"Related")]',
        '//*[contains(@class,"Slideshow") or contains(@class,"Image")]',
    )

    def structured_authors(self) -> list[str]:
        """Reuters' JSON-LD puts the name under ``byline`` instead of ``name``."""
        author = self.ld.get("author")
        items = author if isinstance(author, list) else [author]
        names = [i["byline"] for i in items if isinstance(i, dict) and isinstance(i.get("byline"), str)]
        return names or ld_names(author)


class Reuters2023(ReutersLayout):
    """reuters.com since about 2021: paragraphs ``p[data-testid=paragraph-N]``."""

    name = "reuters-2023"
    marker_xpath = '//*[starts-with(@data-testid,"paragraph-")]'
    headline_xpath = '//h1'
    byline_xpath = '//*[contains(@class,"article-header__author")]'
    body_xpath = '//div[.//*[@data-testid="paragraph-0"]][contains(@class,"article-body__content")]'


class Reuters2020(ReutersLayout):
    """reuters.com 2018-2020: ``div.ArticleBodyWrapper``, credit line in ``div.Attribution-…``."""

    name = "reuters-2020"
    valid_until = dt.date(2021, 6, 30)
    marker_xpath = '//div[contains(@class,"ArticleBodyWrapper")]'
    headline_xpath = '//h1'
    byline_xpath = '//p[contains(@class,"Byline-byline")]'
    body_xpath = '//div[contains(@class,"ArticleBodyWrapper")]'
    prune_xpaths = (*ReutersLayout.prune_xpaths, '//*[contains(@class,"byline-container")]',
                    '//*[contains(@class,"TrustBadge")]')


class Reuters2014(ReutersLayout):
    """in.reuters.com / reuters.com 2014: ``#articleText``; the time in meta ``REVISION_DATE`` (UTC)."""

    name = "reuters-2014"
    valid_until = dt.date(2017, 12, 31)
    marker_xpath = '//*[@id="articleText"]'
    headline_xpath = '//h1'
    byline_xpath = f'//p[{has_class("byline")}]'
    body_xpath = '//*[@id="articleText"]'

    def visible_published(self) -> str | None:
        return meta_content(self.tree, "REVISION_DATE")


REUTERS = Site(
    source="reuters", agency="Reuters", timezone="UTC",
    # every edition host (``uk.``, ``in.``, ``africa.``, ``today.`` …) serves the same stories
    hosts=frozenset({"reuters.com", "*.reuters.com"}),
    article_urls=(_NEW_PATH, _OLD_PATH, _WIRE_PATH),
    layouts=(Reuters2023, Reuters2020, Reuters2014),
    fallback=ReutersLayout,
    robots=("https://www.reuters.com/robots.txt",),
)
