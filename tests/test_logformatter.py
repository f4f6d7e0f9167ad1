"""Scrapy's item log lines name the story instead of printing it (crawler.logformatter)."""

from __future__ import annotations

import datetime as dt
import logging

from scrapy.exceptions import DropItem

from crawler.logformatter import WireLogFormatter
from pipelines.fetched_page import FetchedPage

URL = "https://www.upi.com/Top_News/2016/01/29/Story/5711454091383/"
PAGE = FetchedPage(id="upi:5711454091383", source="upi", url=URL, body=b"<html>" + b"x" * 50_000,
                   encoding="utf-8", fetched_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))


def _line(entry: dict) -> str:
    return entry["msg"] % entry["args"]


def test_a_dropped_page_or_row_is_named_by_story_and_url_at_debug() -> None:
    formatter = WireLogFormatter()
    row = {"id": "upi:5711454091383", "url": URL, "body": "the story " * 5000}
    for item in (PAGE, row):
        entry = formatter.dropped(item, DropItem("no_body"), None)
        assert entry["level"] == logging.DEBUG
        assert _line(entry) == f"Dropped upi:5711454091383 <{URL}>: no_body"


def test_error_and_scraped_lines_name_the_story_and_a_non_item_by_its_type() -> None:
    formatter = WireLogFormatter()
    assert _line(formatter.item_error(PAGE, ValueError("x"), None)) == \
        f"Error processing upi:5711454091383 <{URL}>"
    assert _line(formatter.scraped(PAGE, None)) == f"Scraped upi:5711454091383 <{URL}>"
    assert _line(formatter.scraped(["not", "an", "item"], None)) == "Scraped list"
