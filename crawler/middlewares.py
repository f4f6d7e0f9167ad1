"""Downloader middleware: honour ``Retry-After`` on 429/503 answers, within bounds.

Scrapy retries 429 and 503 at once; a rate-limiting server asks us to wait. A wait of up to
``WIRECRAWL_MAX_RETRY_AFTER`` seconds is honoured (the request is retried after it, counting towards
``RETRY_TIMES``); a longer one is not waited for: the response goes on to Scrapy's own retry logic.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import logging

from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date), or ``None``."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - (now or dt.datetime.now(dt.timezone.utc))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler) -> None:
        self.stats = crawler.stats
        self.max_wait = crawler.settings.getfloat("WIRECRAWL_MAX_RETRY_AFTER", 120)
        self.max_retries = crawler.settings.getint("RETRY_TIMES", 2)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_response(self, request: Request, response: Response, spider=None):
        if response.status not in (429, 503):
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        retries = request.meta.get("retry_times", 0)
        if wait is None or wait > self.max_wait or retries >= self.max_retries:
            if wait is not None and wait > self.max_wait:
                logger.warning("%s asks to retry after %.0f s (more than %.0f s): not waiting",
                               request.url, wait, self.max_wait)
                self.stats.inc_value("wirecrawl/retry_after/too_long")
            return response
        logger.info("%s answered %d; retrying after %.1f s as asked", request.url,
                    response.status, wait)
        self.stats.inc_value("wirecrawl/retry_after/waited")
        await asyncio.sleep(wait)
        retry = request.copy()
        retry.meta["retry_times"] = retries + 1
        retry.dont_filter = True
        return retry
