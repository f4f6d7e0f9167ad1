"""WARC records read back as the responses they hold: ours (``WARC_DIR``) or anyone's (Common Crawl's
CC-NEWS among them).

fastwarc does the record work (it reads at several hundred MB/s, warcio at a fraction of that: see
``benchmarks/warc_read.py``); :func:`read_responses` keeps the ``response`` records whose target URI the
caller accepts and counts the rest by kind; a damaged gzip member is skipped (reading resumes at the
next member, found in the bytes kept since the last good record: :mod:`pipelines.warc_tape`), a record
cut short is counted, never parsed. Where archives are opened from: :mod:`pipelines.archive_sources`.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

from fastwarc.warc import ArchiveIterator, HeaderMap, WarcRecord, WarcRecordType

from pipelines.warc_tape import READ_CHUNK, WarcTape, ends_where_it_says

logger = logging.getLogger(__name__)

#: the reasons a record could not be read at all (its story may be lost with it)
DAMAGE = ("damaged_member", "truncated", "damaged_record")


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
    tape = WarcTape(source)
    last = -1  # offset of the last record reached
    held: tuple[int, ArchivedResponse] | None = None  # a response waiting for the record after it
    dropped: set[int] = set()  # offsets of records found not to end where they say
    resumed = False

    def settle(at: int) -> bool:
        """Whether the record at ``at`` ends where it says (counted and logged when not)."""
        if at in dropped:
            return False
        if ends_where_it_says(tape, at):
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
                  tape: WarcTape = tape) -> bool:
            # fastwarc counts from the tape's tell() when it began: offsets in the archive
            at = reached[0] = record.stream_pos
            # memory: about one record and 1 MB, however much is skipped
            tape.forget_before(at, at_least=READ_CHUNK)
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
