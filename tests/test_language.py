"""Stories in every language a wire writes in: the ``language`` column (declared, checked against the
text, identified where nothing is declared) and word counts that hold for Chinese and Japanese.
Pages written for the purpose (texts written for wirecrawl), parsed by the real generic spider; and
facts about real pages of the corpus."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from crawler.spiders.wire import GenericSpider
from pipelines.language import count_words, language_code, story_language
from tests.pages import parse_outcome, spider_of

URL = "https://news.example.com/2024/05/03/story"

JAPANESE = [
    "東京都は三日、臨海部に建設中の新しい橋の開通を来年春まで延期すると発表した。",
    "都によると、橋げたを支える鋼材に想定以上の腐食が見つかり、交換工事に時間がかかるという。",
    "周辺の商店街からは、観光客の減少を心配する声が上がっており、都は案内表示を増やす方針だ。",
]
CHINESE = [
    "市政府周二宣布，港口旧桥将从下个月起封闭一年，以便工程人员更换严重锈蚀的钢梁。",
    "交通部门表示，过往车辆将改走北环路，并将调整两个路口的信号灯配时，以缓解拥堵。",
    "沿岸商户担心客流减少，希望政府在施工期间增设指示牌，引导游客前往仍然开放的停车场。",
]
GERMAN = [
    "Der Stadtrat hat am Dienstag beschlossen, die alte Hafenbrücke für ein Jahr zu sperren, weil "
    "Ingenieure die stark verrosteten Stahlträger austauschen müssen.",
    "Autofahrer werden über die nördliche Ringstraße umgeleitet; an zwei Kreuzungen sollen die "
    "Ampeln neu geschaltet werden, bevor die Sperrung beginnt.",
    "Geschäftsleute am Ufer befürchten, Kundschaft zu verlieren, und fordern Hinweisschilder zu den "
    "Parkhäusern, die während der Bauarbeiten geöffnet bleiben.",
]
SWAHILI = [
    "Halmashauri ya jiji imeamua siku ya Jumanne kufunga daraja la zamani la bandari kwa mwaka mmoja "
    "ili wahandisi wabadilishe nguzo za chuma zilizoharibika vibaya kwa kutu.",
    "Madereva wataelekezwa kupitia barabara ya kaskazini, na taa za barabarani katika makutano mawili "
    "zitarekebishwa kabla ya kufungwa kwa daraja hilo kuanza.",
    "Wafanyabiashara wa eneo la pwani walisema wanahofia kupoteza wateja na wakaomba halmashauri "
    "iweke alama zinazoelekeza wageni kwenye maegesho ya magari yatakayobaki wazi.",
]
NORWEGIAN = [
    "Bystyret vedtok tirsdag å stenge den gamle havnebrua i ett år, fordi ingeniørene må skifte ut "
    "stålbjelkene som en inspeksjon viste var sterkt rustet.",
    "Bilistene blir sendt over elva via den nordlige ringveien, og lyskryssene i to kryss skal "
    "justeres før stengingen begynner.",
]


def page(story: list[str], *, lang: str | None = None, head: str = "",
         title: str = "Harbour bridge") -> bytes:
    attribute = f' lang="{lang}"' if lang else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in story)
    return (f"<html{attribute}><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>"
            f"{paragraphs}</article></body></html>").encode()


def parse(html: bytes):
    outcome = parse_outcome(spider_of(GenericSpider, urls=URL), html, URL)
    assert outcome is not None
    return outcome


def test_words_of_chinese_and_japanese_are_their_characters() -> None:
    assert count_words("The council met on Tuesday.") == 5
    assert count_words("市政府周二宣布") == 7
    assert count_words("東京都は三日、発表した。") == 10  # punctuation is no word
    assert count_words("NHKによると 2024年") == 7  # NHK, に, よ, る, と, 2024, 年
    assert count_words("서울시는 화요일 다리를 폐쇄한다고 밝혔다") == 5  # Korean separates its words


@pytest.mark.parametrize(("story", "lang", "expected"), [(JAPANESE, "ja", "ja"), (CHINESE, "zh-CN", "zh")])
def test_a_chinese_or_japanese_story_is_stored(story: list[str], lang: str, expected: str) -> None:
    row = parse(page(story, lang=lang, title="新しい橋")).row
    assert row is not None
    assert row["language"] == expected
    assert row["word_count"] == sum(count_words(p) for p in story) > 60


def test_a_short_chinese_notice_is_still_no_story() -> None:
    outcome = parse(page(["登录", "注册账号"], lang="zh"))
    assert outcome.row is None and outcome.reason == "no_body"


def test_the_declared_language_is_stored_in_its_short_form() -> None:
    assert parse(page(GERMAN, lang="de-AT")).row["language"] == "de"
    assert parse(page(GERMAN, head='<meta property="og:locale" content="de_CH">')).row["language"] == "de"
    ld = json.dumps({"@type": "NewsArticle", "headline": "Hafenbrücke", "inLanguage": "deu"})
    head = f'<script type="application/ld+json">{ld}</script>'
    assert parse(page(GERMAN, head=head)).row["language"] == "de"


def test_a_template_language_is_overruled_by_the_story_text() -> None:
    outcome = parse(page(SWAHILI, lang="en-US"))
    assert outcome.row["language"] == "sw"
    assert outcome.counters.get("wirecrawl/rejected_language") == 1


def test_without_a_declaration_the_language_is_identified() -> None:
    outcome = parse(page(GERMAN))
    assert outcome.row["language"] == "de"
    assert outcome.counters.get("wirecrawl/fallback/language_identified") == 1


def test_a_close_language_does_not_overrule_the_declaration() -> None:
    assert parse(page(NORWEGIAN, lang="nb")).row["language"] == "nb"
    assert story_language("nb", " ".join(NORWEGIAN))[0] == "nb"


def test_too_little_text_to_tell_keeps_what_is_declared() -> None:
    assert story_language("fr", "OK") == ("fr", None)
    assert story_language(None, "OK") == (None, None)


@pytest.mark.parametrize(("value", "code"), [
    ("de-AT", "de"), ("EN_gb", "en"), ("eng", "en"), ("zh-Hant-TW", "zh"), ({"name": "fr"}, "fr"),
    (["es"], "es"), ("{{ lang }}", None), ("", None), (None, None), ("english please", None)])
def test_language_tags(value, code) -> None:
    assert language_code(value) == code


def test_real_pages_in_japanese_are_stored_with_their_language(corpus: Path) -> None:
    """fundus-dev: Japanese newspapers' stories were all dropped as ``no_body`` (words counted by
    spaces: a full story made a dozen); they are stored, in Japanese, at their length."""
    expected = json.loads((corpus / "fundus-dev" / "expected.json").read_text("utf-8"))
    for key in ("jp-MainichiShimbun_2025_01_14", "jp-SankeiShimbun_2025_01_21", "jp-Nikkei_2025_01_27"):
        url = expected[key]["url"]
        html = gzip.decompress((corpus / "fundus-dev" / "html" / f"{key}.html.gz").read_bytes())
        row = parse_outcome(spider_of(GenericSpider, urls=url), html, url).row
        assert row is not None, key
        assert row["language"] == "ja"
        assert row["word_count"] >= 0.8 * count_words(expected[key]["body"])


def test_real_pages_whose_template_declares_english_are_in_their_own_language(corpus: Path) -> None:
    """fundus-dev: WordPress sites in Swahili, Zulu and Xhosa declare ``en-US``/``en-GB``."""
    expected = json.loads((corpus / "fundus-dev" / "expected.json").read_text("utf-8"))
    for key, language in (("tz-HabariLeo_2025_01_23", "sw"), ("za-EyethuNews_2025_11_25", "zu"),
                          ("za-Ilanga_2025_12_03", "zu"), ("za-Dizindaba_2025_11_16", "xh"),
                          ("uk-TheGuardian_2024_02_24", "en"), ("no-Dagbladet_2026_01_06", "nb")):
        url = expected[key]["url"]
        html = gzip.decompress((corpus / "fundus-dev" / "html" / f"{key}.html.gz").read_bytes())
        row = parse_outcome(spider_of(GenericSpider, urls=url), html, url).row
        assert row["language"] == language, key
