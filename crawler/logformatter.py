"""Log lines that name a page instead of printing it.

Scrapy's default "Dropped:" and "Error processing" lines print the whole item, and our items carry the
fetched page (:class:`pipelines.fetched_page.FetchedPage`, tens of kilobytes) or its row: one dropped
page would flood the log. The pipelines already log a warning with the URL and the reason, so the drop
line goes to DEBUG and names the story only.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.logformatter import LogFormatter


def _name(item: Any) -> str:
    """``<story id> <<url>>`` of a fetched page or a row (any item Scrapy knows), else its type."""
    if not ItemAdapter.is_item(item):
        return type(item).__name__
    fields = ItemAdapter(item)
    return f"{fields.get('id')} <{fields.get('url')}>"


class WireLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider=None, *args, **kwargs):
        return {"level": logging.DEBUG, "msg": "Dropped %(item)s: %(exception)s",
                "args": {"item": _name(item), "exception": exception}}

    def item_error(self, item, exception, response, spider=None, *args, **kwargs):
        return {"level": logging.ERROR, "msg": "Error processing %(item)s",
                "args": {"item": _name(item)}}

    def scraped(self, item, response, spider=None, *args, **kwargs):
        return {"level": logging.DEBUG, "msg": "Scraped %(item)s",
                "args": {"item": _name(item)}}


class OneLinePerFailure(logging.Filter):
    """Keep a failed request to one log line: the spider's errbacks name every failed feed, sitemap,
    listing and article with its reason, so Scrapy's "Gave up retrying" line is dropped, and a robots.txt
    that cannot be fetched is one WARNING line instead of an ERROR with two tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "scrapy.downloadermiddlewares.retry" and record.levelno >= logging.ERROR:
            return False
        if record.name == "scrapy.downloadermiddlewares.robotstxt" and record.exc_info:
            error = record.exc_info[1]
            args = record.args if isinstance(record.args, dict) else {}
            request = args.get("request")
            host = getattr(request, "url", "?").split("/")[2] if request is not None else "?"
            record.msg = "robots.txt of %s could not be fetched (%s); its pages are requested anyway"
            record.args = (host, " ".join(str(error).split())[:200])
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def install_log_filters() -> None:
    """Attach :class:`OneLinePerFailure` to the loggers it watches (once per process)."""
    for name in ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt"):
        log = logging.getLogger(name)
        if not any(isinstance(f, OneLinePerFailure) for f in log.filters):
            log.addFilter(OneLinePerFailure())
