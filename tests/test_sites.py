"""Each wire's description: layouts declared by era (and refused when they clash, or when a selector is no
XPath), the URL rules a site declares, the registry that finds every declared wire and the spider made
for each. Every layout chosen by a real page of its era: ``tests/test_wire_pages.py``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import regex
from scrapy.settings import Settings

from pipelines.fetched_page import FetchedPage
from pipelines.layouts import ArticleParser, LayoutDeclarationError, LayoutError, check_layouts, choose_layout
from pipelines.parse import parse_page
from pipelines.sites import SITES, SiteDeclarationError, declared_sites
from pipelines.sites.base import Site
from pipelines.trees import load_html
from tests.conftest import FIXTURES


def _tree(corpus: Path, page: str):
    path = FIXTURES / page.removeprefix("fixture:") if page.startswith("fixture:") else corpus / page
    return load_html(path.read_text("utf-8", errors="replace"))


def test_a_page_of_an_old_layout_fetched_today_still_gets_its_layout(corpus: Path) -> None:
    tree = _tree(corpus, "fixture:upi_2016_russia_north_korea.html")
    assert SITES["upi"].layout_for(tree, dt.date.today()).name == "upi-2016"


def test_a_page_of_no_known_layout_gets_none(corpus: Path) -> None:
    tree = _tree(corpus, "fixture:upi_2007_newstrack.html")
    assert SITES["upi"].layout_for(tree, dt.date(2007, 12, 30)) is None


def test_the_layout_valid_on_the_day_wins_when_two_markers_match() -> None:
    class Old(ArticleParser):
        name, valid_until, marker_xpath = "old", dt.date(2020, 12, 31), "//article"

    class New(ArticleParser):
        name, marker_xpath = "new", "//article"

    layouts = check_layouts([New, Old])
    tree = load_html("<html><body><article><p>x</p></article></body></html>")
    assert choose_layout(layouts, tree, dt.date(2019, 5, 1)).name == "old"
    assert choose_layout(layouts, tree, dt.date(2022, 5, 1)).name == "new"
    assert choose_layout(layouts, tree, None).name == "new"


def test_clashing_declarations_are_refused_when_the_site_is_declared() -> None:
    class A(ArticleParser):
        name, valid_until = "a", dt.date(2020, 1, 1)

    class B(ArticleParser):
        name, valid_until = "b", dt.date(2020, 1, 1)

    class C(ArticleParser):
        name = "c"

    class D(ArticleParser):
        name = "d"

    for clash in ([A, B], [C, D]):
        with pytest.raises(LayoutDeclarationError, match="share valid_until"):
            Site(source="x", agency=None, timezone="UTC", hosts=frozenset({"x.example"}),
                 layouts=tuple(clash))

    class Partner(ArticleParser):  # another template may be current at the same time
        name, template = "partner", "partners"

    assert len(check_layouts([C, Partner])) == 2


def test_the_home_time_zone_is_declared_once_and_reaches_the_parser() -> None:
    for site in SITES.values():
        for layout in (*site.layouts, site.fallback):
            assert "timezone" not in vars(layout), layout.__name__
    assert SITES["upi"].timezone == "America/New_York" and SITES["yonhap"].timezone == "Asia/Seoul"


def test_a_selector_that_is_no_xpath_fails_when_the_layout_is_declared() -> None:
    with pytest.raises(LayoutError, match=r"Broken\.byline_xpath is not an XPath"):
        class Broken(ArticleParser):
            byline_xpath = "//div[@class='byline'"
    with pytest.raises(LayoutError, match=r"Pruned\.prune_xpaths"):
        class Pruned(ArticleParser):
            prune_xpaths = ("//aside", "//div[")
    with pytest.raises(LayoutError, match=r"Dropped\.drop_paragraph_patterns"):
        class Dropped(ArticleParser):
            drop_paragraph_patterns = ("Advertisement(",)


def test_a_selector_that_finds_nothing_is_counted_per_layout_and_field() -> None:
    class Stale(ArticleParser):
        name, byline_xpath, body_xpath = "stale", "//div[@class='byline']", "//article"

    html = ("<html><head><title>t</title></head><body><h1>A headline</h1><article>"
            + "<p>" + "A sentence of the story that goes on for a while. " * 5 + "</p>" * 1
            + "</article></body></html>")
    site = Site(source="x", agency=None, timezone="UTC", hosts=frozenset({"x.example"}),
                article_urls=(regex.compile(r"^/(?P<id>\d+)$"),), layouts=(Stale,))
    outcome = parse_page(site, FetchedPage(id="x:1", source="x", url="https://x.example/1",
                                           body=html.encode(), encoding="utf-8",
                                           fetched_at=dt.datetime.now(dt.timezone.utc)))
    assert outcome.counters.get("wirecrawl/layout/missed/stale/byline") == 1
    assert "wirecrawl/layout/missed/stale/body" not in outcome.counters


def test_each_selector_runs_once_a_page(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The field methods and the count of missed selectors share one evaluation (an XPath over a whole
    page is a good part of a page's parsing time; UPI's date selector used to run three times)."""
    from collections import Counter

    from pipelines import layouts

    runs: Counter[str] = Counter()
    real = layouts.select

    def counted(tree, xpath):
        runs[xpath] += 1
        return real(tree, xpath)

    monkeypatch.setattr(layouts, "select", counted)
    page = corpus / "upi/html/metahtml_2020-01-07_stampede-funeral-soleimani.html"
    url = ("https://www.upi.com/Top_News/World-News/2020/01/07/"
           "At-least-50-dead-in-stampede-during-funeral-for-Iranian-general/1141578394958/")
    fetched = FetchedPage(id="upi:1141578394958", source="upi", url=url, body=page.read_bytes(),
                          encoding="utf-8", fetched_at=dt.datetime(2020, 1, 8, tzinfo=dt.timezone.utc))
    outcome = parse_page(SITES["upi"], fetched)
    assert outcome.row is not None and outcome.row["authors"]
    layout = SITES["upi"].layout_for(load_html(page.read_bytes()), dt.date(2020, 1, 8))
    assert {"byline", "date"} <= set(layout.selectors())
    assert runs[layout.date_xpath] == 1 and runs[layout.byline_xpath] == 1
    assert max(runs.values()) == 1


def test_url_rules_are_declared_not_programmed() -> None:
    site = Site(source="x", agency=None, timezone="UTC", hosts=frozenset({"x.example", "*.x.example"}),
                article_urls=(regex.compile(
                    r"^/(?:amp/)?(?P<path>(?P<section>[a-z]+)/(?P<y>\d{4})/(?P<m>\d\d)/(?P<d>\d\d)/"
                    r"(?P<id>\d+))/?$"),),
                not_article_paths=regex.compile(r"^/(?:amp/)?video/"),
                canonical_path="/{path}/", canonical_origin="https://www.x.example",
                listing_page=regex.compile(r"/page/(\d+)/?$"))
    assert site.story_key("https://edition.x.example/world/2024/02/29/42") == "42"
    assert site.story_date("https://x.example/world/2024/02/29/42") == dt.date(2024, 2, 29)
    assert site.story_key("https://x.example/world/2023/02/29/42") is None  # no such day
    assert site.story_key("https://x.example/video/2024/02/29/42") is None
    assert site.story_key("https://notx.example/world/2024/02/29/42") is None
    assert site.normalize_url("http://X.example/amp/world/2024/02/29/42?utm=1#top") == \
        "https://www.x.example/world/2024/02/29/42/"
    mirror = site.with_hosts(["127.0.0.1"])  # a mirror keeps its own host
    assert mirror.normalize_url("http://127.0.0.1/world/2024/02/29/42") == "http://127.0.0.1/world/2024/02/29/42/"
    assert site.domains == ["x.example"]
    links = ["https://x.example/world/page/3/", "https://x.example/world/page/2/"]
    assert site.next_listing_page("https://x.example/world/", links) == links[1]
    assert site.next_listing_page("https://x.example/world/page/2/", links) == links[0]
    assert site.next_listing_page("https://x.example/world/page/3/", links) is None


def test_every_module_level_site_of_the_package_is_a_wire_and_gets_a_spider() -> None:
    from crawler.spiderloader import WireSpiderLoader

    assert set(declared_sites()) == set(SITES) == {"upi", "ap", "reuters", "yonhap"}
    settings = Settings()
    settings.setmodule("crawler.settings")
    loader = WireSpiderLoader(settings)
    assert set(loader.list()) == {*SITES, "wire"}
    for source, site in SITES.items():
        spider = loader.load(source)
        assert spider.site is site and spider.allowed_domains == site.domains


def test_two_wires_of_one_name_are_refused(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "twin_upi.py").write_text(
        "from pipelines.sites.base import Site\n"
        "TWIN = Site(source='upi', agency=None, timezone='UTC', hosts=frozenset({'twin.example'}))\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(SiteDeclarationError, match="two wires are named 'upi'"):
        declared_sites(["pipelines.sites", "twin_upi"])
    with pytest.raises(SiteDeclarationError, match="cannot be imported"):
        declared_sites(["no_such_wire_module"])
