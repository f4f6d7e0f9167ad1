"""The run's verdict for cron: a closing summary line and an exit status kept in the stats."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from scrapy import signals

logger = logging.getLogger(__name__)


def failure_reasons(stats: dict, *, discovery_expected: bool) -> list[str]:
    """Why a run counts as failed (empty when it succeeded). Pure, so it can be tested alone."""
    reasons: list[str] = []
    finish = stats.get("finish_reason")
    if finish not in (None, "finished"):
        reasons.append(f"finish_reason={finish}")
    if any(key.startswith("spider_exceptions/") for key in stats):
        reasons.append("spider_error")
    if stats.get("wirecrawl/dataset/write_errors"):
        reasons.append("write_error")
    discovered = any(stats.get(f"wirecrawl/{kind}") for kind in
                     ("feeds/ok", "sitemaps/ok", "listings/pages"))
    if discovery_expected and not discovered:
        reasons.append("no_feed_reachable")
    return reasons


class RunSummary:
    """Logs what a run did (new, known, dropped by reason) and records ``wirecrawl/exit_status``."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason: str) -> None:
        stats = self.crawler.stats
        values = dict(stats.get_stats())
        values.setdefault("finish_reason", reason)
        discovery = not getattr(spider, "urls", None)
        reasons = failure_reasons(values, discovery_expected=discovery)
        dropped = {k.removeprefix("wirecrawl/dropped/"): v for k, v in values.items()
                   if k.startswith("wirecrawl/dropped/")}
        stats.set_value("wirecrawl/exit_status", 1 if reasons else 0)
        summary = (
            f"{spider.name}: {values.get('wirecrawl/items/written', 0)} new, "
            f"{values.get('wirecrawl/skipped/known', 0)} skipped as known, "
            f"{sum(dropped.values())} dropped"
            + (f" ({', '.join(f'{k}={v}' for k, v in sorted(dropped.items()))})" if dropped else "")
            + f", {values.get('wirecrawl/dataset/files_written', 0)} files written"
        )
        if reasons:
            logger.error("run FAILED: %s; %s", ", ".join(reasons), summary)
        else:
            logger.info("run OK: %s", summary)
        stats_file = self.crawler.settings.get("WIRECRAWL_STATS_FILE")
        if stats_file:
            record = dict(stats.get_stats(), **{"wirecrawl/failure_reasons": reasons})
            path = Path(stats_file)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(record, default=str, indent=1, sort_keys=True))
