"""``scrapy crawl wire -a site=https://example.com``: any news site, no site knowledge needed.

Discovery: the site's robots.txt sitemaps and the RSS/Atom feeds its home page declares. Parsing: the
generic layout of :mod:`pipelines.sites.generic`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from crawler import meta
from crawler.spiders.base import ServiceSpider
from pipelines.sites.generic import generic_site

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")


class GenericSpider(ServiceSpider):
    """Arguments: ``site`` (not needed with ``urls``), ``urls``, ``since``, ``max_items``."""

    name = "wire"
    site = generic_site()
    argument_names = ServiceSpider.argument_names | {"site"}

    def __init__(self, site: str | None = None, **kwargs: Any) -> None:
        parts = urlsplit(site or "")
        if site and (parts.scheme not in {"http", "https"} or not parts.hostname):
            raise ValueError(f"site must be an http(s) URL such as https://example.com, got {site!r}")
        self.site_url = site.rstrip("/") if site else None
        self.site = generic_site(self.site_url)
        super().__init__(**kwargs)
        if not site and not self.urls:
            raise ValueError("wire needs a site to crawl; give -a site=https://example.com (or -a urls=…)")
        if parts.hostname:
            domain = parts.hostname.lower().removeprefix("www.")
            self.allowed_domains = sorted({*self.allowed_domains, domain})

    async def start(self) -> AsyncIterator[Any]:
        async for request in super().start():
            yield request
        if self.site_url and not self.urls and not self.refused:
            yield self.discovery.document_request(self.site_url + "/", "home", self.parse_home, priority=20)

    def run_arguments(self) -> dict[str, Any]:
        return {**super().run_arguments(), **({"site": self.site_url} if self.site_url else {})}

    def parse_home(self, response: Response) -> Iterable[scrapy.Request]:
        """RSS/Atom autodiscovery: ``<link rel="alternate" type="application/rss+xml">``, on the site
        or one of its subdomains (``feeds.example.com``)."""
        if not isinstance(response, TextResponse):
            return
        domain = min(self.site.hosts, key=len)
        for link in response.xpath('//link[contains(@rel,"alternate")]'):
            if (link.attrib.get("type") or "").lower() not in _FEED_TYPES:
                continue
            url = response.urljoin(link.attrib.get("href", ""))
            host = urlsplit(url).hostname
            if self.site.accepts_host(host) or (host or "").endswith("." + domain):
                yield scrapy.Request(url, callback=self.parse_feed, errback=self.discovery_failed,
                                     priority=10, meta={meta.KIND: "feeds"})
