"""Timestamps -> timezone-aware UTC, the only form the dataset stores.

Sites give times three ways: ISO 8601 with an offset (trustworthy), ISO without an offset, and visible
text such as ``Jan. 7, 2020 / 7:28 AM`` in the site's local time with no zone marker. The last two are
read in the site's zone (daylight saving included, through zoneinfo) before conversion, so that a UPI
story shown at 7:28 AM in January lands at 12:28 UTC and one in July at 11:28 UTC.

Visible dates come in the page's language ("13. Mai 2026 um 15:44", "25.04.24 | 14:07 Uhr",
"2025年1月14日 20:00"; the words are data in :mod:`pipelines.date_words`). A text must name its day:
a time alone ("0:00" of an audio player) or a relative one ("Today 5:00 am", "heute, 14:07 Uhr") is
never a publication date, since reading it would invent the day.
"""

from __future__ import annotations

import datetime as dt
import warnings
from zoneinfo import ZoneInfo

import regex
from dateutil import parser as dateutil_parser

from pipelines import date_words

UTC = dt.timezone.utc
#: Timestamps outside these bounds are rejected as lies (a page "published" in 1850 or next year).
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=UTC)
FUTURE_SLACK = dt.timedelta(days=2)

_ISO = regex.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_HAS_TIME = regex.compile(r"\d{1,2}:\d{2}|(?<=\d)h\d{2}\b|\dT\d{4}|kl\.?\s*\d{1,2}\.\d{2}", regex.IGNORECASE)
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
#: A text that names a whole day: ISO ``2019-11-19`` (or ``20191119T…``), numeric ``19/11/2019``,
#: ``25.04.24``, ``2026.01.29``, a month name next to a day number and a year (``Nov. 19, 2019``,
#: ``19 November 2019``, ``13. Mai 2026``, ``Apr 28 19:20:36 CEST 2023`` as ``Date.toString`` writes it), or
#: East Asian ``2025年1月14日``.
_ENGLISH_MONTHS = date_words.english_words()
#: Month names of other languages (:mod:`pipelines.date_words`) -> the English abbreviation.
_MONTH_NAMES = date_words.month_names()
#: A word where a month name may stand; whether it is one is looked up (:func:`_is_month`), which is
#: much faster than a pattern of every language's month names.
_MONTH = r"(?<!\p{L})(?P<month>\p{L}{3,12})\.?"
_FULL_DAY = regex.compile(
    r"(?:19|20)\d\d-[01]?\d-[0-3]?\d|(?:19|20)\d\d[01]\d[0-3]\dT\d|\b[0-3]?\d[/.][01]?\d[/.](?:19|20)\d\d\b"
    r"|\b[0-3]?\d\.[01]?\d\.\d\d\b|\b(?:19|20)\d\d[./][01]?\d[./][0-3]?\d\b"
    r"|(?:19|20)\d\d\s*[年년]\s*[01]?\d\s*[月월]\s*[0-3]?\d\s*[日일]?"
    rf"|{_MONTH}\s+[0-3]?\d\s+\d{{1,2}}:\d\d(?::\d\d)?(?:\s+[A-Z]{{2,5}})?\s+(?:19|20)\d\d"
    rf"|{_MONTH}\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    rf"|\b[0-3]?\d(?:st|nd|rd|th)?\.?\s+(?:de\s+)?{_MONTH}(?:\s+de)?,?\s+(?:19|20)\d\d",
    regex.IGNORECASE)
_WORD = regex.compile(r"\p{L}+")
_ZONE_SUFFIX = regex.compile(r"(?<=[+-]\d\d:?\d\d)Z$|\s*\[[\w/+-]+\]$")


def _is_month(word: str | None) -> bool:
    """Whether a word is a month's name or abbreviation in a language of :mod:`pipelines.date_words`."""
    key = (word or "").lower()
    return key in _ENGLISH_MONTHS or key in _MONTH_NAMES


def _full_day(text: str) -> regex.Match[str] | None:
    """The first place a text names a whole day (see :data:`_FULL_DAY`)."""
    for match in _FULL_DAY.finditer(text):
        if match.group("month") is None or _is_month(match.group("month")):
            return match
    return None


#: Words between a date and its time ("um", "à", "Uhr", "kl."), and weekday names in brackets.
_JOINERS = regex.compile(
    r"(?<![\p{L}])(?:" + "|".join(regex.escape(w) for w in date_words.JOINERS) + r")(?![\p{L}])\.?"
    r"|[（(][^）)]{1,4}[）)]", regex.IGNORECASE)
_CJK_DATE = regex.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_CJK_TIME = regex.compile(r"(\d{1,2})\s*[時시]\s*(\d{1,2})\s*[分분]")
_MERIDIEM = regex.compile("|".join(date_words.MERIDIEM))
#: A time zone written as an offset from GMT/UTC ("GMT+0200", "UTC+2"): +02:00, not POSIX's inverse.
_GMT_OFFSET = regex.compile(r"\b(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d\d))?\b")
#: Day-first numeric dates ("05.04.2025", "25.04.24").
_DOTTED_DAY = regex.compile(r"\b[0-3]?\d\.[01]?\d\.(?:\d{4}|\d\d)\b")
_BASIC_ISO = regex.compile(r"^\d{8}T\d{4}")
#: A time of day as pages print it, with what may follow it (a zone, an offset).
_CLOCK = (r"(?P<time>(?:(?:오전|오후|午前|午後|上午|下午)\s*)?\d{1,2}"
          r"(?::\d\d|h\d\d|(?<=kl\.?\s*\d{1,2})\.\d\d)(?::\d\d)?(?:\s*[aApP]\.?[mM]\.?)?(?:\s*Uhr\b)?"
          r"(?:\s*(?:(?:GMT|UTC)\s*[+-]\d{1,2}(?::?\d\d)?|[A-Z]{2,4}\b|[+-]\d\d:?\d\d\b))?)")
#: A time right after a day ("13. Mai 2026 um 15:44", "Jan. 7, 2020 / 7:28 AM", "25.04.24 | 14:07 Uhr").
_TIME_AFTER = regex.compile(
    r"(?:[\s,|/•·–—-]|T(?=\d))*(?:(?:at|um|à|a las|alle|ore|om|kl\.?|klo|klockan|saat|в|г\.)\s*)?"
    + _CLOCK,
    regex.IGNORECASE)
#: A time right before a day ("10:05 Uhr, 15.4.2024", "오후 6:40 2026.01.29").
_TIME_BEFORE = regex.compile(_CLOCK + r"[\s,|/•·–—-]*(?:(?:am|le|den|on)\s+)?$", regex.IGNORECASE)
#: A day spelled in a URL path: ``/2019/11/19/``, ``/2019-11-19/``, ``…-2019-11-19/``.
_URL_DAY = regex.compile(r"(?<![\d])((?:19|20)\d\d)([/-])([01]?\d)\2([0-3]?\d)(?![\d])")


def to_utc(
    value: str | dt.datetime | None,
    local_tz: str | dt.tzinfo = "UTC",
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
        if require_time and not (_HAS_TIME.search(text) and (_ISO.match(text) or _full_day(text))):
            return None  # a time without its day, or a bare day: midnight would be made up
        parsed = _parse(text, require_time)
        if parsed is None:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=local_tz if isinstance(local_tz, dt.tzinfo) else ZoneInfo(local_tz))
    result = parsed.astimezone(UTC)
    limit = (now or dt.datetime.now(UTC)) + FUTURE_SLACK
    if result < EARLIEST or result > limit:
        return None
    return result


def _parse(text: str, require_time: bool = False) -> dt.datetime | None:
    if text[-1] in "Z]":
        text = _ZONE_SUFFIX.sub("", text)  # "+02:00Z", "[Europe/Berlin]"
    try:
        if _ISO.match(text) or _BASIC_ISO.match(text):
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    span = _date_span(text)
    if span is not None and require_time and not _HAS_TIME.search(span):
        return None  # the time in the text is not this day's
    text = span or text
    try:
        with warnings.catch_warnings():  # an unknown zone name: read in the site's zone instead
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            return dateutil_parser.parse(_NOISE.sub(" ", _readable(text)).strip(), tzinfos=_ZONE_NAMES,
                                         dayfirst=bool(_DOTTED_DAY.search(text)))
    except (ValueError, OverflowError, TypeError):
        return None


def _date_span(text: str) -> str | None:
    """The part of a visible text that is its date and time ("Veröffentlicht am 13. Mai 2026 um
    15:44, 3 Min" -> "13. Mai 2026 15:44"), so that no other word or number is read into it."""
    day = _full_day(text)
    if day is None:
        return None
    after = _TIME_AFTER.match(text, day.end())
    if after:
        return f"{day.group()} {_clock(after.group('time'))}"
    before = _TIME_BEFORE.search(text[:day.start()])
    if before:
        return f"{day.group()} {_clock(before.group('time'))}"
    return day.group()


def date_with_time(text: str) -> str | None:
    """The date with a time of day a text shows (``Jan. 7, 2020 / 7:28 AM``, ``25.04.24 | 14:07``),
    or ``None`` when it shows none (no time, or a time without its day)."""
    if not _HAS_TIME.search(text):
        return None
    span = _date_span(text)
    return span if span and _HAS_TIME.search(span) else None


def _clock(time: str) -> str:
    """``09.00``, ``09h00``, ``14:07 Uhr`` and ``오후 6:40`` as ``09:00``, ``14:07``, ``6:40 PM``."""
    time = regex.sub(r"(?<=\d)[.h](?=\d\d)", ":", regex.sub(r"\s*Uhr\b", "", time, flags=regex.I))
    meridiem = _MERIDIEM.match(time)
    if meridiem:
        time = f"{time[meridiem.end():].strip()} {date_words.MERIDIEM[meridiem.group()]}"
    return time


def _readable(text: str) -> str:
    """A visible date as dateutil reads it: month names in English, East Asian dates in figures,
    the words between date and time dropped, an offset from GMT as an offset."""
    if not text.isascii():
        text = _CJK_DATE.sub(r"\1-\2-\3 ", text)
        text = _CJK_TIME.sub(r"\1:\2", text)
        text = _MERIDIEM.sub(lambda m: f" {date_words.MERIDIEM[m.group()]} ", text)
    if any(word.lower() in _MONTH_NAMES for word in _WORD.findall(text)):
        text = _WORD.sub(lambda m: _MONTH_NAMES.get(m.group().lower(), m.group()), text)
    text = _GMT_OFFSET.sub(lambda m: f" {m[1]}{int(m[2]):02d}:{m[3] or '00'}", text)
    return " ".join(_JOINERS.sub(" ", text).split())


def to_day(value: str | None, *, now: dt.datetime | None = None) -> dt.date | None:
    """The calendar day a text names (``2019-11-19``, ``Nov. 19, 2019``), as written; ``None`` when
    unreadable or implausible. For values that say nothing finer than the day."""
    if not value:
        return None
    text = " ".join(str(value).split())
    if not text or len(text) > 100 or not _full_day(text):
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
