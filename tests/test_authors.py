"""Authors are people: not the publication, its company or its web address (those make ``publisher``),
not an agency (``agency``), not a CMS account; found in JSON-LD however it is written, in bylines of
many languages, or in a name printed above the story. Small pages written for the purpose, and facts
of real pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.pages import fundus_dev_row
from tests.test_fallbacks import STORY, parse


def _page(head: str = "", before: str = "", story: list[str] | None = None) -> bytes:
    return ("<html><head><title>Harbour bridge to close for a year</title>" + head + "</head><body>"
            "<div class='main'><h1>Harbour bridge to close for a year</h1>" + before + "<div class='story'>"
            + "".join(f"<p>{p}</p>" for p in (story or STORY)) + "</div></div></body></html>").encode()


def _ld(data: object, wrap: str = "{}") -> str:
    return '<script type="application/ld+json">' + wrap.format(json.dumps(data)) + "</script>"


def _row(html: bytes, url: str = "https://www.example-zeitung.de/lokales/bruecke-gesperrt") -> dict:
    row = parse(html, url).row
    assert row is not None
    return row


def test_the_publisher_s_company_in_meta_author_is_no_author() -> None:
    head = (_ld({"@type": "NewsArticle", "headline": "Brücke gesperrt",
                 "author": {"@type": "Person", "name": "Ralf Euler"},
                 "publisher": {"@type": "Organization", "name": "Frankfurter Allgemeine Zeitung"}})
            + '<meta name="author" content="Frankfurter Allgemeine Zeitung GmbH">')
    row = _row(_page(head))
    assert row["authors"] == ["Ralf Euler"]
    assert row["publisher"] == "Frankfurter Allgemeine Zeitung"


@pytest.mark.parametrize("author", ["example-zeitung.de", "Example Zeitung (www.example-zeitung.de)",
                                    "Example-Zeitung"])
def test_a_byline_naming_the_site_is_the_publisher_not_a_person(author: str) -> None:
    """Before: ``example-zeitung.de`` was stored as an author ``Example-Zeitung De``."""
    head = (f'<meta name="author" content="{author}">'
            '<meta property="og:site_name" content="Example-Zeitung">')
    row = _row(_page(head))
    assert row["authors"] == []
    assert row["publisher"] == "Example-Zeitung"


def test_an_agency_named_as_an_organisation_is_the_agency() -> None:
    head = _ld({"@type": "NewsArticle", "author": [{"@type": "Organization", "name": "dpa"}],
                "publisher": {"@type": "Organization", "name": "Example Zeitung"}})
    row = _row(_page(head + '<meta name="author" content="Example Zeitung">'))
    assert (row["authors"], row["agency"], row["publisher"]) == ([], "dpa", "Example Zeitung")


@pytest.mark.parametrize(("byline", "authors", "agency"), [
    ("Von Anna Muster und Jan Meier, dpa", ["Anna Muster", "Jan Meier"], "dpa"),
    ("Par Jean Dupont et Marie Curie", ["Jean Dupont", "Marie Curie"], None),
    ("Por María R. Sahuquillo y Juan Pérez (EFE)", ["María R. Sahuquillo", "Juan Pérez"], "EFE"),
    ("Door Jan de Vries en Piet Jansen", ["Jan de Vries", "Piet Jansen"], None),
    ("Av Per Olsen og Kari Nordmann, NTB", ["Per Olsen", "Kari Nordmann"], "NTB"),
    ("di Mario Rossi e Luca Bianchi", ["Mario Rossi", "Luca Bianchi"], None),
    ("Autor: Anna Muster, Fotos: Peter Paul", ["Anna Muster"], None),
])
def test_bylines_of_other_languages(byline: str, authors: list[str], agency: str | None) -> None:
    row = _row(_page(before=f"<div class='article-author'>{byline}</div>"))
    assert (row["authors"], row["agency"]) == (authors, agency)


def test_a_labelled_byline_in_an_unmarked_element() -> None:
    before = ("<ul><li class='information-item'>3 Minuten Lesezeit</li><li class='information-item'>Von: "
              "<span><a href='/bill-mccarthy'>Bill MCCARTHY</a>, </span><span><a href='/m'>Marisha "
              "GOLDHAMER</a></span></li></ul>")
    assert _row(_page(before=before))["authors"] == ["Bill MCCARTHY", "Marisha GOLDHAMER"]


def test_a_story_on_an_agency_s_own_site_is_the_agency_s() -> None:
    row = _row(_page(), "https://faktencheck.afp.com/doc.afp.com.B2LA2G3")
    assert row["agency"] == "AFP"
    assert _row(_page(), "https://www.example-zeitung.de/x")["agency"] is None


def test_an_author_given_by_reference_in_a_json_ld_graph() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": "Harbour bridge to close for a year",
         "author": {"@id": "https://example.org/#/schema/person/1"}},
        {"@type": "Person", "@id": "https://example.org/#/schema/person/1", "name": "Eliaser Ndeyanale"}]}
    row = _row(_page(_ld(graph, wrap="\n//<![CDATA[\n{}\n//]]>\n")))
    assert row["authors"] == ["Eliaser Ndeyanale"]


def test_a_cms_account_is_no_author_and_a_name_above_the_story_is() -> None:
    head = _ld({"@type": "NewsArticle", "author": {"@id": "https://example.org/author/admin/",
                                                   "name": "Example D"}})
    row = _row(_page(head, story=["THANDI ZULU", *STORY]))
    assert row["authors"] == ["Thandi Zulu"]
    assert row["body"].split("\n\n") == STORY


def test_creators_written_surname_first() -> None:
    head = '<meta name="dc.creator" content="You, Xiaoying"><meta name="dc.creator" content="Basu, Mohana">'
    assert _row(_page(head))["authors"] == ["Xiaoying You", "Mohana Basu"]


# Facts of real pages (../shared/corpus/fundus-dev), read off each page by hand:
# (authors, agency, publisher)
REAL = {
    "de-FAZ_2023_04_28": (["Ralf Euler"], None, "FAZ.NET"),
    "de-VogueDE_2024_04_30": (["Philipp Wehsack"], None, "Vogue Germany"),
    "de-Stern_2024_11_05": (["Jemima Kelly"], None, "stern.de"),
    "de-NDR_2025_06_18": ([], None, "ndr.de"),
    "de-StuttgarterZeitung_2025_10_25": ([], "dpa", "stuttgarter-zeitung.de"),
    "de-BSZ_2024_05_16": (["Felix Schröder", "Jörg Soldwisch"], "dpa", "Braunschweiger Zeitung"),
    "ls-LesothoTimes_2025_11_24": (["Mathatisi Sebusi", "Mohalenyane Phakela"], None, "Lesotho Times"),
    "za-Ilanga_2025_12_03": (["Mthobisi Sithole"], None, "Ilanga News"),
    "uk-Nature_2025_11_04": (["Xiaoying You", "Mariana Lenharo", "Mohana Basu", "Davide Castelvecchi",
                              "Jeff Tollefson"], None, "Nature Publishing Group UK"),
    "uk-TheTelegraph_2023_08_30": (["Madeleine Howell"], None, "The Telegraph"),
    "lu-LuxemburgerWort_2026_07_12": ([], "SID", "Luxemburger Wort"),
    # the translator's credit "AFP Deutschland" is the agency, on AFP's own site
    "de-AFPFaktencheck_2026_05_24": (["Bill MCCARTHY", "Marisha GOLDHAMER"], "AFP", "Faktencheck"),
}


@pytest.mark.parametrize("key", sorted(REAL))
def test_real_pages(corpus: Path, key: str) -> None:
    row = fundus_dev_row(corpus, key)
    assert (row["authors"], row["agency"], row["publisher"]) == REAL[key]
