"""``scrapy crawl reuters``: reuters.com's robots.txt sitemaps (news sitemap first). What is known about
Reuters' pages is in :mod:`pipelines.sites.reuters`."""

from __future__ import annotations

from crawler.spiders.base import ServiceSpider
from pipelines.sites.reuters import REUTERS


class ReutersSpider(ServiceSpider):
    name = "reuters"
    site = REUTERS
    allowed_domains = ["reuters.com"]
