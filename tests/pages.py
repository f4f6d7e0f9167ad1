"""Run one saved page through the real spider callback and normalization, without a network."""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.test import get_crawler

from crawler.meta import FETCHED_AT
from pipelines.workers import Outcome, run_page


@functools.cache
def spider_class(name: str) -> type[scrapy.Spider]:
    """The spider class ``scrapy crawl <name>`` runs (the project's spider loader: the declared wires
    and the generic ``wire``). Not through ``get_project_settings``: it would export
    ``SCRAPY_SETTINGS_MODULE`` to every crawl the tests start."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    return get_spider_loader(settings).load(name)


def spider_of(spider: str | type[scrapy.Spider], **arguments: str):
    """A spider built as ``scrapy crawl <name> -a name=value ...`` would build it (no dataset)."""
    spider_cls = spider_class(spider) if isinstance(spider, str) else spider
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
    pages = list(spider.parse_article(response, story_id=spider.site.story_id(key)))
    if not pages:
        return None
    return run_page(spider.site, pages[0], spider.extraction)


def parse_page(spider, body: bytes, url: str, headers: dict | None = None) -> dict[str, Any] | None:
    """The dataset row ``spider`` would store for this page (``None`` if it was dropped)."""
    outcome = parse_outcome(spider, body, url, headers)
    return outcome.row if outcome else None


def upi_spider(**arguments: str):
    """``scrapy crawl upi -a name=value ...``'s spider, without a dataset."""
    return spider_of("upi", **arguments)


def parse_upi_page(body: bytes, url: str, headers: dict | None = None) -> dict[str, Any] | None:
    """The dataset row ``scrapy crawl upi`` would store for this page (``None`` if dropped)."""
    return parse_page(upi_spider(), body, url, headers)


def fundus_dev_row(corpus: Path, key: str) -> dict[str, Any]:
    """The generic spider's row for one page of ``<corpus>/fundus-dev`` (served at its own URL)."""
    url = json.loads((corpus / "fundus-dev" / "expected.json").read_text("utf-8"))[key]["url"]
    html = gzip.decompress((corpus / "fundus-dev" / "html" / f"{key}.html.gz").read_bytes())
    outcome = parse_outcome(spider_of(spider_class("wire"), urls=url), html, url)
    assert outcome is not None and outcome.row is not None, f"{key}: {outcome and outcome.reason}"
    return outcome.row
