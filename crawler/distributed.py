"""Distributed mode: scrapy-redis's scheduler and duplicate filter over the shared frontier.

Switched on by ``REDIS_URL`` (see :mod:`crawler.scheduler`). Any number of ``scrapy crawl <spider>``
processes, on any hosts, share one queue per spider in Redis and write their own files
(``part-<run id>-…``) into one shared dataset. What each guarantees, and how, is in
:mod:`crawler.frontier`; this module only plugs it into Scrapy:

* :class:`FrontierQueue` keeps scrapy-redis's queue layout and request serialization, and holds each
  popped request under a lease;
* :class:`StoryDupeFilter` is scrapy-redis's filter: a feed, sitemap or listing is fetched once per
  ``WIRECRAWL_REDIS_DISCOVERY_TTL`` in the cluster; stories are claimed by the queue itself;
* :class:`DistributedScheduler` is scrapy-redis's scheduler, persistent (a worker leaving never
  clears the shared queue), with the heartbeat, reaping of dead workers and the settling signals;
* :class:`FrontierSpiderMiddleware` settles a feed or sitemap once its callback's requests are queued.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import redis
from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from crawler import meta
from crawler.claims import discovery_claim, is_article, story_of
from crawler.frontier import Frontier
from pipelines import signals as wire_signals
from pipelines.config import read
from pipelines.dataset import ids_in_run, run_id_of
from pipelines.shared_redis import redis_client

logger = logging.getLogger(__name__)



def claim_key(request: Request, fingerprint: Callable[[Request], str]) -> str:
    """The request's claim key, given it on first sight (articles get theirs from the spider);
    copies (retries, redirects) keep it."""
    key = request.meta.get(meta.CLAIM)
    if not key:
        key = request.meta[meta.CLAIM] = discovery_claim(fingerprint(request))
    return key


class FrontierQueue(PriorityQueue):
    """scrapy-redis's priority queue (same Redis layout and serializer) whose pops are leases."""

    def __init__(self, server, spider, key: str, serializer=None, *, frontier: Frontier) -> None:
        super().__init__(server, spider, key, serializer)
        self.frontier = frontier

    def push(self, request: Request) -> bool:
        key = request.meta[meta.CLAIM]
        continued = request.meta.pop(meta.HELD_BY, None) == self.frontier.worker
        return self.frontier.push(key, -request.priority, self._encode_request(request),
                                  article=is_article(key), continued=continued)

    def pop(self, timeout: int = 0) -> Request | None:
        raise NotImplementedError("use DistributedScheduler.next_request")

    def decode(self, data: bytes) -> Request:
        return self._decode_request(data)


class StoryDupeFilter(RFPDupeFilter):
    """scrapy-redis's duplicate filter, for discovery requests: first in the cluster per TTL wins.

    Article requests always pass here; the queue refuses a story that is already queued or held
    (atomically, see :meth:`crawler.frontier.Frontier.push`)."""

    def __init__(self, server, key: str, debug: bool = False, *, frontier: Frontier,
                 ttl: float, stats=None) -> None:
        super().__init__(server, key, debug)
        self.frontier = frontier
        self.ttl = ttl
        self.stats = stats

    def request_seen(self, request: Request) -> bool:
        key = claim_key(request, self.request_fingerprint)
        if is_article(key):
            return False
        if self.frontier.discovery_first(key[2:], self.ttl):
            return False
        if self.stats is not None:
            self.stats.inc_value("wirecrawl/distributed/discovery_elsewhere")
        return True

    def clear(self) -> None:
        """Never: the filter is shared with the other workers."""


class DistributedScheduler(RedisScheduler):
    """scrapy-redis's scheduler, always persistent, over :class:`crawler.frontier.Frontier`."""

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        server = redis_client(settings)
        try:
            server.ping()
        except redis.RedisError as exc:
            # one line and a failed run with its record, not a crash of the engine: the run is refused
            # (crawler.dataset_guard) and a local scheduler stands in, holding nothing
            logger.error("REDIS_URL is set but Redis at %s does not answer: %s; nothing crawled",
                         settings.get("REDIS_URL"), exc)
            crawler.stats.set_value("wirecrawl/failed/redis_unreachable", 1)
            from scrapy.core.scheduler import Scheduler

            return Scheduler.from_crawler(crawler)
        prefix = read(settings, "WIRECRAWL_REDIS_PREFIX")
        instance = cls(server=server, persist=True,
                       queue_key=f"{prefix}:%(spider)s:requests",
                       dupefilter_key=f"{prefix}:%(spider)s:discovery")
        instance.stats = crawler.stats
        instance.crawler = crawler
        instance.prefix = prefix
        instance.last_wait_log = 0.0
        instance.archived = deque()
        return instance

    def open(self, spider) -> None:
        self.spider = spider
        settings = self.crawler.settings
        self.frontier = Frontier(
            self.server, f"{self.prefix}:{spider.name}", run_id_of(self.crawler),
            lease=read(settings, "WIRECRAWL_REDIS_LEASE"),
            done_ttl=read(settings, "WIRECRAWL_REDIS_DONE_TTL"))
        self.queue = FrontierQueue(self.server, spider, self.frontier.queue_key,
                                   self.serializer, frontier=self.frontier)
        self.df = StoryDupeFilter(self.server, self.dupefilter_key % {"spider": spider.name},
                                  settings.getbool("DUPEFILTER_DEBUG"), frontier=self.frontier,
                                  ttl=read(settings, "WIRECRAWL_REDIS_DISCOVERY_TTL"),
                                  stats=self.stats)
        self.dataset = read(settings, "DATASET_URI")
        self.source = spider.site.source
        self.frontier.start_heartbeat()
        self._reap()
        logger.info("distributed crawl: worker %s, %d requests queued in %s",
                    self.frontier.worker, len(self.queue), self.frontier.queue_key)
        for handler, signal in ((self.claim_released, wire_signals.claim_released),
                                (self.claims_committing, wire_signals.claims_committing),
                                (self.claims_committed, wire_signals.claims_committed),
                                (self.claims_lost, wire_signals.claims_lost),
                                (self.spider_error, signals.spider_error),
                                (self.spider_idle, signals.spider_idle)):
            self.crawler.signals.connect(handler, signal=signal)

    def close(self, reason: str) -> None:
        try:
            if not self.frontier.intact():
                self.stats.set_value("wirecrawl/distributed/redis_data_lost", 1)
            moved = self.frontier.stop()
        except redis.RedisError as exc:  # what it held comes back when its heartbeat lapses
            self._redis_failed("leaving the cluster", exc)
            return
        if moved:
            logger.warning("%d requests were not finished; they are queued again for any worker",
                           moved)
            self.stats.inc_value("wirecrawl/distributed/requeued_at_close", moved)

    def __len__(self) -> int:
        try:
            queued = len(self.queue)
        except redis.RedisError as exc:  # the engine asks between requests: nothing shared to take
            self._redis_failed("counting queued requests", exc)
            queued = 0
        return queued + len(self.archived)

    def has_pending_requests(self) -> bool:
        return len(self) > 0

    def flush(self) -> None:
        """Never: the queue is shared with the other workers."""

    def enqueue_request(self, request: Request) -> bool:
        if request.meta.get(meta.ARCHIVED) is not None:  # its page is in this process: never shared
            self.archived.append(request)
            return True
        key = claim_key(request, self.df.request_fingerprint)
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            pushed = self.queue.push(request)
        except redis.RedisError as exc:
            self._redis_failed("queueing requests", exc)
            return False
        if not pushed:
            self.stats.inc_value("wirecrawl/distributed/claimed_elsewhere")
            logger.debug("%s is queued or held by another worker", key)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self.archived:
            return self.archived.popleft()
        try:
            popped = self.frontier.pop()
        except redis.RedisError as exc:
            self._redis_failed("taking the next request", exc)
            return None
        if popped is None:
            return None
        if popped.discarded:
            self.stats.inc_value("wirecrawl/distributed/stale_discarded", popped.discarded)
        if not popped.data:
            return None
        try:
            request = self.queue.decode(popped.data)
        except Exception as exc:  # another version's request, or a corrupt entry
            logger.error("cannot read queued request %s: %s; dropped", popped.key, exc)
            self.stats.inc_value("wirecrawl/distributed/unreadable_requests")
            self.frontier.release([popped.key])
            return None
        request.meta[meta.CLAIM] = popped.key
        request.meta[meta.HELD_BY] = self.frontier.worker
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    # -- settling --------------------------------------------------------------------------------

    def _redis_failed(self, what: str, exc: Exception) -> None:
        """One ERROR line per kind of operation (the rest at DEBUG), counted: the run fails."""
        self.stats.inc_value("wirecrawl/distributed/redis_errors")
        seen = self.__dict__.setdefault("_failed_ops", set())
        logger.log(logging.DEBUG if what in seen else logging.ERROR, "Redis failed while %s: %s", what, exc)
        seen.add(what)

    def claim_released(self, key: str | None) -> None:
        if key:
            self.claims_lost([key])

    def claims_committing(self, keys: list[str]) -> set[str] | None:
        """The keys held elsewhere (not to be written here); ``None`` when Redis cannot say."""
        try:
            if not self.frontier.intact():  # an emptied Redis would disown every claim
                self.stats.set_value("wirecrawl/distributed/redis_data_lost", 1)
                return None
            held = self.frontier.confirm(keys)
        except redis.RedisError as exc:
            self._redis_failed("confirming the stories about to be written", exc)
            return None
        lost = set(keys) - held
        if lost:
            logger.warning("%d stories were taken over by another worker; not written here",
                           len(lost))
            self.stats.inc_value("wirecrawl/distributed/lost_claims", len(lost))
        return lost

    def claims_committed(self, keys: list[str]) -> None:
        try:
            self.frontier.commit(keys)
        except redis.RedisError as exc:  # written: at worst another worker fetches them again
            self._redis_failed("marking written stories done", exc)

    def claims_lost(self, keys: list[str]) -> None:
        try:
            self.frontier.release(keys)
        except redis.RedisError as exc:  # the lease lapses; the story is queued again
            self._redis_failed("releasing requests", exc)

    def spider_error(self, failure, response, spider=None) -> None:
        self.claim_released(response.request.meta.get(meta.CLAIM))

    def spider_idle(self, spider=None) -> None:
        """Stay while there is work anywhere: queued, or held by another worker (a feed being read
        may queue more; a dead worker's requests come back once its heartbeat expires). With Redis
        gone or emptied the worker leaves, its run failed: the next run finds what is left."""
        try:
            if not self.frontier.intact():
                self.stats.set_value("wirecrawl/distributed/redis_data_lost", 1)
                return
            self._reap()
            queued = len(self.queue)
        except redis.RedisError as exc:
            self._redis_failed("looking for more work", exc)
            return
        if queued > 0 or self.archived:
            raise DontCloseSpider
        try:
            held = self.frontier.held()
        except redis.RedisError as exc:
            self._redis_failed("looking for more work", exc)
            return
        others = {owner.removeprefix("c:") for owner in held.values()} - {self.frontier.worker}
        if others:
            if time.monotonic() - self.last_wait_log > 30:
                self.last_wait_log = time.monotonic()
                logger.info("waiting: workers %s still hold requests", ", ".join(sorted(others)))
            raise DontCloseSpider

    def _reap(self) -> None:
        moved = self.frontier.reap(self._written_by)
        if moved:
            self.stats.inc_value("wirecrawl/distributed/reaped", moved)

    def _written_by(self, worker: str, keys: list[str]) -> set[str]:
        """Of ``keys`` a dead worker was writing, those its own files hold."""
        stored = ids_in_run(self.dataset, self.source, worker) if self.dataset else set()
        return {key for key in keys if story_of(key) in stored}


class FrontierSpiderMiddleware:
    """Releases a feed's, sitemap's or listing's claim after its callback's requests are queued."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not read(crawler.settings, "REDIS_URL"):
            raise NotConfigured  # without a message: Scrapy logs a WARNING for one, on every normal run
        return cls(crawler)

    def _done(self, response) -> None:
        key = response.request.meta.get(meta.CLAIM) if response.request is not None else None
        if key and not is_article(key):
            self.crawler.signals.send_catch_log(wire_signals.claim_released, key=key)

    def process_spider_output(self, response, result: Iterable[Any], spider=None):
        yield from result
        self._done(response)

    async def process_spider_output_async(self, response, result: AsyncIterator[Any],
                                          spider=None):
        async for element in result:
            yield element
        self._done(response)
