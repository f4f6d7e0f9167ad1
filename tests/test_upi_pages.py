"""Real and hand-written UPI pages through the spider's parsers and normalization."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.pages import parse_upi_page
from tests.references import UPI_2020_PAGE, seed_story, upi_2020_story

UTC = dt.timezone.utc
BOILERPLATE = ("share with", "Share with", "Sign up for our", "newsletter", "Advertisement",
               "RELATED", "Related UPI Stories", "Trending Stories", "Latest Headlines",
               "License Photo", "Leave a comment", "Follow Us")
URL_2020 = ("https://www.upi.com/Top_News/World-News/2020/01/07/"
            "At-least-50-dead-in-stampede-during-funeral-for-Iranian-general/1141578394958/")
URL_2016 = ("https://www.upi.com/Top_News/World-News/2016/01/29/"
            "Russia-North-Korea-agree-to-repatriate-illegal-immigrants/5711454091383/")


@pytest.fixture(scope="module")
def row_2020(corpus: Path) -> dict:
    page = corpus / UPI_2020_PAGE
    row = parse_upi_page(page.read_bytes(), URL_2020 + "?spt=hs&or=tn",
                         headers={"Content-Type": "text/html; charset=utf-8"})
    assert row is not None
    return row


def test_2020_page_metadata(row_2020: dict) -> None:
    assert row_2020["id"] == "upi:1141578394958"
    assert row_2020["url"] == URL_2020
    assert row_2020["headline"] == "At least 50 dead in stampede during funeral for Iranian general"
    assert row_2020["authors"] == ["Don Jacobson"]
    assert row_2020["agency"] == "UPI"
    assert row_2020["published_at"] == dt.datetime(2020, 1, 7, 12, 28, 54, tzinfo=UTC)
    assert row_2020["modified_at"] == dt.datetime(2020, 1, 7, 22, 8, tzinfo=UTC)
    assert row_2020["section"] == "World News"
    assert "Qassem Soleimani" in row_2020["tags"]
    assert row_2020["image_url"].startswith("https://cdnph.upi.com/")
    assert row_2020["language"] == "en"


def test_2020_page_dateline(row_2020: dict) -> None:
    assert row_2020["dateline"] == "Jan. 7 (UPI) --"
    assert row_2020["dateline_date"] == dt.date(2020, 1, 7)
    assert row_2020["dateline_city"] is None and row_2020["dateline_country_code"] is None


def test_2020_page_body_is_clean(row_2020: dict, corpus: Path) -> None:
    body = row_2020["body"]
    assert body.startswith("A stampede during a funeral procession")
    assert body.endswith('"They will pay for all three mistakes," Zarif said.')
    for text in BOILERPLATE:
        assert text not in body, text
    # the RELATED links' headlines (nested in the body's <p>s) are gone too
    assert "historic mistake" not in body and "Rocket fire reported" not in body
    # Exactly the page's own story paragraphs (read with plain lxml), dateline span cut off.
    story = upi_2020_story(corpus)
    assert body.split("\n\n") == story
    assert row_2020["word_count"] == len(body.split())


def test_2016_layout_page_written_from_the_seed(corpus: Path) -> None:
    page = FIXTURES / "upi_2016_russia_north_korea.html"
    row = parse_upi_page(page.read_bytes(), URL_2016)
    assert row is not None
    expected = seed_story(corpus)
    assert expected[0].startswith("Russia and North Korea are expected")
    assert row["body"] == "\n\n".join(expected)
    assert row["authors"] == ["Elizabeth Shim"]
    assert row["published_at"] == dt.datetime(2016, 1, 29, 18, 16, tzinfo=UTC)
    assert row["modified_at"] is None
    assert row["dateline"] == "SEOUL, Jan. 29 (UPI) --"
    assert row["dateline_city"] == "Seoul" and row["dateline_country_code"] == "KR"
    assert row["dateline_date"] == dt.date(2016, 1, 29)
    assert row["id"] == "upi:5711454091383"


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
