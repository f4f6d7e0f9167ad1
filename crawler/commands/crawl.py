"""``scrapy crawl`` that exits non-zero when the run failed.

Scrapy's own command exits 0 whatever happened once the spider started; cron needs to know when no
feed was reachable, the spider raised, or nothing could be written. The verdict comes from
:class:`crawler.extensions.RunSummary` through the ``wirecrawl/exit_status`` stat.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        failed = self.crawler_process.bootstrap_failed or crawler.stats is None
        if failed or crawler.stats.get_value("wirecrawl/exit_status", 1) != 0:
            self.exitcode = 1
