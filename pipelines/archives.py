"""Web archives (WARC, ISO 28500) in and out: the pages of a crawl recorded as they were fetched, and
pages read back from our archives or anyone's (Common Crawl's CC-NEWS among them).

fastwarc does the record work (it reads at several hundred MB/s, warcio at a fraction of that: see
``benchmarks/warc_read.py``); this module adds what a crawl needs around it:

* :func:`read_responses` keeps the ``response`` records whose target URI the caller accepts and counts the
  rest by kind; a damaged gzip member is skipped (reading resumes at the next member, found in the
  bytes kept since the last good record), a record cut short is counted, never parsed;
* :class:`WarcRecorder` writes request and response records, one gzip member a record, to files named
  ``….warc.gz.open`` while written and renamed once closed, so an archive that looks complete is;
* :func:`open_archive` opens a path or an http(s) URL, streaming, resuming a broken download with a
  ``Range`` request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import glob
import gzip
import hashlib
import http.client
import io
import itertools
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
from urllib.parse import urlsplit

from fastwarc.warc import ArchiveIterator, HeaderMap, WarcRecord, WarcRecordType

logger = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b\x08"
_READ_CHUNK = 1 << 20
#: the suffix of a WARC file while it is written
OPEN = ".open"
#: the reasons a record could not be read at all (its story may be lost with it)
DAMAGE = ("damaged_member", "truncated", "damaged_record")
_PROBE = 4096  # bytes of a candidate record start read to judge it
_KEEP_AT_MOST = 4 * _READ_CHUNK  # kept bytes beyond which a seekable source is read again


@dataclass(frozen=True)
class ArchivedResponse:
    """A ``response`` record of an accepted URL: what a fetch of it would have given. The crawl answers
    the request of its URL with it (:mod:`crawler.archives`); a re-parse makes the
    :class:`pipelines.fetched_page.FetchedPage` of it directly (:mod:`pipelines.reparse`)."""

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


#: distinct hosts tallied at most (a CC-NEWS file holds pages of thousands of sites)
_MAX_HOSTS = 1000


def _tally_host(hosts: Counter[str], uri: str) -> None:
    host = (urlsplit(uri).hostname or "?") if uri else "?"
    if host in hosts or len(hosts) < _MAX_HOSTS:
        hosts[host] += 1
    else:
        hosts["(other hosts)"] += 1


def nothing_accepted(records: int, hosts: Counter[str], wanted: str) -> str:
    """What archives that held nothing ``wanted`` held instead, in one sentence."""
    if not records:
        return "no WARC record there; expected .warc or .warc.gz files"
    seen = ", ".join(f"{host} ({n})" for host, n in hosts.most_common(5))
    more = f" and {len(hosts) - 5} more hosts" if len(hosts) > 5 else ""
    return (f"none of the {records} records was {wanted}; "
            + (f"the {sum(hosts.values())} pages were of {seen}{more}" if hosts else "no page was there"))


class _Tape:
    """The archive's bytes as fastwarc reads them, keeping those since the last record it reached,
    so that reading can start again at the next record start when a record or member is damaged.

    A seekable source (a file, an http(s) download resumed by ``Range``) is read again where need be,
    so what is kept stays about a megabyte whatever a lying ``Content-Length`` makes fastwarc skip."""

    def __init__(self, source: BinaryIO, kept: bytes = b"", start: int = 0, *,
                 gzipped: bool | None = None) -> None:
        self.source, self.kept, self.kept_from = source, bytearray(kept), start
        self.pending = len(kept)  # bytes of ``kept`` not yet handed to the reader
        self.gzipped = gzipped if gzipped is not None or not kept else kept.startswith(_GZIP_MAGIC)
        try:
            self.seekable = bool(source.seekable())
        except (AttributeError, OSError, ValueError):
            self.seekable = False

    def read(self, size: int = -1) -> bytes:
        if self.pending:
            begin = len(self.kept) - self.pending
            take = self.pending if size < 0 else min(size, self.pending)
            self.pending -= take
            return bytes(self.kept[begin:begin + take])
        data = self.source.read(size if size > 0 else _READ_CHUNK)
        if self.gzipped is None and data:
            self.gzipped = data.startswith(_GZIP_MAGIC)
        self.kept += data
        if self.seekable and len(self.kept) > _KEEP_AT_MOST:  # a long skip: the source has it
            self.forget_before(self.kept_from + len(self.kept) - _READ_CHUNK)
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

    def raw_from(self, offset: int) -> Iterator[bytes]:
        """The archive's bytes from ``offset`` on, once fastwarc has stopped reading this tape."""
        end = self.kept_from + len(self.kept)
        if self.kept_from <= offset <= end:
            if offset < end:
                yield bytes(self.kept[offset - self.kept_from:])
            if self.seekable:
                self.source.seek(end)
        elif self.seekable:
            self.source.seek(offset)
        else:
            return  # gone, and the source cannot give it again
        while data := self.source.read(_READ_CHUNK):
            if not self.seekable:  # the only copy: keep it for resume_at
                self.kept += data
            yield data

    def content_from(self, offset: int) -> Iterator[bytes]:
        """What the record at ``offset`` holds: its gzip member inflated, or the plain bytes on."""
        if not self.gzipped:
            yield from self.raw_from(offset)
            return
        inflate = zlib.decompressobj(31)
        for data in self.raw_from(offset):
            while data and not inflate.eof:
                try:
                    out = inflate.decompress(data, _READ_CHUNK)
                except zlib.error:
                    return
                data = inflate.unconsumed_tail
                yield out
            if inflate.eof:
                return

    def next_start_after(self, offset: int) -> int | None:
        """The offset of the first record start after ``offset``: a gzip member that inflates to a
        WARC header in a ``.warc.gz`` (three bytes alike occur by chance in compressed data), a
        ``WARC/1.x`` line in a plain ``.warc``."""
        marker, shift = (_GZIP_MAGIC, 0) if self.gzipped else (b"\nWARC/1.", 1)
        chunks = self.raw_from(offset + 1)
        buf, base, at, ended = bytearray(), offset + 1, 0, False  # buf: the bytes from ``base``
        while True:
            found = buf.find(marker, at)
            if found < 0:
                if ended:
                    return None
                keep = max(0, len(buf) - (len(marker) - 1))
                del buf[:keep]
                base, at = base + keep, 0
                data = next(chunks, b"")
                ended = not data
                buf += data
                continue
            while len(buf) - found < _PROBE and not ended:  # enough of it to judge
                data = next(chunks, b"")
                ended = not data
                buf += data
            if _starts_record(bytes(buf[found:found + _PROBE]), gzipped=bool(self.gzipped)):
                return base + found + shift
            at = found + 1

    def resume_at(self, offset: int) -> _Tape:
        end = self.kept_from + len(self.kept)
        if self.kept_from <= offset <= end:
            if self.seekable:
                self.source.seek(end)
            return _Tape(self.source, bytes(self.kept[offset - self.kept_from:]), offset,
                         gzipped=self.gzipped)
        self.source.seek(offset)  # not kept: only ever so for a seekable source
        return _Tape(self.source, b"", offset, gzipped=self.gzipped)


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


def read_responses(source: BinaryIO, accept: Callable[[str], bool], counts: Counter[str], *,
               name: str = "", max_body: int = 16 * 1024 * 1024,
               hosts: Counter[str] | None = None) -> Iterator[ArchivedResponse]:
    """The accepted ``response`` records of one archive (gzip members or plain), streaming.

    ``counts`` gets ``records``, ``kept`` and every reason a record was passed over: ``not_accepted``
    (another site's page, or not an article), ``revisit``, ``status_<code>``, ``not_html``,
    ``too_large``, ``truncated`` (shorter than its ``Content-Length``), ``unreadable_http``,
    ``encoding`` (a content encoding we cannot undo), ``damaged_member`` (data that is not a record,
    skipped), ``damaged_record`` (a record that does not end where its ``Content-Length`` says).

    A ``Content-Length`` is not trusted to find the next record: a page is handed out once the record
    after it was found (or the file ended cleanly after it); otherwise it is checked against its own
    framing, and reading starts again at the next record start (gzip member, or ``WARC/1.x`` line of
    a plain file), so a lying record costs itself and nothing after it.

    ``hosts``, when given, gets the number of ``response`` and ``revisit`` records per host of their
    target URI (to say what an archive held when it held nothing wanted)."""
    label = name or "archive"
    tape = _Tape(source)
    last = -1  # offset of the last record reached
    held: tuple[int, ArchivedResponse] | None = None  # a response waiting for the record after it
    dropped: set[int] = set()  # offsets of records found not to end where they say
    resumed = False

    def settle(at: int) -> bool:
        """Whether the record at ``at`` ends where it says (counted and logged when not)."""
        if at in dropped:
            return False
        if _framed(tape, at):
            return True
        dropped.add(at)
        counts["damaged_record"] += 1
        logger.warning("%s: the record at byte %d does not end where its Content-Length says; "
                       "it is dropped and reading goes on at the next record", label, at)
        return False

    while True:
        origin = tape.tell()
        reached = [-1]  # the offset of the record fastwarc reached last

        def reach(record: WarcRecord, reached: list[int] = reached, handled: int = last,
                  tape: _Tape = tape) -> bool:
            # fastwarc counts from the tape's tell() when it began: offsets in the archive
            at = reached[0] = record.stream_pos
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
            if hosts is not None:
                _tally_host(hosts, record.headers.get("WARC-Target-URI") or "")
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

        error: OSError | None = None
        try:
            for record in ArchiveIterator(tape, parse_http=False, func_filter=reach):
                at = reached[0]
                response = _response(record, counts, name)
                if held is not None:  # the record after it was found: it ended where it said
                    counts["kept"] += 1
                    yield held[1]
                    held = None
                last = max(last, at)
                tape.forget_before(last)
                if response is not None:
                    held = (at, response)
        except OSError as exc:
            error = exc
        liar = False  # the damage is the held record's own length
        if held is not None:
            if held[0] < reached[0] or settle(held[0]):
                counts["kept"] += 1
                yield held[1]
            else:
                liar = True
            held = None
        retried = resumed and reached[0] < 0 or liar  # damage seen before, or already counted
        last = max(last, reached[0])
        resume = tape.next_start_after(max(last, origin))
        if error is not None:
            if not retried:
                counts["damaged_member"] += 1
                logger.warning("%s: damaged data after byte %d (%s); %s", label, max(last, 0), error,
                               "skipped to the next record" if resume is not None else "the rest lost")
        elif reached[0] < 0:  # nothing readable where this pass began: a member cut short
            if not retried:
                counts["truncated"] += 1
                logger.warning("%s: the record at byte %d is cut off", label, origin)
        elif resume is not None:
            # fastwarc ends quietly at a gzip member cut short (the next pass counts it) and after a
            # record whose length ran past the records after it, to the end of the file
            settle(reached[0])
        if resume is None:
            return
        tape, resumed = tape.resume_at(resume), True


def _starts_record(data: bytes, *, gzipped: bool) -> bool:
    """Whether ``data`` (a candidate's first bytes, fewer only at the end of the file) begins a
    record: a gzip member inflating to ``WARC/``, or a plain ``\\nWARC/1.0`` or ``1.1`` line."""
    if not gzipped:
        return data[1:11] in (b"WARC/1.0\r\n", b"WARC/1.1\r\n")
    try:
        head = zlib.decompressobj(31).decompress(data, 8)
    except zlib.error:
        return False
    if len(head) >= 5:
        return head.startswith(b"WARC/")
    return len(data) < _PROBE and b"WARC/".startswith(head)  # a member cut off at the end


def _framed(tape: _Tape, at: int) -> bool:
    """Whether the record at ``at`` ends where its ``Content-Length`` says: its block followed by the
    blank line that closes a record, then the end of its gzip member (or of the file) or a record."""
    content = tape.content_from(at)
    head = bytearray()
    for chunk in content:
        head += chunk
        end = head.find(b"\r\n\r\n")
        if end >= 0 or len(head) > _READ_CHUNK:
            break
    end = head.find(b"\r\n\r\n")
    if end < 0:
        return False
    fields = HeaderMap()
    try:
        fields.parse(io.BytesIO(bytes(head[:end + 4])))
        length = int(fields.get("Content-Length") or "")
    except (OSError, ValueError):
        return False
    close = end + 4 + length  # where the closing blank line must be
    window, seen = bytearray(), 0
    for chunk in itertools.chain((bytes(head),), content):
        if seen + len(chunk) > close and seen < close + 11:
            window += chunk[max(0, close - seen):close + 11 - seen]
        seen += len(chunk)
        if seen >= close + 11:
            break
    if window[:4] != b"\r\n\r\n":
        return False
    after = bytes(window[4:])  # the end, or the next record's first line
    return after == b"WARC/1."[:len(after)]


def _response(record: WarcRecord, counts: Counter[str], name: str) -> ArchivedResponse | None:
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
    return ArchivedResponse(url=record.headers.get("WARC-Target-URI") or "", status=status,
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
        self._append(data)
        if self._size >= self.max_bytes:
            self.close()

    def _append(self, data: bytes) -> None:
        """Write ``data`` through to the system (a killed process loses no record a stored row came
        from); a failed write is cut back to the last whole record, so the file never holds a torn one."""
        assert self._handle is not None
        start = self._handle.tell()
        try:
            view = memoryview(data)
            while view:
                view = view[self._handle.write(view):]
        except OSError:
            try:
                self._handle.truncate(start)
                self._handle.seek(start)
            except OSError:  # cannot even cut it back: leave it to the next run (finish_orphans)
                with contextlib.suppress(OSError):
                    self._handle.close()
                self._handle, self._path = None, None
            raise
        self._size += len(data)

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.serial += 1
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self._path = self.folder / f"{self.prefix}-{stamp}-{self.serial:05d}.warc.gz{OPEN}"
        # unbuffered; locked while written, so finish_orphans tells a live writer's file from a dead's
        self._handle = open(self._path, "wb", buffering=0)  # noqa: SIM115 - kept open across records
        fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX)
        info = WarcRecord()
        fields = f"software: {self.software}\r\nformat: WARC File Format 1.1\r\n".encode()
        info.init_headers(WarcRecordType.warcinfo, content_length=len(fields))
        info.headers.append("WARC-Filename", self._path.name.removesuffix(OPEN))
        info.headers["Content-Type"] = "application/warc-fields"
        info.set_bytes_content(fields)
        raw = io.BytesIO()
        info.write(raw, checksum_data=True)
        self._size = 0
        self._append(gzip.compress(raw.getvalue(), mtime=0))

    def close(self) -> Path | None:
        """Finish the current file (flushed to disk, then renamed); its final path, if any."""
        if self._handle is None or self._path is None:
            return None
        os.fsync(self._handle.fileno())
        final = self._path.with_name(self._path.name.removesuffix(OPEN))
        os.replace(self._path, final)
        self._handle.close()
        self._handle, self._path = None, None
        self.closed_files.append(final)
        return final


def finish_orphans(folder: str | os.PathLike[str]) -> list[tuple[Path, int]]:
    """Finish the ``….warc.gz.open`` files of ``folder`` that no live writer holds (a killed run's):
    cut after the last whole gzip member (a record the run wrote completely) and renamed
    ``….warc.gz``, so readers and globs see them; a file with no whole record is removed. Returns
    (the finished file, the bytes cut off its end); the removed ones are not listed."""
    finished: list[tuple[Path, int]] = []
    for path in sorted(Path(folder).glob(f"*.warc.gz{OPEN}")):
        try:
            with open(path, "r+b") as handle:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # being written by a running crawl
                whole = _whole_members(handle)
                size = os.fstat(handle.fileno()).st_size
                if whole == 0:
                    path.unlink()
                    continue
                if whole < size:
                    handle.truncate(whole)
                os.fsync(handle.fileno())
                final = path.with_name(path.name.removesuffix(OPEN))
                os.replace(path, final)
        except OSError as exc:
            logger.error("cannot finish %s left by a killed run: %s", path, exc)
            continue
        finished.append((final, size - whole))
    return finished


def _whole_members(handle: BinaryIO) -> int:
    """The offset after the last gzip member of ``handle`` that inflates completely."""
    handle.seek(0)
    whole = at = 0
    inflate = zlib.decompressobj(31)
    while data := handle.read(_READ_CHUNK):
        while data:
            try:
                inflate.decompress(data, _READ_CHUNK)
            except zlib.error:
                return whole
            rest = inflate.unconsumed_tail
            if inflate.eof:
                rest = inflate.unused_data
                at += len(data) - len(rest)
                whole = at
                inflate = zlib.decompressobj(31)
            elif rest:
                at += len(data) - len(rest)
            else:
                at += len(data)
            data = rest
    return whole
