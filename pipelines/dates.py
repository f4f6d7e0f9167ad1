"""Timestamps -> timezone-aware UTC, the only form the dataset stores.

Sites give times three ways: ISO 8601 with an offset (trustworthy), ISO without an offset, and visible
text such as ``Jan. 7, 2020 / 7:28 AM`` in the site's local time with no zone marker. The last two are
read in the site's zone (daylight saving included, through zoneinfo) before conversion, so that a UPI
story shown at 7:28 AM in January lands at 12:28 UTC and one in July at 11:28 UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import regex
from dateutil import parser as dateutil_parser

UTC = dt.timezone.utc
#: Timestamps outside these bounds are rejected as lies (a page "published" in 1850 or next year).
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=UTC)
FUTURE_SLACK = dt.timedelta(days=2)

_ISO = regex.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_HAS_TIME = regex.compile(r"\d{1,2}:\d{2}")
_NOISE = regex.compile(r"\s*(?:/|\||\bat\b|\bET\b|\bEST\b|\bEDT\b)\s*", regex.IGNORECASE)


def to_utc(
    value: str | dt.datetime | None,
    local_tz: str = "UTC",
    *,
    now: dt.datetime | None = None,
    require_time: bool = False,
) -> dt.datetime | None:
    """Parse ``value`` and return it in UTC, or ``None`` when it is missing, unreadable or implausible.

    Naive values are read in ``local_tz``. With ``require_time`` a bare day (``2020-01-07``) is refused,
    because midnight would be a made-up time.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        text = " ".join(str(value).split())
        if not text or len(text) > 100:
            return None
        if require_time and not _HAS_TIME.search(text):
            return None
        parsed = _parse(text)
        if parsed is None:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(local_tz))
    result = parsed.astimezone(UTC)
    limit = (now or dt.datetime.now(UTC)) + FUTURE_SLACK
    if result < EARLIEST or result > limit:
        return None
    return result


def _parse(text: str) -> dt.datetime | None:
    try:
        if _ISO.match(text):
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return dateutil_parser.parse(_NOISE.sub(" ", text).strip())
    except (ValueError, OverflowError, TypeError):
        return None


def from_unix(seconds: int, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """A Unix timestamp as UTC, or ``None`` when it is implausible."""
    try:
        value = dt.datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return to_utc(value, now=now)
