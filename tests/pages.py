"""Run one saved page through the real spider callback and normalization, without a network."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.spiders.upi import UpiSpider
from pipelines.stages import NormalizePipeline


def upi_spider(**settings: Any) -> UpiSpider:
    crawler = get_crawler(UpiSpider, settings_dict={"DATASET_URI": "", **settings})
    return UpiSpider.from_crawler(crawler)


def upi_spider_with(**arguments: str) -> UpiSpider:
    """A spider built as ``scrapy crawl upi -a name=value ...`` would build it."""
    crawler = get_crawler(UpiSpider, settings_dict={"DATASET_URI": ""})
    return UpiSpider.from_crawler(crawler, **arguments)


def parse_upi_page(body: bytes, url: str, headers: dict | None = None) -> dict[str, Any] | None:
    """The dataset row the crawl would store for this page (``None`` if it was dropped)."""
    spider = upi_spider()
    key = spider.story_key(url)
    assert key is not None, f"not a UPI article URL: {url}"
    response = HtmlResponse(url=url, body=body, headers=headers or {},
                            request=Request(url))
    items = list(spider.parse_article(response, story_id=spider.story_id(key)))
    if not items:
        return None
    try:
        return NormalizePipeline(spider.crawler.stats).process_item(items[0])
    except DropItem:
        return None
