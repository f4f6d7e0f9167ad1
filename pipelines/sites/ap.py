"""AP (apnews.com and hosted.ap.org): everything wirecrawl knows about the Associated Press's pages.

Stories are named by a 32-hex id that apnews.com (``/article/<slug>-<id>``) and the partner template at
hosted.ap.org (``/<partner>/article/<id>/<slug>``) share, so a story is stored once whichever led to it.
Times come with offsets (UTC on apnews.com); datelines are ``CITY, State (AP) —``.
"""

from __future__ import annotations

import datetime as dt

import regex

from pipelines.headline import Headline
from pipelines.layouts import ArticleParser
from pipelines.sites.base import Site
from pipelines.trees import has_class

_APNEWS_PATH = regex.compile(r"^/article/(?:(?P<slug>[\w-]+)-)?(?P<id>[0-9a-f]{32})/?$")
_HOSTED_PATH = regex.compile(r"^/(?P<partner>[\w-]+/)?article/(?P<id>[0-9a-f]{32})(?:/[\w-]*)?/?$")


class ApLayout(ArticleParser):
    """Shared by AP's layouts: AP's own furniture."""

    name = "ap"
    language = "en"
    drop_paragraph_patterns = (
        r"Advertisement",
        r"(?:Read|See) more(?: of)? AP[’']s .{0,120}",
        r"Follow (?:AP|the AP).{0,160}",
        r"AP[’']s .{0,80} coverage: .*",
        r"[-_]{2,}",
        r"This story has been (?:corrected|updated).{0,200}",
        r"Copyright \d{4} The Associated Press.*",
    )
    prune_xpaths = (
        f'//*[{has_class("Advertisement")} or {has_class("ad")} or {has_class("ad-placeholder")}]',
        '//*[contains(@class,"related") or contains(@class,"Related")]',
        '//*[contains(@class,"SocialShare") or contains(@class,"share")]',
        '//figure | //figcaption',
        f'//*[{has_class("Infobox")} or {has_class("Enhancement")}]',
    )


class ApNews2024(ApLayout):
    """apnews.com since the 2023 redesign: ``div.RichTextStoryBody``, ``div.Page-authors``."""

    name = "apnews-2024"
    marker_xpath = f'//div[{has_class("RichTextStoryBody")}]'
    headline_xpath = f'//h1[{has_class("Page-headline")}]'
    byline_xpath = f'//div[{has_class("Page-authors")}]'
    body_xpath = f'//div[{has_class("RichTextStoryBody")}]'


class ApNews2023(ApLayout):
    """apnews.com before the redesign (valid until mid-2023): ``div[data-key=article]``."""

    name = "apnews-2023"
    valid_until = dt.date(2023, 8, 31)
    marker_xpath = '//div[@data-key="article"]'
    headline_xpath = '//h1'
    byline_xpath = '//span[contains(@class,"Component-bylines")]'
    body_xpath = '//div[@data-key="article"]'


class ApHosted2019(ApLayout):
    """hosted.ap.org partner template (2019): ``div.ap-story-byline``, body in ``<block>``."""

    name = "ap-hosted-2019"
    template = "hosted.ap.org"
    marker_xpath = f'//div[{has_class("ap-story-byline")}]'
    headline_xpath = '//h2[1] | //meta[@property="og:title"]/@content'
    byline_xpath = '//div[contains(@class,"field-name-field-byline-original")]'
    body_xpath = '//block[.//p[contains(., "(AP)")]]'
    prune_xpaths = (*ApLayout.prune_xpaths, '//*[contains(@class,"ap-story-media")]',
                    '//*[contains(@class,"gallery")]')


class ApHosted2016(ApLayout):
    """hosted.ap.org 2016 template: ``span.entry-content > p.ap-story-p``, time in a title attribute."""

    name = "ap-hosted-2016"
    template = "hosted.ap.org"
    valid_until = dt.date(2017, 12, 31)
    marker_xpath = f'//p[{has_class("ap-story-p")}]'
    headline_xpath = f'//span[{has_class("entry-title")}]'
    byline_xpath = f'//span[{has_class("byline")}]'
    date_xpath = f'//div[{has_class("timestamp")}]/@title'
    body_xpath = f'//span[{has_class("entry-content")}]'
    prune_xpaths = (*ApLayout.prune_xpaths, '//table')

    def headline(self) -> Headline:
        text = self.selected_text("headline")
        return Headline(text, "layout") if text else super().headline()

    def visible_published(self) -> str | None:
        """``2016-06-13T1603Z`` (ISO basic time) -> ``2016-06-13T16:03Z``."""
        raw = self.selected_text("date")
        return regex.sub(r"T(\d\d)(\d\d)Z$", r"T\1:\2Z", raw) if raw else None


AP = Site(
    source="ap", agency="AP", timezone="UTC",
    hosts=frozenset({"apnews.com", "www.apnews.com", "hosted.ap.org"}),
    article_urls=(_APNEWS_PATH, _HOSTED_PATH),
    layouts=(ApNews2024, ApNews2023, ApHosted2019, ApHosted2016),
    fallback=ApLayout,
    robots=("https://apnews.com/robots.txt",),
)
