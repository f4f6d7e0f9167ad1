"""``scrapy crawl wire -a site=https://example.com``: any news site, no site knowledge needed.

Discovery: the site's robots.txt sitemaps and the RSS/Atom feeds its home page declares. Extraction:
trafilatura with JSON-LD/meta metadata and a generic furniture list. The ``agency`` comes from the
story's dateline tag, so an AP story on a partner site is credited to AP. Stories are named by a hash
of their normalized URL (``wire:<hash>``), since a generic site has no id scheme we could trust.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import regex
import scrapy
from scrapy.http import Response, TextResponse

from crawler.spiders.base import WireSpider
from pipelines.extraction import ArticleParser, page_is_described, squash, xpath_text

_NOT_ARTICLE_PATH = regex.compile(
    r"(?:^/?$|/(?:tags?|topics?|category|categories|authors?|search|video|videos|photos?|gallery|"
    r"galleries|live|newsletters?|subscribe|login|account|about|contact|privacy|terms)(?:/|$)"
    r"|\.(?:jpe?g|png|gif|webp|svg|pdf|xml|rss|gz|zip|mp[34]|css|js|json|ico)$)",
    regex.IGNORECASE,
)
_TRACKING = regex.compile(r"^(?:utm_\w+|fbclid|gclid|mc_\w+|spt|or|st_rec|cmpid|ref|src|smid)$",
                          regex.IGNORECASE)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")


class GenericLayout(ArticleParser):
    """Any site: structured metadata, trafilatura, and furniture most news sites share."""

    name = "generic"
    prune_xpaths = (
        '//figure | //figcaption | //aside | //nav | //form',
        '//*[contains(@class,"related") or contains(@class,"Related")]',
        '//*[contains(@class,"newsletter") or contains(@class,"Newsletter")]',
        '//*[contains(@class,"share") or contains(@class,"social")]',
        '//*[contains(@class,"advert") or contains(@class,"-ad-") or contains(@id,"ad-")]',
    )
    drop_paragraph_patterns = (
        r"Advertisement",
        r"(?:Copyright|©) .{0,40}(?:Associated Press|Reuters|All rights reserved).*",
        r"This material may not be published, broadcast, rewritten or redistributed\.?.*",
        r"[-_]{2,}",
        r"Catch up on .{0,120}podcast.*",
    )
    #: the story's own time where no metadata gives it
    date_xpath = "(//article//time/@datetime | //time/@datetime)[1]"

    def parse(self, tree, url: str, **options):
        # Sites whose og:/JSON-LD describe the site, not the story (og:type "website"): trust
        # only the page itself for headline, summary and image.
        self.described = page_is_described(tree)
        return super().parse(tree, url, **options)

    def headline(self) -> str | None:
        if self.described:
            return super().headline()
        return (xpath_text(self.tree, "//article//h1 | //h1")
                or squash(self.fallback().get("title")))

    def description(self) -> str | None:
        return super().description() if self.described else None

    def image_url(self) -> str | None:
        return super().image_url() if self.described else None


class WireGenericSpider(WireSpider):
    """Arguments: ``site`` (not needed with ``urls``), ``urls``, ``since``, ``max_items``."""

    name = "wire"
    source = "wire"
    argument_names = WireSpider.argument_names | {"site"}
    fallback_parser = GenericLayout

    def __init__(self, site: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not site and not self.urls:
            raise ValueError("wire needs a site to crawl; give -a site=https://example.com (or -a urls=…)")
        self.site = site.rstrip("/") if site else None
        parts = urlsplit(self.site or "")
        if self.site and (parts.scheme not in {"http", "https"} or not parts.hostname):
            raise ValueError(f"site must be an http(s) URL such as https://example.com, got {site!r}")
        host = (parts.hostname or "").lower()
        self.site_hosts = frozenset({host, host.removeprefix("www."), "www." + host}) - {"www."}
        if host:
            self.allowed_domains = sorted({*self.allowed_domains, host.removeprefix("www.")})
            self.robots_urls = (f"{self.site}/robots.txt",)

    async def start(self) -> AsyncIterator[Any]:
        async for request in super().start():
            yield request
        if self.site and not self.urls:
            yield scrapy.Request(self.rebase(self.site + "/"), callback=self.parse_home,
                                 errback=self.discovery_failed, priority=20,
                                 meta={"wirecrawl_kind": "home"})

    def parse_home(self, response: Response) -> Iterable[scrapy.Request]:
        """RSS/Atom autodiscovery: ``<link rel="alternate" type="application/rss+xml">``."""
        if not isinstance(response, TextResponse):
            return
        for link in response.xpath('//link[contains(@rel,"alternate")]'):
            if (link.attrib.get("type") or "").lower() not in _FEED_TYPES:
                continue
            url = response.urljoin(link.attrib.get("href", ""))
            if self.accepts_host(urlsplit(url).hostname) or \
                    (urlsplit(url).hostname or "").endswith("." + min(self.site_hosts, key=len)):
                yield scrapy.Request(url, callback=self.parse_feed, errback=self.discovery_failed,
                                     priority=10, meta={"wirecrawl_kind": "feeds"})

    def looks_like_article(self, tree) -> bool:
        """Any page may be a story here; normalization refuses those without body, headline or time."""
        return True

    def story_key(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not self.accepts_host(parts.hostname):
            return None
        if _NOT_ARTICLE_PATH.search(parts.path):
            return None
        return self.named_url_key(url)

    def named_url_key(self, url: str) -> str:
        """Any site's story id: a hash of its normalized URL (also for ``urls=`` the feeds would
        not take, such as ``/topics/…`` paths), the same in every run."""
        return hashlib.sha1(self.normalize_url(url).encode()).hexdigest()[:20]

    def canonical_url(self, declared: str | None, fetched: str, story_id: str) -> str:
        """The page's declared canonical URL when it is on the same site (the story keeps the id of
        the URL it was requested by, so skipping known stories still works); else the fetched one."""
        if declared:
            declared = urljoin(fetched, declared)
            same = (urlsplit(declared).hostname or "").lower().removeprefix("www.") == \
                (urlsplit(fetched).hostname or "").lower().removeprefix("www.")
            if same and urlsplit(declared).scheme in {"http", "https"}:
                return self.normalize_url(declared)
        return self.normalize_url(fetched)

    def normalize_url(self, url: str) -> str:
        """No fragment, no tracking parameters, host in lower case; other parameters kept."""
        parts = urlsplit(url)
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)])
        return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", query, ""))
