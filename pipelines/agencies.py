"""The news agencies, named one way everywhere.

Bylines, dateline tags and sites spell an agency many ways ("The Associated Press", "(AP)",
"United Press International", "UPI Staff"); the dataset's ``agency`` column holds one short name so that
users can filter on it whatever the source of the value.
"""

from __future__ import annotations

import regex

#: short name -> spellings (matched case-insensitively, as whole strings after trimming).
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "UPI": ("upi", "united press international", "united press", "upi staff", "upi.com"),
    "AP": ("ap", "associated press", "the associated press", "ap staff"),
    "Reuters": ("reuters", "thomson reuters", "reuters staff"),
    "AFP": ("afp", "agence france-presse", "agence france presse", "agence france-press"),
    "Yonhap": ("yonhap", "yonhap news agency", "yonhap news"),
    "Xinhua": ("xinhua", "xinhua news agency", "xinhuanet"),
}

_BY_SPELLING = {s: short for short, spellings in _SPELLINGS.items() for s in spellings}

#: The agencies' names as words inside a longer phrase ("AP Sports Writer", "Reuters correspondent").
AGENCY_WORD = regex.compile(
    r"\b(?P<agency>United\s+Press\s+International|(?:The\s+)?Associated\s+Press|Agence\s+France[-\s]Presse"
    r"|Yonhap|Xinhua|Reuters|UPI|AP|AFP)\b",
    regex.IGNORECASE,
)

AGENCIES: tuple[str, ...] = tuple(_SPELLINGS)


def normalize_agency(text: str | None) -> str | None:
    """The short name of the agency that ``text`` names exactly, or ``None``."""
    if not text:
        return None
    key = regex.sub(r"\s+", " ", text.strip(" \t\r\n()[].,;:")).lower()
    return _BY_SPELLING.get(key)


def agency_in(text: str) -> str | None:
    """The agency named as a word inside ``text`` ("AP National Security Writer" -> "AP")."""
    for match in AGENCY_WORD.finditer(text):
        word = match.group("agency")
        # "AP"/"UPI"/"AFP" count only in capitals: "ap" is not an agency in running text.
        if len(word) <= 3 and not word.isupper():
            continue
        found = normalize_agency(word)
        if found:
            return found
    return None
