"""A story that the layout cuts into pieces (a new container of the same kind after each ad) is read
whole; pieces of two different stories, or a story whose subheadings sit between the pieces, are not
joined. Pages written for the purpose, parsed by the real generic spider; and real pages."""

from __future__ import annotations

from pathlib import Path

from crawler.spiders.wire import GenericSpider
from tests.pages import parse_outcome, spider_of

URL = "https://news.example.com/2024/05/03/harbour-bridge"
STORY = [f"Paragraph {n} of the harbour story: the council voted on Tuesday to close the old bridge for "
         f"a year while engineers replace the corroded steel beams, and drivers will use the ring road."
         for n in range(1, 10)]
AD = ('<div class="ad full-bleed"><span class="ad-label">Advertisement</span>'
      '<div class="ad-slot"></div></div>')


def piece(paragraphs: list[str]) -> str:
    inner = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<div class="grid-row"><div class="article__content body">{inner}</div></div>'


def page(*blocks: str) -> bytes:
    return ('<html lang="en"><head><title>Harbour bridge to close</title></head><body>'
            '<article><h1>Harbour bridge to close</h1>' + "".join(blocks) +
            "</article><footer>About us</footer></body></html>").encode()


def body(html: bytes) -> str:
    outcome = parse_outcome(spider_of(GenericSpider, urls=URL), html, URL)
    assert outcome is not None and outcome.row is not None
    return outcome.row["body"]


def test_a_story_cut_by_ads_into_containers_of_one_kind_is_read_whole() -> None:
    text = body(page(piece(STORY[:3]), AD, piece(STORY[3:6]), AD, piece(STORY[6:])))
    assert text.split("\n\n") == STORY
    assert "Advertisement" not in text


def test_two_stories_one_below_the_other_are_not_joined() -> None:
    second = ('</article><article><h1>Ferry returns</h1>' +
              piece([p.replace("harbour", "ferry") for p in STORY[:4]]))
    text = body(page(piece(STORY[:5]), AD, second))
    assert "ferry story" not in text


def test_pieces_with_subheadings_between_them_stay_apart() -> None:
    html = page(piece(STORY[:3]), "<h2>Ferry to return</h2>", piece(STORY[3:6]))
    text = body(html)
    assert not ("Paragraph 1 " in text and "Paragraph 4 " in text and
                text.index("Paragraph 4 ") < text.index("Ferry to return"))


def test_real_pages_whose_story_is_cut_into_containers(corpus: Path) -> None:
    """aeb-dev (Wired, 2019) and fundus-dev (Politico Europe, 2025): the story's container closes
    before a full-width ad and a new one of the same class holds the rest."""
    import gzip
    import json

    expected = json.loads((corpus / "fundus-dev" / "expected.json").read_text("utf-8"))
    key = "be-PoliticoEu_2025_10_23"
    url = expected[key]["url"]
    html = gzip.decompress((corpus / "fundus-dev" / "html" / f"{key}.html.gz").read_bytes())
    row = parse_outcome(spider_of(GenericSpider, urls=url), html, url).row
    assert "McDonagh said that, while" in row["body"]  # near the story's end
    truth = json.loads((corpus / "aeb-dev" / "ground-truth.json").read_text("utf-8"))
    key = next(k for k in truth if k.startswith("2f42ef1d"))
    html = gzip.decompress((corpus / "aeb-dev" / "html" / f"{key}.html.gz").read_bytes())
    row = parse_outcome(spider_of(GenericSpider, urls=truth[key]["url"]), html, truth[key]["url"]).row
    assert "A second problem is more serious." in row["body"]
