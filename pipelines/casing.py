"""Proper case for names and places that wires print in capitals (``MARY CLARE JALONICK``, ``ANN ARBOR``)."""

from __future__ import annotations

import regex

#: Lower-case particles inside names and places ("Rio de Janeiro", "Ludwig van Beethoven").
PARTICLES = frozenset({"de", "del", "della", "der", "den", "da", "das", "do", "dos", "du", "la",
                       "le", "van", "von", "y", "of", "the", "bin", "ibn", "al", "el"})
#: Tokens kept upper case (roman numerals, initialisms).
_UPPER = frozenset({"ii", "iii", "iv", "vi", "vii", "viii", "u.s.", "u.n.", "d.c.", "uk", "usa"})

_WORD = regex.compile(r"[\p{L}\p{M}]+(?:[.'’][\p{L}\p{M}]+)*\.?|\S")


def _cap(word: str) -> str:
    """One word: ``O'BRIEN`` -> ``O'Brien``, ``MCDONALD`` -> ``McDonald``, ``J.`` -> ``J.``."""
    low = word.lower()
    if low in _UPPER:
        return word.upper()
    if regex.fullmatch(r"(?:\p{L}\.)+", word):  # initials: "J.", "C.J."
        return word.upper()
    if low.startswith("mc") and len(word) > 3:
        return "Mc" + low[2:].capitalize()
    for apostrophe in ("'", "’"):
        head, sep, tail = low.partition(apostrophe)
        if sep and len(head) == 1 and tail:  # O'Brien, D'Angelo
            return head.upper() + sep + tail.capitalize()
    return low[:1].upper() + low[1:]


def proper_case(text: str, *, force: bool = False) -> str:
    """Proper-case ``text`` when it is all capitals (or ``force``); mixed case is left as written.

    Mixed case is the writer's choice (``McAllen``, ``DeSantis``) and better than any rule.
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return text
    if not force and not all(c.isupper() for c in letters):
        return text
    out: list[str] = []
    pos = 0
    for index, match in enumerate(_WORD.finditer(text)):
        out.append(text[pos:match.start()])
        word = match.group()
        if not word[0].isalpha():
            out.append(word)
        else:
            parts = word.split("-")
            cased = [_cap(p) if p else p for p in parts]
            if index > 0 and len(parts) == 1 and word.lower() in PARTICLES:
                cased = [word.lower()]
            out.append("-".join(cased))
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)
