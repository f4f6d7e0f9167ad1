"""WARC files for the tests, written by hand from the format (ISO 28500), not by the library under test:
each record is one gzip member, as Common Crawl and our recorder write them."""

from __future__ import annotations

import gzip
import uuid
from collections.abc import Iterable
from pathlib import Path


def record(kind: str, uri: str | None, block: bytes, *, date: str = "2016-08-26T10:00:00Z",
           content_type: str = "application/http; msgtype=response",
           extra: Iterable[tuple[str, str]] = ()) -> bytes:
    """One uncompressed WARC record."""
    headers = [("WARC-Type", kind), ("WARC-Record-ID", f"<urn:uuid:{uuid.uuid4()}>"),
               ("WARC-Date", date)]
    if uri is not None:
        headers.append(("WARC-Target-URI", uri))
    headers += [*extra, ("Content-Type", content_type), ("Content-Length", str(len(block)))]
    head = "WARC/1.0\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n"
    return head.encode() + block + b"\r\n\r\n"


def http_response(body: bytes, *, status: int = 200, content_type: str = "text/html; charset=utf-8",
                  headers: Iterable[tuple[str, str]] = ()) -> bytes:
    reason = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}.get(status, "Status")
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {content_type}",
             f"Content-Length: {len(body)}", *(f"{name}: {value}" for name, value in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def response(uri: str, body: bytes, *, status: int = 200, date: str = "2016-08-26T10:00:00Z",
             content_type: str = "text/html; charset=utf-8") -> bytes:
    return record("response", uri, http_response(body, status=status, content_type=content_type),
                  date=date)


def revisit(uri: str, *, date: str = "2016-08-27T10:00:00Z") -> bytes:
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    return record("revisit", uri, block, date=date, extra=[
        ("WARC-Profile", "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"),
        ("WARC-Payload-Digest", "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")])


def request(uri: str) -> bytes:
    block = f"GET / HTTP/1.1\r\nHost: {uri.split('/')[2]}\r\n\r\n".encode()
    return record("request", uri, block, content_type="application/http; msgtype=request")


def warcinfo() -> bytes:
    return record("warcinfo", None, b"software: wirecrawl tests\r\n",
                  content_type="application/warc-fields")


def members(records: Iterable[bytes]) -> bytes:
    """The records as a ``.warc.gz``: one gzip member a record."""
    return b"".join(gzip.compress(one, mtime=0) for one in records)


def corrupt_member(raw: bytes) -> bytes:
    """A gzip member whose deflate data is damaged in the middle (header intact)."""
    member = bytearray(gzip.compress(raw, mtime=0))
    middle = len(member) // 2
    member[middle:middle + 16] = b"\xff" * 16
    return bytes(member)


def write(path: Path, records: Iterable[bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(members(records))
    return path


def lying_length(raw: bytes, length: int) -> bytes:
    """The record ``raw`` with ``Content-Length: length`` in its WARC header, whatever its block is."""
    head, rest = raw.split(b"\r\n\r\n", 1)
    lines = [line for line in head.split(b"\r\n") if not line.startswith(b"Content-Length:")]
    return b"\r\n".join([*lines, b"Content-Length: %d" % length]) + b"\r\n\r\n" + rest
