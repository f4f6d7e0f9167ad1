"""Web archives (WARC, ISO 28500) in and out: the pages of a crawl recorded as they were fetched, and
pages read back from our archives or anyone's (Common Crawl's CC-NEWS among them).

fastwarc does the record work (it reads at several hundred MB/s, warcio at a fraction of that: see
``benchmarks/warc_read.py``); this module adds what a crawl needs around it:

* :func:`read_pages` keeps the ``response`` records whose target URI the caller accepts and counts the
  rest by kind; a damaged gzip member is skipped (reading resumes at the next member, found in the
  bytes kept since the last good record), a record cut short is counted, never parsed;
* :class:`WarcRecorder` writes request and response records, one gzip member a record, to files named
  ``….warc.gz.open`` while written and renamed once closed, so an archive that looks complete is;
* :func:`open_archive` opens a path or an http(s) URL, streaming, resuming a broken download with a
  ``Range`` request.
"""

from __future__ import annotations

import datetime as dt
import glob
import gzip
import hashlib
import http.client
import io
import logging
import os
import time
import urllib.error
import urllib.request
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, HeaderMap, WarcRecord, WarcRecordType

logger = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b\x08"
_READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class ArchivedPage:
    """A ``response`` record of an accepted URL: what a fetch of it would have given."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    #: the record's ``WARC-Date``: when the page was fetched
    fetched_at: dt.datetime
    #: the archive it was read from
    archive: str = ""

    @property
    def content_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value
        return ""


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

    def close(self) -> None:
        self._response.close()
        super().close()


def open_archive(location: str, *, retries: int = 5, user_agent: str = "wirecrawl") -> BinaryIO:
    """A path or an http(s) URL, opened for streaming."""
    if location.startswith(("http://", "https://")):
        return _HttpSource(location, retries=retries, user_agent=user_agent)  # type: ignore[return-value]
    return open(location, "rb")  # noqa: SIM115 - the caller closes it


def archive_pages(location: str, accept: Callable[[str], bool], counts: Counter[str], *,
                  name: str = "", retries: int = 5, user_agent: str = "wirecrawl",
                  max_body: int = 16 * 1024 * 1024) -> Iterator[ArchivedPage]:
    """:func:`read_pages` of the archive at ``location``, opened on the first page asked for and
    closed when the reading ends (or the generator is closed)."""
    source = open_archive(location, retries=retries, user_agent=user_agent)
    try:
        yield from read_pages(source, accept, counts, name=name or location, max_body=max_body)
    finally:
        source.close()


class _Tape:
    """The archive's bytes as fastwarc reads them, keeping those since the last record it reached,
    so that reading can start again at the next gzip member when one is damaged."""

    def __init__(self, source: BinaryIO, kept: bytes = b"", start: int = 0) -> None:
        self.source, self.kept, self.kept_from = source, bytearray(kept), start
        self.pending = len(kept)  # bytes of ``kept`` not yet handed to the reader

    def read(self, size: int = -1) -> bytes:
        if self.pending:
            begin = len(self.kept) - self.pending
            take = self.pending if size < 0 else min(size, self.pending)
            self.pending -= take
            return bytes(self.kept[begin:begin + take])
        data = self.source.read(size if size > 0 else _READ_CHUNK)
        self.kept += data
        return data

    def tell(self) -> int:
        return self.kept_from + len(self.kept) - self.pending

    def close(self) -> None:
        """The source stays open (its owner closes it)."""

    def forget_before(self, offset: int, *, at_least: int = 0) -> None:
        """Drop the bytes before ``offset`` (only once there are ``at_least`` of them: each drop moves
        what is left)."""
        drop = min(max(0, offset - self.kept_from), len(self.kept) - self.pending)
        if drop and drop >= at_least:
            del self.kept[:drop]
            self.kept_from += drop

    def next_member_after(self, offset: int) -> int | None:
        """The offset of the first gzip header after ``offset``, reading further if need be."""
        while True:
            found = self.kept.find(_GZIP_MAGIC, max(0, offset + 1 - self.kept_from))
            if found >= 0:
                return self.kept_from + found
            data = self.source.read(_READ_CHUNK)
            if not data:
                return None
            self.kept += data

    def resume_at(self, offset: int) -> _Tape:
        return _Tape(self.source, bytes(self.kept[offset - self.kept_from:]), offset)


def _decoded(payload: bytes, headers: HeaderMap) -> bytes | None:
    """The payload as the server meant it (chunks joined, gzip/deflate undone); ``None`` if unknown."""
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        payload = _unchunk(payload)
    encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding in ("identity", ""):
        return payload
    if encoding in ("gzip", "x-gzip", "deflate"):
        try:
            return zlib.decompress(payload, 47 if encoding != "deflate" else 15)
        except zlib.error:
            try:
                return zlib.decompress(payload, -15)
            except zlib.error:
                return None
    return None


def _unchunk(data: bytes) -> bytes:
    out, at = bytearray(), 0
    while at < len(data):
        end = data.find(b"\r\n", at)
        if end < 0:
            break
        try:
            size = int(data[at:end].split(b";")[0], 16)
        except ValueError:
            return data  # not chunked after all: take it as it is
        if size == 0:
            break
        out += data[end + 2:end + 2 + size]
        at = end + 2 + size + 2
    return bytes(out)


def read_pages(source: BinaryIO, accept: Callable[[str], bool], counts: Counter[str], *,
               name: str = "", max_body: int = 16 * 1024 * 1024) -> Iterator[ArchivedPage]:
    """The accepted ``response`` records of one archive (gzip members or plain), streaming.

    ``counts`` gets ``records``, ``kept`` and every reason a record was passed over: ``not_accepted``
    (another site's page, or not an article), ``revisit``, ``status_<code>``, ``not_html``,
    ``too_large``, ``truncated`` (shorter than its ``Content-Length``), ``unreadable_http``,
    ``encoding`` (a content encoding we cannot undo), ``damaged_member`` (skipped)."""
    tape = _Tape(source)
    last = -1  # offset of the last record reached
    resumed = False
    while True:
        origin = tape.kept_from + len(tape.kept) - tape.pending
        reached = [-1]  # the offset of the record fastwarc reached last

        def reach(record: WarcRecord, origin: int = origin, reached: list[int] = reached,
                  handled: int = last, tape: _Tape = tape) -> bool:
            at = reached[0] = origin + record.stream_pos
            # memory: about one record and 1 MB, however much is skipped
            tape.forget_before(at, at_least=_READ_CHUNK)
            if at <= handled:  # reached before a damaged member: already handled
                return False
            counts["records"] += 1
            if "Content-Length" not in record.headers:  # its header block was cut off
                counts["truncated"] += 1
                return False
            kind = record.record_type
            if kind not in (WarcRecordType.response, WarcRecordType.revisit):
                return False
            if not accept(record.headers.get("WARC-Target-URI") or ""):
                counts["not_accepted"] += 1
                return False
            if kind == WarcRecordType.revisit:
                counts["revisit"] += 1
                return False
            if record.content_length > max_body:
                counts["too_large"] += 1
                return False
            return True

        try:
            for record in ArchiveIterator(tape, parse_http=False, func_filter=reach):
                page = _page(record, counts, name)
                last = max(last, reached[0])
                tape.forget_before(last)
                if page is not None:
                    counts["kept"] += 1
                    yield page
            # fastwarc ends quietly at a gzip member cut short: one that begins after the last record
            # it reached is a record lost at the end of the file
            if tape.next_member_after(max(last, reached[0], origin - 1)) is not None:
                counts["truncated"] += 1
                logger.warning("%s: the last record is cut off", name or "archive")
            return
        except OSError as exc:
            retried = resumed and reached[0] < 0  # the same damage again, seen from a false start
            last = max(last, reached[0])
            resume = tape.next_member_after(max(last, origin))
            if not retried:
                counts["damaged_member"] += 1
                logger.warning("%s: damaged data after byte %d (%s); %s", name or "archive",
                               max(last, 0), exc,
                               "skipped to the next record" if resume is not None else "the rest lost")
            if resume is None:
                return
            tape, resumed = tape.resume_at(resume), True


def _page(record: WarcRecord, counts: Counter[str], name: str) -> ArchivedPage | None:
    block = record.reader.read()
    if len(block) < record.content_length:
        counts["truncated"] += 1
        return None
    headers = HeaderMap()
    try:
        head = headers.parse(io.BytesIO(block))
        status = headers.status_code
    except (OSError, ValueError):
        status = None
    if status is None:
        counts["unreadable_http"] += 1
        return None
    if status != 200:
        counts[f"status_{status}"] += 1
        return None
    content_type = (headers.get("Content-Type") or "").lower()
    if content_type and "html" not in content_type:
        counts["not_html"] += 1
        return None
    body = _decoded(block[head:], headers)
    if body is None:
        counts["encoding"] += 1
        return None
    return ArchivedPage(url=record.headers.get("WARC-Target-URI") or "", status=status,
                        headers=headers.to_tuples(), body=body,
                        fetched_at=record.record_date.astimezone(dt.timezone.utc), archive=name)


class WarcRecorder:
    """Writes fetches as WARC: a ``request`` and a ``response`` record each, one gzip member a record,
    into ``<folder>/<prefix>-<time>-<serial>.warc.gz``; a file is ``….open`` until closed (at
    ``max_bytes`` or :meth:`close`), then renamed, so no reader takes a torn file for a whole one."""

    def __init__(self, folder: str | os.PathLike[str], prefix: str, *, max_bytes: int = 1 << 30,
                 software: str = "wirecrawl") -> None:
        self.folder, self.prefix, self.max_bytes, self.software = Path(folder), prefix, max_bytes, software
        self.serial = 0
        self.closed_files: list[Path] = []
        self._handle: BinaryIO | None = None
        self._path: Path | None = None
        self._size = 0

    def record(self, url: str, status: int, reason: str, headers: list[tuple[str, str]], body: bytes,
               *, method: str = "GET", request_headers: list[tuple[str, str]] | None = None,
               when: dt.datetime | None = None) -> None:
        when = when or dt.datetime.now(dt.timezone.utc)
        head = f"HTTP/1.1 {status} {reason}".rstrip() + "\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in headers) + "\r\n"
        response = self._record(WarcRecordType.response, url, when, head.encode("latin-1") + body,
                                "application/http; msgtype=response", payload=body)
        parts = url.split("/", 3)
        target = "/" + (parts[3] if len(parts) > 3 else "")
        request_head = f"{method} {target} HTTP/1.1\r\nHost: {parts[2] if len(parts) > 2 else ''}\r\n" + \
            "".join(f"{name}: {value}\r\n" for name, value in request_headers or []) + "\r\n"
        request = self._record(WarcRecordType.request, url, when, request_head.encode("latin-1"),
                               "application/http; msgtype=request",
                               concurrent_to=response[0].record_id)
        self._write(response, request)

    def _record(self, kind: WarcRecordType, url: str, when: dt.datetime, block: bytes,
                content_type: str, *, payload: bytes | None = None,
                concurrent_to: str | None = None) -> tuple[WarcRecord, bytes | None]:
        record = WarcRecord()
        record.init_headers(kind, content_length=len(block))
        record.record_date = when
        record.headers.append("WARC-Target-URI", url)
        record.headers["Content-Type"] = content_type
        if concurrent_to:
            record.headers.append("WARC-Concurrent-To", concurrent_to)
        record.set_bytes_content(block)
        return record, payload

    def _write(self, *records: tuple[WarcRecord, bytes | None]) -> None:
        data = b""
        for record, payload in records:
            raw = io.BytesIO()
            record.write(raw, checksum_data=True,
                         payload_digest=hashlib.sha1(payload).digest() if payload is not None else None)
            data += gzip.compress(raw.getvalue(), compresslevel=6, mtime=0)
        if self._handle is None:
            self._open()
        assert self._handle is not None
        self._handle.write(data)
        self._size += len(data)
        if self._size >= self.max_bytes:
            self.close()

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.serial += 1
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self._path = self.folder / f"{self.prefix}-{stamp}-{self.serial:05d}.warc.gz.open"
        self._handle = open(self._path, "wb")  # noqa: SIM115 - kept open across records
        info = WarcRecord()
        fields = f"software: {self.software}\r\nformat: WARC File Format 1.1\r\n".encode()
        info.init_headers(WarcRecordType.warcinfo, content_length=len(fields))
        info.headers.append("WARC-Filename", self._path.name.removesuffix(".open"))
        info.headers["Content-Type"] = "application/warc-fields"
        info.set_bytes_content(fields)
        raw = io.BytesIO()
        info.write(raw, checksum_data=True)
        self._handle.write(gzip.compress(raw.getvalue(), mtime=0))
        self._size = 0

    def close(self) -> Path | None:
        """Finish the current file (flushed to disk, then renamed); its final path, if any."""
        if self._handle is None or self._path is None:
            return None
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        final = self._path.with_name(self._path.name.removesuffix(".open"))
        os.replace(self._path, final)
        self._handle, self._path = None, None
        self.closed_files.append(final)
        return final
