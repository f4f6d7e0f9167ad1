"""The dateline parser against the labelled set (corpus datelines plus written forms) and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.dateline import Dateline, parse_dateline
from tests.conftest import load_jsonl

CASES = load_jsonl("datelines.jsonl")


def _published(case: dict) -> dt.date | None:
    return dt.date.fromisoformat(case["published"]) if case["published"] else None


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["text"][:40] or "<empty>")
def test_labelled_dateline(case: dict) -> None:
    found = parse_dateline(case["text"], _published(case))
    expect = case["expect"]
    if expect is None:
        assert found is None
        return
    assert found is not None, case["text"]
    got = {
        "text": found.text, "city": found.city, "region": found.region,
        "country_code": found.country_code, "agency": found.agency,
        "date": found.date.isoformat() if found.date else None,
    }
    assert got == expect
    # The story proper starts right after the dateline.
    rest = case["text"][found.body_start:]
    assert rest == rest.lstrip()
    assert case["text"][: found.body_start].strip().endswith(found.text)


def test_labelled_set_covers_the_corpus_and_negatives() -> None:
    origins = {c["origin"].split(":")[0] for c in CASES}
    assert origins == {"corpus", "written"}
    assert sum(c["expect"] is None for c in CASES) >= 10
    assert sum(c["origin"].startswith("corpus") for c in CASES if c["expect"]) >= 30


def test_country_names_are_common_english_names() -> None:
    seoul = parse_dateline("SEOUL, Jan. 29 (UPI) -- x", dt.date(2016, 1, 29))
    assert seoul is not None and seoul.country == "South Korea"
    santa_fe = parse_dateline("SANTA FE, N.M. (AP) — x")
    assert santa_fe is not None and santa_fe.country == "United States"


def test_year_comes_from_publication_time_across_new_year() -> None:
    late = parse_dateline("PHOENIX, Dec. 31 (UPI) -- x", dt.datetime(2020, 1, 1, 3, 0))
    assert late is not None and late.date == dt.date(2019, 12, 31)


def test_no_published_date_means_no_date() -> None:
    found = parse_dateline("SEOUL, Jan. 29 (UPI) -- x")
    assert found is not None and found.date is None and found.city == "Seoul"


def test_invalid_day_gives_no_date_but_keeps_the_place() -> None:
    found = parse_dateline("CAIRO, Feb. 30 (UPI) -- x", dt.date(2021, 3, 1))
    assert found is not None and found.date is None and found.country_code == "EG"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.one_of(st.none(), st.dates()))
def test_never_raises_and_is_well_formed(text: str, published: dt.date | None) -> None:
    found = parse_dateline(text, published)
    if found is None:
        return
    assert isinstance(found, Dateline)
    assert 0 < found.body_start <= len(text)
    assert found.text and found.text in text[: found.body_start]
    assert found.country_code is None or (len(found.country_code) == 2
                                          and found.country_code.isupper())
    assert found.date is None or isinstance(found.date, dt.date)


_CITY = st.sampled_from(["SEOUL", "WASHINGTON", "ANN ARBOR, Mich.", "KABUL, Afghanistan", "TOKYO"])
_AGENCY = st.sampled_from(["UPI", "AP", "Reuters", "Yonhap", "AFP", "Xinhua"])
_DASH = st.sampled_from(["--", "—", "–", "-", "_"])


@settings(max_examples=200, deadline=None)
@given(_CITY, _AGENCY, _DASH, st.text(alphabet="abc xyz.", min_size=1, max_size=40))
def test_generated_datelines_are_found_with_body_start_after_dash(city, agency, dash, rest) -> None:
    text = f"{city} ({agency}) {dash} {rest}"
    found = parse_dateline(text)
    assert found is not None
    assert found.agency == agency
    assert text[found.body_start:] == rest.lstrip()
