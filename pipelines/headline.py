"""A page's headline, from the sources that declare one, with the source that won and the kicker.

Sources, in order of trust: the JSON-LD ``headline``, ``og:title``, ``twitter:title``, the visible
headline (the ``h1``, or a layout's own selector), the ``<title>`` and trafilatura's guess. Each is
decoded (``R&uuml;ckbau``), freed of invisible hyphenation marks and of the site's name at either end
(``… | Börsen-Zeitung``, ``… - The Namibian``: :mod:`pipelines.publisher`).

Pages disagree with themselves (the JSON-LD may hold a search-engine variant, ``og:title`` a social
one); the first source in that order wins. A kicker (overline) glued in front of a headline
(``Iranischer Angriff auf Israel: «…»`` where another source declares ``«…»`` alone, or after another
kicker) is kept apart, in ``kicker``: the one the visible headline shows, if it shows one.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from pipelines.publisher import SiteNames

#: Where a title's segments meet: `` | ``, `` - ``, `` – ``, ``ㅣ`` (Korean sites' bar)...
_SEGMENT = regex.compile(r"\s+[|–—·•/-]\s+|\s*[|ㅣ｜]\s*|\s+::\s+")
#: Where a kicker meets its headline: ``Kicker: Headline``, ``Kicker - Headline``.
_KICKER = regex.compile(r"\s*:\s+|\s+[-–—|]\s+")
#: The same, ending a kicker in a :func:`key` (dashes made ``-``): ``kicker:`` or ``kicker -``.
_KICKER_END = regex.compile(r"\S(?::\s*|\s[-|]\s*)$")
#: Invisible marks a headline can do without (soft hyphen, zero-width space, word joiner, BOM).
_INVISIBLE = regex.compile("[\u00ad\u200b\u2060\ufeff]")
#: A tail shared by two headlines must be this long to be the headline (in characters).
_MIN_TAIL = 12
#: The sources a page's visible headline comes from.
VISIBLE = frozenset({"h1", "layout"})
#: Sources that are a guess, used only when no declared headline is found.
LAST_RESORT = ("title", "trafilatura")


@dataclass(frozen=True)
class Headline:
    """The headline, where it came from (``json-ld``, ``og:title``, ``twitter:title``, ``h1``,
    ``layout``, ``title``, ``trafilatura``) and the kicker set apart from it."""

    text: str | None = None
    source: str | None = None
    kicker: str | None = None


def clean(text: str | None) -> str | None:
    """Entities decoded, invisible marks dropped, white space squashed."""
    if not text:
        return None
    if "&" in text:
        text = html.unescape(text)
    text = _INVISIBLE.sub("", text)
    return " ".join(text.split()) or None


def key(text: str | None) -> str:
    """What two spellings of one headline share: NFKC, one kind of quote and dash, case folded."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = regex.sub(r"[‘’‚‛`´']", "'", regex.sub(r"[“”„‟«»‹›\"]", '"', text))
    text = regex.sub(r"[\p{Pd}]", "-", text)
    return " ".join(regex.sub(r"\s+(?=[:;!?])", "", text).split())


def strip_site(text: str, names: SiteNames) -> str:
    """``text`` without the site's name at its end or start (``… | Börsen-Zeitung``,
    ``Ilanga News - …``); never emptied."""
    for _ in range(3):
        marks = list(_SEGMENT.finditer(text))
        if not marks:
            break
        last, first = marks[-1], marks[0]
        if names.in_segment(text[last.end():]) and text[:last.start()].strip():
            text = text[:last.start()].rstrip()
        elif names.named(text[:first.start()]) and text[first.end():].strip():
            text = text[first.end():].lstrip()
        else:
            break
    return text


def may_have_kicker(text: str) -> bool:
    """Whether a headline has a place where a kicker could end (``Kicker: …``, ``Kicker - …``), or a
    site's name could be glued on."""
    return bool(_KICKER.search(text) or _SEGMENT.search(text))


def split_kicker(text: str, others: Iterable[str]) -> tuple[str | None, str]:
    """(kicker, headline) when ``text`` is another declared headline with a kicker in front
    (``K: B`` where ``B`` is declared alone) or ends as one does after another kicker (``K1: T`` and
    ``K2 - T``, their whole common end); else ``(None, text)``."""
    marks = list(_KICKER.finditer(text))
    if not marks:
        return None, text
    own = key(text)
    other_keys = [k for k in (key(o) for o in others if o) if k != own]
    for mark in marks:  # the longest tail first
        tail = text[mark.end():]
        kicker = text[:mark.start()].strip()
        if not kicker or len(tail) < _MIN_TAIL:
            continue
        tail_key = key(tail)
        for other in other_keys:
            if other == tail_key:
                return kicker, tail
            # the same headline after another kicker: their common end is exactly the tail
            if other.endswith(tail_key) and _KICKER_END.search(other[:len(other) - len(tail_key)]) \
                    and _common_end(own, other) == len(tail_key):
                return kicker, tail
    return None, text


def _common_end(a: str, b: str) -> int:
    """How many characters two texts share at their end, counted to a word's start."""
    size = 0
    while size < min(len(a), len(b)) and a[-1 - size] == b[-1 - size]:
        size += 1
    while size and size < len(a) and not a[-size].isspace() and not a[-size - 1].isspace():
        size -= 1  # back to the start of a word
    while size and a[-size].isspace():
        size -= 1
    return size


def choose(candidates: list[tuple[str, str | None]], names: SiteNames) -> Headline:
    """The headline of a page from ``candidates`` ((source, raw text) in order of trust)."""
    found: list[tuple[str, str]] = []
    for source, raw in candidates:
        text = clean(raw)
        if text:
            text = strip_site(text, names)
            if text and not names.named(text):  # an og:title that is only the site's name
                found.append((source, text))
    if not found:
        return Headline()
    declared = [text for source, text in found if source not in LAST_RESORT]
    source, text = next((f for f in found if f[0] not in LAST_RESORT), found[0])
    kicker, head = split_kicker(text, declared)
    # the kicker as readers see it, when the visible headline carries one before the same headline
    shown = next((k for s, t in found if s in VISIBLE for k, h in [split_kicker(t, declared)]
                  if k and key(h) == key(head)), None)
    return Headline(head, source, shown or kicker)
