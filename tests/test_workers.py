"""The worker pool: pages parsed in other processes give the same rows; a bad page is a dropped page."""

from __future__ import annotations

import asyncio
import datetime as dt

from crawler.spiders.upi import UpiSpider
from pipelines.extraction import ExtractionSettings
from pipelines.workers import WorkerPool, run_page
from tests.conftest import FIXTURES
from tests.pages import spider_of

URL = ("https://www.upi.com/Top_News/World-News/2016/01/29/"
       "Russia-North-Korea-agree-to-repatriate-illegal-immigrants/5711454091383/")


def _page() -> dict:
    return {"id": "upi:5711454091383", "source": "upi", "url": URL, "encoding": "utf-8",
            "body": (FIXTURES / "upi_2016_russia_north_korea.html").read_bytes(),
            "fetched_at": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), "is_update": False}


def test_pool_gives_the_same_row_as_in_process_and_recycles_workers() -> None:
    in_process = run_page(spider_of(UpiSpider), _page())
    assert in_process.row is not None

    async def through_pool() -> list:
        pool = WorkerPool(workers=2, max_tasks=1, preload=["crawler.spiders.upi"])
        try:
            jobs = [pool.run("crawler.spiders.upi.UpiSpider", {}, ExtractionSettings(), _page())
                    for _ in range(4)]  # max_tasks=1: every job in a fresh worker
            return await asyncio.gather(*jobs)
        finally:
            pool.close()

    outcomes = asyncio.run(through_pool())
    assert [o.row for o in outcomes] == [in_process.row] * 4
    assert outcomes[0].counters == in_process.counters


def test_an_exception_in_a_parser_is_a_dropped_page() -> None:
    class Broken(UpiSpider):
        def build_row(self, page):
            raise RecursionError("maximum recursion depth exceeded")

    outcome = run_page(spider_of(Broken), _page())
    assert outcome.row is None and outcome.reason == "extract_error"
    assert outcome.counters == {"wirecrawl/dropped/extract_error": 1}
    assert "RecursionError" in outcome.detail


class SlowSpider(UpiSpider):
    """Parses the page called "slow" for ever (a pathological page)."""

    def build_row(self, page):
        if page["id"] == "slow":
            import time

            time.sleep(60)
        return super().build_row(page)


def test_a_page_that_never_finishes_is_dropped_and_the_pool_renewed() -> None:
    async def scenario() -> tuple:
        pool = WorkerPool(workers=1, max_tasks=0, preload=["tests.test_workers"], timeout=3)
        try:
            path = "tests.test_workers.SlowSpider"
            stuck = await pool.run(path, {}, ExtractionSettings(), dict(_page(), id="slow"))
            after = await pool.run(path, {}, ExtractionSettings(), _page())
            return stuck, after
        finally:
            pool.close()

    stuck, after = asyncio.run(scenario())
    assert stuck.row is None and stuck.reason == "extract_timeout"
    assert after.row is not None  # new workers took over
