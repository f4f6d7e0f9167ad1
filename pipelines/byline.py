"""Bylines and credit lines -> person names, the agency, and the contributors of a story.

Wire bylines mix names with roles ("AP National Security Writer"), agencies ("United Press
International"), dates ("| Jan. 29, 2016 at 1:16 PM") and contact details; peers return them as one
string or take the agency for an author. Here every piece is classified: a person, a role, an agency,
or noise, and only persons become authors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipelines import gazetteer
from pipelines.agencies import AGENCY_WORD, agency_in, normalize_agency
from pipelines.casing import PARTICLES, proper_case


@dataclass(frozen=True)
class Byline:
    authors: list[str] = field(default_factory=list)
    agency: str | None = None
    raw: str = ""


#: Words that make a piece of a byline a job title rather than a name.
_ROLE_WORDS = regex.compile(
    r"\b(?:writers?|correspondents?|editors?|reporters?|columnists?|staff|contributors?|"
    r"photographers?|analysts?|bureau|chief|producers?|journalists?|news|service|desk|"
    r"senior|special|international|national|political|sports|business|science|health|"
    r"medical|diplomatic|white\s+house|intern|for|wire|agency|press|team|report|media)\b",
    regex.IGNORECASE,
)
_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = regex.compile(r"(?<!\w)@\w{1,30}")
_BY = regex.compile(r"^\s*(?:(?:written|compiled|reported)\s+)?by\b[:\s]*", regex.IGNORECASE)
# What follows the names: "| Jan. 29, 2016 at 1:16 PM", "Updated ...", "Published ...", a date.
_TAIL = regex.compile(
    r"\s*(?:[|•·]|\b(?:updated|published|posted)\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{1,2},\s+\d{4}|\b\d{1,2}/\d{1,2}/\d{2,4}\b).*$",
    regex.IGNORECASE | regex.DOTALL,
)
_SPLIT = regex.compile(r"\s*(?:,|;|&|/|\||\band\b|\bwith\b)\s*", regex.IGNORECASE)
_ABBREVIATION_END = regex.compile(r"(?:\b(?:jr|sr)|(?<![\p{L}])\p{L})\.$", regex.IGNORECASE)
_SUFFIX = regex.compile(r"^(?:jr|sr|ii|iii|iv)\.?$", regex.IGNORECASE)
_NAME = regex.compile(r"^[\p{L}\p{M}][\p{L}\p{M}.'’\-]*(?:\s+[\p{L}\p{M}][\p{L}\p{M}.'’\-]*){1,5}$")


def parse_byline(text: str) -> Byline:
    """Parse a byline or credit line into person names and the agency."""
    raw = text or ""
    cleaned = _HANDLE.sub(" ", _EMAIL.sub(" ", raw))
    cleaned = regex.sub(r"[(\[]\s*[)\]]", " ", cleaned)  # what an e-mail in brackets left
    cleaned = " ".join(cleaned.split())
    cleaned = _TAIL.sub("", _BY.sub("", cleaned)).strip(" ,;:-–—")
    cleaned = _BY.sub("", cleaned)  # "By" after a leading "Updated ... |" was cut off
    authors: list[str] = []
    agency = normalize_agency(cleaned)
    if agency is None:
        for piece in _pieces(cleaned):
            person, piece_agency = _classify(piece)
            agency = agency or piece_agency
            if person and person not in authors:
                authors.append(person)
    return Byline(authors=authors, agency=agency, raw=raw)


def _pieces(text: str) -> list[str]:
    """Split on separators, gluing suffixes ("Jr.") back to the name before them."""
    pieces: list[str] = []
    for piece in _SPLIT.split(text):
        piece = piece.strip(" ,;:")
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
    role = _ROLE_WORDS.search(piece)
    found = AGENCY_WORD.search(piece)
    if found and len(found.group()) <= 3 and not found.group().isupper():
        found = None
    cut = min(m.start() for m in (role, found) if m is not None) if (role or found) else None
    if cut is not None:
        agency = agency_in(piece[cut:]) if found or role else None
        piece = piece[:cut].strip(" ,;:-")
    return (_person(piece), agency) if piece else (None, agency)


def _person(piece: str) -> str | None:
    """The proper-cased name if ``piece`` looks like a person's name, else ``None``."""
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
