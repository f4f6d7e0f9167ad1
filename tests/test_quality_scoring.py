"""The generic benchmark's scoring rules for fundus-dev's conventions (unit tier)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from benchmarks.generic_quality import Page, credit_of, local_zone


def test_the_generic_benchmark_s_credit_and_zone_rules() -> None:
    """What fundus-dev expects as an "author" that is no person is scored as credit, and its zone-less
    times are the publisher's local times (09:00 at a Danish paper is 08:00 UTC in February)."""
    page = Page("fundus", "k", "https://www.theportugalnews.com/news/x", b"", Path("."), "",
                publisher="ThePortugalNews")
    for name, credit in [("AFP, MANILA", "afp"), ("Le Figaro et AFP", "afp"), ("dpa", "dpa"),
                         ("TPN", "publisher"), ("theportugalnews.com", "publisher"),
                         ("MND Staff", "publisher"), ("BR24 Redaktion", "publisher"),
                         ("Maria Silva", None), ("Sarah Portugal", None)]:
        assert credit_of(name, page) == credit, name
    when = dt.datetime(2025, 2, 2, 9, 0, tzinfo=local_zone("dk"))
    assert when.astimezone(dt.timezone.utc).hour == 8
    assert local_zone("us") == dt.timezone.utc and local_zone("uk").key == "Europe/London"
