"""Fetches written as WARC (ISO 28500): :class:`WarcRecorder` writes request and response records, one
gzip member a record, to files named ``….warc.gz.open`` while written and renamed once closed, so an
archive that looks complete is; :func:`finish_orphans` finishes the files a killed run left open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gzip
import hashlib
import io
import logging
import os
import zlib
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import WarcRecord, WarcRecordType

logger = logging.getLogger(__name__)

#: the suffix of a WARC file while it is written
OPEN = ".open"
_READ_CHUNK = 1 << 20  # bytes of a left-open file inflated at a time


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
