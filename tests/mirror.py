"""The local UPI mirror of the end-to-end tests: the demo site of :mod:`crawler.demo.mirror` (routes,
a server on 127.0.0.1, UPI-like stories, pages and feeds), and the helpers that run the real
``scrapy crawl`` against it.

``python tests/mirror.py demo`` is ``wirecrawl demo`` run in the checkout (``demo-data/articles``).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crawler.demo.mirror import (  # noqa: F401 - the tests' names for the mirror
    EASTERN,
    FEED_PATHS,
    Route,
    Server,
    Site,
    Story,
    article_html,
    demo_site,
    feed_xml,
    fill_partner_site,
    fill_upi_site,
    make_stories,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def file_size_limit(limit: int) -> list[str]:
    """A command prefix: no file may grow past ``limit`` bytes. The ``write`` that crosses it writes
    what fits and the next fails (EFBIG), as on a full disk (ENOSPC); needs no privilege to mount one."""
    return [sys.executable, "-c", "import os, resource, signal, sys; "
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            "resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]),) * 2); "
            "os.execv(sys.argv[2], sys.argv[2:])", str(limit)]


def run_crawl(base_url: str | None, dataset: Path, *args: str, timeout: float = 240,
              cwd: Path = ROOT, spider: str = "upi", fault: str | None = None,
              wrap: list[str] | None = None, env: dict[str, str] | None = None,
              ) -> subprocess.CompletedProcess[str]:
    """Run the real ``scrapy crawl <spider>`` as a subprocess, fast settings for a local server.

    With ``fault`` it runs through :mod:`tests.inject` (a machine fault, and the peak RSS on the last
    line of stderr); ``wrap`` is a command prefix (``unshare …``); ``env`` replaces :func:`crawl_env`.
    """
    command = crawl_command(base_url, dataset, *args, spider=spider, fault=fault)
    return subprocess.run((wrap or []) + command, cwd=cwd, env=env or crawl_env(), capture_output=True,
                          text=True, timeout=timeout)


def stats_of(path: Path) -> dict:
    """The stats a crawl wrote with ``-s WIRECRAWL_STATS_FILE=<path>``."""
    return json.loads(path.read_text())


def crawl_command(base_url: str | None, dataset: Path, *args: str, spider: str = "upi",
                  fault: str | None = None) -> list[str]:
    runner = ["-m", "tests.inject", fault] if fault else ["-m", "scrapy"]
    command = [sys.executable, *runner, "crawl", spider,
               "-s", f"DATASET_URI={dataset}", "-s", "DOWNLOAD_DELAY=0",
               "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO",
               "-s", "DOWNLOAD_TIMEOUT=10", "-s", "RETRY_TIMES=1"]
    if base_url:
        command += ["-a", f"base_url={base_url}"]
    return command + list(args)


def crawl_env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def start_crawl(base_url: str | None, dataset: Path, log: Path, *args: str,
                spider: str = "upi", fault: str | None = None) -> subprocess.Popen:
    """``run_crawl`` in the background (stdout and stderr into ``log``), for crawls run side by side."""
    handle = open(log, "w")  # noqa: SIM115 - the child holds it; closed when this function returns
    try:
        return subprocess.Popen(crawl_command(base_url, dataset, *args, spider=spider, fault=fault),
                                cwd=ROOT, env=crawl_env(), stdout=handle, stderr=subprocess.STDOUT)
    finally:
        handle.close()


if __name__ == "__main__":
    if sys.argv[1:] == ["demo"]:
        from crawler.demo.run import demo

        raise SystemExit(demo(ROOT / "demo-data"))  # the stories in demo-data/articles, as wirecrawl demo
    raise SystemExit("usage: python tests/mirror.py demo")


@dataclass
class UpiMirror:
    """A UPI mirror being served: its routes (``site``, with the requests it answered), address and
    stories; :meth:`crawl` runs the real ``scrapy crawl upi`` against it and checks the exit status."""

    site: Site
    base_url: str
    stories: list[Story]

    def crawl(self, dataset: Path, *args: str, status: int = 0,
              **options) -> subprocess.CompletedProcess[str]:
        """:meth:`run`, which must end with exit status ``status`` (0: the run went well)."""
        result = self.run(dataset, *args, **options)
        assert result.returncode == status, result.stderr[-3000:]
        return result

    def run(self, dataset: Path, *args: str, **options) -> subprocess.CompletedProcess[str]:
        """The real ``scrapy crawl`` (:func:`run_crawl`) on this mirror, whatever its exit status."""
        return run_crawl(self.base_url, dataset, *args, **options)


@contextlib.contextmanager
def upi_mirror(count: int = 8, *, feed_stories: list[Story] | None = None,
               stories: list[Story] | None = None) -> Iterator[UpiMirror]:
    """``count`` stories (or ``stories``) in a UPI mirror on 127.0.0.1, listed in its feeds (all of them,
    or ``feed_stories``), for as long as the ``with`` block lasts."""
    stories = make_stories(count) if stories is None else stories
    site = Site()
    with Server(site) as base_url:
        fill_upi_site(site, base_url, stories, feed_stories=feed_stories)
        yield UpiMirror(site, base_url, stories)
