"""``scrapy crawl yonhap``: Yonhap's English RSS feed and robots.txt sitemaps. What is known about
Yonhap's pages is in :mod:`pipelines.sites.yonhap`."""

from __future__ import annotations

from crawler.spiders.base import ServiceSpider
from pipelines.sites.yonhap import YONHAP


class YonhapSpider(ServiceSpider):
    name = "yonhap"
    site = YONHAP
    allowed_domains = ["en.yna.co.kr"]
