"""Where a wire spider finds its stories: feeds, robots.txt sitemaps (news sitemaps first), sitemap
indexes, and section listings walked back in a ``since`` backfill. Each document is read within bounds
and its outcome counted under ``wirecrawl/<kind>/``; every link found goes to ``article_request``."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure

from crawler.failures import failure_reason
from crawler.feeds import FeedEntry, FeedError, gunzip, parse_feed, parse_sitemap
from crawler.middlewares import CUT

logger = logging.getLogger(__name__)


class Discovery:
    """Mixed into :class:`crawler.spiders.base.ServiceSpider`, which provides ``site``, the bounds and
    ``article_request``."""

    def discovery_requests(self) -> Iterator[scrapy.Request]:
        for url in self.site.feeds:
            yield scrapy.Request(self.rebase(url), callback=self.parse_feed, priority=10,
                                 errback=self.discovery_failed, meta={"wirecrawl_kind": "feeds"})
        for url in self.site.robots:
            yield scrapy.Request(self.rebase(url), callback=self.parse_robots, priority=20,
                                 errback=self.discovery_failed, meta={"wirecrawl_kind": "robots"})
        for url in self.site.sitemaps:
            request = self.sitemap_request(url)
            if request is not None:
                yield request
        if self.since:
            for url in self.site.listings:
                yield scrapy.Request(self.rebase(url), callback=self.parse_listing, priority=5,
                                     errback=self.listing_failed, cb_kwargs={"depth": 1})

    def rebase(self, url: str) -> str:
        """Point a discovery URL (feed, listing) at ``base_url``, keeping its path and query."""
        if not self.base_url:
            return url
        base = urlsplit(self.base_url)
        parts = urlsplit(url)
        return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + parts.path, parts.query, ""))

    def read_document(self, response: Response, kind: str, reader):
        """``reader(body, max_entries)`` on a feed or sitemap (gunzipped within bounds), with the
        outcome logged and counted under ``wirecrawl/<kind>/``; ``None`` when it is unreadable."""
        stats = self.crawler.stats
        body = response.body
        cut = bool(response.meta.get(CUT))
        try:
            if body[:2] == b"\x1f\x8b":
                body, unpacked_cut = gunzip(body, self.max_unpacked_bytes)
                cut = cut or unpacked_cut
            result, repaired = reader(body, self.max_feed_entries)
        except FeedError as exc:
            logger.error("%s %s is unreadable (%s)", kind.rstrip("s"), response.url, exc)
            stats.inc_value(f"wirecrawl/{kind}/invalid")
            return None
        stats.inc_value(f"wirecrawl/{kind}/ok")
        if cut:  # its end is cut off by us, not broken
            logger.warning("%s %s is larger than DOWNLOAD_MAXSIZE (%d bytes): read what its first %d "
                           "bytes hold", kind.rstrip("s"), response.url, self.max_unpacked_bytes,
                           self.max_unpacked_bytes)
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
        self.crawler.stats.inc_value("wirecrawl/feeds/entries", len(entries))
        if len(entries) >= self.max_feed_entries:
            logger.warning("feed %s: read only the first %d entries (WIRECRAWL_MAX_FEED_ENTRIES)",
                           response.url, self.max_feed_entries)
            self.crawler.stats.inc_value("wirecrawl/feeds/capped")
        for entry in entries:
            request = self.article_request(urljoin(response.url, entry.link), entry=entry)
            if request is not None:
                yield request

    def discovery_failed(self, failure: Failure) -> None:
        self.settle(failure.request)
        kind = failure.request.meta.get("wirecrawl_kind", "feeds")
        logger.error("%s %s could not be fetched: %s", kind.rstrip("s"), failure.request.url,
                     failure_reason(failure))
        self.crawler.stats.inc_value(f"wirecrawl/{kind}/failed")

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
            self.crawler.stats.inc_value("wirecrawl/sitemaps/repeated")
            return None
        if len(self.sitemaps_seen) >= self.max_sitemaps:
            self.crawler.stats.inc_value("wirecrawl/sitemaps/over_limit")
            return None
        self.sitemaps_seen.add(url)
        return scrapy.Request(url, callback=self.parse_sitemap, errback=self.discovery_failed,
                              priority=15, meta={"wirecrawl_kind": "sitemaps"})

    def parse_sitemap(self, response: Response) -> Iterable[scrapy.Request]:
        sitemap = self.read_document(response, "sitemaps", parse_sitemap)
        if sitemap is None:
            return
        if sitemap.is_index:
            yield from self._child_sitemaps(response, sitemap.entries)
            return
        self.crawler.stats.inc_value("wirecrawl/sitemaps/entries", len(sitemap.entries))
        for entry in sitemap.entries:
            request = self.article_request(response.urljoin(entry.link), entry=entry)
            if request is not None:
                yield request

    def _child_sitemaps(self, response: Response, entries: list[FeedEntry]):
        """The newest children of a sitemap index (all since ``since`` in a backfill)."""
        def newest(entry: FeedEntry) -> float:
            return entry.modified_at.timestamp() if entry.modified_at else float("-inf")

        ordered = sorted(entries, key=newest, reverse=True)
        if self.since:
            chosen = [e for e in ordered
                      if e.modified_at is None or e.modified_at.date() >= self.since]
        else:
            chosen = ordered[: self.recent_sitemaps]
        for entry in chosen:
            request = self.sitemap_request(response.urljoin(entry.link))
            if request is not None:
                yield request

    def parse_listing(self, response: Response, depth: int) -> Iterable[scrapy.Request]:
        """One page of a section listing: its articles, then the next page while not past ``since``."""
        self.crawler.stats.inc_value("wirecrawl/listings/pages")
        if not isinstance(response, TextResponse):
            return
        dates: list[dt.date] = []
        for href in response.xpath("//a/@href").getall()[: self.max_feed_entries]:
            url = response.urljoin(href)
            if self.site.story_key(url) is None:
                continue
            date = self.site.story_date(url)
            if date:
                dates.append(date)
            request = self.article_request(url, count_non_article=False)
            if request is not None:
                yield request
        reached_since = bool(dates) and self.since is not None and min(dates) < self.since
        if not dates or reached_since or depth >= self.max_listing_pages:
            return
        next_url = self.next_listing_url(response)
        if next_url:
            yield scrapy.Request(next_url, callback=self.parse_listing, errback=self.listing_failed,
                                 priority=5, cb_kwargs={"depth": depth + 1})

    def next_listing_url(self, response: Response) -> str | None:
        """The next (older) page of a listing: ``rel=next``, else by the site's page numbering."""
        href = response.xpath('//a[@rel="next"]/@href | //link[@rel="next"]/@href').get()
        if href:
            return response.urljoin(href)
        links = (response.urljoin(h) for h in response.xpath("//a/@href").getall())
        return self.site.next_listing_page(response.url, links)

    def listing_failed(self, failure: Failure) -> None:
        self.settle(failure.request)
        logger.warning("listing page %s failed: %s", failure.request.url, failure_reason(failure))
        self.crawler.stats.inc_value("wirecrawl/listings/failed")
