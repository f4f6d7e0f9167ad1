"""Timestamps -> timezone-aware UTC, the only form the dataset stores.

Sites give times three ways: ISO 8601 with an offset (trustworthy), ISO without an offset, and visible
text such as ``Jan. 7, 2020 / 7:28 AM`` in the site's local time with no zone marker. The last two are
read in the site's zone (daylight saving included, through zoneinfo) before conversion, so that a UPI
story shown at 7:28 AM in January lands at 12:28 UTC and one in July at 11:28 UTC.
"""

from __future__ import annotations

import datetime as dt
import warnings
from zoneinfo import ZoneInfo

import regex
from dateutil import parser as dateutil_parser

UTC = dt.timezone.utc
#: Timestamps outside these bounds are rejected as lies (a page "published" in 1850 or next year).
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=UTC)
FUTURE_SLACK = dt.timedelta(days=2)

_ISO = regex.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_HAS_TIME = regex.compile(r"\d{1,2}:\d{2}")
_NOISE = regex.compile(r"\s*(?:/|\||\bat\b|\bPublished:?|\bUpdated:?|\bPosted:?)\s*", regex.IGNORECASE)
_HOURS = 3600
#: Zone abbreviations printed on news pages; ambiguous ones (IST, CST in Asia) are left out, so the
#: site's own zone applies to them. ``ET`` follows daylight saving like the site would.
_ZONE_NAMES: dict[str, int | dt.tzinfo] = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 1 * _HOURS, "CET": 1 * _HOURS, "CEST": 2 * _HOURS,
    "EST": -5 * _HOURS, "EDT": -4 * _HOURS, "CDT": -5 * _HOURS, "MST": -7 * _HOURS,
    "MDT": -6 * _HOURS, "PST": -8 * _HOURS, "PDT": -7 * _HOURS, "KST": 9 * _HOURS,
    "JST": 9 * _HOURS, "ET": ZoneInfo("America/New_York"), "PT": ZoneInfo("America/Los_Angeles"),
}
#: A text that names a whole day: ISO ``2019-11-19``, numeric ``19/11/2019``, or a month name next to a
#: day number and a year (``Nov. 19, 2019``, ``19 November 2019``).
MONTH_WORD = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_FULL_DAY = regex.compile(
    r"(?:19|20)\d\d-[01]?\d-[0-3]?\d|\b[0-3]?\d[/.][01]?\d[/.](?:19|20)\d\d\b"
    rf"|\b{MONTH_WORD}\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    rf"|\b[0-3]?\d(?:st|nd|rd|th)?\s+{MONTH_WORD},?\s+(?:19|20)\d\d", regex.IGNORECASE)
#: A day spelled in a URL path: ``/2019/11/19/``, ``/2019-11-19/``, ``…-2019-11-19/``.
_URL_DAY = regex.compile(r"(?<![\d])((?:19|20)\d\d)([/-])([01]?\d)\2([0-3]?\d)(?![\d])")


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
        with warnings.catch_warnings():  # an unknown zone name: read in the site's zone instead
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            return dateutil_parser.parse(_NOISE.sub(" ", text).strip(), tzinfos=_ZONE_NAMES)
    except (ValueError, OverflowError, TypeError):
        return None


def to_day(value: str | None, *, now: dt.datetime | None = None) -> dt.date | None:
    """The calendar day a text names (``2019-11-19``, ``Nov. 19, 2019``), as written; ``None`` when
    unreadable or implausible. For values that say nothing finer than the day."""
    if not value:
        return None
    text = " ".join(str(value).split())
    if not text or len(text) > 100 or not _FULL_DAY.search(text):
        return None  # "© 2019" must not become a day: dateutil would fill in today's month and day
    parsed = _parse(text)
    return _plausible_day(parsed.date() if parsed else None, now)


def url_day(url: str, *, now: dt.datetime | None = None) -> dt.date | None:
    """The day a URL's path spells (``/2019/11/19/slug``), if any and plausible."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    for match in _URL_DAY.finditer(path):
        try:
            day = dt.date(int(match[1]), int(match[3]), int(match[4]))
        except ValueError:
            continue
        if _plausible_day(day, now):
            return day
    return None


def day_start(day: dt.date) -> dt.datetime:
    """How a day-precise publication date is stored: 00:00 UTC of that day (marked ``day``)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=UTC)


def _plausible_day(day: dt.date | None, now: dt.datetime | None) -> dt.date | None:
    if day is None:
        return None
    latest = ((now or dt.datetime.now(UTC)) + FUTURE_SLACK).date()
    return day if EARLIEST.date() <= day <= latest else None


def from_unix(seconds: int, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """A Unix timestamp as UTC, or ``None`` when it is implausible."""
    try:
        value = dt.datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return to_utc(value, now=now)
