"""``scrapy crawl upi``: UPI's RSS feeds, or ``-a urls=``; section listings for ``-a since=``. What is
known about UPI itself is in :mod:`pipelines.sites.upi`."""

from __future__ import annotations

from urllib.parse import urlsplit

import regex
from scrapy.http import Response

from crawler.spiders.base import ServiceSpider
from pipelines.sites.upi import UPI

_PAGE_NUMBER = regex.compile(r"/p(\d+)/?$")


class UpiSpider(ServiceSpider):
    name = "upi"
    site = UPI
    allowed_domains = ["upi.com"]

    def next_listing_url(self, response: Response) -> str | None:
        """``rel=next``, else the link to ``/<Section>/p<N+1>/`` (unverified offline: see the README)."""
        found = super().next_listing_url(response)
        if found:
            return found
        current = _PAGE_NUMBER.search(urlsplit(response.url).path)
        number = int(current.group(1)) + 1 if current else 2
        for href in response.xpath("//a/@href").getall():
            target = _PAGE_NUMBER.search(urlsplit(response.urljoin(href)).path)
            if target and int(target.group(1)) == number:
                return response.urljoin(href)
        return None
