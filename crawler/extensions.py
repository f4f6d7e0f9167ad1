"""The run's verdict for cron: a closing summary line, the layout-drift alarm, an exit status kept in the
stats, and a run record beside the dataset (``<dataset>/_runs/<run id>.json``)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.logformatter import install_log_filters
from crawler.run_record import RunRecordFile
from pipelines import signals as wire_signals
from pipelines.config import read
from pipelines.dataset import run_id_of
from pipelines.exits import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_QUARANTINED, STATUS_NAMES
from pipelines.version import parser_version
from pipelines.warc_read import DAMAGE

logger = logging.getLogger(__name__)

#: the finish reason of a crawl stopped by a signal (Ctrl-C, SIGTERM)
INTERRUPTED = "shutdown"

#: field -> stats keys counting parsed pages that lacked it (dropped or stored without it)
DRIFT_FIELDS: dict[str, tuple[str, ...]] = {
    "body": ("wirecrawl/dropped/no_body",),
    "published_at": ("wirecrawl/missing/no_published_at", "wirecrawl/missing/published_at_from_url"),
    # pages of the service's article URLs that no known layout matched (parsed by the generic rules)
    "layout": ("wirecrawl/layout/unknown",),
    "authors": ("wirecrawl/missing/no_authors",),
    "dateline": ("wirecrawl/missing/no_dateline",),
}


def drift(stats: dict, thresholds: dict[str, float], min_pages: int) -> list[str]:
    """Fields whose share of missing values among this run's parsed pages exceeds its threshold."""
    parsed = stats.get("wirecrawl/articles/parsed", 0)
    if parsed < max(1, min_pages):
        return []
    alarms = []
    for field, threshold in thresholds.items():
        missing = sum(stats.get(key, 0) for key in DRIFT_FIELDS.get(field, ()))
        if missing / parsed > threshold:
            alarms.append(f"{field} missing on {missing}/{parsed} pages "
                          f"({missing / parsed:.0%} > {threshold:.0%})")
    return alarms


def _archive_summary(values: dict) -> str:
    """The archives' part of the summary line (empty unless the run read archives)."""
    if not values.get("wirecrawl/archive/files_listed"):
        return ""
    damaged = sum(values.get(f"wirecrawl/archive/skipped/{kind}", 0) for kind in DAMAGE)
    return (f"; archives: {values.get('wirecrawl/archive/files_read', 0)} read, "
            f"{values.get('wirecrawl/archive/files_already_read', 0)} finished before, "
            f"{values.get('wirecrawl/archive/files_failed', 0)} unreadable; "
            f"{values.get('wirecrawl/archive/kept', 0)} of "
            f"{values.get('wirecrawl/archive/records', 0)} records were the service's articles"
            + (f", {damaged} damaged records skipped" if damaged else ""))


#: a run fails, for this reason, when any of these counters is set
FAILING_COUNTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("write_error", ("dataset/write_errors",)),
    ("rows_set_aside", ("dataset/rows_set_aside",)),
    ("redis_error", ("distributed/redis_errors",)),
    ("redis_data_lost", ("distributed/redis_data_lost",)),
    ("archive_unreadable", ("archive/files_failed", "archive/listing_failed", "archive/progress_unreadable")),
    ("warc_write_error", ("warc/write_errors",)),
    ("archive_damaged", ("archive/files_damaged",)),
    ("no_article_in_archives", ("archive/no_articles",)),
    ("queue_lost", ("queue/lost",)),
)


def failure_reasons(stats: dict, *, discovery_expected: bool) -> list[str]:
    """Why a run counts as failed, the drift alarm aside (empty when it succeeded). An interrupted
    run is not failed for being interrupted, nor for what it had no time to do (reach a feed)."""
    refused = [key.removeprefix("wirecrawl/failed/") for key in stats
               if key.startswith("wirecrawl/failed/")]
    if refused:  # the run did nothing on purpose; the other checks would only repeat it
        return refused
    reasons: list[str] = []
    finish = stats.get("finish_reason")
    if finish == INTERRUPTED:
        discovery_expected = False
    elif finish not in (None, "finished"):
        reasons.append(f"finish_reason={finish}")
    if any(key.startswith("spider_exceptions/") for key in stats):
        reasons.append("spider_error")
    reasons += [reason for reason, keys in FAILING_COUNTS
                if any(stats.get(f"wirecrawl/{key}") for key in keys)]
    discovered = any(stats.get(f"wirecrawl/{kind}") for kind in
                     ("feeds/ok", "sitemaps/ok", "listings/pages",
                      "distributed/discovery_elsewhere"))
    if discovery_expected and not discovered:
        reasons.append("no_feed_reachable")
    return reasons


class RunSummary:
    """Logs what a run did, raises the drift alarm, records ``wirecrawl/exit_status`` and the run."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.record_file: RunRecordFile | None = None
        self.closed = False

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.stopping_now, signal=wire_signals.stopping_now)
        install_log_filters()
        return ext

    def spider_opened(self, spider) -> None:
        """The run's record, reserved at once: a run that fills the disk still leaves one."""
        root = read(self.crawler.settings, "DATASET_URI")
        self.record_file = RunRecordFile(root, run_id_of(self.crawler))
        values = dict(self.crawler.stats.get_stats())
        self.record_file.reserve(self.run_record(spider, values, "running", [], {}))

    def stopping_now(self) -> None:
        """A second Ctrl-C: the verdict and the record now, before the process stops."""
        if not self.closed and self.crawler.spider is not None:
            self.crawler.stats.set_value("finish_time", dt.datetime.now(dt.timezone.utc))
            self.spider_closed(self.crawler.spider, INTERRUPTED)

    def spider_closed(self, spider, reason: str) -> None:
        if self.closed:  # stopping_now came first
            return
        self.closed = True
        spider.account_unanswered(reason)
        settings = self.crawler.settings
        stats = self.crawler.stats
        values = dict(stats.get_stats())
        values.setdefault("finish_reason", reason)
        reasons = failure_reasons(values, discovery_expected=spider.discovers)
        for alarm in drift(values, read(settings, "WIRECRAWL_DRIFT_THRESHOLDS"),
                           read(settings, "WIRECRAWL_DRIFT_MIN_PAGES")):
            logger.error("layout drift? %s: the site's template may have changed", alarm)
            reasons.append(f"layout_drift:{alarm.split()[0]}")
        dropped = {k.removeprefix("wirecrawl/dropped/"): v for k, v in values.items()
                   if k.startswith("wirecrawl/dropped/")}
        quarantined = values.get("wirecrawl/dataset/quarantined", 0)
        interrupted = values.get("finish_reason") == INTERRUPTED
        status = (EXIT_FAILED if reasons else EXIT_INTERRUPTED if interrupted
                  else EXIT_QUARANTINED if quarantined else EXIT_OK)
        stats.set_value("wirecrawl/exit_status", status)
        summary = (
            f"{spider.name}: {values.get('wirecrawl/items/new', 0)} new, "
            f"{values.get('wirecrawl/items/updated', 0)} updated, "
            f"{values.get('wirecrawl/skipped/known', 0)} skipped as known, "
            f"{sum(dropped.values())} dropped"
            + (f" ({', '.join(f'{k}={v}' for k, v in sorted(dropped.items()))})" if dropped else "")
            + f", {values.get('wirecrawl/dataset/files_written', 0)} files written"
            + (f", {quarantined} damaged dataset files quarantined" if quarantined else "")
            + _archive_summary(values)
        )
        left = values.get("wirecrawl/interrupted/unfinished", 0)
        if interrupted:
            summary += f"; {left} requested stories left for the next run"
        if reasons:
            line = (logging.ERROR, f"run FAILED: {', '.join(reasons + ['interrupted'] * interrupted)}; "
                                   f"{summary}")
        elif interrupted:
            line = (logging.WARNING, f"run INTERRUPTED: {summary}")
        elif quarantined:
            line = (logging.ERROR, f"run OK, but damaged files were quarantined: {summary}")
        else:
            line = (logging.INFO, f"run OK: {summary}")
        # the crawl command logs it as the run's very last line; logged here when there is none
        stats.set_value("wirecrawl/summary", list(line))
        if not getattr(self.crawler, "wirecrawl_summary_deferred", False):
            logger.log(*line)
        record = self.run_record(spider, values, STATUS_NAMES[status], reasons, dropped)
        self._write_record(record)
        stats_file = read(settings, "WIRECRAWL_STATS_FILE")
        if stats_file:
            path = Path(stats_file)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(dict(stats.get_stats(), **{
                "wirecrawl/failure_reasons": reasons}), default=str, indent=1, sort_keys=True))

    def run_record(self, spider, values: dict, status: str, reasons: list[str],
                   dropped: dict) -> dict[str, Any]:
        return {
            "run_id": values.get("wirecrawl/run_id") or run_id_of(self.crawler),
            "spider": spider.name,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "parser_version": parser_version(),
            "arguments": spider.run_arguments(),
            "start_time": values.get("start_time"),
            "finish_time": values.get("finish_time") or dt.datetime.now(dt.timezone.utc),
            "status": status,
            "failure_reasons": reasons,
            "counts": {
                "new": values.get("wirecrawl/items/new", 0),
                "updated": values.get("wirecrawl/items/updated", 0),
                "known": values.get("wirecrawl/skipped/known", 0),
                "parsed": values.get("wirecrawl/articles/parsed", 0),
                "dropped": dropped,
                "missing": {k.removeprefix("wirecrawl/missing/"): v for k, v in values.items()
                            if k.startswith("wirecrawl/missing/")},
                "errors": values.get("log_count/ERROR", 0),
            },
            # what the drift alarm weighed: pages missing each field, and the thresholds (for the report)
            "drift": {
                "missing": {field: sum(values.get(key, 0) for key in keys)
                            for field, keys in DRIFT_FIELDS.items()},
                "thresholds": read(self.crawler.settings, "WIRECRAWL_DRIFT_THRESHOLDS"),
                "min_pages": read(self.crawler.settings, "WIRECRAWL_DRIFT_MIN_PAGES"),
            },
            "files_written": values.get("wirecrawl/dataset/files", []),
            "files_quarantined": values.get("wirecrawl/dataset/quarantined_files", []),
            "archives": {k.removeprefix("wirecrawl/archive/"): v for k, v in values.items()
                         if k.startswith("wirecrawl/archive/")},
        }

    def _write_record(self, record: dict[str, Any]) -> None:
        """``<dataset>/_runs/<run id>.json``, written whole (over its reservation on a full disk)."""
        if self.record_file is None:
            root = read(self.crawler.settings, "DATASET_URI")
            self.record_file = RunRecordFile(root, record["run_id"])
        self.record_file.write(record)


class Progress:
    """A progress line every ``WIRECRAWL_PROGRESS_SECONDS`` (default 60; 0: none), in place of Scrapy's
    "Crawled N pages": stories new, known and dropped so far, pages a minute, and in a ``since``
    backfill the oldest publication day reached."""

    def __init__(self, crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.timer = None
        self.last_pages = 0

    @classmethod
    def from_crawler(cls, crawler):
        interval = read(crawler.settings, "WIRECRAWL_PROGRESS_SECONDS")
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        from twisted.internet import task

        self.timer = task.LoopingCall(self.log, spider)
        self.timer.start(self.interval, now=False)

    def log(self, spider) -> None:
        values = self.crawler.stats.get_stats()
        pages = values.get("response_received_count", 0)
        rate = (pages - self.last_pages) * 60 / self.interval
        self.last_pages = pages
        dropped = sum(v for k, v in values.items() if k.startswith("wirecrawl/dropped/"))
        oldest = values.get("wirecrawl/oldest_published")
        backfill = spider.since
        logger.info(
            "progress: %d new, %d updated, %d known, %d dropped; %d pages fetched (%.0f a minute)%s",
            values.get("wirecrawl/items/new", 0), values.get("wirecrawl/items/updated", 0),
            values.get("wirecrawl/skipped/known", 0), dropped, pages, rate,
            f"; oldest day reached {oldest.date()} (since {backfill})" if backfill and oldest else "")

    def spider_closed(self, spider) -> None:
        if self.timer is not None and self.timer.running:
            self.timer.stop()
