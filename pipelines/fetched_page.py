"""One fetched article page, not yet parsed: what a wire spider yields (Scrapy takes a dataclass as
an item), what the worker processes parse (:func:`pipelines.parse.parse_page`) and what a re-parse
builds from an archived response (:mod:`pipelines.reparse`).

Along the path of one article the names keep one meaning: ``page`` is this record, ``body`` its bytes,
``row`` what parsing makes of it. Parsing is CPU work done off the reactor, in other processes, so the
record is frozen, picklable and free of Scrapy, and carries only what parsing and writing need.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FetchedPage:
    #: the story id (``<source>:<key>``), known from the URL before the page is read
    id: str
    source: str
    #: the URL the page was fetched from (after redirects)
    url: str
    #: the bytes as served (left out of the repr: tens of kilobytes in a log line help no one)
    body: bytes = field(repr=False)
    #: the encoding the fetch declared (HTTP header, BOM, meta), a hint only
    encoding: str | None
    #: when it was fetched (an archived page's ``WARC-Date``)
    fetched_at: dt.datetime
    #: the story is already stored: this fetch is a refresh (a new version of it)
    is_update: bool = False
    #: the request's claim key (:mod:`pipelines.signals`): settled when the row is written or dropped
    claim: str | None = None
