"""The item a wire spider yields: one fetched article page, extracted but not yet normalized."""

from __future__ import annotations

import scrapy


class ArticleItem(scrapy.Item):
    """Raw fields of one article; :mod:`pipelines.normalize` turns them into a dataset row."""

    id = scrapy.Field()
    source = scrapy.Field()
    url = scrapy.Field()
    fetched_at = scrapy.Field()
    default_agency = scrapy.Field()
    timezone = scrapy.Field()
    #: a :class:`pipelines.extraction.Extracted`
    extracted = scrapy.Field()
    #: fallback publication time (UPI: the timestamp embedded in the story id)
    fallback_published_at = scrapy.Field()
    #: the story is already stored: this fetch is a refresh (a new version of it)
    is_update = scrapy.Field()
