"""Reference story texts built from the corpus by plain means (not by the code under test).

Shared by the page tests and ``benchmarks/extraction_quality.py``.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import regex

UPI_2020_PAGE = "upi/html/metahtml_2020-01-07_stampede-funeral-soleimani.html"
SEED_TEXT = "seed/upi-2016-01-29-russia-north-korea-repatriate.txt"


def upi_2020_story(corpus: Path) -> list[str]:
    """The 2020 page's own ``article[itemprop=articleBody] p`` texts, dateline span cut off."""
    page = lxml.html.document_fromstring((corpus / UPI_2020_PAGE).read_bytes().decode("utf-8"))
    story = [" ".join(p.text_content().split())
             for p in page.xpath('//article[@itemprop="articleBody"]//p')]
    story = [p for p in story if p]
    story[0] = story[0].removeprefix("Jan. 7 (UPI) -- ")
    return story


def seed_story(corpus: Path) -> list[str]:
    """The seed article's paragraphs from the dateline to "...sanctions.", dateline cut off."""
    text = (corpus / SEED_TEXT).read_text("utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("SEOUL, Jan. 29 (UPI) -- "))
    end = next(i for i, line in enumerate(lines) if line.endswith("sanctions."))
    story = lines[start:end + 1]
    story[0] = story[0].removeprefix("SEOUL, Jan. 29 (UPI) -- ")
    return story


# Labelled story texts of the other wires' pages: the story paragraphs picked by an XPath chosen by
# reading each page, then the dateline, the contributor/credit lines and the page furniture listed in
# ``skip`` taken away. Each was checked by eye against the page.
WIRE_PAGES: dict[str, dict] = {
    "ap/html/fundus_APNews_2023_04_28.html": {
        "spider": "ap", "xpath": '//div[@data-key="article"]/p',
        "url": "https://apnews.com/article/mexico-economy-growth-3cc842471fb9df42315d658d88c8403a"},
    "ap/html/fundus_APNews_2024_09_03.html": {
        "spider": "ap", "xpath": '//div[contains(@class,"RichTextStoryBody")]/p',
        "url": "https://apnews.com/article/"
               "trump-harris-presidential-election-2024-labor-day-151f82b59473d29a448ef1cea9afe471"},
    "ap/html/aeb_hosted.ap.org_berkshireeagle_sondland.html": {
        "spider": "ap", "xpath": "//block/p",
        "url": "https://hosted.ap.org/berkshireeagle/article/6486944b076b4df99a583a3a7c85574d/"
               "unpredictable-sondland-faces-questions-about-trump-ukraine"},
    "ap/html/np4k_hosted.ap.org_ap_meta_refresh.html": {
        "spider": "ap", "xpath": '//span[@class="entry-content"]//p[@class="ap-story-p"]',
        # the saved page has no URL; a hosted.ap.org form with a made-up id stands in
        "url": "https://hosted.ap.org/dynamic/article/0123456789abcdef0123456789abcdef/x"},
    "reuters/html/fundus_Reuters_2023_05_16.html": {
        "spider": "reuters", "xpath": '//p[starts-with(@data-testid,"paragraph-")]',
        "url": "https://www.reuters.com/business/aerospace-defense/"
               "nepal-says-no-proof-flydubai-plane-suffered-bird-strike-2023-04-25/"},
    "reuters/html/np4k_reuters.com1.html": {
        "spider": "reuters", "xpath": '//*[@id="articleText"]//p',
        "url": "http://in.reuters.com/article/2014/12/30/india-sensex-nifty-idINKBN0K80A020141230"},
    "reuters/html/np4k_reuters.com2.html": {
        "spider": "reuters", "xpath": '//*[@id="articleText"]//p',
        "url": "http://in.reuters.com/article/2014/12/30/indonesia-airplane-idINKBN0K703120141230"},
    "reuters/html/trafilatura_reuters.com.parasite.html": {
        "spider": "reuters",
        "xpath": '//div[contains(@class,"ArticleBodyWrapper")]/p[not(contains(@class,"Byline"))]',
        "url": "https://www.reuters.com/article/us-awards-sag/"
               "parasite-scores-upset-at-sag-awards-boosting-oscar-chances-idUSKBN1ZI0EH"},
    "yonhap/html/np4k_yna_co_kr.html": {
        "spider": "yonhap", "xpath": '//article[contains(@class,"story-news")]/p',
        "url": "https://en.yna.co.kr/view/AEN20190820002300325?section=nk/nk"},
    "ap-syndicated/html/aeb_chron_esper-vietnam.html": {
        "spider": "wire", "xpath": '//div[@class="article-body"]//p',
        "skip": ("Robert Burns, Ap National Security Writer", "Caption", "Close"),
        "url": "https://www.chron.com/news/world/article/"
               "Esper-says-US-providing-Vietnam-with-coast-guard-14848382.php"},
    "ap-syndicated/html/aeb_mysanantonio_cat-found.html": {
        "spider": "wire", "xpath": '(//div[@class="article-body"])[1]//p',
        "url": "https://www.mysanantonio.com/news/article/"
               "Cat-found-in-New-Mexico-after-going-missing-in-14848175.php"},
    "ap-syndicated/html/aeb_sfgate_7-key-questions.html": {
        "spider": "wire", "xpath": '//div[@class="article-body"]//p',
        "skip": ("Steve Peoples, Ap National Political Writer", "Caption", "Close",
                 "Catch up on the 2020 election campaign with AP experts on our weekly politics "
                 "podcast, “Ground Game.”"),
        "url": "https://www.sfgate.com/news/article/"
               "7-key-questions-heading-into-Wednesday-s-14848176.php"},
    "ap-syndicated/html/readability_yahoo-2.html": {
        "spider": "wire", "xpath": '//div[contains(@class,"canvas-body")]/p',
        # the saved page has no URL; a Yahoo News form stands in
        "url": "https://www.yahoo.com/news/russian-cargo-spaceship-crashes-siberia-112000000.html"},
}

_DATELINE_PREFIX = regex.compile(r"^[^()]{0,80}\((?:AP|Reuters|Yonhap)\)\s*(?:--|—|-)\s*")
_CREDIT = regex.compile(
    r"(contributed to this (?:report|story)|^\(?(?:Additional )?[Rr]eporting by|^[\w.]+@yna\.co\.kr|^\(END\)$"
    r"|^[-_]{2,}$)")


def wire_story(corpus: Path, page: str) -> list[str]:
    """The labelled story paragraphs of one page of :data:`WIRE_PAGES`."""
    spec = WIRE_PAGES[page]
    # decoded as UTF-8 (every page here is), not by lxml's guess from a missing charset
    tree = lxml.html.document_fromstring((corpus / page).read_bytes().decode("utf-8", "replace"))
    texts = [" ".join(p.text_content().split()) for p in tree.xpath(spec["xpath"])]
    texts = [t for t in texts if t and t not in spec.get("skip", ()) and not _CREDIT.search(t)]
    texts[0] = _DATELINE_PREFIX.sub("", texts[0], count=1)
    return texts
