"""Each wire's description: layouts declared by era (and refused when they clash), every layout selected
by a real page of its era, the generic rules for a page no layout knows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipelines.extraction import ArticleParser, load_html
from pipelines.sites import SITES
from pipelines.sites.base import LayoutDeclarationError, Site, check_layouts, choose_layout
from tests.conftest import FIXTURES
from tests.references import UPI_2020_PAGE

# (site, page, the day it was served) -> the layout that must read it; read off each page's template
PAGES = [
    ("upi", UPI_2020_PAGE, dt.date(2020, 1, 7), "upi-2020"),
    ("upi", "fixture:upi_2016_russia_north_korea.html", dt.date(2016, 1, 29), "upi-2016"),
    ("ap", "ap/html/fundus_APNews_2024_09_03.html", dt.date(2024, 9, 3), "apnews-2024"),
    ("ap", "ap/html/fundus_APNews_2023_04_28.html", dt.date(2023, 4, 28), "apnews-2023"),
    ("ap", "ap/html/aeb_hosted.ap.org_berkshireeagle_sondland.html", dt.date(2019, 11, 20),
     "ap-hosted-2019"),
    ("ap", "ap/html/np4k_hosted.ap.org_ap_meta_refresh.html", dt.date(2016, 6, 13), "ap-hosted-2016"),
    ("reuters", "reuters/html/fundus_Reuters_2023_05_16.html", dt.date(2023, 5, 16), "reuters-2023"),
    ("reuters", "reuters/html/trafilatura_reuters.com.parasite.html", dt.date(2020, 1, 19),
     "reuters-2020"),
    ("reuters", "reuters/html/np4k_reuters.com1.html", dt.date(2014, 12, 30), "reuters-2014"),
    ("yonhap", "yonhap/html/np4k_yna_co_kr.html", dt.date(2019, 8, 20), "yonhap-2019"),
]


def _tree(corpus: Path, page: str):
    path = FIXTURES / page.removeprefix("fixture:") if page.startswith("fixture:") else corpus / page
    return load_html(path.read_text("utf-8", errors="replace"))


@pytest.mark.parametrize(("source", "page", "served", "layout"), PAGES)
def test_each_page_selects_the_layout_of_its_era(corpus: Path, source: str, page: str,
                                                 served: dt.date, layout: str) -> None:
    assert SITES[source].layout_for(_tree(corpus, page), served).name == layout


def test_every_declared_layout_has_a_page_that_selects_it() -> None:
    declared = {layout.name for site in SITES.values() for layout in site.layouts}
    assert declared == {layout for *_, layout in PAGES}


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
