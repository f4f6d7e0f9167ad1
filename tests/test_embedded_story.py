"""A page that renders its story in the browser from data its server embedded keeps the story: the
data's story markup is read when the markup gives none. Pages written for the purpose, parsed by the
real generic spider; and a real page."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from crawler.spiders.wire import GenericSpider
from tests.pages import parse_outcome, spider_of

URL = "https://news.example.com/news/article/A2026012914320005196"
PARAGRAPHS = [f"Paragraph {n}: the city council voted on Tuesday to close the old harbour bridge for "
              f"a year while engineers replace its corroded steel beams." for n in range(1, 6)]


def shell(state: dict) -> bytes:
    """A page whose markup is an empty application shell; the story is in the embedded state."""
    return ('<html lang="en"><head><title>Harbour bridge to close</title>'
            '<meta property="og:title" content="Harbour bridge to close"></head><body><div id="app"></div>'
            f"<script>window.__STATE__ = {json.dumps(state)};</script></body></html>").encode()


def test_a_story_only_in_embedded_data_is_stored() -> None:
    html = ('<div class="img"><figure><figcaption><p>The bridge on Monday.</p></figcaption></figure></div>'
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3]) + "<h3>Ferry to return</h3>"
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[3:]))
    state = {"article": {"id": 7, "title": "Harbour bridge to close", "contentHtml": html},
             "related": [{"title": "Other story", "summary": "A short teaser of another story."}]}
    outcome = parse_outcome(spider_of(GenericSpider, urls=URL), shell(state), URL)
    assert outcome.row is not None, outcome.reason
    assert outcome.row["body"].split("\n\n") == [*PARAGRAPHS[:3], "Ferry to return", *PARAGRAPHS[3:]]
    assert outcome.counters.get("wirecrawl/fallback/body_embedded_data") == 1


def test_embedded_data_without_story_markup_gives_no_story() -> None:
    state = {"config": {"fonts": ["a.woff2"] * 40, "text": "<p>Subscribe</p>" * 2}}
    outcome = parse_outcome(spider_of(GenericSpider, urls=URL), shell(state), URL)
    assert outcome.row is None and outcome.reason == "no_body"


def test_real_page_rendered_from_embedded_data(corpus: Path) -> None:
    """fundus-dev: Hankook Ilbo (2026) sends its story only in the Next.js data of the page."""
    key = "kr-HankookIlbo_2026_01_29"
    expected = json.loads((corpus / "fundus-dev" / "expected.json").read_text("utf-8"))[key]
    html = gzip.decompress((corpus / "fundus-dev" / "html" / f"{key}.html.gz").read_bytes())
    row = parse_outcome(spider_of(GenericSpider, urls=expected["url"]), html, expected["url"]).row
    assert row is not None and row["language"] == "ko"
    assert "국민의힘은 조만간 인재영입위원회를 발족하는" in row["body"]
