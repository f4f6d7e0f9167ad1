"""The thin Scrapy layer over the pure modules: normalization and the dataset writer as item pipelines."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from scrapy.exceptions import DropItem

from pipelines.dataset import cleanup_temp_files, new_run_id, write_rows
from pipelines.idset import IdSet
from pipelines.normalize import Context, Rejected, normalize

logger = logging.getLogger(__name__)


class NormalizePipeline:
    """ArticleItem -> dataset row (a dict); pages that cannot make an honest row are dropped."""

    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: Any) -> dict[str, Any]:
        ctx = Context(
            id=item["id"], source=item["source"], url=item["url"], fetched_at=item["fetched_at"],
            default_agency=item.get("default_agency"), timezone=item.get("timezone") or "UTC",
            fallback_published_at=item.get("fallback_published_at"),
        )
        for note in item["extracted"].notes:
            self.stats.inc_value(f"wirecrawl/{note.split(':')[0]}")
            logger.warning("%s: %s (the value was not believed)", ctx.url, note)
        try:
            row, notes = normalize(item["extracted"], ctx)
        except Rejected as exc:
            self.stats.inc_value(f"wirecrawl/dropped/{exc.reason}")
            raise DropItem(f"{ctx.url}: {exc}") from None
        source = item["extracted"].published_source or "story_id"
        self.stats.inc_value(f"wirecrawl/published_at/{source}")
        for note in notes:
            self.stats.inc_value(f"wirecrawl/missing/{note}")
        if notes:
            logger.info("%s stored without: %s", ctx.url, ", ".join(notes))
        row["_update"] = bool(item.get("is_update"))
        return row


class DatasetPipeline:
    """Buffers rows and writes them as Parquet every ``DATASET_FLUSH_ITEMS`` rows and at the end.

    A story appears once per run even if two URLs led to it. A failed write loses only the rows of
    that flush, which the next run fetches again (they are not in the dataset).
    """

    def __init__(self, stats, uri: str, flush_items: int) -> None:
        self.stats = stats
        self.uri = uri
        self.flush_items = max(1, flush_items)
        self.buffer: list[dict[str, Any]] = []
        self.seen = IdSet()
        self.run_id = new_run_id()
        self.seq = 0
        self.files: list[str] = []

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(crawler.stats, settings.get("DATASET_URI"),
                   settings.getint("DATASET_FLUSH_ITEMS", 500))

    def open_spider(self, spider=None) -> None:
        removed = cleanup_temp_files(self.uri, older_than=dt.timedelta(hours=6))
        if removed:
            logger.info("removed %d temporary files left by crashed runs", removed)
        self.stats.set_value("wirecrawl/run_id", self.run_id)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if item["id"] in self.seen:
            self.stats.inc_value("wirecrawl/skipped/duplicate_story")
            raise DropItem(f"{item['id']} already stored in this run")
        self.seen.add(item["id"])
        self.buffer.append(item)
        if len(self.buffer) >= self.flush_items:
            self.flush()
        return item

    def close_spider(self, spider=None) -> None:
        self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        rows, self.buffer = self.buffer, []
        self.seq += 1
        try:
            paths = write_rows(self.uri, rows, self.run_id, self.seq)
        except (OSError, ValueError) as exc:
            logger.error("could not write %d rows to %s: %s", len(rows), self.uri, exc)
            self.stats.inc_value("wirecrawl/dataset/write_errors")
            self.stats.inc_value("wirecrawl/dataset/rows_lost", len(rows))
            return
        updates = sum(1 for row in rows if row.get("_update"))
        self.stats.inc_value("wirecrawl/dataset/files_written", len(paths))
        self.stats.inc_value("wirecrawl/items/written", len(rows))
        self.stats.inc_value("wirecrawl/items/new", len(rows) - updates)
        self.stats.inc_value("wirecrawl/items/updated", updates)
        self.files.extend(str(p) for p in paths)
        self.stats.set_value("wirecrawl/dataset/files", list(self.files))
        logger.info("wrote %d rows (%d updated stories) in %d files", len(rows), updates, len(paths))
