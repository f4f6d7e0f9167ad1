"""The worker pool: pages parsed in other processes give the same rows; a bad page is a dropped page."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import pickle
import subprocess
import sys
import time

import pytest

from pipelines.extraction import ExtractionSettings
from pipelines.fetched_page import FetchedPage
from pipelines.sites.upi import UPI, UpiV2016
from pipelines.workers import WorkerPool, run_page
from tests.conftest import FIXTURES, ROOT

URL = ("https://www.upi.com/Top_News/World-News/2016/01/29/"
       "Russia-North-Korea-agree-to-repatriate-illegal-immigrants/5711454091383/")


def _page() -> FetchedPage:
    return FetchedPage(id="upi:5711454091383", source="upi", url=URL, encoding="utf-8",
                       body=(FIXTURES / "upi_2016_russia_north_korea.html").read_bytes(),
                       fetched_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))


def test_a_page_crosses_to_a_worker_whole() -> None:
    """The pool pickles each page to its worker process: every field arrives, a claim included."""
    page = dataclasses.replace(_page(), is_update=True, claim="upi:5711454091383#refresh:x")
    assert pickle.loads(pickle.dumps(page)) == page
    assert "body" not in repr(page) and URL in repr(page)  # a logged page does not print its bytes


@pytest.mark.e2e
def test_pool_gives_the_same_row_as_in_process_and_recycles_workers() -> None:
    in_process = run_page(UPI, _page())
    assert in_process.row is not None

    async def through_pool() -> list:
        pool = WorkerPool(workers=2, max_tasks=1, preload=[])
        try:
            jobs = [pool.run(UPI, ExtractionSettings(), _page())
                    for _ in range(4)]  # max_tasks=1: every job in a fresh worker
            return await asyncio.gather(*jobs)
        finally:
            pool.close()

    outcomes = asyncio.run(through_pool())
    assert [o.row for o in outcomes] == [in_process.row] * 4
    assert outcomes[0].counters == in_process.counters


class BrokenLayout(UpiV2016):
    name = "broken"

    def parse(self, tree, url, **options):
        raise RecursionError("maximum recursion depth exceeded")


class SlowLayout(UpiV2016):
    """Parses a page whose URL says "slow" for ever (a pathological page)."""

    name = "slow"

    def parse(self, tree, url, **options):
        if url.endswith("#slow"):
            time.sleep(60)
        return super().parse(tree, url, **options)


SLOW = dataclasses.replace(UPI, layouts=(SlowLayout,))


def test_an_exception_in_a_parser_is_a_dropped_page() -> None:
    outcome = run_page(dataclasses.replace(UPI, layouts=(BrokenLayout,)), _page())
    assert outcome.row is None and outcome.reason == "extract_error"
    assert outcome.counters == {"wirecrawl/dropped/extract_error": 1}
    assert "RecursionError" in outcome.detail


@pytest.mark.e2e
def test_a_page_that_never_finishes_is_dropped_and_the_pool_renewed() -> None:
    async def scenario() -> tuple:
        pool = WorkerPool(workers=1, max_tasks=0, preload=["tests.test_workers"], timeout=3)
        try:
            slow = dataclasses.replace(_page(), url=URL + "#slow")
            stuck = await pool.run(SLOW, ExtractionSettings(), slow)
            after = await pool.run(SLOW, ExtractionSettings(), _page())
            return stuck, after
        finally:
            pool.close()

    stuck, after = asyncio.run(scenario())
    assert stuck.row is None and stuck.reason == "extract_timeout"
    assert after.row is not None  # new workers took over


@pytest.mark.e2e
def test_a_worker_parses_with_the_site_alone() -> None:
    """The worker side imports no spider and no Scrapy: the site's description and the page suffice."""
    code = ("import sys; from pipelines.workers import run_page; from pipelines.sites import SITES; "
            "assert not any(m == 'scrapy' or m.startswith(('scrapy.', 'crawler')) for m in sys.modules), "
            "sorted(m for m in sys.modules if m.startswith(('scrapy', 'crawler')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
