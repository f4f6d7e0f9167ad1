"""``scrapy crawl`` that exits non-zero when the run failed, and keeps its request queue on disk.

Scrapy's own command exits 0 whatever happened once the spider started; cron needs to know when no
feed was reachable, the spider raised, or nothing could be written. The verdict comes from
:class:`crawler.extensions.RunSummary` through the ``wirecrawl/exit_status`` stat.

A feed or sitemap of N entries schedules N requests at once, and Scrapy's in-memory queue then grows
with N (measured: +31 MB of 246 at N=10,000). Unless ``JOBDIR`` is set or ``WIRECRAWL_DISK_QUEUE`` is
off, the run gets a private ``JOBDIR`` under ``<DATASET_URI>/_queue/`` (invisible to readers), so the
scheduler keeps pending requests on disk; it is removed when the run ends, and left-overs of killed
runs are swept by the next one.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

_STALE_SECONDS = 6 * 3600


def _queue_dir(dataset: str | None) -> Path | None:
    """A fresh folder for this run's queue, or ``None`` when the dataset folder cannot hold one."""
    if not dataset:
        return None
    base = Path(dataset) / "_queue"
    try:
        base.mkdir(parents=True, exist_ok=True)
        for old in base.iterdir():
            if old.stat().st_mtime < time.time() - _STALE_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix="run-", dir=base))
    except OSError:
        return None  # the run will report the unusable dataset itself


class Command(ScrapyCrawl):
    queue: Path | None = None

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        local_queue = not self.settings.get("REDIS_URL")  # else the queue is in Redis
        if (local_queue and self.settings.getbool("WIRECRAWL_DISK_QUEUE", True)
                and not self.settings.get("JOBDIR")):
            self.queue = _queue_dir(self.settings.get("DATASET_URI"))
            if self.queue is not None:
                self.settings.set("JOBDIR", str(self.queue), priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        assert self.crawler_process
        try:
            crawler = self._create_crawler(args[0])
            self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
        finally:
            if self.queue is not None:
                shutil.rmtree(self.queue, ignore_errors=True)
        failed = self.crawler_process.bootstrap_failed or crawler.stats is None
        if failed or crawler.stats.get_value("wirecrawl/exit_status", 1) != 0:
            self.exitcode = 1
