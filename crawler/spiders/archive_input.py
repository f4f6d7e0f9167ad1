"""Stories read from web archives instead of the site: ``-a warc=PATH|GLOB|URL[,…]`` and
``-a cc_news=YYYY-MM[..YYYY-MM]`` (Common Crawl's news archive).

Each accepted page becomes the same request a feed would have made (same id, skip-known, ``since``,
``max_items``), answered from memory by :class:`crawler.archives.ArchiveAnswers` before any middleware
could reach the network; ``fetched_at`` is the record's ``WARC-Date``. Archives are read in a thread
(the reactor stays free), one at a time, at most ``WIRECRAWL_ARCHIVE_IN_FLIGHT`` pages ahead of the
parsing. After each archive the dataset is flushed and, in a CC-NEWS backfill, the archive is marked
finished (:class:`pipelines.ccnews.BackfillProgress`), so a killed backfill resumes after it.
In distributed mode (``REDIS_URL``) each archive is read by exactly one worker.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import scrapy
from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads
from twisted.internet.defer import Deferred

from crawler import meta
from pipelines import signals as wire_signals
from pipelines.archive_sources import archive_responses, split_locations
from pipelines.ccnews import BackfillProgress, archive_name, cached_copy, list_archives, parse_months
from pipelines.config import read
from pipelines.dataset import run_id_of
from pipelines.shared_redis import redis_client, redis_key
from pipelines.sites.base import Site
from pipelines.warc_read import DAMAGE, ArchivedResponse, nothing_accepted

logger = logging.getLogger(__name__)

_BATCH = 32


@dataclass(frozen=True)
class ArchiveSources:
    """The archives a run reads instead of the site, as the user named them (checked when the spider
    is made): ``warc`` paths, globs or URLs, and ``cc_news`` months."""

    warc: str | None = None
    cc_news: str | None = None
    locations: list[str] = field(default_factory=list)
    months: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def parse(cls, warc: str | None, cc_news: str | None) -> ArchiveSources:
        return cls(warc, cc_news, split_locations(warc) if warc is not None else [],
                   parse_months(cc_news) if cc_news is not None else [])

    def __bool__(self) -> bool:
        return bool(self.locations or self.months)


class ArchiveReadingSpider(Protocol):
    """What :class:`ArchiveInput` needs of its spider."""

    name: str
    site: Site
    crawler: Any
    #: sharing the work with other workers through Redis (``REDIS_URL``)
    distributed: bool
    #: the request a feed entry of this URL would have made, or ``None`` (known, before ``since``, ...)
    article_request: Callable[..., scrapy.Request | None]

    def budget_spent(self) -> bool:
        """``max_items`` stories requested already."""


class ArchiveInput:
    """The archives of one run, a part of the spider (``spider.archives``): :meth:`requests` gives the
    article requests of their pages, :meth:`answer` the archived response to a request
    (:class:`crawler.archives.ArchiveAnswers`), :meth:`settled` hears that a request has its outcome."""

    def __init__(self, spider: ArchiveReadingSpider, sources: ArchiveSources, *, max_body: int) -> None:
        self.spider, self.sources, self.max_body = spider, sources, max_body
        self.crawler = spider.crawler
        self.in_flight = max(1, read(self.crawler.settings, "WIRECRAWL_ARCHIVE_IN_FLIGHT"))
        #: archived responses read and not yet answered, by key; keys of requests not yet settled
        self.responses: dict[int, ArchivedResponse] = {}
        self.outstanding: set[int] = set()
        self._keys = itertools.count()
        self._waiter: Deferred | None = None
        self._complete = False
        #: the archives' pages per host (read in the reading thread, looked at once reading is over)
        self.hosts: Counter[str] = Counter()
        # every way a request ends: its page settled, a place free for the next one
        for handler, signal in ((self._item_settled, signals.item_scraped),
                                (self._item_settled, signals.item_dropped),
                                (self._item_settled, signals.item_error),
                                (self._response_settled, signals.spider_error),
                                (self._request_settled, signals.request_dropped)):
            self.crawler.signals.connect(handler, signal=signal)

    def answer(self, key: int) -> ArchivedResponse | None:
        """The archived response that answers the request of ``key`` (once: ``None`` the second
        time)."""
        return self.responses.pop(key, None)

    # -- reading ---------------------------------------------------------------------------------

    async def requests(self) -> AsyncIterator[scrapy.Request]:
        settings, stats = self.crawler.settings, self.crawler.stats
        spider = self.spider
        user_agent = read(settings, "USER_AGENT")
        retries = read(settings, "CC_NEWS_RETRIES")
        locations = list(self.sources.locations)
        progress = None
        if self.sources.months:
            base = read(settings, "CC_NEWS_BASE_URL")
            try:
                locations += await maybe_deferred_to_future(threads.deferToThread(
                    list_archives, base, self.sources.months, retries=retries, user_agent=user_agent))
            except OSError as exc:
                logger.error("cannot list CC-NEWS %s: %s", self.sources.cc_news, exc)
                stats.inc_value("wirecrawl/archive/listing_failed")
                return
            if not spider.distributed:
                try:
                    progress = BackfillProgress(read(settings, "DATASET_URI"), spider.name)
                except ValueError as exc:
                    logger.error("%s", exc)
                    stats.inc_value("wirecrawl/archive/progress_unreadable")
                    return
        stats.set_value("wirecrawl/archive/files_listed", len(locations))
        claims = ArchiveClaims(self.crawler, spider.name) if spider.distributed else None
        cache = read(settings, "CC_NEWS_CACHE")
        for location in locations:
            if spider.budget_spent():
                break
            try:
                if (progress and progress.is_finished(location)) or (
                        claims and claims.is_finished(location)):
                    stats.inc_value("wirecrawl/archive/files_already_read")
                    continue
                taken = claims.take(location) if claims else True
            except Exception as exc:  # noqa: BLE001 - Redis gone: stop, say so, exit 1
                logger.error("cannot claim %s in Redis: %s; stopping the backfill", location, exc)
                stats.inc_value("wirecrawl/archive/progress_unreadable")
                return
            if not taken:
                stats.inc_value("wirecrawl/archive/files_claimed_elsewhere")
                continue
            self._complete = False
            async for request in self._read_archive(location, cache, retries, user_agent, claims):
                yield request
            await self._until(lambda: not self.outstanding)
            flushed = all(answer is not False for _receiver, answer in self.crawler.signals.send_catch_log(
                wire_signals.flush_requested))
            if not flushed:
                logger.error("rows of %s could not be written; it will be read again", location)
            finished = flushed and self._complete
            try:
                if finished and progress is not None:
                    progress.finish(location)
                if claims:
                    claims.finish(location, done=finished)
            except Exception as exc:  # noqa: BLE001 - a disk or Redis failure: stop, say so, exit 1
                logger.error("cannot record that %s is finished: %s; stopping the backfill", location, exc)
                stats.inc_value("wirecrawl/archive/progress_unreadable")
                return
        self._check_something_read(locations)

    def _check_something_read(self, locations: list[str]) -> None:
        """Archives whose records held not one of the service's article pages (another site's
        recording, a mirror's without ``base_url``) did nothing: the run fails, naming what they held."""
        stats = self.crawler.stats
        records = stats.get_value("wirecrawl/archive/records", 0)
        if not records or stats.get_value("wirecrawl/archive/kept", 0):
            return
        named = ", ".join(locations) if len(locations) < 4 else f"{len(locations)} archives"
        site = self.spider.site
        hosts = ", ".join(sorted(site.hosts | site.extra_hosts)) or "no host"
        logger.error("%s: %s; a mirror's recording is read with -a base_url=<the mirror's address>", named,
                     nothing_accepted(records, self.hosts,
                                      f"an article page of {self.spider.name} ({hosts})"))
        stats.set_value("wirecrawl/archive/no_articles", 1)

    async def _read_archive(self, location: str, cache: str, retries: int, user_agent: str,
                            claims: ArchiveClaims | None) -> AsyncIterator[scrapy.Request]:
        stats = self.crawler.stats
        counts: Counter[str] = Counter()
        logger.info("reading %s", location)
        try:
            responses = await maybe_deferred_to_future(threads.deferToThread(
                self._open_responses, location, cache, retries, user_agent, counts))
            while True:
                batch = await maybe_deferred_to_future(threads.deferToThread(
                    lambda: list(itertools.islice(responses, _BATCH))))
                if not batch:
                    break
                if claims:
                    claims.renew(location)
                if self.spider.budget_spent():
                    break
                for archived in batch:
                    request = self._archived_request(archived)
                    if request is None:
                        continue
                    await self._until(lambda: len(self.outstanding) < self.in_flight)
                    yield request
        except Exception as exc:  # noqa: BLE001 - one unreadable archive must not end the run
            logger.error("cannot read %s: %s", location, exc)
            stats.inc_value("wirecrawl/archive/files_failed")
        else:
            if counts["records"]:
                stats.inc_value("wirecrawl/archive/files_read")
                # read to its end (not cut short by max_items): it can be marked finished
                self._complete = not self.spider.budget_spent()
            else:  # a text file, an HTML page, an empty download: not an archive, not "read"
                logger.error("cannot read %s: no WARC record in it%s; expected a .warc or .warc.gz "
                             "file", location, _beginning(location))
                stats.inc_value("wirecrawl/archive/files_failed")
                counts.pop("damaged_member", None)  # the whole file: said once, above
        for reason, count in counts.items():
            stats.inc_value(f"wirecrawl/archive/{'' if reason in ('records', 'kept') else 'skipped/'}"
                            f"{reason}", count)
        damaged = sum(counts[kind] for kind in DAMAGE)
        if damaged:  # stories may be in what could not be read: the file is not done with
            self._complete = False
            stats.inc_value("wirecrawl/archive/files_damaged")
            logger.error("%s: %d damaged gzip members, %d records cut short and %d records whose "
                         "Content-Length is wrong were skipped (the rest was read); the file is not "
                         "marked finished", location, counts["damaged_member"], counts["truncated"],
                         counts["damaged_record"])

    def _open_responses(self, location: str, cache: str, retries: int, user_agent: str,
                    counts: Counter[str]) -> Iterator[ArchivedResponse]:
        """In a thread: the archive opened (downloaded first into ``CC_NEWS_CACHE`` if set)."""
        if cache and location.startswith(("http://", "https://")):
            location = str(cached_copy(location, cache, retries=retries, user_agent=user_agent))
        return archive_responses(location, self._accepts, counts, name=archive_name(location),
                             retries=retries, user_agent=user_agent,
                             max_body=self.max_body, hosts=self.hosts)

    def _accepts(self, url: str) -> bool:
        """Called in the reading thread: one of this service's article URLs."""
        return url.startswith(("http://", "https://")) and self.spider.site.story_key(url) is not None

    def _archived_request(self, archived: ArchivedResponse) -> scrapy.Request | None:
        request = self.spider.article_request(archived.url, count_non_article=False)
        if request is None:
            return None
        key = next(self._keys)
        self.responses[key] = archived
        self.outstanding.add(key)
        request.meta[meta.ARCHIVED] = key
        request.meta[meta.FETCHED_AT] = archived.fetched_at
        request.meta[meta.CLAIM] = None  # the archive, not the story, is what workers share
        return request

    # -- settling ----------------------------------------------------------------------------------

    async def _until(self, condition) -> None:
        while not condition():
            self._waiter = Deferred()
            await maybe_deferred_to_future(self._waiter)

    def settled(self, request: scrapy.Request | None) -> None:
        """The request's page has its outcome (a buffered row, a drop, a failure)."""
        key = request.meta.get(meta.ARCHIVED) if request is not None else None
        if key is None or key not in self.outstanding:
            return
        self.outstanding.discard(key)
        self.responses.pop(key, None)
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.called:
            waiter.callback(None)

    def _item_settled(self, item: Any = None, response: Any = None, **_: Any) -> None:
        self.settled(getattr(response, "request", None))

    def _response_settled(self, failure: Any = None, response: Any = None, **_: Any) -> None:
        self.settled(getattr(response, "request", None))

    def _request_settled(self, request: Any = None, **_: Any) -> None:
        self.settled(request)


def _beginning(location: str) -> str:
    """How a local file that is no archive begins (`` (it begins 'hello')``), to say what it is."""
    if location.startswith(("http://", "https://")):
        return ""
    try:
        with open(location, "rb") as handle:
            head = handle.read(40)
    except OSError:
        return ""
    if not head:
        return " (it is empty)"
    return f" (it begins {head.decode('utf-8', 'replace').splitlines()[0][:40]!r})" if head.strip() else ""


class ArchiveClaims:
    """Distributed mode: an archive is read by the worker that claims it first in Redis; the claim
    lapses if that worker goes silent, and becomes permanent once the archive's rows are written."""

    def __init__(self, crawler, spider_name: str) -> None:
        settings = crawler.settings
        self.server = redis_client(settings)
        self.prefix = redis_key(settings, spider_name, "archive", "")
        self.worker = run_id_of(crawler)
        self.ttl = max(60, int(read(settings, "WIRECRAWL_REDIS_LEASE") * 10))

    def is_finished(self, location: str) -> bool:
        return self.server.get(self.prefix + archive_name(location)) == b"done"

    def take(self, location: str) -> bool:
        return bool(self.server.set(self.prefix + archive_name(location), self.worker, nx=True, ex=self.ttl))

    def renew(self, location: str) -> None:
        self.server.expire(self.prefix + archive_name(location), self.ttl)

    def finish(self, location: str, *, done: bool) -> None:
        key = self.prefix + archive_name(location)
        if done:
            self.server.set(key, "done")
        else:
            self.server.delete(key)
