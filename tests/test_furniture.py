"""Page furniture in the languages wires write in (:mod:`pipelines.furniture_phrases`): whole lines of
furniture leave the body, story sentences that use the same words stay. Lines written for the
purpose, modelled on what the development sets' pages show; and real pages."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from crawler.spiders.wire import GenericSpider
from pipelines.furniture import drop_furniture, is_furniture
from pipelines.furniture_phrases import PHRASES
from tests.pages import parse_outcome, spider_of

FURNITURE = [
    # see also / teaser headings, alone or with the linked title
    "Auch interessant", "Lesen Sie auch: Hafenbrücke wird ein Jahr lang gesperrt",
    "Mehr zum Thema", "À lire aussi La fermeture du pont inquiète les commerçants",
    "Lee también: El puente del puerto cerrará un año", "Leggi anche", "Leia também: Ponte fechada",
    "Lees ook: Brug een jaar dicht", "Les også: Brua stenges", "Läs också", "Læs også: Broen lukker",
    "İlgili Haberler", "Читайте также: Мост закроют на год", "関連記事", "관련기사", "相关阅读",
    "Czytaj też: Most zamknięty", "Exklusive Politik-Hintergründe – für Sie recherchiert",
    # newsletters, appeals, rating and error boxes
    "Newsletter: Sport inside", "Inscrivez-vous à notre newsletter pour recevoir l'essentiel",
    "Unabhängiger Journalismus braucht deine Unterstützung.", "Fehler gefunden? Jetzt melden.",
    "2 Wochen kostenlos testen", "Wie hat Ihnen dieser Artikel gefallen?", "Soutenez notre journalisme",
    # consent placeholders of embedded content
    "Ein Klick für den Datenschutz", "Empfohlener externer Inhalt", "Contenu externe",
    # credit lines
    "Quelle: AFP", "Foto: dpa", "Photo : Reuters", "Fuente: EFE", "Fonte: ANSA", "Kilde: NTB",
    "Fotoğraf: AA", "Фото: ТАСС", "写真：共同", "사진=연합뉴스", "图片来源：新华社",
    # video teasers
    "Video: So sieht die neue Brücke aus",
    "Nach dem Angriff beschloss die EU schärfere Sanktionen. 18.04.2024 | 0:21 min",
    # notices
    "Lesedauer: 4 Minuten", "Passer la publicité", "Anzeige", "기사 URL이 복사되었습니다.",
    "<Copyright ⓒ 한국일보. All rights reserved. 무단 전재 및 재배포 금지>",
    "© Agencia EFE. Todos los derechos reservados.",
    "無断転載を禁じます",
    # phrases that begin with a class of characters or a digit, not a word
    "合わせて読みたい", "あわせて読みたい 新しい橋の開通延期", "來源：中央社", "(图片：新华社)",
    "视频: 新桥通车", "視频", "4 min read", "12 minutes read",
]

STORY_SENTENCES = [
    "Mehr dazu sagte der Minister am Dienstag nicht.",
    "Zum Thema Migration äußerte sich der Kanzler am Dienstag nicht.",
    "Lesen Sie auch, was der Kanzler dazu sagte, heißt es in der Mitteilung.",
    "Video shows the bridge collapsing as a truck crosses it.",
    "Fotos des Unfalls wurden in sozialen Netzwerken geteilt, sagte die Polizei.",
    "Quelle der Angaben ist das Statistische Bundesamt, das am Montag neue Zahlen vorlegte.",
    "La newsletter du ministère, envoyée mardi, annonçait déjà la fermeture du pont pour un an.",
    "東京都は三日、臨海部の新しい橋の開通を延期すると発表した。",
    "Anzeige erstattet hat nach Angaben der Polizei der Besitzer des Wagens.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_lines_in_many_languages(line: str) -> None:
    assert is_furniture(line), line


@pytest.mark.parametrize("line", STORY_SENTENCES)
def test_story_sentences_with_the_same_words_stay(line: str) -> None:
    assert not is_furniture(line), line


def test_a_teaser_list_goes_with_its_heading() -> None:
    story = STORY_SENTENCES[:2]
    paragraphs = [story[0], "Auch interessant", "- Hafen: Neue Fähre ab Mai",
                  "- Brücke: Was Pendler wissen müssen", story[1]]
    assert drop_furniture(paragraphs) == story


def test_the_table_covers_the_main_languages_of_the_wires() -> None:
    for language in "en de fr es it pt nl no da sv tr ru ja ko zh".split():
        assert PHRASES[language].get("see_also") and PHRASES[language].get("credit"), language


def test_real_pages_lose_their_furniture(corpus: Path) -> None:
    """fundus-dev: ZDF's consent placeholders and video teaser, the Tages-Anzeiger's error-report box,
    the Salzburger Nachrichten's reading time."""
    expected = json.loads((corpus / "fundus-dev" / "expected.json").read_text("utf-8"))
    for key, line in (("de-ZDF_2024_04_22", "Ein Klick für den Datenschutz"),
                      ("de-ZDF_2024_04_22", "| 0:21 min"),
                      ("ch-TagesAnzeiger_2026_05_18", "Fehler gefunden?"),
                      ("at-SalzburgerNachrichten_2026_01_06", "Lesedauer:")):
        url = expected[key]["url"]
        html = gzip.decompress((corpus / "fundus-dev" / "html" / f"{key}.html.gz").read_bytes())
        row = parse_outcome(spider_of(GenericSpider, urls=url), html, url).row
        assert line not in row["body"], (key, line)
