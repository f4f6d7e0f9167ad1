"""Timestamps to UTC: offsets kept, local times read in the site's zone with daylight saving."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.dates import from_unix, to_day, to_utc, url_day

UTC = dt.timezone.utc
NY = "America/New_York"


@pytest.mark.parametrize(("value", "zone", "expected"), [
    ("2020-01-07T07:28:54-05:00", NY, dt.datetime(2020, 1, 7, 12, 28, 54, tzinfo=UTC)),
    ("2019-08-20T10:41:00+09:00", "UTC", dt.datetime(2019, 8, 20, 1, 41, tzinfo=UTC)),
    ("2023-04-25T12:00:00Z", NY, dt.datetime(2023, 4, 25, 12, 0, tzinfo=UTC)),
    ("Jan. 7, 2020 / 7:28 AM", NY, dt.datetime(2020, 1, 7, 12, 28, tzinfo=UTC)),
    ("Jan. 7, 2020 at 5:08 PM", NY, dt.datetime(2020, 1, 7, 22, 8, tzinfo=UTC)),
    ("July 4, 2021 / 7:28 AM", NY, dt.datetime(2021, 7, 4, 11, 28, tzinfo=UTC)),  # EDT
    ("Sept. 3, 2019 at 1:16 PM", NY, dt.datetime(2019, 9, 3, 17, 16, tzinfo=UTC)),
    ("Tue, 07 Jan 2020 12:28:54 +0000", NY, dt.datetime(2020, 1, 7, 12, 28, 54, tzinfo=UTC)),
    ("2020-01-07 07:28", NY, dt.datetime(2020, 1, 7, 12, 28, tzinfo=UTC)),
])
def test_to_utc(value: str, zone: str, expected: dt.datetime) -> None:
    assert to_utc(value, zone) == expected


@pytest.mark.parametrize("value", [None, "", "not a date", "x" * 500, "1850-01-01T00:00:00Z",
                                   "2999-01-01T00:00:00Z"])
def test_unreadable_or_implausible_is_none(value) -> None:
    assert to_utc(value, NY) is None


def test_bare_day_refused_when_a_time_is_required() -> None:
    assert to_utc("2020-01-07", NY, require_time=True) is None
    assert to_utc("2020-01-07", NY) == dt.datetime(2020, 1, 7, 5, 0, tzinfo=UTC)


def test_unix_timestamp_of_a_upi_id() -> None:
    # a UPI id ends in the Unix time of the story's creation:
    # 1141578394958 -> 1578394958 -> 2020-01-07 11:02:38 UTC
    assert from_unix(1578394958) == dt.datetime(2020, 1, 7, 11, 2, 38, tzinfo=UTC)
    assert from_unix(99999999999999) is None


@pytest.mark.parametrize(("value", "expected"), [
    ("2019-11-19", dt.date(2019, 11, 19)), ("Nov. 19, 2019", dt.date(2019, 11, 19)),
    ("19 November 2019", dt.date(2019, 11, 19)), ("Posted March 3, 2021", dt.date(2021, 3, 3)),
    ("© 2019 Example News", None), ("Copyright 2019", None), ("2019", None), (None, None),
])
def test_a_day_is_read_only_when_the_text_names_a_whole_day(value, expected) -> None:
    assert to_day(value) == expected


def test_the_day_in_a_url() -> None:
    assert url_day("https://x.example/2019/11/18/slug/") == dt.date(2019, 11, 18)
    assert url_day("https://x.example/world/slug-2023-04-25/") == dt.date(2023, 4, 25)
    assert url_day("https://x.example/2019/nov/18/slug") is None
    assert url_day("https://x.example/2099/01/01/slug") is None  # the future is no day of a story


def test_zone_names_on_the_page_are_honoured() -> None:
    assert to_utc("Thu Jan 10, 2008 6:04pm EST", "UTC") == dt.datetime(2008, 1, 10, 23, 4, tzinfo=UTC)
    assert to_utc("Thu Jan 10, 2008 6:04pm GMT", "UTC") == dt.datetime(2008, 1, 10, 18, 4, tzinfo=UTC)
    assert to_utc("July 7, 2020 at 5:08 PM ET", "UTC") == dt.datetime(2020, 7, 7, 21, 8, tzinfo=UTC)


BERLIN = "Europe/Berlin"


@pytest.mark.parametrize(("value", "expected"), [
    # an offset written from GMT is that offset (dateutil alone reads POSIX's inverse: 4 h off)
    ("2024-04-15T13:38:00 GMT+0200", dt.datetime(2024, 4, 15, 11, 38, tzinfo=UTC)),
    ("Mon 15 Apr 2024 13:38 UTC+2", dt.datetime(2024, 4, 15, 11, 38, tzinfo=UTC)),
    ("2024-04-15T13:38:00+02:00[Europe/Berlin]", dt.datetime(2024, 4, 15, 11, 38, tzinfo=UTC)),
    ("2024-04-15T13:38:00+02:00Z", dt.datetime(2024, 4, 15, 11, 38, tzinfo=UTC)),
    ("20240415T133800+0200", dt.datetime(2024, 4, 15, 11, 38, tzinfo=UTC)),
    # visible dates in the page's language, read in the site's zone (CEST in April, CET in February)
    ("Veröffentlicht am 13. Mai 2026 um 15:44", dt.datetime(2026, 5, 13, 13, 44, tzinfo=UTC)),
    ("erstellt: 01. April 2025, 15:25", dt.datetime(2025, 4, 1, 13, 25, tzinfo=UTC)),
    ("Do 25.04.24 | 14:07 Uhr | Von Eva Kirchner-Rätsch", dt.datetime(2024, 4, 25, 12, 7, tzinfo=UTC)),
    ("SRF 4 News, 15.4.2024, 10:05 Uhr;", dt.datetime(2024, 4, 15, 8, 5, tzinfo=UTC)),
    ("05.04.2025 - 10:12", dt.datetime(2025, 4, 5, 8, 12, tzinfo=UTC)),  # the day first, not May 4
    ("søndag 2. februar 2025 kl. 09.00", dt.datetime(2025, 2, 2, 8, 0, tzinfo=UTC)),
    ("2 février 2025 à 09h00", dt.datetime(2025, 2, 2, 8, 0, tzinfo=UTC)),
    ("15 de marzo de 2024 10:30", dt.datetime(2024, 3, 15, 9, 30, tzinfo=UTC)),
    ("20 Nisan 2026 14:09", dt.datetime(2026, 4, 20, 12, 9, tzinfo=UTC)),
    ("2025年1月14日 20:00", dt.datetime(2025, 1, 14, 19, 0, tzinfo=UTC)),
    ("오후 6:40 2026.01.29", dt.datetime(2026, 1, 29, 17, 40, tzinfo=UTC)),
])
def test_dates_as_pages_print_them(value: str, expected: dt.datetime) -> None:
    assert to_utc(value, BERLIN, require_time=True) == expected


@pytest.mark.parametrize("value", [
    "0:00",  # an audio player's clock: read alone, it became today at midnight
    "Today 5:00 am", "heute, 14:07 Uhr", "aujourd'hui à 10h30", "vor 2 Stunden, 14:07",
    "25.04.2024",  # a day without a time, where a time is required
])
def test_a_time_without_its_day_is_no_publication_time(value: str) -> None:
    assert to_utc(value, BERLIN, require_time=True) is None
