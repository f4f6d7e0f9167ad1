"""Real and hand-written UPI pages through the spider's parsers and normalization."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.pages import parse_upi_page
from tests.wires import wire_pages

UTC = dt.timezone.utc
# the fields and story of both pages are in tests/wires/upi.json (tests/test_wire_pages.py)
PAGE_2020, PAGE_2016 = wire_pages("upi")[:2]
URL_2016 = PAGE_2016.url


@pytest.fixture(scope="module")
def row_2020(corpus: Path) -> dict:
    row = parse_upi_page(PAGE_2020.html(corpus), PAGE_2020.url, headers=PAGE_2020.headers)
    assert row is not None
    return row


def test_2020_page_metadata_beyond_its_data_file(row_2020: dict) -> None:
    assert "Qassem Soleimani" in row_2020["tags"]
    assert row_2020["image_url"].startswith("https://cdnph.upi.com/")
    assert row_2020["word_count"] == len(row_2020["body"].split())


def test_2020_page_body_starts_and_ends_with_the_story(row_2020: dict) -> None:
    assert row_2020["body"].startswith("A stampede during a funeral procession")
    assert row_2020["body"].endswith('"They will pay for all three mistakes," Zarif said.')


def test_2016_page_is_written_from_the_seed(corpus: Path) -> None:
    assert PAGE_2016.story_paragraphs(corpus)[0].startswith("Russia and North Korea are expected")


def test_summer_page_times_use_daylight_saving() -> None:
    """A visible 7:28 AM in July is EDT (UTC-4), not EST."""
    page = (FIXTURES / "upi_2016_russia_north_korea.html").read_text("utf-8")
    page = page.replace("Jan. 29, 2016 at 1:16 PM", "July 29, 2016 at 7:28 AM")
    row = parse_upi_page(page.encode(), URL_2016.replace("2016/01/29", "2016/07/29"))
    assert row is not None
    assert row["published_at"] == dt.datetime(2016, 7, 29, 11, 28, tzinfo=UTC)


def test_2023_excerpt_photo_captions_and_header_lines_are_not_body(corpus: Path) -> None:
    """The 2023 text excerpt: header lines and photo captions precede the dateline paragraph."""
    from pipelines.normalize import lead_dateline
    from pipelines.sites.upi import UpiV2020

    text = (corpus / "upi/text/2023-02-07_world_guterres-ukraine-war-widening.txt").read_text("utf-8")
    lines = [line.strip() for line in text.splitlines()[1:] if line.strip()]
    kept = UpiV2020().clean(lines)
    assert not any("License Photo" in p for p in kept)
    body, dateline = lead_dateline(kept, dt.date(2023, 2, 7))
    assert dateline is not None and dateline.text == "Feb. 7 (UPI) --"
    assert body[0].startswith("As the war in Ukraine nears one-year old")
    assert not any(p.startswith(("By Darryl Coote", "Feb. 7, 2023")) for p in body)


def test_a_lying_meta_charset_does_not_garble_decoded_text() -> None:
    page = (FIXTURES / "upi_2016_russia_north_korea.html").read_text("utf-8")
    page = page.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    page = page.replace("Russia and North Korea are expected", "Russia and North Korea’s café are expected")
    row = parse_upi_page(page.encode("utf-8"), URL_2016,
                         headers={"Content-Type": "text/html; charset=utf-8"})
    assert row is not None
    assert row["body"].startswith("Russia and North Korea’s café are expected")
