"""The scheduler setting's target: Scrapy's own scheduler, or the shared Redis one when ``REDIS_URL`` is
set, so that one setting switches a crawl to distributed mode and nothing else changes without it."""

from __future__ import annotations

from scrapy.core.scheduler import Scheduler

from pipelines.config import read


class WireScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler):
        if read(crawler.settings, "REDIS_URL"):
            from crawler.distributed import DistributedScheduler  # needs redis only in this mode

            return DistributedScheduler.from_crawler(crawler)
        return super().from_crawler(crawler)
