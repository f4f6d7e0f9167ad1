"""Scrapy's spider loader, plus one spider for each declared wire: a wire is its
:class:`pipelines.sites.base.Site` module and nothing else (no spider module, no registration).

``SPIDER_MODULES`` still holds the spiders written by hand (the generic ``wire``); the wires declared in
``WIRECRAWL_SITE_MODULES`` get a :class:`crawler.spiders.base.ServiceSpider` made for them, named by
their ``source``, ``allowed_domains`` taken from their hosts.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from crawler.spiders.base import spider_for
from pipelines.config import read
from pipelines.sites import declared_sites


class WireSpiderLoader(SpiderLoader):
    def __init__(self, settings: BaseSettings) -> None:
        self.site_modules = read(settings, "WIRECRAWL_SITE_MODULES")
        super().__init__(settings)

    def _load_all_spiders(self) -> None:
        super()._load_all_spiders()
        for site in declared_sites(self.site_modules).values():
            spider = spider_for(site)
            self._found[spider.name].append((spider.__module__, spider.__name__))
            self._spiders[spider.name] = spider
        self._check_name_duplicates()
