"""The byline and contributor parsers against the labelled sets, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.agencies import AGENCIES
from pipelines.byline import Byline, parse_byline, parse_contributors, split_contributors
from tests.conftest import load_jsonl

BYLINES = load_jsonl("bylines.jsonl")
CONTRIBUTORS = load_jsonl("contributors.jsonl")


@pytest.mark.parametrize("case", BYLINES, ids=lambda c: c["text"][:40] or "<empty>")
def test_labelled_byline(case: dict) -> None:
    found = parse_byline(case["text"])
    assert found.raw == case["text"]
    assert found.agency == case["agency"]
    if case["casefold"]:  # capitals the page never showed (THOMSON-DEVEAUX) cannot be recovered
        assert [a.lower() for a in found.authors] == [a.lower() for a in case["authors"]]
    else:
        assert found.authors == case["authors"]


@pytest.mark.parametrize("case", CONTRIBUTORS, ids=lambda c: c["text"][:40])
def test_labelled_contributors(case: dict) -> None:
    assert parse_contributors(case["text"]) == case["contributors"]


def test_split_contributors_removes_trailers_from_the_end_only() -> None:
    paragraphs = [
        "Reporting by Jane Doe was cited by the minister in his speech on Monday.",
        "The ministry said talks would resume next week.",
        "(Reporting by Gopal Sharma; Editing by Gerry Doyle)",
    ]
    kept, names = split_contributors(paragraphs)
    assert kept == paragraphs[:2]
    assert names == ["Gopal Sharma", "Gerry Doyle"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_and_is_well_formed(text: str) -> None:
    found = parse_byline(text)
    assert isinstance(found, Byline)
    assert found.raw == text
    assert found.agency is None or found.agency in AGENCIES
    for name in found.authors:
        assert name == name.strip() and name
        assert "@" not in name and not name.lower().startswith("by ")
    names = parse_contributors(text)
    assert names is None or all(isinstance(n, str) and n for n in names)
