"""Zone-less times of a site that declares no zone are read in the page's own: the offset its other
times state, else its country's zone; never a caption's date, never a time without its day. Small
pages written for the purpose, facts of real pages, and the zone rules themselves."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipelines.zones import country_zone, explicit_offset, page_country, page_zone
from tests.pages import fundus_dev_row
from tests.test_fallbacks import STORY, parse

UTC = dt.timezone.utc


def _page(head: str = "", before: str = "", figure: str = "") -> bytes:
    return ("<html><head><title>Harbour bridge to close for a year</title>" + head + "</head><body>"
            "<div class='main'><h1>Harbour bridge to close for a year</h1>" + before + figure
            + "<div class='story'>" + "".join(f"<p>{p}</p>" for p in STORY) + "</div></div></body></html>"
            ).encode()


def _ld(**fields) -> str:
    data = json.dumps({"@type": "NewsArticle", **fields})
    return f'<script type="application/ld+json">{data}</script>'


def test_a_zone_less_time_is_read_at_the_offset_the_page_states_elsewhere() -> None:
    """Before: 09:00 was taken for UTC, an hour off."""
    head = _ld(datePublished="2025-02-02T09:00:00") + \
        '<meta property="article:modified_time" content="2025-02-02T09:30:00+01:00">'
    row = parse(_page(head), "https://news.example.com/x/bridge").row
    assert row["published_at"] == dt.datetime(2025, 2, 2, 8, 0, tzinfo=UTC)


def test_a_visible_local_time_is_read_in_the_country_s_zone() -> None:
    """Before: "14:07 Uhr" was dropped for the day alone (and would have been taken for UTC)."""
    row = parse(_page(before="<div class='lineinfo'>Do 25.04.24 | 14:07 Uhr | Von Eva Muster</div>"),
                "https://www.example.de/kultur/beitrag/bruecke").row
    assert row["published_at"] == dt.datetime(2024, 4, 25, 12, 7, tzinfo=UTC)  # CEST
    assert (row["published_source"], row["published_precision"]) == ("visible", "time")


def test_a_site_of_no_known_country_keeps_utc() -> None:
    row = parse(_page(before="<div class='lineinfo'>25.04.2024, 14:07</div>"),
                "https://news.example.com/x/bridge").row
    assert row["published_at"] == dt.datetime(2024, 4, 25, 14, 7, tzinfo=UTC)


def test_a_caption_s_date_is_never_the_publication_date() -> None:
    figure = ("<figure><img src='/a.jpg'><figcaption>Die Brücke am 12. März 2019, 10:00 Uhr "
              "(Foto: Anna Muster)</figcaption></figure>")
    row = parse(_page(figure=figure), "https://www.example.de/bruecke").row
    assert row["published_at"] is None or row["published_at"].year != 2019


def test_a_clock_without_a_day_is_never_the_publication_time() -> None:
    """Before: an audio player's "0:00" made the story today's, at midnight."""
    head = ("<script type='application/ld+json'>\n//<![CDATA[\n" + json.dumps(
        {"@context": "https://schema.org", "@graph": [
            {"@type": "NewsArticle", "datePublished": "2024-08-22T12:00:00+02:00"}]}) + "\n//]]>\n</script>")
    row = parse(_page(head, before="<span class='current-time'>0:00</span>"),
                "https://www.example.de/5481-bruecke").row
    assert row["published_at"] == dt.datetime(2024, 8, 22, 10, 0, tzinfo=UTC)
    row = parse(_page(before="<span class='current-time'>0:00</span>"), "https://www.example.de/bruecke").row
    assert row["published_at"] is None


@pytest.mark.parametrize(("country", "zone"), [
    ("DE", "Europe/Berlin"), ("de", "Europe/Berlin"), ("ES", "Europe/Madrid"), ("PT", "Europe/Lisbon"),
    ("KR", "Asia/Seoul"), ("CN", "Asia/Shanghai"), ("GB", "Europe/London"),
    ("US", None), ("RU", None), ("BR", None), (None, None), ("XX", None),
])
def test_a_country_s_zone_is_its_one_zone_or_the_one_that_covers_most_of_it(country, zone) -> None:
    assert country_zone(country) == zone


@pytest.mark.parametrize(("value", "offset"), [
    ("2025-02-02T09:00:00+01:00", dt.timedelta(hours=1)), ("2025-01-14T21:17:27+0900", dt.timedelta(hours=9)),
    ("2024-05-09T11:26:41.000Z", dt.timedelta(0)), ("2021-12-25T13:46:00-04:00", dt.timedelta(hours=-4)),
    ("2026-04-20T14:09:42.493", None), ("2025-02-02 09:00", None), ("Jan 7, 2020 +0100", None),
])
def test_explicit_offsets(value: str, offset: dt.timedelta | None) -> None:
    found = explicit_offset(value)
    assert (found.utcoffset(None) if found else None) == offset


def test_a_page_s_country_and_zone() -> None:
    assert page_country("https://www.namibian.com.na/x") == "NA"
    assert page_country("https://www.bbc.co.uk/x") == "GB"
    assert page_country("https://www.hankookilbo.com/x", "ko_KR") == "KR"
    assert page_country("https://example.tv/x") is None  # a country code used as a generic domain
    assert page_zone("https://www.rbb24.de/x", [None, "2024-04-25"]) == "Europe/Berlin"
    assert page_zone("https://www.rbb24.de/x", ["2024-04-25T14:07:00-04:00"]).utcoffset(None) == \
        dt.timedelta(hours=-4)
    assert page_zone("https://news.example.com/x", []) == "UTC"


# Facts of real pages (../shared/corpus/fundus-dev), read off each page by hand.
REAL = {
    "de-RBB24_2024_04_25": dt.datetime(2024, 4, 25, 12, 7, tzinfo=UTC),  # "Do 25.04.24 | 14:07 Uhr"
    "de-Krautreporter_2024_08_22": dt.datetime(2024, 8, 22, 10, 0, tzinfo=UTC),  # JSON-LD in CDATA
    "dk-JyllandsPosten_2025_02_02": dt.datetime(2025, 2, 2, 8, 0, tzinfo=UTC),  # 09:00:00+01:00
    "de-AFPFaktencheck_2026_05_24": dt.datetime(2026, 5, 13, 13, 44, tzinfo=UTC),  # "13. Mai 2026 um 15:44"
    "it-Tageszeitung_2025_04_16": dt.datetime(2025, 4, 1, 13, 25, tzinfo=UTC),  # "01. April 2025, 15:25"
    # <meta name="article:published:time">
    "de-BoersenZeitung_2024_10_23": dt.datetime(2024, 10, 23, 15, 48, 15, tzinfo=UTC),
}


@pytest.mark.parametrize("key", sorted(REAL))
def test_real_pages(corpus: Path, key: str) -> None:
    assert fundus_dev_row(corpus, key)["published_at"] == REAL[key]
