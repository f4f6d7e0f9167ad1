"""Bylines and credit lines -> person names, the agency, and the contributors of a story.

Wire bylines mix names with roles ("AP National Security Writer"), agencies ("United Press
International"), dates ("| Jan. 29, 2016 at 1:16 PM", "30 August 2023 • 4:45pm") and contact details;
peers return them as one string or take the agency for an author. Here every piece is classified: a
person, a role, an agency, or noise, and only persons become authors. The words of bylines in other
languages ("Von … und …", "Par … et …", "신현주 기자") are data, in :mod:`pipelines.byline_words`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipelines import byline_words as bw
from pipelines import date_words, gazetteer
from pipelines.agencies import AGENCY_WORD, agency_in, agency_of_word, normalize_agency
from pipelines.casing import PARTICLES, proper_case
from pipelines.publisher import COMPANY


@dataclass(frozen=True)
class Byline:
    authors: list[str] = field(default_factory=list)
    agency: str | None = None
    raw: str = ""


def _alternatives(words: list[str]) -> str:
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in words)


#: Words that make a piece of a byline a job title rather than a name.
_ROLE_WORDS = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}])(?:{_alternatives(bw.words(bw.ROLES))})(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)
_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = regex.compile(r"(?<!\w)@\w{1,30}")
_LEAD_WORDS = [w for w in bw.words(bw.LEAD) if w not in bw.LEAD_LOWER_ONLY]
#: What opens a byline: "By", "Written by", "Von", "Par", "Autor:", "di" (in lower case only).
_BY = regex.compile(
    rf"^\s*(?:(?i:{_alternatives(_LEAD_WORDS)})|{_alternatives(sorted(bw.LEAD_LOWER_ONLY))})"
    r"(?:(?<=:)\s*|\s*:\s*|\s+)")
_MONTHS = date_words.english_month_pattern()
# What follows the names: "| Jan. 29, 2016 at 1:16 PM", "Updated ...", "Published ...", a date, a
# number ("30 August 2023 • 4:45pm", "05.01.2025, 15:23"), "Today 5:00 am".
_TAIL = regex.compile(
    r"(?:\s*[|•·]|(?:(?<=\s)|^)(?:updated|published|posted|aktualisiert|veröffentlicht|publié|mis à jour"
    rf"|actualizado|publicado|aggiornato|pubblicato|{_alternatives(bw.words(bw.RELATIVE_DAYS))})(?![\p{{L}}])"
    rf"|\b{_MONTHS}\s+\d{{1,2}},\s+\d{{4}}|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|(?<=\s)\d).*$",
    regex.IGNORECASE | regex.DOTALL,
)
#: A photo credit, kept out of the authors: "Fotos: Jan Meier", "Photo by …" (to the next separator).
_PHOTO = regex.compile(
    rf"(?:^|(?<=[\s,;/(|]))(?:{_alternatives(bw.words({'': bw.PHOTO}))})"
    r"(?:\s*:|\s+(?:by|von|de|di|par|por|af|av|door)\b)[^;|/)]*",
    regex.IGNORECASE)
#: Labels of byline widgets after a name ("Sarah Lazare Twitter").
_NOISE_END = regex.compile(rf"(?:\s+(?i:{_alternatives(list(bw.NOISE))}))+$")
_AND_ANY = [w for w in bw.words(bw.AND) if w in bw.AND_ANY_CASE]
_AND_LOWER = [w for w in bw.words(bw.AND) if w not in bw.AND_ANY_CASE]
_SPLIT = regex.compile(
    rf"\s*(?:[,;&/|、・，]|(?<![\p{{L}}])(?:(?i:{_alternatives(_AND_ANY)})|{_alternatives(_AND_LOWER)})"
    r"(?![\p{L}]))\s*")
_CJK_TITLE = regex.compile(rf"\s*(?:{_alternatives(list(bw.CJK_TITLES))})\s*$")
_CJK_OTHERS = regex.compile(rf"\s*{bw.CJK_OTHERS}")
_CJK_NAME = regex.compile(
    r"^[\p{Han}\p{Hangul}\p{Hiragana}\p{Katakana}]{2,6}$"
    r"|^[\p{Han}\p{Hangul}]{1,4}\s[\p{Han}\p{Hangul}\p{Hiragana}\p{Katakana}]{1,4}$")
_ABBREVIATION_END = regex.compile(r"(?:\b(?:jr|sr)|(?<![\p{L}])\p{L})\.$", regex.IGNORECASE)
_SUFFIX = regex.compile(r"^(?:jr|sr|ii|iii|iv)\.?$", regex.IGNORECASE)
_NAME = regex.compile(r"^[\p{L}\p{M}][\p{L}\p{M}.'’\-]*(?:\s+[\p{L}\p{M}][\p{L}\p{M}.'’\-]*){1,5}$")
_WORD = regex.compile(r"^[\p{Lu}][\p{L}\p{M}'’\-]+$")


def opens_byline(text: str) -> bool:
    """Whether ``text`` opens as a byline does ("By …", "Von …", "Par …", "Autor: …") with a name
    after the word."""
    match = _BY.match(text)
    return bool(match) and match.end() < len(text) and not text[match.end()].islower()


def parse_byline(text: str) -> Byline:
    """Parse a byline or credit line into person names and the agency."""
    raw = text or ""
    cleaned = _HANDLE.sub(" ", _EMAIL.sub(" ", raw))
    cleaned = regex.sub(r"[(\[]\s*[)\]]", " ", cleaned)  # what an e-mail in brackets left
    cleaned = _CJK_OTHERS.sub("", _PHOTO.sub(" ", " ".join(cleaned.split())))
    cleaned = _TAIL.sub("", _BY.sub("", cleaned)).strip(" ,;:-–—")
    cleaned = _BY.sub("", cleaned)  # "By" after a leading "Updated ... |" was cut off
    authors: list[str] = []
    agency = normalize_agency(cleaned)
    if agency is None:
        for piece in _inverted(cleaned) or _pieces(cleaned):
            person, piece_agency = _classify(piece)
            agency = agency or piece_agency
            if person and person not in authors:
                authors.append(person)
    return Byline(authors=authors, agency=agency, raw=raw)


def _inverted(text: str) -> list[str] | None:
    """Names written surname first, as libraries list them: "You, Xiaoying; Lenharo, Mariana" (or,
    flattened by a tool, "You; Xiaoying; Lenharo; Mariana") -> "Xiaoying You", "Mariana Lenharo"."""
    if ";" not in text:
        return None
    groups = [g.strip() for g in text.split(";") if g.strip()]
    pairs = [g.split(",") for g in groups]
    if all(len(p) == 2 and all(_WORD.match(w.strip()) for w in p) for p in pairs):
        return [f"{given.strip()} {surname.strip()}" for surname, given in pairs]
    if len(groups) >= 2 and len(groups) % 2 == 0 and all(_WORD.match(g) for g in groups):
        return [f"{groups[i + 1]} {groups[i]}" for i in range(0, len(groups), 2)]
    return None


def inverted_name(text: str) -> str:
    """``Surname, Given`` -> ``Given Surname`` (as Dublin Core and citation metas write names);
    other texts as they are."""
    surname, comma, given = text.partition(",")
    if comma and "," not in given and _WORD.match(surname.strip()) and all(
            _WORD.match(w) for w in given.split()) and given.strip():
        return f"{' '.join(given.split())} {surname.strip()}"
    return text


def _pieces(text: str) -> list[str]:
    """Split on separators, gluing suffixes ("Jr.") back to the name before them."""
    pieces: list[str] = []
    for piece in _SPLIT.split(text):
        piece = _NOISE_END.sub("", piece.strip(" ,;:"))
        if piece.endswith(".") and not _ABBREVIATION_END.search(piece):
            piece = piece[:-1].rstrip()
        if not piece:
            continue
        if _SUFFIX.match(piece) and pieces:
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


def _classify(piece: str) -> tuple[str | None, str | None]:
    """(person name or None, agency or None) of one piece of a byline.

    A role glued to a name without a comma ("Paul Wiseman AP Economics Writer") keeps the name.
    """
    agency = normalize_agency(piece)
    if agency:
        return None, agency
    if COMPANY.search(piece):  # "Frankfurter Allgemeine Zeitung GmbH": the publisher's company
        return None, None
    piece = _CJK_TITLE.sub("", piece)
    role = _ROLE_WORDS.search(piece)
    found = AGENCY_WORD.search(piece)
    cut = min(m.start() for m in (role, found) if m is not None) if (role or found) else None
    if cut is not None:
        agency = agency_of_word(found.group("agency")) if found and found.start() >= cut else None
        agency = agency or agency_in(piece[cut:])
        piece = piece[:cut].strip(" ,;:-([")
    return (_person(piece), agency) if piece else (None, agency)


def _person(piece: str) -> str | None:
    """The proper-cased name if ``piece`` looks like a person's name, else ``None``."""
    if _CJK_NAME.match(piece):
        return piece
    if any(c.isdigit() for c in piece) or not _NAME.match(piece):
        return None
    words = piece.split()
    if any(not w[0].isupper() and w.lower() not in PARTICLES for w in words):
        return None
    return proper_case(piece)


# ---------------------------------------------------------------------------------------------
# Contributor lines at the end of a story.

_REUTERS_TRAILER = regex.compile(
    r"^\s*\(?\s*(?:(?:additional\s+)?(?:reporting|writing|editing|compiled|research|"
    r"graphics?|production)(?:\s+and\s+\w+)?\s+by\b)",
    regex.IGNORECASE,
)
_ROLE_BY = (r"(?:(?:additional\s+)?(?:reporting|writing|editing|compiled|research|graphics?|production)"
            r"(?:\s+and\s+\w+)?\s+by)")
# the names run to the next ";" or ")", or to a comma that opens the next role ("…, Editing by …")
_TRAILER_PART = regex.compile(
    rf"{_ROLE_BY}\s+(?P<names>(?:(?![,;]\s*{_ROLE_BY})[^;)])+)",
    regex.IGNORECASE,
)
# "Associated Press writers A in X and B in Y contributed to this report." and its variants
# ("AP writer A contributed.", "Aerospace Writer A in X ... contributed to this report.").
_AP_CONTRIBUTORS = regex.compile(
    r"^(?:(?:the\s+)?(?:associated\s+press|ap)\s+)?(?:[\p{L}-]+\s+){0,3}?"
    r"(?:writers?|reporters?|journalists?|correspondents?|photographers?|researchers?)\s+"
    r"(?P<names>.+?)\s+contributed(?:\s+(?:to\s+this\s+(?:report|story)|reporting))?\.?$",
    regex.IGNORECASE | regex.DOTALL,
)
_SENTENCE = regex.compile(r"(?<=[.!?])\s+(?=\p{Lu})")
_PLACE_TAIL = regex.compile(r"\s+(?:in|from)\s+\p{Lu}[\p{L}.'’\- ]*$")


def parse_contributors(paragraph: str) -> list[str] | None:
    """Names in a contributor line (Reuters' "Reporting by ..." trailer, AP's "... contributed"),
    or ``None`` when the paragraph is not one."""
    text = " ".join(paragraph.split())
    if len(text) > 800:
        return None
    chunks: list[str] = []
    if _REUTERS_TRAILER.match(text):
        chunks = [m.group("names") for m in _TRAILER_PART.finditer(text)]
    else:
        for sentence in _SENTENCE.split(text):
            match = _AP_CONTRIBUTORS.match(sentence.strip())
            if match:
                chunks.append(match.group("names"))
    if not chunks:
        return None
    names: list[str] = []
    for chunk in chunks:
        for piece in _SPLIT.split(chunk):
            piece = _PLACE_TAIL.sub("", piece.strip(" .")).strip()
            if not piece or gazetteer.us_state(piece) or gazetteer.country_code(piece):
                continue  # "in Greenville, South Carolina, contributed": the place, not a person
            person = _classify(piece)[0]
            if person and person not in names:
                names.append(person)
    return names


def split_contributors(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(paragraphs without trailing contributor lines, contributor names), looking at the last three."""
    kept = list(paragraphs)
    contributors: list[str] = []
    for _ in range(3):
        if not kept:
            break
        names = parse_contributors(kept[-1])
        if names is None:
            break
        kept.pop()
        contributors = names + [n for n in contributors if n not in names]
    return kept, contributors
