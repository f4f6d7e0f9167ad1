"""``scrapy crawl ap``: apnews.com's robots.txt sitemaps (news sitemap first). What is known about AP's
pages is in :mod:`pipelines.sites.ap`."""

from __future__ import annotations

from crawler.spiders.base import ServiceSpider
from pipelines.sites.ap import AP


class ApSpider(ServiceSpider):
    name = "ap"
    site = AP
    allowed_domains = ["apnews.com", "hosted.ap.org"]
