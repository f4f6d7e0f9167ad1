"""What a run must know of the dataset before its first request, as an extension: damaged files moved
to the quarantine, the stories already stored (so none is fetched twice), and the run lock (one run per
source and dataset at a time)."""

from __future__ import annotations

import logging

from scrapy import signals

from pipelines.check import quarantine_damaged
from pipelines.config import read
from pipelines.dataset import read_ids, try_run_lock

logger = logging.getLogger(__name__)


class DatasetGuard:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.root = read(crawler.settings, "DATASET_URI")
        self.distributed = bool(read(crawler.settings, "REDIS_URL"))
        self.lock = None  # held for the whole run, released when the process ends

    @classmethod
    def from_crawler(cls, crawler):
        guard = cls(crawler)
        crawler.signals.connect(guard.spider_opened, signal=signals.spider_opened)
        return guard

    def spider_opened(self, spider) -> None:
        """Runs before the spider's ``start()`` is read: a refusal there means nothing is requested."""
        source = getattr(spider, "site", None) and spider.site.source
        if any(key.startswith("wirecrawl/failed/") for key in self.crawler.stats.get_stats()):
            spider.refuse()  # refused already (Redis unreachable): nothing is read or requested
            return
        if not source or not self.root:
            return
        # the lock first: no one else may be writing what is checked and read next (in a distributed
        # crawl the Redis frontier hands each story to one worker instead)
        if not self.distributed and not self.take_run_lock(source):
            spider.refuse()
            return
        try:
            self.read_dataset(spider, source)
        except Exception as exc:  # noqa: BLE001 - a signal handler's error would be swallowed, and the
            # run would fetch every story again as if the dataset were empty
            logger.error("cannot read the dataset at %s: %s: %s", self.root, type(exc).__name__, exc)
            self.crawler.stats.set_value("wirecrawl/failed/dataset_unreadable", 1)
            spider.refuse()

    def read_dataset(self, spider, source: str) -> None:
        """Damaged files to the quarantine, then the ids of the stories already stored."""
        stats = self.crawler.stats
        try:
            quarantined = [str(p.path) for p in quarantine_damaged(self.root)]
        except OSError as exc:  # an unusable folder: the first write says so
            logger.debug("dataset %s not checked: %s", self.root, exc)
            quarantined = []
        if quarantined:
            stats.set_value("wirecrawl/dataset/quarantined", len(quarantined))
            stats.set_value("wirecrawl/dataset/quarantined_files", quarantined)
        known, unreadable = read_ids(self.root, source)
        for path in unreadable:
            logger.error("dataset file %s is unreadable; its stories will be fetched again", path)
        if unreadable:
            stats.set_value("wirecrawl/dataset/unreadable_files", len(unreadable))
        spider.know(known)
        logger.info("%s: %d stories already in the dataset", source, len(known))

    def take_run_lock(self, source: str) -> bool:
        """One run per source and dataset: two would fetch and store the same stories."""
        stats = self.crawler.stats
        try:
            self.lock = try_run_lock(self.root, source)
        except OSError as exc:
            logger.error("cannot use the dataset at %s: %s", self.root, exc)
            stats.set_value("wirecrawl/failed/dataset_unusable", 1)
            return False
        if self.lock is None:
            logger.error("another %s run is using %s; this run does nothing", source, self.root)
            stats.set_value("wirecrawl/failed/concurrent_run", 1)
            return False
        return True
