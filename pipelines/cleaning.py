"""Text fit to store and to print: every row's text goes through :func:`clean_row` once, where rows are
made (:func:`pipelines.parse.parse_page`), so the crawl, the re-parse and every reader see the same.

Real pages and their JSON-LD carry lone surrogates (an emoji cut in half, which Parquet cannot
encode), raw control bytes (ESC and BEL reach a reader's terminal), bidirectional overrides, markup
inside plain-text fields, ``javascript:`` image links and absurd lengths (a 1 MB headline). Each is
repaired, never a reason to lose the story; what was repaired is returned as notes to be counted.
"""

from __future__ import annotations

import html
import re
from typing import Any

import regex

#: Longest value stored per text field (characters); longer values are cut and counted. Documented in
#: the README ("The dataset": text is cleaned once).
TEXT_CAPS: dict[str, int] = {
    "headline": 1_000, "description": 5_000, "byline": 1_000, "section": 300, "dateline": 300,
    "dateline_city": 200, "dateline_region": 200, "dateline_country": 200, "agency": 200,
    "language": 35, "url": 8_192, "image_url": 8_192, "body": 2_000_000, "publisher": 300, "kicker": 300,
}
#: Most entries kept per list field, and the longest entry.
LIST_CAPS: dict[str, tuple[int, int]] = {
    "tags": (100, 200), "authors": (50, 200), "contributors": (50, 200),
}
#: Fields that are one line of plain text: markup is removed and entities decoded.
PLAIN_FIELDS = ("headline", "description", "byline", "section", "agency", "dateline",
                "dateline_city", "dateline_region", "dateline_country", "publisher", "kicker")
URL_FIELDS = ("url", "image_url")

# lone surrogates; C0 and C1 controls but tab and newline; DEL; bidirectional embeddings/overrides
_UNPRINTABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]+")
_SCRIPT = regex.compile(r"<\s*(script|style|iframe|object|noscript)\b[^>]*>.*?(?:<\s*/\s*\1\s*>|$)",
                        regex.IGNORECASE | regex.DOTALL)
#: HTML's elements: only these make a "tag", so honest text like "x<y and y>z" is left alone
_ELEMENTS = (
    "a abbr address area article aside audio b bdi bdo blockquote body br button canvas caption cite code "
    "col colgroup data dd del details dfn dialog div dl dt em embed fieldset figcaption figure font footer "
    "form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label legend li link main map "
    "mark meta meter nav noscript object ol optgroup option output p param picture pre progress q rp rt "
    "ruby s samp script section select small source span strong style sub summary sup svg table tbody td "
    "template textarea tfoot th thead time title tr track u ul var video wbr"
).split()
_TAG = regex.compile(r"<\s*/?\s*(?:" + "|".join(_ELEMENTS) + r")(?=[\s/>])[^<>]*>|<!--.*?(?:-->|$)",
                     regex.IGNORECASE | regex.DOTALL)
_SAFE_SCHEME = regex.compile(r"^https?://[^\s/?#]", regex.IGNORECASE)


def printable(text: str) -> str:
    """``text`` without lone surrogates, control characters (tab and newline kept) or bidi overrides."""
    lines = (text.replace("\t", " ") if "\t" in text else text).split("\n")
    if all(line.isprintable() for line in lines):  # nearly every text: checked at C speed
        return text
    return _UNPRINTABLE.sub("", text)


def plain_text(text: str) -> str:
    """One line of plain text: entities decoded, markup (and script contents) removed, spaces squashed."""
    text = html.unescape(text) if "&" in text else text
    if "<" in text:
        text = _TAG.sub(" ", _SCRIPT.sub(" ", text))
    return " ".join(printable(text).split())


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL, else ``None`` (``javascript:``, ``data:``, relative)."""
    if not url:
        return None
    url = printable(url).strip()
    return url if _SAFE_SCHEME.match(url) else None


def _cut(value: str, cap: int) -> tuple[str, bool]:
    return (value, False) if len(value) <= cap else (value[:cap].rstrip(), True)


def clean_row(row: dict[str, Any], fetched_url: str) -> list[str]:
    """Clean ``row``'s text fields in place; the notes say what was repaired (``cleaned:headline``,
    ``unprintable:body``, ``truncated:tags``, ``unsafe_url:image_url``...). A ``url`` that is not
    http(s) becomes ``fetched_url``; a plain field left empty becomes ``None``."""
    notes: list[str] = []
    for name in PLAIN_FIELDS:
        value = row.get(name)
        if isinstance(value, str):
            cleaned = plain_text(value)
            if cleaned != " ".join(value.split()):
                notes.append(f"cleaned:{name}")
            row[name] = cleaned or None
    body = row.get("body")
    if isinstance(body, str):
        cleaned = printable(body)
        if cleaned != body:
            notes.append("unprintable:body")
        row["body"] = cleaned
    for name in URL_FIELDS:
        value = row.get(name)
        if value is not None:
            safe = safe_url(value)
            if safe != value:
                notes.append(f"unsafe_url:{name}")
            row[name] = safe if safe or name != "url" else fetched_url
    for name, cap in TEXT_CAPS.items():
        value = row.get(name)
        if isinstance(value, str):
            row[name], cut = _cut(value, cap)
            if cut:
                notes.append(f"truncated:{name}")
    for name, (most, cap) in LIST_CAPS.items():
        values = row.get(name)
        if values is None:
            continue
        kept: dict[str, None] = {}
        cut = False
        for value in values:
            entry, long = _cut(plain_text(str(value)), cap)
            cut = cut or long
            if entry:
                kept[entry] = None
        cut = cut or len(kept) > most
        row[name] = list(kept)[:most]
        if cut:
            notes.append(f"truncated:{name}")
    return notes
