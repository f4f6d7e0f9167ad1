"""The shared wire spider: discovery, incremental skipping, bounds and bookkeeping.

A service's module subclasses :class:`WireSpider` and states only its site knowledge: feeds, listing
pages, what an article URL looks like and how to name the story, and its page layouts (parsers).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit, urlunsplit

import regex
import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from crawler import signals as wire_signals
from crawler.feeds import FeedEntry, FeedError, gunzip, parse_feed, parse_sitemap
from crawler.items import PageItem
from pipelines.check import quarantine_damaged
from pipelines.dataset import read_ids, try_run_lock
from pipelines.extraction import (
    ArticleParser,
    ExtractionSettings,
    decode_html,
    load_html,
    page_is_described,
)
from pipelines.idset import IdSet, KnownIds
from pipelines.normalize import Context, Rejected, normalize
from pipelines.workers import Outcome

logger = logging.getLogger(__name__)


class WireSpider(scrapy.Spider):
    """Base of the wire spiders. Arguments: ``base_url``, ``urls``, ``max_items``, ``since``."""

    #: the ``-a`` names a spider takes (the crawl command refuses others, naming these)
    argument_names: ClassVar[frozenset[str]] = frozenset({"base_url", "urls", "max_items", "since"})

    #: value of the dataset's ``source`` column and partition; also the id prefix.
    source: ClassVar[str]
    default_agency: ClassVar[str | None] = None
    #: zone of times shown on the site's pages without an offset.
    timezone: ClassVar[str] = "UTC"
    feed_urls: ClassVar[tuple[str, ...]] = ()
    #: robots.txt files whose ``Sitemap:`` lines are read (news sitemaps first).
    robots_urls: ClassVar[tuple[str, ...]] = ()
    #: sitemaps read directly.
    sitemap_urls: ClassVar[tuple[str, ...]] = ()
    #: section listing pages walked back in a ``since`` backfill.
    listing_urls: ClassVar[tuple[str, ...]] = ()
    #: page layouts, newest first; the first whose marker matches parses the page.
    parsers: ClassVar[tuple[type[ArticleParser], ...]] = ()
    #: for article pages of no known layout (structured data says they are articles).
    fallback_parser: ClassVar[type[ArticleParser]] = ArticleParser

    def __init__(
        self,
        base_url: str | None = None,
        urls: str | None = None,
        max_items: str | int | None = None,
        since: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.base_url = _check_base_url(base_url) if base_url else None
        self.urls = named_urls(urls)
        if urls is not None and not self.urls:
            raise ValueError("urls names no URL; give http(s) URLs separated by commas, or @FILE")
        self.max_items = _positive_int(max_items, "max_items")
        self.since = _past_day(since, "since") if since else None
        #: hosts the user named (``base_url``, ``urls``): accepted beside the service's own.
        self.extra_hosts = {h.lower() for h in
                            [urlsplit(u).hostname for u in [self.base_url or "", *self.urls]] if h}
        domains = list(getattr(self, "allowed_domains", []) or [])
        self.allowed_domains = domains + sorted(self.extra_hosts - set(domains))
        #: the stored stories, with when each newest stored version was fetched (compact)
        self.known_ids = KnownIds.from_pairs([])
        self.refresh_window = dt.timedelta(hours=48)
        #: every story requested in this run (compact), how many, and those still without an outcome
        self.requested = IdSet()
        self.requested_count = 0
        self.pending: dict[str, str] = {}
        #: known stories already counted as skipped in this run
        self.skipped_ids = IdSet()
        self.max_feed_entries = 5000
        self.max_listing_pages = 200
        self.max_sitemaps = 20
        self.recent_sitemaps = 3
        self.max_unpacked_bytes = 64 * 1024 * 1024
        self.sitemaps_seen: set[str] = set()
        self.extraction = ExtractionSettings()
        #: damaged dataset files moved to the quarantine, and files that could not be read, at start
        self.quarantined: list[str] = []
        self.unreadable: list[str] = []
        #: sharing a frontier with other workers through Redis (``REDIS_URL``)
        self.distributed = False

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        #: the ``-a`` arguments, to rebuild the spider's site knowledge in worker processes
        spider.arguments = dict(kwargs)
        settings = crawler.settings
        spider.max_feed_entries = settings.getint("WIRECRAWL_MAX_FEED_ENTRIES", 5000)
        spider.max_listing_pages = settings.getint("WIRECRAWL_MAX_LISTING_PAGES", 200)
        spider.max_sitemaps = settings.getint("WIRECRAWL_MAX_SITEMAPS", 20)
        spider.recent_sitemaps = settings.getint("WIRECRAWL_RECENT_SITEMAPS", 3)
        spider.max_unpacked_bytes = settings.getint("DOWNLOAD_MAXSIZE", 64 * 1024 * 1024)
        spider.distributed = bool(settings.get("REDIS_URL"))
        if not spider.base_url and settings.get("WIRECRAWL_BASE_URL"):  # a mirror, set once for all runs
            spider.base_url = _check_base_url(settings.get("WIRECRAWL_BASE_URL"))
            host = (urlsplit(spider.base_url).hostname or "").lower()
            spider.extra_hosts.add(host)
            spider.allowed_domains = [*spider.allowed_domains, host]
        spider.refresh_window = dt.timedelta(hours=settings.getfloat("REFRESH_WINDOW", 48))
        spider.extraction = ExtractionSettings(
            max_html_bytes=settings.getint("WIRECRAWL_MAX_HTML_BYTES", 5 * 1024 * 1024))
        root = settings.get("DATASET_URI")
        spider.quarantined = []
        if root:
            try:
                spider.quarantined = [str(p.path) for p in quarantine_damaged(root)]
            except OSError as exc:  # an unusable dataset folder: the run lock reports it
                logger.debug("dataset %s not checked: %s", root, exc)
        known, unreadable = read_ids(root, cls.source)
        spider.known_ids = known
        spider.unreadable = [str(p) for p in unreadable]
        for path in unreadable:
            logger.error("dataset file %s is unreadable; its stories will be fetched again", path)
        logger.info("%s: %d stories already in the dataset", cls.source, len(known))
        return spider

    # -- site knowledge, overridden by each service -------------------------------------------

    #: the service's hosts, and its article paths: regular expressions with an ``id`` group and an
    #: optional ``date`` group (``YYYY-MM-DD`` or ``YYYYMMDD``), read by the methods below.
    site_hosts: ClassVar[frozenset[str]] = frozenset()
    article_paths: ClassVar[tuple[regex.Pattern[str], ...]] = ()

    def match_article(self, url: str) -> regex.Match[str] | None:
        """The article-path match of ``url`` on one of the service's hosts, or ``None``."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not self.accepts_host(parts.hostname):
            return None
        path = parts.path.replace("//", "/")
        return next((m for p in self.article_paths if (m := p.match(path))), None)

    def story_key(self, url: str) -> str | None:
        """The service's story id if ``url`` is one of its article URLs, else ``None``."""
        match = self.match_article(url)
        return match.group("id") if match else None

    def normalize_url(self, url: str) -> str:
        """The one URL form of a story: no query or fragment, host in lower case."""
        if self.match_article(url) is None:
            return url
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, "", ""))

    def named_url_key(self, url: str) -> str:
        """The id of a URL named in ``-a urls=`` that is none of the service's article URLs: a hash of
        its canonical form (query order and fragment ignored), stable across runs."""
        return "url-" + hashlib.sha1(canonicalize_url(url).encode()).hexdigest()[:20]

    def story_date(self, url: str) -> dt.date | None:
        """The story's date as its URL tells it, for ``since`` before any download."""
        match = self.match_article(url)
        raw = match.groupdict().get("date") if match else None
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw if "-" in raw else f"{raw[:4]}-{raw[4:6]}-{raw[6:]}")
        except ValueError:
            return None

    def fallback_published_at(self, url: str) -> dt.datetime | None:
        """A last-resort publication time derived from the URL."""
        return None

    def next_listing_url(self, response: Response) -> str | None:
        """The next (older) page of a listing."""
        href = response.xpath('//a[@rel="next"]/@href | //link[@rel="next"]/@href').get()
        return response.urljoin(href) if href else None

    def accepts_host(self, host: str | None) -> bool:
        """Whether ``host`` is one of the service's hosts or one the user named."""
        host = (host or "").lower()
        return host in self.site_hosts or host in self.extra_hosts

    # -- discovery ------------------------------------------------------------------------------

    def story_id(self, key: str) -> str:
        return f"{self.source}:{key}"

    def rebase(self, url: str) -> str:
        """Point a discovery URL (feed, listing) at ``base_url``, keeping its path and query."""
        if not self.base_url:
            return url
        base = urlsplit(self.base_url)
        parts = urlsplit(url)
        path = base.path.rstrip("/") + parts.path
        return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))

    def acquire_run_lock(self) -> bool:
        """One run per source and dataset at a time: two would fetch and store the same stories
        (unless they share a frontier in Redis, which hands each story to one of them)."""
        root = self.crawler.settings.get("DATASET_URI")
        if not root or self.distributed:
            return True
        try:
            self._run_lock = try_run_lock(root, self.source)
        except OSError as exc:
            logger.error("cannot use the dataset at %s: %s", root, exc)
            self.crawler.stats.set_value("wirecrawl/failed/dataset_unusable", 1)
            return False
        if self._run_lock is None:
            logger.error("another %s run is using %s; this run does nothing", self.source, root)
            self.crawler.stats.set_value("wirecrawl/failed/concurrent_run", 1)
            return False
        return True

    async def start(self) -> AsyncIterator[Any]:
        stats = self.crawler.stats  # set by now (not yet in from_crawler)
        if self.quarantined:
            stats.set_value("wirecrawl/dataset/quarantined", len(self.quarantined))
            stats.set_value("wirecrawl/dataset/quarantined_files", list(self.quarantined))
        if self.unreadable:
            stats.set_value("wirecrawl/dataset/unreadable_files", len(self.unreadable))
        if not self.acquire_run_lock():
            return
        if self.urls:
            for url in self.urls:
                request = self.article_request(url, force=True)
                if request is not None:
                    yield request
            return
        for url in self.feed_urls:
            yield scrapy.Request(self.rebase(url), callback=self.parse_feed,
                                 errback=self.discovery_failed, priority=10,
                                 meta={"wirecrawl_kind": "feeds"})
        for url in self.robots_urls:
            yield scrapy.Request(self.rebase(url), callback=self.parse_robots,
                                 errback=self.discovery_failed, priority=20,
                                 meta={"wirecrawl_kind": "robots"})
        for url in self.sitemap_urls:
            request = self.sitemap_request(url)
            if request is not None:
                yield request
        if self.since:
            for url in self.listing_urls:
                yield scrapy.Request(self.rebase(url), callback=self.parse_listing,
                                     errback=self.listing_failed, priority=5,
                                     cb_kwargs={"depth": 1})

    def read_document(self, response: Response, kind: str, reader):
        """``reader(body, max_entries)`` on a feed or sitemap (gunzipped within bounds), with the
        outcome logged and counted under ``wirecrawl/<kind>/``; ``None`` when it is unreadable."""
        stats = self.crawler.stats
        body = response.body
        try:
            if body[:2] == b"\x1f\x8b":
                body = gunzip(body, self.max_unpacked_bytes)
            result, repaired = reader(body, self.max_feed_entries)
        except FeedError as exc:
            logger.error("%s %s is unreadable (%s)", kind.rstrip("s"), response.url, exc)
            stats.inc_value(f"wirecrawl/{kind}/invalid")
            return None
        stats.inc_value(f"wirecrawl/{kind}/ok")
        if repaired:
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

    def settle(self, request: scrapy.Request | None) -> None:
        """This request is finished without a row (see :mod:`crawler.signals`)."""
        if request is not None:
            self.crawler.signals.send_catch_log(wire_signals.claim_released,
                                                key=request.meta.get("wirecrawl_claim"))

    def discovery_failed(self, failure: Failure) -> None:
        self.settle(failure.request)
        kind = failure.request.meta.get("wirecrawl_kind", "feeds")
        logger.error("%s %s could not be fetched: %s", kind.rstrip("s"), failure.request.url,
                     _failure_reason(failure))
        self.crawler.stats.inc_value(f"wirecrawl/{kind}/failed")

    def parse_robots(self, response: Response) -> Iterable[scrapy.Request]:
        """``Sitemap:`` lines of robots.txt; news sitemaps first, as they list the new stories."""
        if not isinstance(response, TextResponse):
            return
        found = [line.split(":", 1)[1].strip() for line in response.text.splitlines()[:5000]
                 if line.lower().startswith("sitemap:")]
        found.sort(key=lambda url: "news" not in url.lower())
        for url in found:
            request = self.sitemap_request(response.urljoin(url))
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
        stats = self.crawler.stats
        stats.inc_value("wirecrawl/listings/pages")
        if not isinstance(response, TextResponse):
            return
        dates: list[dt.date] = []
        for href in response.xpath("//a/@href").getall()[: self.max_feed_entries]:
            url = response.urljoin(href)
            if self.story_key(url) is None:
                continue
            date = self.story_date(url)
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
            yield scrapy.Request(next_url, callback=self.parse_listing,
                                 errback=self.listing_failed, priority=5,
                                 cb_kwargs={"depth": depth + 1})

    def listing_failed(self, failure: Failure) -> None:
        self.settle(failure.request)
        logger.warning("listing page %s failed: %s", failure.request.url,
                       _failure_reason(failure))
        self.crawler.stats.inc_value("wirecrawl/listings/failed")

    def article_request(
        self,
        url: str,
        entry: FeedEntry | None = None,
        *,
        force: bool = False,
        count_non_article: bool = True,
    ) -> scrapy.Request | None:
        """A request for an article URL, or ``None`` (with a stats count) when it is to be skipped."""
        stats = self.crawler.stats
        key = self.story_key(url)
        if key is None and not force:
            if count_non_article:
                logger.info("not an article URL, skipped: %s", url[:300])
                stats.inc_value("wirecrawl/skipped/not_article_url")
            return None
        if key is None and force:  # the user named it: an article, whatever its address looks like
            key = self.named_url_key(url)
        story_id = self.story_id(key)
        if story_id in self.requested or story_id in self.skipped_ids:
            stats.inc_value("wirecrawl/skipped/duplicate_url")
            return None
        if not force:
            if story_id in self.known_ids and not self.is_updated(story_id, entry):
                self.skipped_ids.add(story_id)
                stats.inc_value("wirecrawl/skipped/known")
                return None
            date = self.story_date(url) or (entry.published_at.date()
                                            if entry and entry.published_at else None)
            if self.since and date and date < self.since:
                stats.inc_value("wirecrawl/skipped/before_since")
                return None
        if self.max_items is not None and self.requested_count >= self.max_items:
            stats.inc_value("wirecrawl/skipped/max_items")
            return None
        self.requested.add(story_id)
        self.requested_count += 1
        if not self.distributed:  # there, another worker may answer it: the frontier keeps count
            self.pending[story_id] = url
        stats.inc_value("wirecrawl/articles/requested")
        claim = story_id
        if story_id in self.known_ids:
            stats.inc_value("wirecrawl/refresh/requested")
            modified = entry.modified_at if entry else None
            claim = f"{story_id}#refresh:{modified.isoformat() if modified else 'forced'}"
        return scrapy.Request(
            self.normalize_url(url), callback=self.parse_article, errback=self.article_failed,
            cb_kwargs={"story_id": story_id}, dont_filter=force, meta={"wirecrawl_claim": claim},
        )

    def is_updated(self, story_id: str, entry: FeedEntry | None) -> bool:
        """Whether a stored story's feed/sitemap entry shows a change made after we fetched it,
        within ``REFRESH_WINDOW`` of now (older corrections are left alone)."""
        modified = entry.modified_at if entry else None
        fetched = self.known_ids.get(story_id)
        if modified is None or fetched is None or modified <= fetched:
            return False
        return modified >= dt.datetime.now(dt.timezone.utc) - self.refresh_window

    # -- articles -------------------------------------------------------------------------------

    def parse_article(self, response: Response, story_id: str) -> Iterable[PageItem]:
        """Cheap checks on the reactor; the parsing is :meth:`build_row`, in a worker process."""
        self.pending.pop(story_id, None)
        fetched_at = dt.datetime.now(dt.timezone.utc)
        if not isinstance(response, TextResponse):
            self.settle(response.request)
            return self.drop(response.url, "not_html",
                             response.headers.get("Content-Type", b"?").decode("latin-1"))
        if len(response.body) > self.extraction.max_html_bytes:
            self.settle(response.request)
            return self.drop(response.url, "too_large", f"{len(response.body)} bytes")
        return [PageItem(id=story_id, source=self.source, url=response.url, body=response.body,
                         encoding=response.encoding, fetched_at=fetched_at,
                         is_update=story_id in self.known_ids,
                         claim=response.request.meta.get("wirecrawl_claim")
                         if response.request is not None else None)]

    def build_row(self, page: dict[str, Any]) -> Outcome:
        """Fetched page -> dataset row, or the reason there is none. Runs in a worker process:
        it uses the spider's site knowledge only, never the crawler."""
        out = Outcome()
        url, story_id, body = page["url"], page["id"], page["body"]
        text, repair = decode_html(body, body.decode(page.get("encoding") or "utf-8", "replace"))
        if repair:
            out.log(logging.INFO, f"{url[:300]}: {repair.replace('_', ' ')}, decoded again")
            out.count(f"wirecrawl/encoding/{repair}")
        text = text.replace("\x00", "")
        if not text.strip():
            return out.drop("empty_page", "no content")
        tree = load_html(text, self.extraction.max_html_bytes)
        if tree is None or tree.find(".//body") is None:
            return out.drop("unparsable", "not HTML")
        parser_cls = next((p for p in self.parsers if p.matches(tree)), None)
        unknown = parser_cls is None
        if unknown:
            # a page of the service's article URLs in a layout no parser knows: still a story,
            # read by the generic rules with the service's knowledge, and counted for the drift alarm
            parser_cls = self.fallback_parser
            if self.parsers:  # the generic spider has no layouts: the generic one is its own
                out.count("wirecrawl/layout/unknown")
        out.count(f"wirecrawl/layout/{parser_cls.name}")
        extracted = parser_cls(self.extraction).parse(
            tree, url, html=text, site_published=self.fallback_published_at(url))
        out.count("wirecrawl/articles/parsed")
        for note in extracted.notes:
            if note.startswith("fallback:"):
                out.count(f"wirecrawl/fallback/{note.removeprefix('fallback:')}")
                continue
            out.count(f"wirecrawl/{note.split(':')[0]}")
            out.log(logging.WARNING, f"{url[:300]}: {note} (the value was not believed)")
        context = Context(
            id=story_id, source=self.source,
            url=self.canonical_url(extracted.canonical_url, url, story_id),
            fetched_at=page["fetched_at"], default_agency=self.default_agency,
            timezone=self.timezone)
        try:
            row, notes = normalize(extracted, context)
        except Rejected as exc:
            if unknown and exc.reason == "no_body" and not self.looks_like_article(tree):
                return out.drop("not_article", "no known layout, no story text, no article markup")
            return out.drop(exc.reason, exc.detail)
        out.count(f"wirecrawl/published_at/{extracted.published_source or 'none'}")
        if row["published_at"] is None:
            out.count("wirecrawl/items/undated")
        for note in notes:
            out.count(f"wirecrawl/missing/{note}")
        if notes:
            out.log(logging.INFO, f"{context.url[:300]} stored without: {', '.join(notes)}")
        out.row = row
        return out

    def account_unanswered(self) -> None:
        """Every requested story must end somewhere: one that Scrapy filtered without telling the
        request's errback (duplicate filter, a middleware) is counted and named here, once.
        Called by :class:`crawler.extensions.RunSummary` when the spider closes."""
        for url in self.pending.values():
            logger.warning("dropped %s: unanswered (filtered before any response)", url[:300])
            self.crawler.stats.inc_value("wirecrawl/dropped/unanswered")
        self.pending.clear()

    def looks_like_article(self, tree) -> bool:
        """For a page of no known layout: does its structured data say it is an article?"""
        return page_is_described(tree)

    def canonical_url(self, declared: str | None, fetched: str, story_id: str) -> str:
        """The page's declared canonical URL if it names the same story, else the fetched one."""
        if declared:
            declared = urljoin(fetched, declared)
            key = self.story_key(declared)
            if key is not None and self.story_id(key) == story_id:
                return self.normalize_url(declared)
        return self.normalize_url(fetched)

    def drop(self, url: str, reason: str, detail: str) -> list[PageItem]:
        logger.warning("dropped %s: %s (%s)", url[:300], reason, detail[:200])
        self.crawler.stats.inc_value(f"wirecrawl/dropped/{reason}")
        return []

    def article_failed(self, failure: Failure) -> None:
        self.settle(failure.request)
        self.pending.pop(failure.request.cb_kwargs.get("story_id", ""), None)
        reason = _failure_reason(failure)
        logger.warning("article %s failed: %s", failure.request.url[:300], reason)
        self.crawler.stats.inc_value(f"wirecrawl/dropped/{reason}")


_FAILURE_NAMES = {
    "DownloadTimeoutError": "timeout", "TimeoutError": "timeout", "TCPTimedOutError": "timeout",
    "DownloadCancelledError": "too_large", "ResponseDataLossError": "truncated",
    "ResponseFailed": "truncated", "DownloadConnectionRefusedError": "connection_refused",
    "ConnectionRefusedError": "connection_refused", "CannotResolveHostError": "dns_error",
    "DNSLookupError": "dns_error",
}


_IGNORED_BECAUSE = (("max redirections", "too_many_redirects"), ("redirect loop", "redirect_loop"),
                    ("robots.txt", "robots_forbidden"), ("off-site", "offsite"),
                    ("offsite", "offsite"), ("decompression", "too_large"))


def _failure_reason(failure: Failure) -> str:
    """A short stats-friendly reason: ``http_404``, ``timeout``, ``too_large``, ``truncated``..."""
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"http_{response.status}"
    name = type(failure.value).__name__
    if name == "IgnoreRequest":
        message = str(failure.value).lower()
        return next((reason for cue, reason in _IGNORED_BECAUSE if cue in message), "ignored")
    return _FAILURE_NAMES.get(name, f"download_error/{name}")


def named_urls(value: str | None) -> list[str]:
    """The URLs of ``-a urls=``: ``URL1,URL2`` (split only where a new ``http(s)://`` begins, since
    commas are legal in URLs: ``…/0,21598,23026523-5005361,00.html``) or ``@FILE``, one URL a line
    (blank lines and ``#`` comments skipped). Anything but an http(s) URL is refused."""
    if not value:
        return []
    if value.startswith("@"):
        path = Path(value[1:]).expanduser()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ValueError(f"urls file {str(path)!r} cannot be read: {exc.strerror}") from exc
        found = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    else:
        found = [part.strip() for part in regex.split(r",\s*(?=https?://)", value) if part.strip()]
    bad = [u for u in found if urlsplit(u).scheme not in {"http", "https"} or not urlsplit(u).netloc]
    if bad:
        raise ValueError(f"urls must be http(s) URLs, got {bad[0]!r}")
    return found


def _check_base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"base_url must be an http(s) URL such as http://127.0.0.1:8000, got {value!r}")
    return value.rstrip("/")


def _positive_int(value: str | int | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or str(value).strip() != str(number):
        raise ValueError(f"{name} must be a whole number of 1 or more, got {str(value)!r}")
    return number


def _past_day(value: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None
    if day > dt.datetime.now(dt.timezone.utc).date():
        raise ValueError(f"{name} {value} is in the future; give a day up to today")
    return day
