"""The generic path's metadata on fundus-dev (137 pages of ~90 publishers in ~25 languages, nobody
tuned a rule to one of them): titles, authors, publication times, scored by
``benchmarks/generic_quality.py``'s own rules, on the pages that give a row (rows themselves are
``test_generic_quality``'s). The benchmark prints the figures in full, per language group."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from benchmarks.generic_quality import fundus_pages, local_day, names_people, run_ours
from benchmarks.scoring import same_authors, same_day, same_instant, same_title

pytestmark = pytest.mark.quality


@pytest.fixture(scope="module")
def results(corpus: Path) -> list[tuple]:
    if not (corpus / "fundus-dev").is_dir():
        pytest.fail(f"fundus-dev not found under {corpus}")
    return [(page, found) for page in fundus_pages() if (found := run_ours(page)).row]


def _share(hits: list[bool]) -> float:
    return sum(hits) / max(1, len(hits))


def test_titles(results: list[tuple]) -> None:
    hits = [same_title(f.title, p.title, p.headlines) for p, f in results if p.title]
    assert _share(hits) >= 0.95, _share(hits)


def test_authors_of_pages_whose_byline_names_people(results: list[tuple]) -> None:
    hits = [same_authors(f.authors, p.authors) for p, f in results if names_people(p)]
    assert _share(hits) >= 0.85, _share(hits)


def test_publication_instants_and_days(results: list[tuple]) -> None:
    instants = [same_instant(f.published if isinstance(f.published, dt.datetime) else None, p.published)
                for p, f in results if p.published is not None and p.has_time]
    days = [same_day(local_day(f, p), p.published) for p, f in results if p.published is not None]
    assert _share(instants) >= 0.98, _share(instants)
    assert _share(days) >= 0.97, _share(days)
