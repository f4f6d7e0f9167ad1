"""The story text a page declares (JSON-LD ``articleBody``) checks the body found in its markup: what it
does not hold goes, what only it holds comes back. Pages written for the purpose, parsed by the real
generic spider; and facts about real pages of the corpus."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from crawler.spiders.wire import GenericSpider
from pipelines.declared_body import declared_text, reconcile
from tests.pages import parse_outcome, spider_of
from tests.test_fallbacks import STORY as HARBOUR

URL = "https://news.example.com/2024/05/03/harbour-bridge"
STORY = [
    *HARBOUR,  # the three paragraphs of tests/test_fallbacks.py's story, and three more
    "The mayor promised that the ferry, which stopped running in 2019, would be brought back for the "
    "months of the closure, with boats every twenty minutes at the busiest hours of the day.",
    "Engineers said the new beams would carry twice the load of the old ones and should last a "
    "century, if the council keeps to the painting schedule it has so often put off.",
    "The work is to begin in March, after the winter markets have closed, and the council will hold "
    "a public meeting on the detours at the town hall next Thursday evening.",
]
CAPTION = ("The old harbour bridge seen from the ferry landing on Monday, when inspectors closed one "
           "of its lanes for good.")
APPEAL = ("Independent local journalism costs money. If you value our reporting on the harbour and the "
          "town, please support us with a monthly contribution today.")
SUBHEADING = "Ferry to return"


def page(markup: list[str], articlebody: object = None, description: str | None = None) -> bytes:
    data: dict[str, object] = {"@type": "NewsArticle", "headline": "Harbour bridge to close"}
    if articlebody is not None:
        data["articleBody"] = articlebody
    if description:
        data["description"] = description
    paragraphs = "".join(f"<p>{p}</p>" for p in markup)
    return (f'<html lang="en"><head><title>Harbour bridge to close</title>'
            f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
            f"<body><article><h1>Harbour bridge to close</h1>{paragraphs}</article></body></html>"
            ).encode()


def body(html: bytes) -> list[str]:
    row = parse_outcome(spider_of(GenericSpider, urls=URL), html, URL).row
    assert row is not None
    return row["body"].split("\n\n")


def test_paragraphs_the_declared_text_does_not_hold_are_dropped() -> None:
    markup = [*STORY[:2], CAPTION, *STORY[2:4], SUBHEADING, *STORY[4:], APPEAL]
    found = body(page(markup, articlebody=" ".join(STORY)))
    assert CAPTION not in found and APPEAL not in found
    assert found == [*STORY[:4], SUBHEADING, *STORY[4:]]  # the subheading of story text stays


def test_the_standfirst_stays_when_the_page_declares_it_as_its_description() -> None:
    standfirst = ("Drivers face a year of detours while the steel beams of the 1931 bridge are "
                  "replaced, the council decided.")
    found = body(page([standfirst, *STORY, APPEAL], articlebody=" ".join(STORY),
                      description=standfirst))
    assert found == [standfirst, *STORY]


def test_passages_only_the_declared_text_holds_are_put_back_in_place() -> None:
    declared = "".join(f"<p>{p}</p>" for p in STORY)
    found = body(page(STORY[:2], articlebody=declared))
    assert found == STORY


def test_a_declared_run_of_text_puts_back_its_missing_sentences_as_a_paragraph() -> None:
    found = body(page([STORY[0], STORY[5]], articlebody=" ".join(STORY)))
    assert found == [STORY[0], " ".join(STORY[1:5]), STORY[5]]


def test_a_declared_teaser_or_another_text_changes_nothing() -> None:
    markup = [*STORY, CAPTION]
    assert body(page(markup, articlebody=STORY[0])) == markup
    other = " ".join(p.replace("harbour", "airport").replace("bridge", "runway") for p in STORY[:2])
    unrelated = "Fans queued all night for the concert at the stadium. " * 20
    assert body(page(markup, articlebody=unrelated)) == markup
    assert declared_text(other[:100]) is None


def test_escaped_markup_in_the_declared_text_is_markup() -> None:
    escaped = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in STORY) + '&lt;img src="x.jpg" alt="x"&gt;'
    text = declared_text(escaped)
    assert text is not None and text.passages == STORY


def test_reconcile_keeps_paragraphs_without_a_declared_text() -> None:
    assert reconcile(STORY, None) == (STORY, None)


def _row(corpus: Path, key: str) -> dict:
    expected = json.loads((corpus / "fundus-dev" / "expected.json").read_text("utf-8"))
    url = expected[key]["url"]
    html = gzip.decompress((corpus / "fundus-dev" / "html" / f"{key}.html.gz").read_bytes())
    return parse_outcome(spider_of(GenericSpider, urls=url), html, url).row


def test_real_pages_whose_story_the_markup_hides_or_splits(corpus: Path) -> None:
    """fundus-dev: Mallorca Magazin hides all but the first paragraph of a story from readers without
    an account (the rest stays in the page, in a block trafilatura drops as hidden); the LA Times
    keeps the plaques' texts of a list outside the story's paragraphs. Both declare the whole story."""
    mallorca = _row(corpus, "es-MallorcaMagazin_2025_04_16")
    assert "Die Aufenthalte von Mario Vargas Llosa auf Mallorca waren stets ein Ereignis" in mallorca["body"]
    assert "| Jörg Carstensen/dpa" not in mallorca["body"]  # the photo's caption
    latimes = _row(corpus, "us-LATimes_2023_06_26")
    assert "Head football coach of USC from 1925 to 1940" in latimes["body"]


def test_real_pages_lose_the_furniture_between_their_paragraphs(corpus: Path) -> None:
    """fundus-dev: taz's donation appeal and WAZ's teaser list sit between or after the story's
    paragraphs; neither is in the story the pages declare."""
    assert "Gerade jetzt, wo der Rechtsextremismus weiter erstarkt" not in _row(
        corpus, "de-Taz_2024_10_23")["body"]
    assert "Klingbeil greift Klöckner an" not in _row(corpus, "de-WAZ_2025_09_10")["body"]
