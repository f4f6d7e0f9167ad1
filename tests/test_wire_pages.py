"""Every wire's test pages (``tests/wires/<source>.json``, see :mod:`tests.wires`) through its spider's
parsers and normalization: the layout of its era, the fields it must have by name, the labelled story;
and each layout's selectors finding something on the pages of that layout. A new wire's data file is
picked up by every test here without a line changed."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest

from pipelines.sites import SITES, generic_site
from pipelines.sites.base import Site
from tests.pages import spider_of
from tests.wires import (
    WirePage,
    chosen_layout,
    differences,
    idle_selectors,
    parse_with,
    sources,
    story_problems,
    tree_of,
    wire_pages,
)

PAGES = {page.name: page for page in wire_pages()}
_ROWS: dict[str, dict] = {}


def site_of(page: WirePage) -> Site:
    return SITES[page.source] if page.source in SITES else generic_site()


def row_of(corpus: Path, page: WirePage) -> dict:
    """The row the page's spider stores for it, served on its day (parsed once per session)."""
    if page.name not in _ROWS:
        spider = spider_of(page.source, **({"urls": page.url} if page.source not in SITES else {}))
        _ROWS[page.name] = parse_with(spider, page, corpus)
    return _ROWS[page.name]


def test_every_wire_has_a_data_file_and_every_data_file_a_spider() -> None:
    assert set(SITES) <= set(sources())
    for source in sources():
        assert spider_of(source, **({} if source in SITES else {"urls": "https://example.com/a"}))


def test_every_wire_page_of_the_corpus_is_covered(corpus: Path) -> None:
    saved = {str(p.relative_to(corpus)) for folder in ("ap", "ap-syndicated", "reuters", "yonhap", "upi")
             for p in (corpus / folder / "html").glob("*.html")}
    assert saved <= {page.page for page in PAGES.values()}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_selects_the_layout_of_its_era(corpus: Path, name: str) -> None:
    page = PAGES[name]
    assert chosen_layout(site_of(page), page, corpus) == page.layout


def test_every_declared_layout_has_a_page_that_selects_it() -> None:
    declared = {layout.name for site in SITES.values() for layout in site.layouts}
    assert declared == {page.layout for page in PAGES.values()} - {None}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_fields(corpus: Path, name: str) -> None:
    page = PAGES[name]
    assert differences(row_of(corpus, page), page) == []


@pytest.mark.parametrize("name", sorted(n for n, p in PAGES.items() if p.story))
def test_page_body_is_the_labelled_story(corpus: Path, name: str) -> None:
    page = PAGES[name]
    assert story_problems(row_of(corpus, page), page, corpus) == []


@pytest.mark.parametrize("layout", sorted({(page.source, page.layout) for page in PAGES.values()
                                           if page.layout}, key=str))
def test_every_selector_of_a_layout_finds_something_on_its_pages(corpus: Path, layout) -> None:
    """A selector that matches nothing on every page of its layout is a typo or a stale rule."""
    source, name = layout
    parser = next(cls for cls in SITES[source].layouts if cls.name == name)
    assert idle_selectors(parser, [tree_of(p, corpus) for p in PAGES.values() if p.layout == name]) == []


def test_ap_ids_are_shared_by_apnews_and_hosted_urls() -> None:
    site = SITES["ap"]
    hex_id = "6486944b076b4df99a583a3a7c85574d"
    assert site.story_key(f"https://apnews.com/article/some-slug-{hex_id}") == hex_id
    assert site.story_key(f"https://apnews.com/article/{hex_id}") == hex_id
    assert site.story_key(f"https://hosted.ap.org/berkshireeagle/article/{hex_id}/slug") == hex_id
    assert site.story_key("https://apnews.com/hub/politics") is None
    assert site.story_key(f"https://evil.example/article/{hex_id}") is None


def test_reuters_ids() -> None:
    site = SITES["reuters"]
    assert site.story_key("https://www.reuters.com/world/asia-pacific/"
                          "some-story-2023-04-25/") == "some-story-2023-04-25"
    assert site.story_key("http://in.reuters.com/article/2014/12/30/"
                          "india-sensex-nifty-idINKBN0K80A020141230") == "KBN0K80A0"
    assert site.story_key("https://www.reuters.com/article/us-awards-sag-idUSKBN1ZI0EH") == "KBN1ZI0EH"
    assert site.story_date("https://www.reuters.com/world/x-2023-04-25/") == dt.date(2023, 4, 25)
    assert site.story_key("https://www.reuters.com/markets/") is None
    # every edition host is Reuters', and only those
    assert site.story_key("https://africa.reuters.com/wire/news/N10228503.html") == "N10228503"
    assert site.story_key("https://notreuters.com/world/x-2023-04-25/") is None
    assert site.domains == ["reuters.com"]


def test_yonhap_ids() -> None:
    site = SITES["yonhap"]
    url = "https://en.yna.co.kr/view/AEN20190820002300325?section=nk/nk"
    assert site.story_key(url) == "AEN20190820002300325"
    assert site.normalize_url(url) == "https://en.yna.co.kr/view/AEN20190820002300325"
    assert site.normalize_url(url.replace("/view/", "/news/")) == \
        "https://en.yna.co.kr/view/AEN20190820002300325"


def _fundus(corpus: Path, name: str) -> dict:
    data = json.loads((corpus / "expected" / name).read_text("utf-8"))
    return {page: {k: ast.literal_eval(v) if isinstance(v, str) and k in {"authors", "body"}
                   else v for k, v in fields.items()} for page, fields in data.items()}


@pytest.mark.parametrize(("expected", "folder"), [("ap_fundus.json", "ap"),
                                                  ("reuters_fundus.json", "reuters")])
def test_against_fundus_expected_output(corpus: Path, expected: str, folder: str) -> None:
    """Differences kept on purpose: we cut the dateline off the first paragraph (it is parsed into
    its own columns), and an agency credit ("Associated Press") is the ``agency``, not an author."""
    for name, fields in _fundus(corpus, expected).items():
        row = row_of(corpus, PAGES[f"{folder}:{folder}/html/{name}"])
        body = fields["body"]
        theirs = body["summary"] + [p for s in body["sections"] for p in s["paragraphs"]]
        ours = row["body"].split("\n\n")
        assert theirs[0].endswith(ours[0]) and theirs[0].startswith(row["dateline"])
        assert theirs[1:] == ours[1:]
        their_authors = [a for a in fields["authors"] if a != "Associated Press"]
        assert [a.lower() for a in row["authors"]] == [a.lower() for a in their_authors]
        assert row["published_at"] == dt.datetime.fromisoformat(fields["publishing_date"])
        assert row["headline"] == fields["title"]
