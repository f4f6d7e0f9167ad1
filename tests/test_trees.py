"""Pages as trees (pipelines.trees): the size limit, the ``<meta>`` index and the text readers."""

from __future__ import annotations

from pipelines.extraction import ExtractionSettings
from pipelines.trees import link_href, load_html, meta_content, squash, xpath_texts

PAGE = ("<html><head><meta itemprop='datePublished dateCreated' content=' 2024-05-01 '>"
        "<meta property='og:title' content=''><meta name='og:title' content='Second'>"
        "<link rel='canonical' href=' '><link rel='canonical' href=' https://x.test/a '></head>"
        "<body><p>One <b>two</b></p><p>  </p><p>Three , four</p></body></html>")


def test_load_html_refuses_only_pages_over_the_limit_it_is_given() -> None:
    page = "<html><body><p>" + "x" * 100 + "</p></body></html>"
    assert load_html(page, max_bytes=len(page) - 1) is None
    assert load_html(page, max_bytes=len(page)) is not None
    assert load_html(page) is not None  # no limit of its own: the crawl passes ExtractionSettings'
    assert ExtractionSettings().max_html_bytes == 5 * 1024 * 1024
    assert load_html("") is None


def test_meta_content_reads_every_itemprop_word_and_skips_empty_contents() -> None:
    tree = load_html(PAGE)
    assert meta_content(tree, "dateCreated") == "2024-05-01"
    assert meta_content(tree, "og:title") == "Second"  # the empty one passed over
    assert meta_content(tree, "missing", "datePublished") == "2024-05-01"
    assert meta_content(tree, "missing") is None


def test_text_readers_squash_and_skip_empty_nodes() -> None:
    tree = load_html(PAGE)
    assert xpath_texts(tree, "//p", 5) == ["One two", "Three, four"]
    assert xpath_texts(tree, "//p[", 5) == []  # a broken XPath finds nothing
    assert link_href(tree, "canonical") == "https://x.test/a"
    assert squash("  ") is None
