"""The scheduler setting's target: Scrapy's own scheduler, or the shared Redis one when ``REDIS_URL`` is
set, so that one setting switches a crawl to distributed mode and nothing else changes without it.

The local scheduler keeps pending requests on disk (``JOBDIR``, a private one by default: see
:mod:`crawler.commands.crawl`). A disk that fills up mid-run must cost the run its queue on disk, not
the run: requests that cannot be written there wait in memory, a queue that can no longer be read is
given up (its stories are fetched again by the next run), each said once, counted, and the run fails."""

from __future__ import annotations

import logging

from scrapy.core.scheduler import Scheduler

from pipelines.config import read

logger = logging.getLogger(__name__)


class WireScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler):
        if read(crawler.settings, "REDIS_URL"):
            from crawler.distributed import DistributedScheduler  # needs redis only in this mode

            return DistributedScheduler.from_crawler(crawler)
        return super().from_crawler(crawler)

    #: the disk refused a request once: the next ones wait in memory
    disk_full = False

    def _disk_failed(self, what: str, exc: Exception) -> None:
        if self.stats is not None:
            self.stats.inc_value("wirecrawl/queue/disk_errors")
        logger.error("the request queue on disk in %s %s (%s); pending requests wait in memory from now "
                     "on", self.dqdir, what, getattr(exc, "strerror", None) or exc)

    def _dq(self):
        try:
            return super()._dq()
        except OSError as exc:
            self._disk_failed("cannot be made", exc)
            return None

    def _dqpush(self, request) -> bool:
        if self.disk_full:
            return False
        try:
            return super()._dqpush(request)
        except OSError as exc:  # a full disk: what the queue holds stays readable
            self.disk_full = True
            self._disk_failed("cannot take more", exc)
            return False

    def _dqpop(self):
        try:
            return super()._dqpop()
        except Exception as exc:  # noqa: BLE001 - a request cut short on a full disk: the rest is lost
            if self.stats is not None:
                self.stats.inc_value("wirecrawl/queue/lost")
            self._disk_failed("cannot be read any more (its requests are left for the next run)", exc)
            self.dqs, self.disk_full = None, True
            return None

    def close(self, reason: str):
        try:
            return super().close(reason)
        except OSError as exc:  # the queue's state for a resumed job: a private queue needs none
            logger.error("could not save the request queue's state in %s: %s", self.dqdir,
                         exc.strerror or exc)
            if self.stats is not None:
                self.stats.inc_value("wirecrawl/queue/disk_errors")
            return self.df.close(reason)
