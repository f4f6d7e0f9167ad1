"""Reference story texts built from the corpus by plain means (not by the code under test).

Shared by the page tests and ``benchmarks/extraction_quality.py``.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html

UPI_2020_PAGE = "upi/html/metahtml_2020-01-07_stampede-funeral-soleimani.html"
SEED_TEXT = "seed/upi-2016-01-29-russia-north-korea-repatriate.txt"


def upi_2020_story(corpus: Path) -> list[str]:
    """The 2020 page's own ``article[itemprop=articleBody] p`` texts, dateline span cut off."""
    page = lxml.html.parse(str(corpus / UPI_2020_PAGE))
    story = [" ".join(p.text_content().split())
             for p in page.xpath('//article[@itemprop="articleBody"]//p')]
    story = [p for p in story if p]
    story[0] = story[0].removeprefix("Jan. 7 (UPI) -- ")
    return story


def seed_story(corpus: Path) -> list[str]:
    """The seed article's paragraphs from the dateline to "...sanctions.", dateline cut off."""
    text = (corpus / SEED_TEXT).read_text("utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("SEOUL, Jan. 29 (UPI) -- "))
    end = next(i for i, line in enumerate(lines) if line.endswith("sanctions."))
    story = lines[start:end + 1]
    story[0] = story[0].removeprefix("SEOUL, Jan. 29 (UPI) -- ")
    return story
