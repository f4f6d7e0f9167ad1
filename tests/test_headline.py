"""The headline chain: decoded, the site's name and the kicker set apart, the source recorded, and a
story never dropped for its headline. Small pages written for the purpose, and real pages' facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.headline import Headline, choose, strip_site
from pipelines.publisher import SiteNames, fold
from tests.pages import fundus_dev_row
from tests.test_fallbacks import STORY, parse

PAPER = SiteNames("Börsen-Zeitung", frozenset({fold("Börsen-Zeitung"), fold("boersen-zeitung")}))


def _page(head: str = "", h1: str | None = None, title: str | None = None, before: str = "") -> bytes:
    heading = (f"<h1>{h1}</h1>" if h1 is not None else "") + before
    return (f"<html><head>{f'<title>{title}</title>' if title is not None else ''}{head}</head><body>"
            f"<div class='main'>{heading}<div class='story'>"
            + "".join(f"<p>{p}</p>" for p in STORY) + "</div></div></body></html>").encode()


def _ld(**fields) -> str:
    return ('<script type="application/ld+json">'
            + json.dumps({"@type": "NewsArticle", **fields}) + "</script>")


def test_entities_in_json_ld_are_decoded() -> None:
    row = parse(_page(_ld(headline="R&uuml;ckbau von Atomkraftwerk &amp; K&#252;hlt&#252;rme"),
                      h1="Rückbau von Atomkraftwerk & Kühltürme")).row
    assert row["headline"] == "Rückbau von Atomkraftwerk & Kühltürme"
    assert row["headline_source"] == "json-ld"


@pytest.mark.parametrize(("title", "expected"), [
    ("Steigende US-Zinsen setzen Dax zu | Börsen-Zeitung", "Steigende US-Zinsen setzen Dax zu"),
    ("Börsen-Zeitung | Steigende US-Zinsen setzen Dax zu", "Steigende US-Zinsen setzen Dax zu"),
    ("Boersen-Zeitung - Steigende US-Zinsen setzen Dax zu", "Steigende US-Zinsen setzen Dax zu"),
    # a segment that is not the site's name stays
    ("Zinsen: Steigende US-Zinsen setzen Dax zu", "Zinsen: Steigende US-Zinsen setzen Dax zu"),
    ("Börsen-Zeitung", "Börsen-Zeitung"),  # never emptied
])
def test_the_site_name_leaves_a_title(title: str, expected: str) -> None:
    assert strip_site(title, PAPER) == expected


def test_the_site_name_from_og_site_name_or_the_host_alone() -> None:
    declared = _page('<meta property="og:title" content="Nam, SA Green hydrogen pipeline flagged - '
                     'The Namibian"><meta property="og:site_name" content="The Namibian">')
    assert parse(declared).row["headline"] == "Nam, SA Green hydrogen pipeline flagged"
    host_only = _page('<meta property="og:title" content="„Unermüdlicher Einsatz“ - Die Neue '
                      'Südtiroler Tageszeitung">')
    row = parse(host_only, "https://www.tageszeitung.it/2025/04/01/unermuedlicher-einsatz-2/").row
    assert row["headline"] == "„Unermüdlicher Einsatz“"
    assert row["headline_source"] == "og:title"


def test_a_kicker_declared_apart_elsewhere_is_kept_apart() -> None:
    head = (_ld(headline="SVP-Sonderparteitag zur Migration: Chiesa ruft zum «politischen Widerstand» auf")
            + '<meta property="og:title" content="Chiesa ruft zum «politischen Widerstand» auf">')
    row = parse(_page(head, h1="SVP-Sonderparteitag zur Migration: Chiesa ruft zum «politischen "
                               "Widerstand» auf")).row
    assert row["headline"] == "Chiesa ruft zum «politischen Widerstand» auf"
    assert row["kicker"] == "SVP-Sonderparteitag zur Migration"


def test_one_headline_behind_two_kickers_keeps_the_one_readers_see() -> None:
    found = choose([("og:title", "Iranischer Angriff auf Israel: «Die Zurückhaltung hat viel mit den USA "
                                 "zu tun»"),
                    ("h1", "Eskalation im Nahen Osten - «Die Zurückhaltung hat viel mit den USA zu tun»")],
                   SiteNames())
    assert found == Headline("«Die Zurückhaltung hat viel mit den USA zu tun»", "og:title",
                             "Eskalation im Nahen Osten")


@pytest.mark.parametrize("other", [
    "Ausschuss zur Ahrtal-Flut Zwei Rücktritte - und viele offene Fragen",  # the kicker unpunctuated
    "Joburg has failed its informal traders: there is a solution, here’s what the City needs to do",
    "Economists weigh in on the latest jobs report",  # a <title>'s shorter wording, not a headline
])
def test_no_kicker_where_two_headlines_merely_end_alike(other: str) -> None:
    texts = {
        "Ausschuss": "Ausschuss zur Ahrtal-Flut: Zwei Rücktritte - und viele offene Fragen",
        "Joburg": "Johannesburg has failed its informal traders: there is a solution, here’s what the "
                  "City needs to do",
        "Economists": "'Ends recession debate': economists weigh in on the latest jobs report",
    }
    declared = next(t for k, t in texts.items() if other.startswith(k) or k in other)
    source = "title" if other.startswith("Economists") else "h1"
    assert choose([("json-ld", declared), (source, other)], SiteNames()) == Headline(declared, "json-ld")


def test_french_spacing_before_a_colon_is_kept() -> None:
    head = '<meta property="og:title" content="Guerre en Ukraine : la Russie affirme avoir gagné">'
    assert parse(_page(head)).row["headline"] == "Guerre en Ukraine : la Russie affirme avoir gagné"


def test_a_story_with_only_a_title_element_is_kept() -> None:
    """Before: dropped as ``no_headline`` (no h1, no og:title; trafilatura refuses a ``<title>`` with a
    dot in it and falls back to an empty ``h2``)."""
    outcome = parse(_page(title="U.S. harbour bridge to close for a year | news.example.com",
                          before="<h2><a href='/'></a></h2>"),
                    "https://news.example.com/local/harbour-bridge-closes")
    assert outcome.row is not None, outcome.reason
    assert outcome.row["headline"] == "U.S. harbour bridge to close for a year"
    assert outcome.row["headline_source"] == "title"
    assert outcome.counters["wirecrawl/headline/title"] == 1


def test_a_page_without_any_headline_is_still_no_story() -> None:
    outcome = parse(_page())
    assert outcome.row is None and outcome.reason == "no_headline"


# Facts of real pages (../shared/corpus/fundus-dev), read off each page by hand.
REAL = {
    "de-BoersenZeitung_2024_12_16": ("Wero besteht Praxistest im digitalen Handel", None, "Börsen-Zeitung"),
    "ch-SRF_2024_04_15": ("«Die israelische Zurückhaltung hat viel mit den USA zu tun»",
                          "Eskalation im Nahen Osten", "Schweizer Radio und Fernsehen (SRF)"),
    "no-Dagbladet_2024_08_04": ("Nordmann dømt til livstid", "«Evnukkmakeren»", "dagbladet.no"),
    "de-StuttgarterZeitung_2025_10_25": ("Kühltürme von AKW Gundremmingen gesprengt",
                                         "Rückbau von Atomkraftwerk", "stuttgarter-zeitung.de"),
    "za-Ilanga_2025_12_03": ("Ikhansela “lisola uthishanhloko” ngezimbuzi zalo ezifohla zidle i-rice "
                             "lesikole zife", None, "Ilanga News"),
}


@pytest.mark.parametrize("key", sorted(REAL))
def test_real_pages(corpus: Path, key: str) -> None:
    row = fundus_dev_row(corpus, key)
    assert (row["headline"], row["kicker"], row["publisher"]) == REAL[key]
