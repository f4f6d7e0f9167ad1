"""The crawl of one wire service: arguments, which stories to request, and the fetched page handed on as
an item (:class:`pipelines.fetched_page.FetchedPage`). Everything known about the service itself lives
in its :class:`pipelines.sites.base.Site`; the spider is made from it (:func:`spider_for`). Its parts:
``discovery`` (feeds, sitemaps, listings: :mod:`crawler.spiders.discovery`) or ``archives`` (WARC
files and CC-NEWS read instead of the site: :mod:`crawler.spiders.archive_input`); parsing happens in
worker processes (:mod:`pipelines.parse`). :class:`crawler.dataset_guard.DatasetGuard` tells it the
stored stories (:meth:`ServiceSpider.know`) or refuses the run (:meth:`ServiceSpider.refuse`) before
its first request.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler import meta
from crawler.arguments import check_base_url, named_urls, past_day, positive_int
from crawler.claims import article_claim, refresh_claim
from crawler.failures import failure_reason
from crawler.feeds import FeedEntry
from crawler.spiders.archive_input import ArchiveInput, ArchiveSources
from crawler.spiders.discovery import Discovery, DiscoveryLimits
from pipelines import signals as wire_signals
from pipelines.config import read
from pipelines.extraction import ExtractionSettings
from pipelines.fetched_page import FetchedPage
from pipelines.idset import IdSet, KnownIds
from pipelines.sites.base import Site, as_requested

logger = logging.getLogger(__name__)


class ServiceSpider(scrapy.Spider):
    """Base of the wire spiders. Arguments: ``base_url``, ``urls``, ``max_items``, ``since``, and the
    archives to read instead of the site: ``warc``, ``cc_news``."""

    #: the service (a subclass names it; the instance adds the hosts the user named)
    site: Site
    #: the ``-a`` names a spider takes (the crawl command refuses others, naming these)
    argument_names: ClassVar[frozenset[str]] = frozenset(
        {"base_url", "urls", "max_items", "since", "warc", "cc_news"})
    #: the parts made when the crawl starts (:meth:`from_crawler`)
    discovery: Discovery
    archives: ArchiveInput | None = None
    extraction: ExtractionSettings
    refresh_window: dt.timedelta
    #: sharing a frontier with other workers through Redis (``REDIS_URL``)
    distributed: bool = False

    def __init__(self, base_url: str | None = None, urls: str | None = None,
                 max_items: str | int | None = None, since: str | None = None,
                 warc: str | None = None, cc_news: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if sum(value is not None for value in (urls, warc, cc_news)) > 1:
            raise ValueError("give one of urls, warc and cc_news, not several")
        self.archive_sources = ArchiveSources.parse(warc, cc_news)
        self.base_url = check_base_url(base_url) if base_url else None
        self.urls = named_urls(urls)
        if urls is not None and not self.urls:
            raise ValueError("urls names no URL; give http(s) URLs separated by commas, or @FILE")
        self.max_items = positive_int(max_items, "max_items")
        self.since = past_day(since, "since") if since else None
        self.use_hosts([self.base_url or "", *self.urls])
        #: the stored stories and when each was fetched (:meth:`know`); the run refused (:meth:`refuse`)
        self.known_ids = KnownIds.from_pairs([])
        self.refused = False
        #: every story requested in this run (compact), how many, those still without an outcome,
        #: and known stories already counted as skipped
        self.requested, self.requested_count = IdSet(), 0
        self.pending: dict[str, str] = {}
        self.skipped_ids = IdSet()

    def use_hosts(self, urls: Iterable[str]) -> None:
        """Accept the hosts of ``urls`` (a mirror, the pages the user named) beside the service's."""
        hosts = {h.lower() for h in (urlsplit(u).hostname for u in urls) if h}
        self.site = self.site.with_hosts(hosts)
        domains = list(getattr(self, "allowed_domains", []) or [])
        self.allowed_domains = domains + sorted(hosts - set(domains))

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.distributed = bool(read(settings, "REDIS_URL"))
        spider.refresh_window = dt.timedelta(hours=read(settings, "REFRESH_WINDOW"))
        spider.extraction = ExtractionSettings(max_html_bytes=read(settings, "WIRECRAWL_MAX_HTML_BYTES"))
        if not spider.base_url and read(settings, "WIRECRAWL_BASE_URL"):  # a mirror, set for all runs
            spider.base_url = check_base_url(read(settings, "WIRECRAWL_BASE_URL"))
            spider.use_hosts([spider.base_url])
        spider.discovery = Discovery(spider, DiscoveryLimits.from_settings(settings))
        if spider.archive_sources:  # a live crawl pays nothing for archives
            spider.archives = ArchiveInput(spider, spider.archive_sources,
                                           max_body=spider.extraction.max_html_bytes)
        return spider

    # -- what the other components of the crawl ask of it -----------------------------------------

    def know(self, known_ids: KnownIds) -> None:
        """The stories the dataset holds (before the first request): skipped unless they changed."""
        self.known_ids = known_ids

    def refuse(self) -> None:
        """The run must do nothing (another run holds the dataset, it cannot be read, Redis is down)."""
        self.refused = True

    @property
    def discovers(self) -> bool:
        """Whether stories are found by discovery (feeds, sitemaps), so that finding none fails the run."""
        return not (self.urls or self.archive_sources)

    def budget_spent(self) -> bool:
        """``max_items`` stories requested already."""
        return self.max_items is not None and self.requested_count >= self.max_items

    def run_arguments(self) -> dict[str, Any]:
        """The ``-a`` arguments of this run as the run record keeps them (unset ones left out)."""
        found = {"base_url": self.base_url, "urls": self.urls, "since": self.since,
                 "max_items": self.max_items, "warc": self.archive_sources.warc,
                 "cc_news": self.archive_sources.cc_news}
        return {name: value for name, value in found.items() if value not in (None, [], "")}

    async def start(self) -> AsyncIterator[Any]:
        if self.refused:
            return
        if self.archives:
            async for request in self.archives.requests():
                yield request
            return
        if self.urls:
            for url in self.urls:
                request = self.article_request(url, force=True)
                if request is not None:
                    yield request
            return
        for request in self.discovery.requests():
            yield request

    # -- discovery's callbacks: Scrapy keeps a request by the name of a spider method ----------------

    def parse_feed(self, response: Response) -> Iterable[scrapy.Request]:
        return self.discovery.parse_feed(response)

    def parse_robots(self, response: Response) -> Iterable[scrapy.Request]:
        return self.discovery.parse_robots(response)

    def parse_sitemap(self, response: Response) -> Iterable[scrapy.Request]:
        return self.discovery.parse_sitemap(response)

    def parse_listing(self, response: Response, depth: int) -> Iterable[scrapy.Request]:
        return self.discovery.parse_listing(response, depth)

    def discovery_failed(self, failure: Failure) -> None:
        self.discovery.failed(failure)

    def listing_failed(self, failure: Failure) -> None:
        self.discovery.listing_failed(failure)

    # -- articles ------------------------------------------------------------------------------------

    def article_request(self, url: str, entry: FeedEntry | None = None, *, force: bool = False,
                        count_non_article: bool = True) -> scrapy.Request | None:
        """A request for an article URL, or ``None`` (with a stats count) when it is to be skipped.
        With ``force`` (the user named it) any URL is an article and a stored story is fetched again."""
        stats = self.crawler.stats
        key = self.site.story_key(url)
        if key is None and not force:
            if count_non_article:
                logger.info("not an article URL, skipped: %s", url[:300])
                stats.inc_value("wirecrawl/skipped/not_article_url")
            return None
        story_id = self.site.story_id(key if key is not None else self.site.named_url_key(url))
        if story_id in self.requested or story_id in self.skipped_ids:
            stats.inc_value("wirecrawl/skipped/duplicate_url")
            return None
        if not force:
            if story_id in self.known_ids and not self.is_updated(story_id, entry):
                self.skipped_ids.add(story_id)
                stats.inc_value("wirecrawl/skipped/known")
                return None
            date = self.site.story_date(url) or (entry.published_at.date()
                                                 if entry and entry.published_at else None)
            if self.since and date and date < self.since:
                stats.inc_value("wirecrawl/skipped/before_since")
                return None
        if self.budget_spent():
            stats.inc_value("wirecrawl/skipped/max_items")
            return None
        self.requested.add(story_id)
        self.requested_count += 1
        if not self.distributed:  # there, another worker may answer it: the frontier keeps count
            self.pending[story_id] = url
        stats.inc_value("wirecrawl/articles/requested")
        claim = article_claim(story_id)
        if story_id in self.known_ids:
            stats.inc_value("wirecrawl/refresh/requested")
            claim = refresh_claim(story_id, entry.modified_at if entry else None)
        return scrapy.Request(
            as_requested(url), callback=self.parse_article, errback=self.article_failed,
            cb_kwargs={"story_id": story_id}, dont_filter=force, meta={meta.CLAIM: claim})

    def is_updated(self, story_id: str, entry: FeedEntry | None) -> bool:
        """Whether a stored story's feed/sitemap entry shows a change made after we fetched it,
        within ``REFRESH_WINDOW`` of now (older corrections are left alone)."""
        modified = entry.modified_at if entry else None
        fetched = self.known_ids.fetched_at(story_id)
        if modified is None or fetched is None or modified <= fetched:
            return False
        return modified >= dt.datetime.now(dt.timezone.utc) - self.refresh_window

    def parse_article(self, response: Response, story_id: str) -> Iterable[FetchedPage]:
        """Cheap checks on the reactor; the parsing is :func:`pipelines.parse.parse_page`, in a worker."""
        self.pending.pop(story_id, None)
        fetched_at = response.meta.get(meta.FETCHED_AT) or dt.datetime.now(dt.timezone.utc)
        if not isinstance(response, TextResponse):
            self.settle(response.request)
            return self.drop(response.url, "not_html",
                             response.headers.get("Content-Type", b"?").decode("latin-1"))
        if len(response.body) > self.extraction.max_html_bytes:
            self.settle(response.request)
            return self.drop(response.url, "too_large", f"{len(response.body)} bytes")
        claim = response.request.meta.get(meta.CLAIM) if response.request is not None else None
        return [FetchedPage(id=story_id, source=self.site.source, url=response.url, body=response.body,
                            encoding=response.encoding, fetched_at=fetched_at,
                            is_update=story_id in self.known_ids, claim=claim)]

    def settle(self, request: scrapy.Request | None) -> None:
        """This request is finished without a row (see :mod:`pipelines.signals`)."""
        if self.archives:
            self.archives.settled(request)
        if request is not None:
            self.crawler.signals.send_catch_log(wire_signals.claim_released,
                                                key=request.meta.get(meta.CLAIM))

    def account_unanswered(self, reason: str = "finished") -> None:
        """Every requested story must end somewhere: one that Scrapy filtered without telling the
        request's errback (duplicate filter, a middleware) is counted and named here, once; in a run
        stopped by a signal (``reason`` ``shutdown``) the stories not reached are counted, not named:
        the next run fetches them. Called by :class:`crawler.extensions.RunSummary` at the close."""
        if reason == "shutdown":
            self.crawler.stats.inc_value("wirecrawl/interrupted/unfinished", len(self.pending))
            self.pending.clear()
            return
        for url in self.pending.values():
            logger.warning("dropped %s: unanswered (filtered before any response)", url[:300])
            self.crawler.stats.inc_value("wirecrawl/dropped/unanswered")
        self.pending.clear()

    def drop(self, url: str, reason: str, detail: str) -> list[FetchedPage]:
        logger.warning("dropped %s: %s (%s)", url[:300], reason, detail[:200])
        self.crawler.stats.inc_value(f"wirecrawl/dropped/{reason}")
        return []

    def article_failed(self, failure: Failure) -> None:
        self.settle(failure.request)
        self.pending.pop(failure.request.cb_kwargs.get("story_id", ""), None)
        reason = failure_reason(failure)
        logger.warning("article %s failed: %s", failure.request.url[:300], reason)
        self.crawler.stats.inc_value(f"wirecrawl/dropped/{reason}")


def spider_for(site: Site) -> type[ServiceSpider]:
    """The spider of a declared wire: ``scrapy crawl <site.source>``."""
    return type(f"{site.source.title().replace('_', '')}Spider", (ServiceSpider,), {
        "name": site.source, "site": site, "allowed_domains": site.domains, "__module__": __name__,
        "__doc__": f"``scrapy crawl {site.source}``: the {site.agency or site.source} wire "
                   "(declared in its site module)."})
