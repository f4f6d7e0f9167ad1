"""Run one saved page through the real spider callback and normalization, without a network."""

from __future__ import annotations

import datetime as dt
from typing import Any

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.spiders.archive_input import FETCHED_AT
from crawler.spiders.upi import UpiSpider
from pipelines.workers import Outcome, run_page


def spider_of(spider_cls: type, **arguments: str):
    """A spider built as ``scrapy crawl <name> -a name=value ...`` would build it (no dataset)."""
    crawler = get_crawler(spider_cls, settings_dict={"DATASET_URI": ""})
    return spider_cls.from_crawler(crawler, **arguments)


def parse_outcome(spider, body: bytes, url: str, headers: dict | None = None,
                  fetched_at: dt.datetime | None = None) -> Outcome | None:
    """What ``spider`` makes of this page: the real callback, then the worker's
    :func:`pipelines.workers.run_page` (the site's description and the page, no spider), run in this
    process. ``None`` when the callback already dropped it (not HTML, too large). ``fetched_at``: when
    the page was served (as an archived page's ``WARC-Date``), else now."""
    key = spider.site.story_key(url)
    assert key is not None, f"not an article URL for {spider.name}: {url}"
    request = Request(url, meta={FETCHED_AT: fetched_at} if fetched_at else {})
    response = HtmlResponse(url=url, body=body, headers=headers or {}, request=request)
    items = list(spider.parse_article(response, story_id=spider.site.story_id(key)))
    if not items:
        return None
    return run_page(spider.site, dict(items[0]), spider.extraction)


def parse_page(spider, body: bytes, url: str, headers: dict | None = None) -> dict[str, Any] | None:
    """The dataset row ``spider`` would store for this page (``None`` if it was dropped)."""
    outcome = parse_outcome(spider, body, url, headers)
    return outcome.row if outcome else None


def upi_spider(**arguments: str) -> UpiSpider:
    """``scrapy crawl upi -a name=value ...``'s spider, without a dataset."""
    return spider_of(UpiSpider, **arguments)


def parse_upi_page(body: bytes, url: str, headers: dict | None = None) -> dict[str, Any] | None:
    """The dataset row ``scrapy crawl upi`` would store for this page (``None`` if dropped)."""
    return parse_page(upi_spider(), body, url, headers)
