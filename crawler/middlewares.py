"""Downloader middlewares: where a server's answer must not lead the crawler.

- :class:`RetryAfterMiddleware`: Scrapy retries 429 and 503 at once; a rate-limiting server asks us to
  wait. A wait of up to ``WIRECRAWL_MAX_RETRY_AFTER`` seconds is honoured (counting towards
  ``RETRY_TIMES``); a longer one is not waited for, and Scrapy's own retry logic takes over.
- :class:`DocumentSizeCap`: a feed or sitemap larger than ``DOWNLOAD_MAXSIZE`` is read up to it
  (its first entries are as good as a smaller file's), not refused whole as a page is: the download
  is stopped there and a gzip ``Content-Encoding`` unpacked to the same bound.
- :class:`RedirectGuardMiddleware`: a redirect to another host, to a non-HTTP scheme, or back into its
  own chain is refused with a reason the request's errback sees (Scrapy's own filters would drop such
  requests silently, and the story would vanish from the run's accounting).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import logging
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import StopDownload
from scrapy.http import Request, Response

from crawler import meta
from crawler.failures import Refused
from crawler.feeds import FeedError, gunzip
from pipelines.config import read

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
        self.crawler = crawler
        self.stats = crawler.stats
        self.max_wait = read(crawler.settings, "WIRECRAWL_MAX_RETRY_AFTER")
        self.max_retries = read(crawler.settings, "RETRY_TIMES")

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
        retry = get_retry_request(request, spider=self.crawler.spider, max_retry_times=self.max_retries,
                                  reason=f"retry_after_{response.status}")
        return retry if retry is not None else response


#: the discovery documents read only up to the size cap
_DOCUMENTS = ("feeds", "sitemaps")


class DocumentSizeCap:
    """Feeds and sitemaps read up to ``DOWNLOAD_MAXSIZE``. Placed after HttpCompressionMiddleware
    (590), so its ``process_response`` runs first and unpacks a gzip body to the cap, where that
    middleware would refuse the whole document; it then bounds any other encoding by the cap."""

    def __init__(self, crawler) -> None:
        self.cap = read(crawler.settings, "DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.bytes_received, signal=signals.bytes_received)
        return middleware

    def process_request(self, request: Request, spider=None) -> None:
        if request.meta.get(meta.KIND) in _DOCUMENTS and self.cap:
            request.meta["download_maxsize"] = 0  # the cap is ours: stop, keep what came
        return None

    def bytes_received(self, data: bytes, request: Request, spider=None) -> None:
        if request.meta.get(meta.KIND) not in _DOCUMENTS or not self.cap:
            return
        received = request.meta[meta.RECEIVED] = request.meta.get(meta.RECEIVED, 0) + len(data)
        if received >= self.cap:
            request.meta[meta.CUT] = True
            raise StopDownload(fail=False)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if request.meta.get(meta.KIND) not in _DOCUMENTS or not self.cap:
            return response
        request.meta["download_maxsize"] = self.cap  # HttpCompression's bound for other encodings
        if (response.headers.get("Content-Encoding") or b"").strip().lower() not in (b"gzip", b"x-gzip"):
            return response
        try:
            body, cut = gunzip(response.body, self.cap)
        except FeedError:
            return response  # HttpCompression says what is wrong with it
        if cut:
            request.meta[meta.CUT] = True
        headers = response.headers.copy()
        del headers["Content-Encoding"]
        return response.replace(body=body, headers=headers)


def _port(url: str) -> int | None:
    """The port ``url`` reaches (its scheme's default when none is written); ``None`` if invalid."""
    parts = urlsplit(url)
    try:
        return parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None


class RedirectGuardMiddleware:
    """Runs before Scrapy's RedirectMiddleware (higher order: it sees responses first): a redirect
    off the service's hosts, to another scheme than http(s), or to another port of an accepted host
    (another listener: an admin port, a local service) is refused, as is a loop."""

    def __init__(self, crawler) -> None:
        self.stats = crawler.stats
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None):
        if response.status not in (301, 302, 303, 307, 308) or "Location" not in response.headers:
            return response
        target = urljoin(request.url, response.headers["Location"].decode("latin-1"))
        parts = urlsplit(target)
        spider = self.crawler.spider
        site = getattr(spider, "site", None)
        if parts.scheme not in {"http", "https"} or (site and not site.accepts_host(parts.hostname)) \
                or _port(target) not in {80, 443, _port(request.url)}:
            self.stats.inc_value("wirecrawl/redirects/offsite")
            raise Refused("offsite", f"redirect off-site to {target[:200]}")
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            self.stats.inc_value("wirecrawl/redirects/loop")
            raise Refused("redirect_loop", f"redirect loop back to {target[:200]}")
        return response
