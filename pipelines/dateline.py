"""Wire datelines: ``SEOUL, Jan. 29 (UPI) --`` -> where, when, which agency, and where the story begins.

A dateline is recognised only at the very start of a paragraph, with a city in capitals (or no city but
a date and an agency tag) and a dash. Without an agency tag (archive copy: ``DETROIT --``) the place
must also be known to the gazetteer, so that a paragraph opening with a capitalised word and a dash is
never taken for one: a missing dateline costs a user one row in a filter, a false one lies to them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from pipelines import date_words, gazetteer
from pipelines.agencies import normalize_agency
from pipelines.casing import proper_case

_MONTH = f"(?i:{date_words.english_month_pattern()})"
# A word of a city in capitals: "ANN", "ST.", "McALLEN", "WINSTON-SALEM", "D'ALENE", "SÃO".
_CAPWORD = r"(?:Mc|Mac)?\p{Lu}(?:[\p{Lu}\p{M}'’.]|-(?=\p{Lu}))*"
_CITY = rf"{_CAPWORD}(?:(?:[ \t]+|[ \t]*/[ \t]*){_CAPWORD}){{0,5}}"
# A region or country as written after the city: "Mich.", "N.M.", "South Korea", "Bosnia and Herzegovina".
_REGION_WORD = r"(?:\p{Lu}[\p{L}\p{M}'’.\-]*|of|and|the|del|de|da|do|la|el)"
_REGION = rf"(?!{_MONTH}[\s\d])\p{{Lu}}[\p{{L}}\p{{M}}'’.\-]*(?:[ \t]+{_REGION_WORD}){{0,4}}"
_DATE = rf"(?P<month>{_MONTH})[ \t]*(?P<day>\d{{1,2}})(?!\d)(?:,[ \t]*(?P<year>(?:19|20)\d\d))?"
_AGENCY = r"\([ \t]*(?P<agency>\p{Lu}[\p{L}.&' \t-]{0,38}?)[ \t]*\)"
_DASH = r"(?P<dash>-{2,3}|[—–―]+|_+|(?<=\s)-|-(?=\s)|(?<=\))-)"

_DATELINE = regex.compile(
    rf"""^(?P<lead>\s*)
    (?P<dateline>
      (?:
        (?P<place>(?P<city>{_CITY})
          (?:[ \t]*,[ \t]*(?P<region1>{_REGION}))?
          (?:[ \t]*,[ \t]*(?P<region2>{_REGION}))?
          (?:[ \t]*/[ \t]*{_CITY}(?:[ \t]*,[ \t]*{_REGION})?)?)  # a second place: the first one is the city
        (?:[ \t]*,?[ \t]*{_DATE})?
      |
        {_DATE}
      )
      [ \t]*(?:{_AGENCY})?
      [ \t]*{_DASH}
    )
    [ \t]*""",
    regex.VERBOSE,
)


@dataclass(frozen=True)
class Dateline:
    """A parsed dateline. ``text[body_start:]`` of the parsed paragraph is the story proper."""

    text: str
    city: str | None
    region: str | None
    country: str | None
    country_code: str | None
    agency: str | None
    date: dt.date | None
    body_start: int


def parse_dateline(
    text: str, published: dt.datetime | dt.date | None = None
) -> Dateline | None:
    """Parse the dateline at the start of ``text``; ``None`` when there is none.

    ``published`` supplies the year (datelines carry month and day only); the year is the one that
    puts the dateline's day nearest the publication date, so a ``Dec. 31`` story published on
    Jan. 1 belongs to the year before.
    """
    if not text:
        return None
    match = _DATELINE.match(text[:400])
    if match is None:
        return None
    agency_raw = match.group("agency")
    agency = normalize_agency(agency_raw) or (agency_raw.strip() if agency_raw else None)
    city_raw = match.group("city")
    if city_raw is None and (agency is None or match.group("month") is None):
        return None
    place = _place(city_raw, [match.group("region1"), match.group("region2")])
    if place is None:
        return None
    if agency is None and not place[3]:  # no agency tag: only a place the gazetteer knows
        return None
    city, region, country_code, known = place
    return Dateline(
        text=match.group("dateline"),
        city=city,
        region=region,
        country=gazetteer.country_name(country_code),
        country_code=country_code,
        agency=agency,
        date=_date(match.group("month"), match.group("day"), match.group("year"), published),
        body_start=match.end(),
    )


_Place = tuple[str | None, str | None, str | None, bool]


def _place(city_raw: str | None, regions: list[str | None]) -> _Place | None:
    """(city, region, country code, whether the gazetteer knows it) for the dateline's place."""
    if city_raw is None:
        return None, None, None, True
    first = regex.split(r"\s*/\s*", city_raw.strip())[0]
    if not any(c.isalpha() for c in first) or len(first.replace(".", "")) < 2:
        return None
    region: str | None = None
    code: str | None = None
    known = False
    for raw in (r.strip() for r in regions if r):
        state = gazetteer.us_state(raw)
        if state:
            region, code, known = state, "US", True
            continue
        country = gazetteer.country_code(raw)
        if country:
            code, known = country, True
            continue
        region = region or raw
    found = gazetteer.city(first)
    standalone, standalone_code = gazetteer.standalone_city(first)
    if code is None and region is None:
        if standalone:
            code, known = standalone_code, True
        elif found:
            code, known = found[1], True
    canonical = found[0] if found and found[0].lower() == first.lower() else None
    return canonical or proper_case(first, force=True), region, code, known


def _date(
    month: str | None, day: str | None, year: str | None,
    published: dt.datetime | dt.date | None,
) -> dt.date | None:
    if month is None or day is None:
        return None
    number = date_words.month_number(month)
    if year:
        return _safe_date(int(year), number, int(day))
    if published is None:
        return None
    anchor = published.date() if isinstance(published, dt.datetime) else published
    candidates = [
        d for y in (anchor.year - 1, anchor.year, anchor.year + 1)
        if (d := _safe_date(y, number, int(day))) is not None
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda d: abs((d - anchor).days))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
