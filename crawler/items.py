"""The item a wire spider yields: one fetched article page, not yet parsed.

Parsing is CPU work and happens in :mod:`pipelines.workers`, off the reactor; the item carries only
what that needs.
"""

from __future__ import annotations

import scrapy


class PageItem(scrapy.Item):
    id = scrapy.Field()
    source = scrapy.Field()
    #: the URL the page was fetched from (after redirects)
    url = scrapy.Field()
    body = scrapy.Field()
    #: the encoding Scrapy detected (HTTP header, BOM, meta), a hint only
    encoding = scrapy.Field()
    fetched_at = scrapy.Field()
    #: the story is already stored: this fetch is a refresh (a new version of it)
    is_update = scrapy.Field()
    #: the request's claim key (:mod:`pipelines.signals`): settled when the row is written or dropped
    claim = scrapy.Field()
