"""``scrapy crawl`` for cron: one clear line for a user's mistake, an exit status that says what happened,
the run summary as the last log line, and a request queue on disk that never outlives the run.

Exit status: 0 the run went well; 1 it failed (no feed reachable, a spider error, rows that could not be
written, a layout-drift alarm); 2 a usage error (a bad argument or setting, an unknown spider: one line
``error: <what is wrong>; <what is expected>``, nothing crawled); 3 the run went well but damaged dataset
files were moved to ``<dataset>/_quarantine/``; 130 it was interrupted (Ctrl-C, SIGTERM: what was
parsed is stored, the record written, the rest left for the next run). The verdict comes from
:class:`crawler.extensions.RunSummary` through the ``wirecrawl/exit_status`` stat. ``--quiet``
(:mod:`crawler.failure_echo`) prints nothing but a failed run's ERROR lines and summary.

A feed or sitemap of N entries schedules N requests at once, and Scrapy's in-memory queue then grows
with N (measured: +31 MB of 246 at N=10,000). Unless ``JOBDIR`` is set or ``WIRECRAWL_DISK_QUEUE`` is
off, the run gets a private ``JOBDIR`` under ``<DATASET_URI>/_queue/`` (invisible to readers), so the
scheduler keeps pending requests on disk; it is removed when the run ends however it ends, and
left-overs of killed runs are swept by the next one.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.ossignal import install_shutdown_handlers, signal_names
from scrapy.utils.project import get_project_settings

from crawler.failure_echo import FailureEcho
from pipelines import signals as wire_signals
from pipelines.config import problems, read
from pipelines.exits import EXIT_FAILED, EXIT_USAGE

logger = logging.getLogger("crawler.run")

_STALE_SECONDS = 6 * 3600


class UsageProblem(Exception):
    """A user's mistake: the message says what is wrong and what is expected."""


def check_settings(settings: Settings) -> None:
    """Refuse settings that would only fail later, deep in a run: every declared setting
    (:mod:`pipelines.config`) is read once here, as the components will read it."""
    found = problems(settings)
    if found:
        raise UsageProblem(found[0])


def _queue_dir(dataset: str | None) -> Path | None:
    """A fresh folder for this run's queue, or ``None`` when the dataset folder cannot hold one.
    Queues that killed runs left behind are swept: at once when their run (named in the folder, host and
    pid) is gone, else after ``_STALE_SECONDS``."""
    if not dataset:
        return None
    base = Path(dataset) / "_queue"
    host = socket.gethostname().replace("-", "_")
    try:
        base.mkdir(parents=True, exist_ok=True)
        for old in base.iterdir():
            if _left_behind(old, host):
                shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix=f"run-{host}-{os.getpid()}-", dir=base))
    except OSError:
        return None  # the run will report the unusable dataset itself


def _left_behind(folder: Path, host: str) -> bool:
    parts = folder.name.split("-")
    if len(parts) >= 4 and parts[1] == host and parts[2].isdigit():
        try:
            os.kill(int(parts[2]), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
    return folder.stat().st_mtime < time.time() - _STALE_SECONDS


def _usage_error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


class Command(ScrapyCrawl):
    queue: Path | None = None
    quiet = False

    def short_desc(self) -> str:
        return "Fetch a wire service's new stories into the dataset (wirecrawl's crawl)"

    def long_desc(self, argv: list[str] | None = None) -> str:
        """The spiders, and the arguments of the one named on the command line (``--help`` of
        ``wirecrawl crawl upi`` and of ``scrapy crawl upi``)."""
        from crawler.catalog import spider_help, spider_names

        settings = self.settings or get_project_settings()
        names = spider_names(settings)
        named = next((arg for arg in (sys.argv[1:] if argv is None else argv) if arg in names), None)
        text = (f"Fetch a wire service's new stories into the dataset (DATASET_URI). The spiders: "
                f"{', '.join(names)} (wirecrawl spiders says what each reads and takes).")
        if named:
            text += "\n\n" + spider_help(settings, named)
        return text + ("\n\nExit status: 0 the run went well; 1 it failed; 2 a usage error (nothing "
                       "crawled); 3 it went well but damaged dataset files were quarantined; 130 it was "
                       "interrupted (Ctrl-C, SIGTERM). With --quiet a run that went well prints nothing "
                       "and one that did not prints its ERROR lines and its summary on stderr, whatever "
                       "LOG_FILE says: cron mails exactly the failures.")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--quiet", action="store_true",
                            help="print nothing when the run went well; else its ERROR lines and "
                                 "summary on stderr, whatever LOG_FILE says (for cron)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # checked here, before Scrapy logs its start-up lines: a mistake gets one line and exit 2
        problem = self._usage_problem(args, opts)
        if problem:
            sys.exit(_usage_error(problem))
        log_file = self.settings.get("LOG_FILE")
        if log_file:  # cron lines name a log folder that a fresh checkout does not have yet
            with contextlib.suppress(OSError):  # if it fails, Scrapy's own error names the path
                Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        self.quiet = bool(getattr(opts, "quiet", False))
        if self.quiet and not log_file:  # no banner: what a failure prints comes from FailureEcho
            self.settings.set("LOG_ENABLED", False, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process and self.settings is not None
        echo = (FailureEcho(self.settings.get("LOG_FILE"), self.settings.get("LOG_FORMAT"),
                            self.settings.get("LOG_DATEFORMAT")).install() if self.quiet else None)
        try:
            self.exitcode = self._crawl(args, opts)
        finally:
            if echo is not None:
                echo.finish(self.exitcode)

    def _crawl(self, args: list[str], opts: argparse.Namespace) -> int:
        assert self.crawler_process and self.settings is not None
        local_queue = not read(self.settings, "REDIS_URL")  # else the queue is in Redis
        if (local_queue and read(self.settings, "WIRECRAWL_DISK_QUEUE")
                and not self.settings.get("JOBDIR")):
            self.queue = _queue_dir(read(self.settings, "DATASET_URI"))
            if self.queue is not None:
                self.settings.set("JOBDIR", str(self.queue), priority="cmdline")
        crawler = None
        try:
            crawler = self._create_crawler(args[0])
            crawler.wirecrawl_summary_deferred = True
            self._second_signal_stops_in_order(crawler)
            self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
        finally:
            if self.queue is not None:
                shutil.rmtree(self.queue, ignore_errors=True)
        stats = crawler.stats if crawler is not None else None
        if self.crawler_process.bootstrap_failed or stats is None:
            return EXIT_FAILED
        line = stats.get_value("wirecrawl/summary")
        if line:
            logger.log(int(line[0]), line[1])
        return int(stats.get_value("wirecrawl/exit_status", EXIT_FAILED))

    def _second_signal_stops_in_order(self, crawler) -> None:
        """The first Ctrl-C (or SIGTERM) is Scrapy's: no new requests, the close waits for the pages
        in flight, rows and record written as at any end. Scrapy stops the reactor at once on the
        second, losing the rows not yet written and the run record; here the rows parsed so far and
        the record are written first. A third stops the process at once."""
        process = self.crawler_process

        def second(signum: int, _frame: Any) -> None:
            from twisted.internet import reactor

            install_shutdown_handlers(signal.SIG_DFL)
            reactor.callFromThread(stop_now, signum)

        def stop_now(signum: int) -> None:
            logger.warning("Received %s twice: writing the rows parsed so far and the run record, then "
                           "stopping (once more stops at once)", signal_names.get(signum, signum))
            crawler.signals.send_catch_log(wire_signals.flush_requested)
            crawler.signals.send_catch_log(wire_signals.stopping_now)
            process._stop_reactor()

        process._signal_kill = second  # Scrapy installs it on the first signal

    def _usage_problem(self, args: list[str], opts: argparse.Namespace) -> str | None:
        """What is wrong with the command line, in one sentence (``None`` if nothing)."""
        loader = get_spider_loader(self.settings)
        names = sorted(loader.list())
        if len(args) != 1:
            return f"give exactly one spider name; the spiders are: {', '.join(names)}"
        if args[0] not in names:
            return f"no spider named {args[0]!r}; the spiders are: {', '.join(names)}"
        try:
            check_settings(self.settings)
        except UsageProblem as exc:
            return str(exc)
        spider_cls = loader.load(args[0])
        known = getattr(spider_cls, "argument_names", None)
        unknown = sorted(set(opts.spargs) - set(known)) if known is not None else []
        if unknown:
            return (f"{args[0]} takes no argument {unknown[0]!r}; its arguments are: "
                    f"{', '.join(sorted(known))}")
        try:
            spider_cls(**opts.spargs)  # the spider's own checks, with nothing started yet
        except ValueError as exc:
            return str(exc)
        return None
