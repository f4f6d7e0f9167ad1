"""Extraction off the reactor: a pool of worker processes that turn fetched pages into rows.

Scrapy's reactor runs on one core, and trafilatura is not safe in several threads of one process, so
pages are parsed in worker processes (``WIRECRAWL_WORKERS``, default: one per core) while the reactor
downloads and the dataset writer writes. Workers start from a ``forkserver`` that has already imported
the heavy modules, rebuild the spider once (its site knowledge: URL scheme and page layouts), and are
replaced after ``WIRECRAWL_WORKER_MAX_TASKS`` pages so their memory cannot creep; trafilatura's caches
are reset every ``_RESET_EVERY`` pages in between.

A worker reports what it saw as an :class:`Outcome` (row or drop reason, stats counters, log lines),
which the main process applies: stats and logs stay where Scrapy keeps them.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import os
import select
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from trafilatura.meta import reset_caches

logger = logging.getLogger(__name__)

_RESET_EVERY = 100


@dataclass
class Outcome:
    """What became of one page: a row, or the reason it was dropped; and what to count and log."""

    row: dict[str, Any] | None = None
    reason: str | None = None
    detail: str = ""
    counters: dict[str, int] = field(default_factory=dict)
    logs: list[tuple[int, str]] = field(default_factory=list)

    def count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n

    def log(self, level: int, message: str) -> None:
        self.logs.append((level, message))

    def drop(self, reason: str, detail: str = "") -> Outcome:
        self.reason, self.detail = reason, detail
        self.count(f"wirecrawl/dropped/{reason}")
        return self


_spiders: dict[tuple, Any] = {}
_jobs_done = 0


def _spider(path: str, arguments: dict[str, Any], extraction: Any):
    """The spider (site knowledge only, no crawler) for these arguments, built once per process."""
    key = (path, tuple(sorted(arguments.items())), extraction)
    if key not in _spiders:
        module, _, name = path.rpartition(".")
        spider = getattr(importlib.import_module(module), name)(**arguments)
        spider.extraction = extraction
        _spiders[key] = spider
    return _spiders[key]


def run_page(spider: Any, page: dict[str, Any]) -> Outcome:
    """One page through ``spider.build_row``; an exception becomes a dropped page."""
    try:
        return spider.build_row(page)
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the others
        return Outcome().drop("extract_error", f"{type(exc).__name__}: {exc}")


def run_job(path: str, arguments: dict[str, Any], extraction: Any, page: dict[str, Any]) -> Outcome:
    """Parse and normalize one fetched page with the spider at ``path`` (a dotted class path).

    Whatever a page does to the parsers ends as a dropped page, never as a lost worker or run.
    """
    global _jobs_done
    outcome = run_page(_spider(path, arguments, extraction), page)
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
    3.11 (CPython gh-115634): a new pool takes new pages while the old one finishes its own.
    """

    def __init__(self, workers: int, max_tasks: int, preload: list[str],
                 timeout: float = 120.0) -> None:
        self.workers = workers
        self.max_tasks = max_tasks
        self.preload = preload
        self.timeout = timeout
        self._executor: ProcessPoolExecutor | None = None
        self._submitted = 0

    def _make(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pipelines.workers", *self.preload])
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                   initializer=_exit_with, initargs=(os.getpid(),))

    def _executor_for_next_job(self) -> ProcessPoolExecutor:
        if self._executor is not None and self.max_tasks > 0 \
                and self._submitted >= self.max_tasks * self.workers:
            self._retire(kill=False)
        if self._executor is None:
            self._executor = self._make()
            self._submitted = 0
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

    async def run(self, *job: Any) -> Outcome:
        future = self._executor_for_next_job().submit(run_job, *job)
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
