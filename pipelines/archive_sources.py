"""Where archives are read from: paths, globs and http(s) URLs (``-a warc=``, CC-NEWS, the re-parse).

:func:`open_archive` opens a path or an http(s) URL for streaming, resuming a broken download with a
``Range`` request; :func:`archive_responses` reads one with :func:`pipelines.warc_read.read_responses`.
"""

from __future__ import annotations

import glob
import http.client
import io
import logging
import os
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from typing import BinaryIO

from pipelines.warc_read import ArchivedResponse, read_responses

logger = logging.getLogger(__name__)

_READ_CHUNK = 1 << 20  # what ``read()`` of a whole download asks for at a time


def split_locations(spec: str) -> list[str]:
    """``PATH|GLOB|URL[,…]`` -> the archives, in order (a glob matching nothing is an error)."""
    locations: list[str] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        if part.startswith(("http://", "https://")):
            locations.append(part)
        elif any(ch in part for ch in "*?["):
            matched = sorted(glob.glob(os.path.expanduser(part)))
            if not matched:
                raise ValueError(f"no archive matches {part}")
            locations.extend(matched)
        else:
            path = os.path.expanduser(part)
            if not os.path.isfile(path):
                raise ValueError(f"no archive file {part}")
            locations.append(path)
    if not locations:
        raise ValueError("names no archive; give WARC paths, globs or http(s) URLs, separated by commas")
    return locations


class _HttpSource(io.RawIOBase):
    """An http(s) download read as a stream; a broken connection is resumed where it broke
    (``Range``), up to ``retries`` times with a growing pause."""

    def __init__(self, url: str, *, retries: int = 5, timeout: float = 60.0,
                 user_agent: str = "wirecrawl") -> None:
        self.url, self.retries, self.timeout, self.user_agent = url, retries, timeout, user_agent
        self.position = 0
        self._response = self._open()

    def _open(self):
        headers = {"User-Agent": self.user_agent}
        if self.position:
            headers["Range"] = f"bytes={self.position}-"
        attempt = 0
        while True:
            try:
                response = urllib.request.urlopen(urllib.request.Request(self.url, headers=headers),
                                                  timeout=self.timeout)
                if self.position and response.status != 206:
                    raise OSError(f"{self.url}: the server cannot resume (status {response.status})")
                return response
            except urllib.error.HTTPError as exc:
                if exc.code < 500 and exc.code not in (408, 429):
                    raise OSError(f"{self.url}: HTTP {exc.code}") from exc
                error: Exception = exc
            except (OSError, urllib.error.URLError) as exc:
                error = exc
            attempt += 1
            if attempt > self.retries:
                raise OSError(f"{self.url}: {error}") from error
            logger.warning("%s: %s; retrying (%d/%d)", self.url, error, attempt, self.retries)
            time.sleep(min(30.0, 0.5 * 2 ** attempt))

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            return b"".join(iter(lambda: self.read(_READ_CHUNK), b""))
        for attempt in range(self.retries + 1):
            try:
                data = self._response.read(size)
                if not data and size and (self._response.length or 0) > 0:
                    raise http.client.IncompleteRead(b"", self._response.length)
                self.position += len(data)
                return data
            except (OSError, ValueError, http.client.HTTPException) as exc:  # reset, short read
                partial = getattr(exc, "partial", b"")
                if partial:
                    self.position += len(partial)
                if attempt == self.retries:
                    raise OSError(f"{self.url}: {exc!r}") from exc
                logger.warning("%s broke at byte %d (%r); resuming", self.url, self.position, exc)
                self._response.close()
                self._response = self._open()
                if partial:
                    return partial
        return b""

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Read again from ``offset`` (a new request with ``Range``)."""
        if whence != io.SEEK_SET:
            raise OSError(f"{self.url}: can only seek to an offset from the start")
        if offset != self.position:
            self._response.close()
            self.position = offset
            self._response = self._open()
        return offset

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        self._response.close()
        super().close()


def open_archive(location: str, *, retries: int = 5, user_agent: str = "wirecrawl") -> BinaryIO:
    """A path or an http(s) URL, opened for streaming."""
    if location.startswith(("http://", "https://")):
        return _HttpSource(location, retries=retries, user_agent=user_agent)  # type: ignore[return-value]
    return open(location, "rb")  # noqa: SIM115 - the caller closes it


def archive_responses(location: str, accept: Callable[[str], bool], counts: Counter[str], *,
                      name: str = "", retries: int = 5, user_agent: str = "wirecrawl",
                      max_body: int = 16 * 1024 * 1024,
                      hosts: Counter[str] | None = None) -> Iterator[ArchivedResponse]:
    """:func:`read_responses` of the archive at ``location``, opened on the first page asked for and
    closed when the reading ends (or the generator is closed)."""
    source = open_archive(location, retries=retries, user_agent=user_agent)
    try:
        yield from read_responses(source, accept, counts, name=name or location, max_body=max_body,
                                  hosts=hosts)
    finally:
        source.close()
