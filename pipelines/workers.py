"""Extraction off the reactor: a pool of worker processes that turn fetched pages into rows.

Scrapy's reactor runs on one core, and trafilatura is not safe in several threads of one process, so
pages are parsed in worker processes (``WIRECRAWL_WORKERS``, default: one per core) while the reactor
downloads and the dataset writer writes. Workers start from a ``forkserver`` that has already imported
the heavy modules, get each page with the site's description (:mod:`pipelines.sites`), and are
replaced after ``WIRECRAWL_WORKER_MAX_TASKS`` pages so their memory cannot creep; trafilatura's caches
are reset every ``_RESET_EVERY`` pages in between.

A worker reports what it saw as an :class:`Outcome` (row or drop reason, stats counters, log lines),
which the main process applies: stats and logs stay where Scrapy keeps them.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import select
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from trafilatura.meta import reset_caches

from pipelines.extraction import ExtractionSettings
from pipelines.fetched_page import FetchedPage
from pipelines.parse import Outcome, parse_page
from pipelines.sites.base import Site

logger = logging.getLogger(__name__)

_RESET_EVERY = 100


_jobs_done = 0


def run_page(site: Site, page: FetchedPage, extraction: ExtractionSettings | None = None
             ) -> Outcome:
    """One page through :func:`pipelines.parse.parse_page`; an exception becomes a dropped page."""
    try:
        return parse_page(site, page, extraction)
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the others
        return Outcome().drop("extract_error", f"{type(exc).__name__}: {exc}")


def run_job(site: Site, extraction: ExtractionSettings, page: FetchedPage) -> Outcome:
    """Parse and normalize one fetched page with the site's description (no spider, no crawler).

    Whatever a page does to the parsers ends as a dropped page, never as a lost worker or run.
    """
    global _jobs_done
    outcome = run_page(site, page, extraction)
    _jobs_done += 1
    if _jobs_done % _RESET_EVERY == 0:
        reset_caches()
    return outcome


def _exit_with(crawler_pid: int) -> None:
    """Worker initializer: exit as soon as the crawler process is gone, so a crawler killed with
    SIGKILL leaves no workers (nor, through them, the forkserver) behind holding its pipes."""

    def watch() -> None:
        try:
            handle = os.pidfd_open(crawler_pid)
        except (AttributeError, OSError):
            handle = None
        if handle is not None:
            select.select([handle], [], [])  # readable when the process has exited
            os._exit(0)
        while True:
            try:
                os.kill(crawler_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                pass
            time.sleep(1)

    threading.Thread(target=watch, name="wirecrawl-watch-crawler", daemon=True).start()


class WorkerPool:
    """The process pool: created on first use, renewed every ``max_tasks`` pages a worker (and when
    a worker dies or a page takes longer than ``timeout``).

    Renewal is done here rather than with ``max_tasks_per_child``, which hangs the pool on Python
    3.11 (CPython gh-115634). The new pool starts once the old one has finished its pages: were both
    alive at once, peak memory would grow with the number of renewals, that is with the size of a crawl
    (measured at N=10,000: 303 MB with the overlap, 283 MB without renewal at all).
    """

    def __init__(self, workers: int, max_tasks: int, preload: list[str],
                 timeout: float = 120.0) -> None:
        self.workers = workers
        self.max_tasks = max_tasks
        self.preload = preload
        self.timeout = timeout
        self._executor: ProcessPoolExecutor | None = None
        self._submitted = 0
        #: the current pool's pages not yet parsed, and the wait for a retired pool's last pages
        self._inflight: set[Future] = set()
        self._draining: asyncio.Future | None = None

    def _make(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pipelines.workers", "pipelines.sites", *self.preload])
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                   initializer=_exit_with, initargs=(os.getpid(),))

    async def _executor_for_next_job(self) -> ProcessPoolExecutor:
        if self._executor is not None and self.max_tasks > 0 \
                and self._submitted >= self.max_tasks * self.workers:
            pending = list(self._inflight)
            self._retire(kill=False)
            if pending:
                self._draining = asyncio.ensure_future(asyncio.wait(
                    [asyncio.wrap_future(f) for f in pending]))
        if self._draining is not None:  # every caller waits for the same drain
            draining = self._draining
            await draining
            if self._draining is draining:
                self._draining = None
        if self._executor is None:
            self._executor = self._make()
            self._submitted = 0
            self._inflight = set()
        self._submitted += 1
        return self._executor

    def _retire(self, *, kill: bool) -> None:
        """Stop giving the current pool work; with ``kill``, end its processes now."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = list(getattr(executor, "_processes", {}).values()) if kill else []
        executor.shutdown(wait=False, cancel_futures=kill)
        for process in processes:
            process.kill()

    async def run(self, site: Site, extraction: ExtractionSettings, page: FetchedPage) -> Outcome:
        """The page's outcome, parsed in a worker process (the page is pickled to it)."""
        executor = await self._executor_for_next_job()
        future = executor.submit(run_job, site, extraction, page)
        inflight = self._inflight
        inflight.add(future)
        future.add_done_callback(inflight.discard)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except BrokenProcessPool:
            logger.error("a worker process died; starting new ones")
            self._retire(kill=True)
            return Outcome().drop("worker_crashed", "the worker process died")
        except asyncio.TimeoutError:
            logger.error("a page took more than %.0f s to parse; starting new workers", self.timeout)
            self._retire(kill=True)
            return Outcome().drop("extract_timeout", f"over {self.timeout:.0f} s")

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
