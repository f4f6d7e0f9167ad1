"""One scorer for every system in the quality benchmarks: body shingles, titles, authors, instants.

The body measure is the article-extraction benchmark's (4-token shingles of ``\\w+`` tokens; precision,
recall, F1 per page). Titles and authors are compared exactly after normalising what pages spell
inconsistently (quotes, dashes, spaces, Unicode forms); times within 60 seconds.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterable

import regex

TOKEN = regex.compile(r"\w+")
_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»‹›"})
_DASHES = regex.compile(r"[\p{Pd}\u2212]")
_SPACE = regex.compile(r"\s+")
_FRENCH_SPACE = regex.compile(r"\s+(?=[:;!?»])|(?<=«)\s+")
_FORMAT = regex.compile(r"\p{Cf}")  # soft hyphens, zero-width spaces and joiners: invisible
#: CJK scripts: a story in them has no spaces between words
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
INSTANT_TOLERANCE = dt.timedelta(seconds=60)


def tokens(text: str) -> list[str]:
    """Word tokens; in CJK text each character is a token (its words are not space-separated).
    Canonically equal spellings are one text: ``ü`` written as ``u`` and a combining diaeresis (as
    some pages and references keep it) is ``ü`` (NFC)."""
    found: list[str] = []
    text = text or ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    for word in TOKEN.findall(text):
        if _CJK.search(word):
            found.extend(word)
        else:
            found.append(word)
    return found


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    words = tokens(text)
    return Counter(tuple(words[i:i + n]) for i in range(max(0, len(words) - n + 1)))


def prf(found: str, reference: str) -> tuple[float, float, float]:
    """The benchmark's measure: shared 4-token shingles over found (precision) and reference (recall)."""
    got, want = shingles(found), shingles(reference)
    common = sum((got & want).values())
    if not got or not want:
        return (0.0, 0.0, 0.0) if got or want else (1.0, 1.0, 1.0)
    precision, recall = common / sum(got.values()), common / sum(want.values())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def normal_text(text: str | None) -> str:
    """NFKC, one kind of quote and dash, single spaces, no space before closing punctuation that French
    typography puts there (``Titre : suite`` and ``Titre: suite`` are one title)."""
    text = _FORMAT.sub("", unicodedata.normalize("NFKC", text or ""))
    text = _FRENCH_SPACE.sub("", text).translate(_QUOTES)
    text = _DASHES.sub("-", text)
    return _SPACE.sub(" ", text).strip()


def same_title(found: str | None, expected: str | None, also: Iterable[str] = ()) -> bool:
    """``found`` is the expected title, or one of the other headlines the page itself declares
    (``also``: the corpus's rule, "where a page declares several headlines, any of them is right")."""
    if not expected:
        return False
    return normal_text(found) in {normal_text(expected), *map(normal_text, also)}


def name_key(name: str) -> str:
    return normal_text(name).casefold()


def same_authors(found: list[str] | None, expected: list[str]) -> bool:
    """The same people, in any order."""
    return sorted(map(name_key, found or [])) == sorted(map(name_key, expected))


def compact(text: str | None) -> str:
    """Letters and digits only, lower case: ``Salzburger Nachrichten`` = ``SalzburgerNachrichten``."""
    return regex.sub(r"[^\p{L}\p{N}]", "", normal_text(text)).casefold()


def same_instant(found: dt.datetime | None, expected: dt.datetime | None) -> bool:
    if found is None or expected is None:
        return False
    if found.tzinfo is None:  # a system that loses the zone is read as if it meant UTC
        found = found.replace(tzinfo=dt.timezone.utc)
    return abs(found - expected) <= INSTANT_TOLERANCE


def same_day(found: dt.datetime | dt.date | None, expected: dt.datetime) -> bool:
    """The day of ``expected`` in its own offset (what a page shows), against the day found."""
    if found is None:
        return False
    day = found.date() if isinstance(found, dt.datetime) else found
    return day == expected.date()


def language_group(lang: str | None, text: str) -> str:
    """``en``, ``de``, ``cjk`` (Chinese, Japanese, Korean: found in the text itself, since such pages
    often declare ``lang="en"``), or ``other``."""
    if text and len(_CJK.findall(text[:2000])) > 0.2 * min(len(text), 2000):
        return "cjk"
    code = (lang or "").lower()[:2]
    return code if code in {"en", "de"} else "other"
