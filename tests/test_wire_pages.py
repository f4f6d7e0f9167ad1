"""Every real AP, Reuters, AP-on-partner-site and Yonhap page of the corpus through its spider's parsers
and normalization; three of them against the expected output the fundus project wrote."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest

from crawler.spiders.ap import ApSpider
from crawler.spiders.reuters import ReutersSpider
from crawler.spiders.wire import GenericSpider
from crawler.spiders.yonhap import YonhapSpider
from tests.pages import parse_page, spider_of
from tests.references import WIRE_PAGES, wire_story

SPIDERS = {"ap": ApSpider, "reuters": ReutersSpider, "yonhap": YonhapSpider,
           "wire": GenericSpider}
UTC = dt.timezone.utc

# Read off each page (its metadata, header and lead), not produced by the code under test.
# (headline, authors, agency, published_at, dateline city, region, country code, contributors)
EXPECTED: dict[str, tuple] = {
    "ap/html/fundus_APNews_2023_04_28.html": (
        "Mexico's economy grew 1.1% in 1st quarter, 3.8% year on year", [], "AP",
        dt.datetime(2023, 4, 28, 17, 40, 8, tzinfo=UTC), "Mexico City", None, "MX", []),
    "ap/html/fundus_APNews_2024_09_03.html": (
        "The presidential campaigns brace for a sprint to Election Day",
        ["Steve Peoples", "Thomas Beaumont", "Amelia Thomson-DeVeaux"], "AP",
        dt.datetime(2024, 9, 3, 4, 3, 19, tzinfo=UTC), "La Crosse", "Wisconsin", "US",
        ["Will Weissert", "Bill Barrow"]),
    "ap/html/aeb_hosted.ap.org_berkshireeagle_sondland.html": (
        "Unpredictable Sondland faces questions about Trump, Ukraine",
        ["Lisa Mascaro", "Mary Clare Jalonick", "Eric Tucker"], "AP",
        dt.datetime(2019, 11, 20, 10, 52, 20, tzinfo=UTC), "Washington", None, "US",
        ["Alan Fram", "Zeke Miller", "Laurie Kellman", "Colleen Long", "Eric Tucker",
         "Lolita Baldor", "Jill Colvin"]),
    "ap/html/np4k_hosted.ap.org_ap_meta_refresh.html": (
        "Father of Orlando gunman known for rambling political videos", ["Lynne O'Donnell"], "AP",
        dt.datetime(2016, 6, 13, 16, 3, tzinfo=UTC), "Kabul", None, "AF",
        ["Rahim Faiez", "Karim Sharifi", "Mirwais Khan", "Mitch Weiss"]),
    "reuters/html/fundus_Reuters_2023_05_16.html": (
        "Nepal says 'no proof' flydubai plane suffered bird strike", ["Gopal Sharma"], "Reuters",
        dt.datetime(2023, 4, 25, 12, 26, 15, tzinfo=UTC), "Kathmandu", None, "NP",
        # its sign-off span (also in the embedded JSON), commas between the roles
        ["Gopal Sharma", "Lisa Barrington", "Shilpa Jamkhandikar", "Alex Richardson"]),
    "reuters/html/np4k_reuters.com1.html": (
        "Sensex ends flat; weaker Asian markets offset reform hopes", [], "Reuters",
        dt.datetime(2014, 12, 30, 11, 3, tzinfo=UTC), "Mumbai", None, "IN",
        ["Indulal PM", "Sunil Nair"]),
    "reuters/html/np4k_reuters.com2.html": (
        "Indonesia expands search for missing AirAsia jet, U.S. sends warship", ["Fergus Jensen"],
        "Reuters", dt.datetime(2014, 12, 30, 3, 51, 13, tzinfo=UTC), "Jakarta", None, "ID", None),
    "reuters/html/trafilatura_reuters.com.parasite.html": (
        "'Parasite' scores historic upset at SAG awards, boosting Oscar chances", ["Jill Serjeant"],
        "Reuters", dt.datetime(2020, 1, 19, 12, 25, 36, tzinfo=UTC), "Los Angeles", None, "US",
        ["Steve Gorman", "Marguerita Choy", "Nick Zieminski", "Simon Cameron-Moore"]),
    "yonhap/html/np4k_yna_co_kr.html": (
        "N. Korea slams S. Korea for joint military drill, warns of consequences", [], "Yonhap",
        dt.datetime(2019, 8, 20, 0, 31, 1, tzinfo=UTC), "Seoul", None, "KR", []),
    "ap-syndicated/html/aeb_chron_esper-vietnam.html": (
        "Esper accuses China of intimidating smaller Asian nations", ["Robert Burns"], "AP",
        dt.datetime(2019, 11, 20, 11, 19, 29, tzinfo=UTC), "Hanoi", None, "VN", []),
    "ap-syndicated/html/aeb_mysanantonio_cat-found.html": (
        "Cat found in New Mexico after going missing in Oregon", [], "AP",
        dt.datetime(2019, 11, 20, 5, 14, 35, tzinfo=UTC), "Santa Fe", "New Mexico", "US", []),
    "ap-syndicated/html/aeb_sfgate_7-key-questions.html": (
        "7 key questions heading into the 2020 Democratic debate", ["Steve Peoples"], "AP",
        dt.datetime(2019, 11, 20, 11, 15, 49, tzinfo=UTC), "Washington", None, "US", []),
    "ap-syndicated/html/readability_yahoo-2.html": (
        "Russia: Space ship malfunctions, breaks up over Siberia", ["Nataliya Vasilyeva"], "AP",
        dt.datetime(2016, 12, 1, 23, 29, 49, tzinfo=UTC), "Moscow", None, "RU",
        ["Marcia Dunn", "Vladimir Isachenkov"]),
}
BOILERPLATE = ("Advertisement", "Caption", "Our Standards", "Min Read", "Catch up on",
               "Copyright", "All rights reserved", "@yna.co.kr", "(END)", "contributed to this",
               "Reporting by", "What to know about")


def _row(corpus: Path, page: str) -> dict:
    spec = WIRE_PAGES[page]
    name = spec["spider"]
    spider = spider_of(SPIDERS[name], **({"urls": spec["url"]} if name == "wire" else {}))
    row = parse_page(spider, (corpus / page).read_bytes(), spec["url"])
    assert row is not None, f"{page} was dropped"
    return row


def test_every_wire_page_of_the_corpus_is_covered(corpus: Path) -> None:
    pages = {str(p.relative_to(corpus)) for folder in ("ap", "ap-syndicated", "reuters", "yonhap")
             for p in (corpus / folder / "html").glob("*.html")}
    assert pages == set(EXPECTED) == set(WIRE_PAGES)


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_page_metadata(corpus: Path, page: str) -> None:
    headline, authors, agency, published, city, region, code, contributors = EXPECTED[page]
    row = _row(corpus, page)
    assert row["headline"] == headline
    # case-insensitively: an all-caps byline cannot tell Thomson-DeVeaux from Thomson-Deveaux
    assert [a.lower() for a in row["authors"]] == [a.lower() for a in authors]
    assert row["agency"] == agency
    assert row["published_at"] == published
    assert (row["dateline_city"], row["dateline_region"], row["dateline_country_code"]) == (
        city, region, code)
    if contributors is not None:
        assert row["contributors"] == contributors
    else:
        assert len(row["contributors"]) > 10


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_page_body_is_the_labelled_story(corpus: Path, page: str) -> None:
    row = _row(corpus, page)
    assert row["body"].split("\n\n") == wire_story(corpus, page)
    for text in BOILERPLATE:
        assert text not in row["body"], text


def test_ap_ids_are_shared_by_apnews_and_hosted_urls() -> None:
    spider = spider_of(ApSpider)
    hex_id = "6486944b076b4df99a583a3a7c85574d"
    assert spider.site.story_key(f"https://apnews.com/article/some-slug-{hex_id}") == hex_id
    assert spider.site.story_key(f"https://apnews.com/article/{hex_id}") == hex_id
    assert spider.site.story_key(f"https://hosted.ap.org/berkshireeagle/article/{hex_id}/slug") == hex_id
    assert spider.site.story_key("https://apnews.com/hub/politics") is None
    assert spider.site.story_key(f"https://evil.example/article/{hex_id}") is None


def test_reuters_ids() -> None:
    spider = spider_of(ReutersSpider)
    assert spider.site.story_key("https://www.reuters.com/world/asia-pacific/"
                            "some-story-2023-04-25/") == "some-story-2023-04-25"
    assert spider.site.story_key("http://in.reuters.com/article/2014/12/30/"
                            "india-sensex-nifty-idINKBN0K80A020141230") == "KBN0K80A0"
    assert spider.site.story_key("https://www.reuters.com/article/us-awards-sag-idUSKBN1ZI0EH") == \
        "KBN1ZI0EH"
    assert spider.site.story_date("https://www.reuters.com/world/x-2023-04-25/") == dt.date(2023, 4, 25)
    assert spider.site.story_key("https://www.reuters.com/markets/") is None


def test_yonhap_ids() -> None:
    spider = spider_of(YonhapSpider)
    url = "https://en.yna.co.kr/view/AEN20190820002300325?section=nk/nk"
    assert spider.site.story_key(url) == "AEN20190820002300325"
    assert spider.site.normalize_url(url) == "https://en.yna.co.kr/view/AEN20190820002300325"


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
        page = f"{folder}/html/{name}"
        row = _row(corpus, page)
        body = fields["body"]
        theirs = body["summary"] + [p for s in body["sections"] for p in s["paragraphs"]]
        ours = row["body"].split("\n\n")
        assert theirs[0].endswith(ours[0]) and theirs[0].startswith(row["dateline"])
        assert theirs[1:] == ours[1:]
        their_authors = [a for a in fields["authors"] if a != "Associated Press"]
        assert [a.lower() for a in row["authors"]] == [a.lower() for a in their_authors]
        assert row["published_at"] == dt.datetime.fromisoformat(fields["publishing_date"])
        assert row["headline"] == fields["title"]
