"""UPI (www.upi.com): everything wirecrawl knows about the site, and nowhere else.

URLs: ``/<Section>[/<Sub>]/<YYYY>/<MM>/<DD>/<Slug>/<ID>/`` (and ``/Archives/...`` for pre-web copy,
``/NewsTrack/<Section>/…/<slug>/<short ID>/`` in 2007-2008, whose IDs of four or more digits carry no time);
the same story also lives at ``/amp/<path>``, ``<path>/print/``, ``<path>/ph<N>/`` and under tracking
queries. The numeric ID, ``UPI-`` prefix dropped, names the story; its last ten digits are the Unix time
of the story's creation. Pages show US Eastern times without a zone marker.
"""

from __future__ import annotations

import datetime as dt

import regex

from pipelines.dates import from_unix, to_utc
from pipelines.layouts import ArticleParser
from pipelines.sites.base import Site
from pipelines.trees import has_class

_ARTICLE_PATH = regex.compile(
    r"^/(?:amp/)?"
    r"(?P<path>(?P<section>[A-Z][\w-]*(?:/[A-Z][\w-]*){0,2})"
    r"/(?P<y>(?:19|20)\d\d)/(?P<m>[01]\d)/(?P<d>[0-3]\d)/(?P<slug>[^/?#]+)/(?:UPI-)?(?P<id>\d{4,16}))"
    r"(?:/(?:print|ph\d+))*/*$"
)
_NOT_ARTICLES = regex.compile(r"^/(?:amp/)?(?:Video|News_Photos|Photos|Slideshow|Topic|Search)/")


class UpiLayout(ArticleParser):
    """What every UPI layout shares: Eastern time, the untrusted JSON-LD fields, the boilerplate."""

    name = "upi"
    language = "en"
    untrusted_ld_fields = frozenset({"url", "dateModified"})
    prune_xpaths = (
        # the furniture's classes in one predicate, tried only on elements that have a class: one walk
        # of the page instead of seven, and most elements passed over at once
        '//*[@class][contains(@class,"related") or contains(@class,"ad_slot") or '
        'contains(@class,"ad-tag") or contains(@class,"ad-container") or contains(@class,"btn-group") or '
        'contains(@class,"author-social") or contains(@class,"share") or contains(@class,"newsletter") or '
        'contains(@class,"trending") or contains(@class,"Trending") or contains(@class,"latest-headlines")]',
        # A newsletter promo whatever its class: the nearest block around "Sign up for our ...
        # newsletter", unless that block holds the story (long paragraphs).
        '//*[starts-with(normalize-space(text()),"Sign up for our")][contains(.,"newsletter")]'
        '/ancestor-or-self::div[1][not(.//p[string-length(normalize-space(.)) > 150])]',
    )
    drop_paragraph_patterns = (
        r"Advertisement",
        r"RELATED\b.*",
        r"Related UPI Stories",
        r"Trending Stories",
        r"Latest Headlines",
        r"Follow Us",
        r"share with (?:facebook|twitter|email)",
        r"Sign up for our .{0,60}newsletter.*",
        r".*\bPhoto (?:by|courtesy of)\b.{0,120}(?:\bUPI\b|\| License Photo)",
        r".*\| License Photo",
        r"(?:Leave a comment|\(\d+\) Leave a comment)",
    )

    def modified_at(self) -> dt.datetime | None:
        """Only the visible "Updated ..." note: UPI's JSON-LD ``dateModified`` copies the publication time."""
        _, found, updated = (self.selected_text("date") or "").partition("Updated")
        return to_utc(updated, self.timezone, require_time=True) if found else None

    def visible_published(self) -> str | None:
        """``Jan. 7, 2020 / 7:28 AM / Updated ...`` -> ``Jan. 7, 2020 / 7:28 AM``."""
        header = self.selected_text("date")
        return header.partition("Updated")[0].strip(" /") or None if header else None


class UpiV2016(UpiLayout):
    """2014-2016: ``div#c_story > h1``, ``div.meta.grey`` ("By X | Jan. 29, 2016 at 1:16 PM"),
    body in ``div.st_text_c``."""

    name = "upi-2016"
    valid_until = dt.date(2017, 6, 30)
    marker_xpath = '//div[@id="c_story"]'
    headline_xpath = '//div[@id="c_story"]/h1'
    byline_xpath = f'//div[{has_class("meta")} and {has_class("grey")}]'
    body_xpath = f'//div[{has_class("st_text_c")}]'
    section_xpath = f'//div[{has_class("breadcrumb")}]//a[last()]'

    def visible_published(self) -> str | None:
        meta = self.selected_text("byline") or ""
        _, bar, when = meta.partition("|")
        return when.strip() or None if bar else None

    def modified_at(self) -> dt.datetime | None:
        return None


class UpiV2020(UpiLayout):
    """2017 onwards: ``div.news-head`` (``div.article-date``, ``h1.headline``, ``div.author``),
    body in ``article[itemprop=articleBody]``."""

    name = "upi-2020"
    marker_xpath = '//article[@itemprop="articleBody"]'
    headline_xpath = f'//h1[{has_class("headline")}]'
    byline_xpath = f'//div[{has_class("news-head")}]//div[{has_class("author")}]'
    date_xpath = f'//div[{has_class("article-date")}]'
    section_xpath = f'//div[{has_class("breadcrumb")}]/a[last()]'
    body_xpath = '//article[@itemprop="articleBody"]'


class UpiSite(Site):
    """UPI's own rule: the story's creation time is in its id."""

    def published_from_url(self, url: str) -> dt.datetime | None:
        """The creation time in the ID's last ten digits, if it agrees with the URL's date."""
        match = self.match_article(url)
        if match is None or match.group("section") == "Archives" or len(match.group("id")) < 13:
            return None
        created = from_unix(int(match.group("id")[-10:]))
        date = self.story_date(url)
        if created is None or date is None or abs((created.date() - date).days) > 2:
            return None
        return created


UPI = UpiSite(
    source="upi", agency="UPI", timezone="America/New_York",
    hosts=frozenset({"upi.com", "www.upi.com"}),
    article_urls=(_ARTICLE_PATH,),
    not_article_paths=_NOT_ARTICLES,
    canonical_path="/{path}/",
    canonical_origin="https://www.upi.com",
    layouts=(UpiV2020, UpiV2016),
    fallback=UpiLayout,
    feeds=(
        "https://rss.upi.com/news/news.rss",
        "https://rss.upi.com/news/top_news.rss",
        "https://rss.upi.com/news/world-news.xml",
        "https://rss.upi.com/news/odd_news.rss",
    ),
    listings=tuple(f"https://www.upi.com/{section}/" for section in (
        "Top_News", "Top_News/US", "Top_News/World-News", "Odd_News", "Science_News", "Health_News",
        "Business_News", "Sports_News", "Entertainment_News", "Defense-News")),
    # Unverified offline: section listings paginated as /<Section>/p<N>/ (see the README).
    listing_page=regex.compile(r"/p(\d+)/?$"),
)
