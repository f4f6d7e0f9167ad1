"""The thin Scrapy layer over the pure modules: extraction (in worker processes) and the dataset writer."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem

from pipelines import signals as wire_signals
from pipelines.cluster_index import ClusterIndex, ClusterSettings, clusters_lock
from pipelines.config import read
from pipelines.dataset import (
    PartlyWritten,
    cleanup_temp_files,
    run_id_of,
    set_aside,
    split_storable,
)
from pipelines.fetched_page import FetchedPage
from pipelines.idset import IdSet
from pipelines.shared_redis import redis_client, redis_key
from pipelines.workers import WorkerPool, default_workers, run_page
from pipelines.writer import ClusteredWriter

logger = logging.getLogger(__name__)


class ExtractPipeline:
    """Fetched page -> dataset row, in worker processes (:mod:`pipelines.workers`) so that parsing
    runs on every core while the reactor downloads. ``WIRECRAWL_WORKERS=0`` parses in-process."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        workers = read(settings, "WIRECRAWL_WORKERS")
        self.workers = default_workers() if workers is None else workers
        self.max_tasks = read(settings, "WIRECRAWL_WORKER_MAX_TASKS")
        self.timeout = read(settings, "WIRECRAWL_EXTRACT_TIMEOUT")
        self.pool: WorkerPool | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, page: FetchedPage) -> dict[str, Any]:
        """The page's row (with the claim to settle once it is written), or :class:`DropItem`."""
        spider = self.crawler.spider
        if self.workers > 0:
            if self.pool is None:
                self.pool = WorkerPool(self.workers, self.max_tasks, [], self.timeout)
            outcome = await self.pool.run(spider.site, spider.extraction, page)
        else:
            outcome = run_page(spider.site, page, spider.extraction)
        for key, count in outcome.counters.items():
            self.stats.inc_value(key, count)
        for level, message in outcome.logs:
            logger.log(level, message)
        if outcome.row is None:
            logger.warning("dropped %s: %s (%s)", page.url[:300], outcome.reason,
                           outcome.detail[:200])
            self.crawler.signals.send_catch_log(wire_signals.claim_released, key=page.claim)
            raise DropItem(f"{page.url}: {outcome.reason}")
        row = outcome.row
        row["_update"] = page.is_update
        row["_claim"] = page.claim
        return row

    def close_spider(self, spider=None) -> None:
        if self.pool is not None:
            self.pool.close()


class DatasetPipeline:
    """Buffers rows and writes them as Parquet every ``DATASET_FLUSH_ITEMS`` rows, at least every
    ``DATASET_FLUSH_SECONDS`` (so a kill late in a long run loses at most that much work), and at the end.

    A story appears once per run even if two URLs led to it. A failed write loses only the rows of
    that flush, which the next run fetches again (they are not in the dataset).
    """

    def __init__(self, crawler, uri: str, flush_items: int, flush_seconds: float = 60.0) -> None:
        self.stats = crawler.stats
        self.flush_seconds = flush_seconds
        self._timer: Any = None
        self.signals = crawler.signals
        self.uri = uri
        self.flush_items = max(1, flush_items)
        self.buffer: list[dict[str, Any]] = []
        self.seen = IdSet()
        self.run_id = run_id_of(crawler)
        self.seq = 0
        self.files: list[str] = []
        self.closing = False
        #: Redis failed at the last flush: the cluster lock is taken on the dataset's folder instead
        self.local_lock = False
        settings = crawler.settings
        self.cluster_settings = ClusterSettings(
            threshold=read(settings, "CLUSTER_THRESHOLD"),
            window=dt.timedelta(days=read(settings, "CLUSTER_WINDOW_DAYS")))
        #: distributed mode: workers on other hosts share the dataset; they serialize through Redis
        self.lock_name = redis_key(settings, "clusters", "lock")
        self.lock_timeout = read(settings, "WIRECRAWL_REDIS_LEASE")
        self.redis = redis_client(settings)
        self.writer = ClusteredWriter(uri, self.run_id, self.cluster_settings, self._writers_lock)

    def _writers_lock(self):
        """The writers' lock: Redis in distributed mode, unless Redis failed at the last flush (then the
        dataset folder's own file lock)."""
        return clusters_lock(self.uri, None if self.local_lock else self.redis, self.lock_name,
                             self.lock_timeout)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        pipeline = cls(crawler, read(settings, "DATASET_URI"), read(settings, "DATASET_FLUSH_ITEMS"),
                       read(settings, "DATASET_FLUSH_SECONDS"))
        # an idle worker of a distributed crawl writes what it holds, so the others need not wait
        crawler.signals.connect(pipeline.flush, signal=signals.spider_idle)
        # an archive read to its end: its rows are written before it is marked finished
        crawler.signals.connect(pipeline.flush, signal=wire_signals.flush_requested)
        return pipeline

    def open_spider(self, spider=None) -> None:
        removed = cleanup_temp_files(self.uri, older_than=dt.timedelta(hours=6))
        if removed:
            logger.info("removed %d temporary files left by crashed runs", removed)
        self.stats.set_value("wirecrawl/run_id", self.run_id)
        try:
            index = self.writer.open()
        except OSError as exc:  # an unusable folder: the first write says so, with its own counter
            logger.error("cannot load the cluster index of %s: %s", self.uri, exc)
            index = self.writer.index = ClusterIndex(self.cluster_settings)
        self.stats.set_value("wirecrawl/clusters/stories_indexed", len(index))
        if self.flush_seconds > 0:
            from twisted.internet import task  # the reactor's own timer; imported where it runs

            self._timer = task.LoopingCall(self.flush)
            self._timer.start(self.flush_seconds, now=False)

    def process_item(self, row: dict[str, Any]) -> dict[str, Any]:
        if row["id"] in self.seen:
            self.stats.inc_value("wirecrawl/skipped/duplicate_story")
            raise DropItem(f"{row['id']} already stored in this run")
        self.seen.add(row["id"])
        self.buffer.append(row)
        if len(self.buffer) >= self.flush_items:
            self.flush()
        return row

    def close_spider(self, spider=None) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.closing = True
        self.flush()
        if self.files:
            try:
                self.writer.save()
            except (OSError, ValueError, TypeError) as exc:  # only a cache: the next run rebuilds it
                logger.warning("could not save the cluster index in %s: %s", self.uri, exc)
                self.stats.inc_value("wirecrawl/clusters/index_not_saved")

    def _write_clustered(self, rows: list[dict[str, Any]]) -> list:
        """The rows with their clusters (:class:`pipelines.writer.ClusteredWriter`), counted."""
        paths = self.writer.write(rows, self.seq)
        joined = sum(1 for row in rows if row["cluster_id"] != row["id"])
        self.stats.inc_value("wirecrawl/clusters/joined", joined)
        self.stats.inc_value("wirecrawl/clusters/founded", len(rows) - joined)
        return paths

    def _set_aside(self, rejected: list[tuple[dict[str, Any], str]]) -> None:
        """Rows the file schema refuses: kept beside the dataset with their reason, counted, the run
        failed; the rest of the flush is stored."""
        self.stats.inc_value("wirecrawl/dataset/rows_set_aside", len(rejected))
        try:
            where = set_aside(self.uri, rejected, self.run_id, self.seq)
        except OSError as exc:
            where = f"nowhere ({exc})"
        for row, reason in rejected:
            logger.error("cannot store %s: %s; set aside in %s", row.get("url", "?")[:300], reason, where)
        self.signals.send_catch_log(wire_signals.claims_lost,
                                    keys=[row["_claim"] for row, _ in rejected if row.get("_claim")])

    def flush(self, spider=None) -> bool:
        """Write the buffered rows; ``False`` if they could not be written."""
        if not self.buffer:
            return True
        rows, self.buffer = self.buffer, []
        claims = [row["_claim"] for row in rows if row.get("_claim")]
        taken: set[str] = set()
        for _receiver, answer in self.signals.send_catch_log(wire_signals.claims_committing,
                                                              keys=claims):
            if not isinstance(answer, set | frozenset | type(None)) or (answer is None and claims):
                # the frontier cannot say who holds them (Redis down): kept for the next flush; the
                # last one writes them all the same, under the dataset's own lock (the run is failed
                # by the Redis error; at worst a worker that took one over stores it a second time)
                if not self.closing:
                    self.buffer = rows + self.buffer
                    return False
                logger.error("writing %d rows the frontier could not confirm (Redis unavailable)",
                             len(rows))
                self.stats.inc_value("wirecrawl/distributed/unconfirmed_rows", len(rows))
                self.local_lock = True
                break
            taken |= answer or set()
        if taken:
            rows = [row for row in rows if row.get("_claim") not in taken]
            claims = [claim for claim in claims if claim not in taken]
            if not rows:
                return True
        self.seq += 1
        rows, rejected = split_storable(rows)
        if rejected:
            self._set_aside(rejected)
            if not rows:
                return False
        try:
            paths = self._write_clustered(rows)
        except (OSError, ValueError) as exc:
            stored = exc.rows if isinstance(exc, PartlyWritten) else []
            if stored:  # some files made it: their stories are in the dataset, and counted so
                self._stored(stored, exc.paths)
            done = {id(row) for row in stored}
            lost = [row for row in rows if id(row) not in done]
            logger.error("could not write %d rows to %s: %s", len(lost), self.uri, exc)
            self.stats.inc_value("wirecrawl/dataset/write_errors")
            self.stats.inc_value("wirecrawl/dataset/rows_lost", len(lost))
            self.signals.send_catch_log(wire_signals.claims_lost,
                                        keys=[row["_claim"] for row in lost if row.get("_claim")])
            self.writer.forget()
            return False
        self._stored(rows, paths)
        return True

    def _stored(self, rows: list[dict[str, Any]], paths: list) -> None:
        """Rows now in the dataset: their claims committed, counted, logged."""
        claims = [row["_claim"] for row in rows if row.get("_claim")]
        self.signals.send_catch_log(wire_signals.claims_committed, keys=claims)
        updates = sum(1 for row in rows if row.get("_update"))
        self.stats.inc_value("wirecrawl/dataset/files_written", len(paths))
        self.stats.inc_value("wirecrawl/items/written", len(rows))
        self.stats.inc_value("wirecrawl/items/new", len(rows) - updates)
        self.stats.inc_value("wirecrawl/items/updated", updates)
        dated = [row["published_at"] for row in rows if row.get("published_at") is not None]
        if dated:
            self.stats.min_value("wirecrawl/oldest_published", min(dated))
        self.files.extend(str(p) for p in paths)
        self.stats.set_value("wirecrawl/dataset/files", list(self.files))
        logger.info("wrote %d rows (%d updated stories) in %d files", len(rows), updates, len(paths))
