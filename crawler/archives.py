"""Scrapy's side of web archives (:mod:`pipelines.warc_read`, :mod:`pipelines.warc_write`).

- :class:`ArchiveAnswers`, a downloader middleware placed before robots.txt and every other one: a
  request made for an archived page (:mod:`crawler.spiders.archive_input`) is answered with that page,
  so nothing is asked of the site.
- :class:`WarcRecording`, an extension on when ``WARC_DIR`` is set: every response the crawl receives
  (article pages, feeds, sitemaps, robots.txt) is written as a request and a response record.
  Scrapy has already undone ``Content-Encoding`` and chunking; the payload is stored decoded (as
  Common Crawl stores it) and those headers are kept renamed ``X-Crawler-…``, as Common Crawl does.
"""

from __future__ import annotations

import datetime as dt
import logging
from http import HTTPStatus
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes

from crawler import meta
from pipelines.config import read
from pipelines.dataset import run_id_of
from pipelines.warc_write import WarcRecorder, finish_orphans

logger = logging.getLogger(__name__)

_TRANSPORT = {"content-encoding", "transfer-encoding", "content-length"}


class ArchiveAnswers:
    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None) -> Response | None:
        key = request.meta.get(meta.ARCHIVED)
        if key is None:
            return None
        archives = getattr(self.crawler.spider, "archives", None)
        archived = archives.answer(key) if archives is not None else None
        if archived is None:  # answered once already (a retry or a redirect of it): nothing to fetch
            raise IgnoreRequest(f"archived page {request.url} already answered")
        self.crawler.stats.inc_value("wirecrawl/archive/answered")
        headers = Headers([(name, value) for name, value in archived.headers
                           if name.lower() not in _TRANSPORT])
        kind = responsetypes.from_args(headers=headers, url=request.url, body=archived.body)
        return kind(url=request.url, status=archived.status, headers=headers, body=archived.body,
                    request=request)


class WarcRecording:
    """``WARC_DIR``: where to write; ``WARC_MAX_BYTES``: size at which a file is closed (1 GB)."""

    def __init__(self, crawler, folder: str, max_bytes: int) -> None:
        self.crawler = crawler
        self.recorder = WarcRecorder(folder, f"{crawler.spider.name}-{run_id_of(crawler)}"
                                     if crawler.spider else run_id_of(crawler), max_bytes=max_bytes)
        self.folder = folder
        self.first_error: str | None = None  # the first recording failure, for the closing line

    @classmethod
    def from_crawler(cls, crawler):
        folder = read(crawler.settings, "WARC_DIR")
        if not folder:
            raise NotConfigured
        extension = cls(crawler, folder, read(crawler.settings, "WARC_MAX_BYTES"))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        self.recorder.prefix = f"{spider.name}-{run_id_of(self.crawler)}"
        for path, cut in finish_orphans(self.folder) if Path(self.folder).is_dir() else []:
            logger.warning("finished %s, left open by a killed run%s", path,
                           f" ({cut} bytes of a record it did not finish cut off)" if cut else "")
            self.crawler.stats.inc_value("wirecrawl/warc/orphans_finished")

    def response_received(self, response: Response, request: Request, spider=None) -> None:
        if request.meta.get(meta.ARCHIVED) is not None:
            return  # read from an archive: it is in one already
        headers = []
        for name, values in response.headers.items():
            text = name.decode("latin-1")
            if text.lower() in _TRANSPORT:
                text = f"X-Crawler-{text}"
            headers += [(text, value.decode("latin-1")) for value in values]
        headers.append(("Content-Length", str(len(response.body))))
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        request_headers = [(name.decode("latin-1"), value.decode("latin-1"))
                           for name, values in request.headers.items() for value in values]
        # the row's fetched_at is the record's WARC-Date: a re-parse of the archive gives the same row
        when = request.meta[meta.FETCHED_AT] = dt.datetime.now(dt.timezone.utc)
        try:
            self.recorder.record(response.url, response.status, reason, headers, response.body,
                                 method=request.method, request_headers=request_headers, when=when)
        except OSError as exc:  # one line for the first; the count and the first at the close
            if self.first_error is None:
                self.first_error = f"{type(exc).__name__}: {exc}"
                logger.error("could not record %s in %s: %s; the run will fail (its stories are "
                             "stored, the archive lacks them)", response.url[:300], self.folder, exc)
            else:
                logger.debug("could not record %s: %s", response.url[:300], exc)
            self.crawler.stats.inc_value("wirecrawl/warc/write_errors")
            return
        self.crawler.stats.inc_value("wirecrawl/warc/recorded")

    def spider_closed(self, spider=None) -> None:
        try:
            self.recorder.close()
        except OSError as exc:  # left .open: the next recording run finishes it
            logger.error("could not finish the WARC file in %s: %s", self.folder, exc)
            self.crawler.stats.inc_value("wirecrawl/warc/write_errors")
        stats = self.crawler.stats
        failed = stats.get_value("wirecrawl/warc/write_errors", 0)
        if failed:
            logger.error("%d of %d responses could not be recorded in %s (first: %s)", failed,
                         failed + stats.get_value("wirecrawl/warc/recorded", 0), self.folder,
                         self.first_error)
        files = [str(path) for path in self.recorder.closed_files]
        self.crawler.stats.set_value("wirecrawl/warc/files", files)
