"""The bytes of a WARC file as fastwarc reads them, kept so that reading can start again after damage.

fastwarc stops at a damaged gzip member and trusts every ``Content-Length``; :class:`WarcTape` keeps the
bytes since the last record reached, finds the next record start after a damaged place
(:meth:`WarcTape.next_start_after`) and tells whether a record ends where its ``Content-Length`` says
(:func:`ends_where_it_says`). :func:`pipelines.warc_read.read_responses` drives it.
"""

from __future__ import annotations

import io
import itertools
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from fastwarc.warc import HeaderMap

_GZIP_MAGIC = b"\x1f\x8b\x08"
#: bytes read from the source at a time
READ_CHUNK = 1 << 20
_PROBE = 4096  # bytes of a candidate record start read to judge it
_KEEP_AT_MOST = 4 * READ_CHUNK  # kept bytes beyond which a seekable source is read again


class WarcTape:
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
        data = self.source.read(size if size > 0 else READ_CHUNK)
        if self.gzipped is None and data:
            self.gzipped = data.startswith(_GZIP_MAGIC)
        self.kept += data
        if self.seekable and len(self.kept) > _KEEP_AT_MOST:  # a long skip: the source has it
            self.forget_before(self.kept_from + len(self.kept) - READ_CHUNK)
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
        while data := self.source.read(READ_CHUNK):
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
                    out = inflate.decompress(data, READ_CHUNK)
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

    def resume_at(self, offset: int) -> WarcTape:
        end = self.kept_from + len(self.kept)
        if self.kept_from <= offset <= end:
            if self.seekable:
                self.source.seek(end)
            return WarcTape(self.source, bytes(self.kept[offset - self.kept_from:]), offset,
                         gzipped=self.gzipped)
        self.source.seek(offset)  # not kept: only ever so for a seekable source
        return WarcTape(self.source, b"", offset, gzipped=self.gzipped)


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


def ends_where_it_says(tape: WarcTape, at: int) -> bool:
    """Whether the record at ``at`` ends where its ``Content-Length`` says: its block followed by the
    blank line that closes a record, then the end of its gzip member (or of the file) or a record."""
    content = tape.content_from(at)
    head = bytearray()
    for chunk in content:
        head += chunk
        end = head.find(b"\r\n\r\n")
        if end >= 0 or len(head) > READ_CHUNK:
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

