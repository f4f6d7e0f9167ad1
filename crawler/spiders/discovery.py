"""Where a wire spider finds its stories: feeds, robots.txt sitemaps (news sitemaps first), sitemap
indexes, and section listings walked back in a ``since`` backfill. Each document is read within bounds
and its outcome counted under ``wirecrawl/<kind>/``; every link found goes to the spider's
``article_request``.

:class:`Discovery` is a part of the spider (``spider.discovery``), made when the crawl starts, with its
own state (the bounds, the sitemaps seen). Its requests name the spider's callbacks, since Scrapy keeps a
request on disk (or in Redis) by the name of a spider method; those callbacks hand each response straight
back here (:class:`DiscoveringSpider` says what a spider must have).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure

from crawler import meta
from crawler.failures import failure_reason
from crawler.feeds import FeedEntry, FeedError, gunzip, parse_feed, parse_sitemap
from pipelines.config import read
from pipelines.sites.base import Site

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DiscoveryLimits:
    """How much discovery reads, from the settings of the same names."""

    max_entries: int  # WIRECRAWL_MAX_FEED_ENTRIES
    max_listing_pages: int  # WIRECRAWL_MAX_LISTING_PAGES
    max_sitemaps: int  # WIRECRAWL_MAX_SITEMAPS
    recent_sitemaps: int  # WIRECRAWL_RECENT_SITEMAPS
    max_unpacked_bytes: int  # DOWNLOAD_MAXSIZE

    @classmethod
    def from_settings(cls, settings: Any) -> DiscoveryLimits:
        return cls(*(read(settings, name) for name in (
            "WIRECRAWL_MAX_FEED_ENTRIES", "WIRECRAWL_MAX_LISTING_PAGES", "WIRECRAWL_MAX_SITEMAPS",
            "WIRECRAWL_RECENT_SITEMAPS", "DOWNLOAD_MAXSIZE")))


class DiscoveringSpider(Protocol):
    """What :class:`Discovery` needs of its spider: the site (with the hosts the user named), the
    mirror to rebase onto, the backfill day, the crawler's stats, where links go, and the callbacks."""

    site: Site
    base_url: str | None
    since: dt.date | None
    crawler: Any
    article_request: Callable[..., scrapy.Request | None]
    settle: Callable[[scrapy.Request | None], None]
    parse_feed: Callable[[Response], Iterable[scrapy.Request]]
    parse_robots: Callable[[Response], Iterable[scrapy.Request]]
    parse_sitemap: Callable[[Response], Iterable[scrapy.Request]]
    parse_listing: Callable[..., Iterable[scrapy.Request]]
    discovery_failed: Callable[[Failure], None]
    listing_failed: Callable[[Failure], None]


class Discovery:
    """The discovery of one spider's run (see the module's docstring)."""

    def __init__(self, spider: DiscoveringSpider, limits: DiscoveryLimits) -> None:
        self.spider, self.limits = spider, limits
        self.sitemaps_seen: set[str] = set()

    @property
    def stats(self):
        return self.spider.crawler.stats  # set once the crawl starts, after the spider is made

    def requests(self) -> Iterator[scrapy.Request]:
        """The site's feeds, robots.txt and sitemaps; in a backfill, its section listings."""
        spider = self.spider
        for url in spider.site.feeds:
            yield self.document_request(url, "feeds", spider.parse_feed, priority=10)
        for url in spider.site.robots:
            yield self.document_request(url, "robots", spider.parse_robots, priority=20)
        for url in spider.site.sitemaps:
            request = self.sitemap_request(url)
            if request is not None:
                yield request
        if spider.since:
            for url in spider.site.listings:
                yield scrapy.Request(self.rebase(url), callback=spider.parse_listing, priority=5,
                                     errback=spider.listing_failed, cb_kwargs={"depth": 1})

    def document_request(self, url: str, kind: str, callback, *, priority: int) -> scrapy.Request:
        """A request for a feed, robots.txt or home page, on the mirror if there is one."""
        return scrapy.Request(self.rebase(url), callback=callback, priority=priority,
                              errback=self.spider.discovery_failed, meta={meta.KIND: kind})

    def rebase(self, url: str) -> str:
        """Point a discovery URL (feed, listing) at ``base_url``, keeping its path and query."""
        if not self.spider.base_url:
            return url
        base = urlsplit(self.spider.base_url)
        parts = urlsplit(url)
        return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + parts.path, parts.query, ""))

    def read_document(self, response: Response, kind: str, reader):
        """``reader(body, max_entries)`` on a feed or sitemap (gunzipped within bounds), with the
        outcome logged and counted under ``wirecrawl/<kind>/``; ``None`` when it is unreadable."""
        stats = self.stats
        body = response.body
        cut = bool(response.meta.get(meta.CUT))
        try:
            if body[:2] == b"\x1f\x8b":
                body, unpacked_cut = gunzip(body, self.limits.max_unpacked_bytes)
                cut = cut or unpacked_cut
            result, repaired = reader(body, self.limits.max_entries)
        except FeedError as exc:
            logger.error("%s %s is unreadable (%s)", kind.rstrip("s"), response.url, exc)
            stats.inc_value(f"wirecrawl/{kind}/invalid")
            return None
        stats.inc_value(f"wirecrawl/{kind}/ok")
        if cut:  # its end is cut off by us, not broken
            logger.warning("%s %s is larger than DOWNLOAD_MAXSIZE (%d bytes): read what its first %d "
                           "bytes hold", kind.rstrip("s"), response.url, self.limits.max_unpacked_bytes,
                           self.limits.max_unpacked_bytes)
            stats.inc_value(f"wirecrawl/{kind}/cut_at_size")
        elif repaired:
            logger.warning("%s %s is broken XML; read what could be repaired", kind.rstrip("s"),
                           response.url)
            stats.inc_value(f"wirecrawl/{kind}/repaired")
        return result

    def parse_feed(self, response: Response) -> Iterable[scrapy.Request]:
        entries = self.read_document(response, "feeds", parse_feed)
        if entries is None:
            return
        self.stats.inc_value("wirecrawl/feeds/entries", len(entries))
        if len(entries) >= self.limits.max_entries:
            logger.warning("feed %s: read only the first %d entries (WIRECRAWL_MAX_FEED_ENTRIES)",
                           response.url, self.limits.max_entries)
            self.stats.inc_value("wirecrawl/feeds/capped")
        for entry in entries:
            request = self.spider.article_request(urljoin(response.url, entry.link), entry=entry)
            if request is not None:
                yield request

    def failed(self, failure: Failure) -> None:
        self.spider.settle(failure.request)
        kind = failure.request.meta.get(meta.KIND, "feeds")
        logger.error("%s %s could not be fetched: %s", kind.rstrip("s"), failure.request.url,
                     failure_reason(failure))
        self.stats.inc_value(f"wirecrawl/{kind}/failed")

    def parse_robots(self, response: Response) -> Iterable[scrapy.Request]:
        """``Sitemap:`` lines of robots.txt (Scrapy's reader); news sitemaps first, as they list the
        new stories."""
        found = list(sitemap_urls_from_robots(response.body[:1_000_000], base_url=response.url))
        found.sort(key=lambda url: "news" not in url.lower())
        for url in found:
            request = self.sitemap_request(url)
            if request is not None:
                yield request

    def sitemap_request(self, url: str) -> scrapy.Request | None:
        """A request for a sitemap not yet seen in this run, within ``WIRECRAWL_MAX_SITEMAPS``."""
        url = self.rebase(url)
        if url in self.sitemaps_seen:
            self.stats.inc_value("wirecrawl/sitemaps/repeated")
            return None
        if len(self.sitemaps_seen) >= self.limits.max_sitemaps:
            self.stats.inc_value("wirecrawl/sitemaps/over_limit")
            return None
        self.sitemaps_seen.add(url)
        return scrapy.Request(url, callback=self.spider.parse_sitemap, errback=self.spider.discovery_failed,
                              priority=15, meta={meta.KIND: "sitemaps"})

    def parse_sitemap(self, response: Response) -> Iterable[scrapy.Request]:
        sitemap = self.read_document(response, "sitemaps", parse_sitemap)
        if sitemap is None:
            return
        if sitemap.is_index:
            yield from self._child_sitemaps(response, sitemap.entries)
            return
        self.stats.inc_value("wirecrawl/sitemaps/entries", len(sitemap.entries))
        for entry in sitemap.entries:
            request = self.spider.article_request(response.urljoin(entry.link), entry=entry)
            if request is not None:
                yield request

    def _child_sitemaps(self, response: Response, entries: list[FeedEntry]):
        """The newest children of a sitemap index (all since ``since`` in a backfill)."""
        def newest(entry: FeedEntry) -> float:
            return entry.modified_at.timestamp() if entry.modified_at else float("-inf")

        ordered = sorted(entries, key=newest, reverse=True)
        since = self.spider.since
        if since:
            chosen = [e for e in ordered if e.modified_at is None or e.modified_at.date() >= since]
        else:
            chosen = ordered[: self.limits.recent_sitemaps]
        for entry in chosen:
            request = self.sitemap_request(response.urljoin(entry.link))
            if request is not None:
                yield request

    def parse_listing(self, response: Response, depth: int) -> Iterable[scrapy.Request]:
        """One page of a section listing: its articles, then the next page while not past ``since``."""
        self.stats.inc_value("wirecrawl/listings/pages")
        if not isinstance(response, TextResponse):
            return
        spider, dates = self.spider, []
        for href in response.xpath("//a/@href").getall()[: self.limits.max_entries]:
            url = response.urljoin(href)
            if spider.site.story_key(url) is None:
                continue
            date = spider.site.story_date(url)
            if date:
                dates.append(date)
            request = spider.article_request(url, count_non_article=False)
            if request is not None:
                yield request
        reached_since = bool(dates) and spider.since is not None and min(dates) < spider.since
        if not dates or reached_since or depth >= self.limits.max_listing_pages:
            return
        next_url = self.next_listing_url(response)
        if next_url:
            yield scrapy.Request(next_url, callback=spider.parse_listing, errback=spider.listing_failed,
                                 priority=5, cb_kwargs={"depth": depth + 1})

    def next_listing_url(self, response: Response) -> str | None:
        """The next (older) page of a listing: ``rel=next``, else by the site's page numbering."""
        href = response.xpath('//a[@rel="next"]/@href | //link[@rel="next"]/@href').get()
        if href:
            return response.urljoin(href)
        links = (response.urljoin(h) for h in response.xpath("//a/@href").getall())
        return self.spider.site.next_listing_page(response.url, links)

    def listing_failed(self, failure: Failure) -> None:
        self.spider.settle(failure.request)
        logger.warning("listing page %s failed: %s", failure.request.url, failure_reason(failure))
        self.stats.inc_value("wirecrawl/listings/failed")
