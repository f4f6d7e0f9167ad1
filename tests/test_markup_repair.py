"""A story is never lost to its markup: a ``<title>``, ``<script>`` or comment never closed (which
swallows the rest of the page, as libxml2 and browsers read it) and XHTML's ``<html/>`` are repaired
before a second parse. Pages written for the purpose, parsed by the real generic spider."""

from __future__ import annotations

import pytest

from crawler.spiders.wire import GenericSpider
from pipelines.markup_repair import needs_repair, repair_markup
from pipelines.trees import load_html
from tests.pages import parse_outcome, spider_of

URL = "https://news.example.com/2008/01/10/harbour-bridge.html"
STORY = "".join(
    f"<p>Paragraph {n}: the city council voted on Tuesday to close the old harbour bridge for a year "
    f"while engineers replace its corroded steel beams, officials said.</p>" for n in range(1, 7))
BODY = f"<body><div id='story'><h1>Harbour bridge to close</h1>{STORY}</div></body></html>"

BROKEN = {
    "unclosed title": f"<html><head><title>Harbour bridge to close\n<meta name='x' content='y'></head>{BODY}",
    "title closed with a typo": f"<html><head><title>Harbour bridge</tilte>\n</head>{BODY}",
    "unclosed script": f"<html><head><title>T</title><script>var loaded = 1;\n</head>{BODY}",
    "script with a source never closed":
        f"<html><head><title>T</title><script type='text/javascript' src='/ads.js'>\n</head>{BODY}",
    "script swallowing up to a later script":
        f"<html><head><title>T</title><script src='/a.js'>\n</head>{BODY[:-14]}"
        "<script>track();</script></body></html>",
    "unclosed comment": f"<html><head><title>T</title><!-- begin ad block\n</head>{BODY}",
    "comment running into the body": f"<html><head><!-- ads\n</head>{BODY[:-14]}<!-- end --></body></html>",
    "XHTML html/": f'<html xmlns="http://www.w3.org/1999/xhtml"/>\n<head><title>T</title></head>{BODY}',
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_story_behind_broken_markup_is_stored(name: str) -> None:
    outcome = parse_outcome(spider_of(GenericSpider, urls=URL), BROKEN[name].encode(), URL)
    assert outcome is not None and outcome.row is not None, (name, outcome.reason if outcome else None)
    for n in range(1, 7):
        assert f"Paragraph {n}:" in outcome.row["body"], name


def test_the_repair_is_counted() -> None:
    outcome = parse_outcome(spider_of(GenericSpider, urls=URL), BROKEN["unclosed title"].encode(), URL)
    assert outcome.counters.get("wirecrawl/markup/repaired") == 1


def test_sound_markup_is_left_alone() -> None:
    page = ("<html><head><title>a &lt; b</title><script>var s = '<div class=\"x\">' + '<p>';</script>"
            "<style>p > a { color: red }</style><!--[if IE]><link rel='x'><![endif]--></head>"
            "<body><textarea><iframe src='embed'></iframe></textarea>" + STORY + "</body></html>")
    assert not needs_repair(load_html(page), page)
    assert repair_markup(page) == (page, [])


def test_a_page_that_is_not_html_is_still_dropped() -> None:
    outcome = parse_outcome(spider_of(GenericSpider, urls=URL), b"\x00\x01\x02", URL)
    assert outcome is None or outcome.row is None


def test_a_sound_page_whose_data_holds_page_markup_is_left_alone() -> None:
    """aeb-dev: pages whose JSON-LD ``articleBody`` is markup ("<body><p>…") or whose scripts write
    ``<body>`` strings were taken for swallowed ones and their JSON-LD cut."""
    data = '{"@type": "NewsArticle", "headline": "Harbour bridge to close", "articleBody": "<body><p>x</p>"}'
    page = (f'<html><head><title>T</title><script type="application/ld+json">{data}</script>'
            "<script>if (old) document.write('<body class=\"old\">');</script></head>"
            f"<body>{STORY}</body></html>")
    assert not needs_repair(load_html(page), page)
    assert repair_markup(page) == (page, [])
    outcome = parse_outcome(spider_of(GenericSpider, urls=URL), page.encode(), URL)
    assert "wirecrawl/markup/repaired" not in outcome.counters
    assert outcome.row["headline"] == "Harbour bridge to close"
