"""A story's language and its length in words, in any script.

Language: what the page declares (``<html lang>``, ``og:locale``, JSON-LD ``inLanguage``) unless its
text plainly says otherwise; a page that declares nothing is identified from its text. Declarations
are mostly right but CMS templates lie (a Zulu or Swahili story under WordPress's default ``en-US``),
and identification is mostly right but confuses close languages (Norwegian and Danish, Malay and
Indonesian), so a declaration is overruled only by a confident identification of another language.

Identification is py3langid (langid.py's maintained fork, the identifier trafilatura itself uses):
97 languages, its model shipped in the package, pure Python over numpy, about 0.5 ms for the first
:data:`SAMPLE_CHARS` characters of a story. Loaded once per process, on first use.

Words: Chinese and Japanese are written without spaces, so a story of 2,000 characters has a handful
of space-separated "words"; each Han or kana character counts as one word, as word processors count
them. Korean separates its words with spaces and is counted by them.
"""

from __future__ import annotations

import threading
from typing import Any

import regex

#: Characters of a story given to the identifier (more costs time and changes nothing measurable).
SAMPLE_CHARS = 1000
#: Fewer characters of story than this: too little to identify (a declaration still counts).
MIN_SAMPLE_CHARS = 120
#: Probability above which an identification overrules a declared language.
OVERRULE_PROBABILITY = 0.95
#: Probability below which an identification is not stored when the page declares nothing.
MIN_PROBABILITY = 0.9
#: Languages so close that an identifier's choice between them is no reason to doubt a declaration.
_CLOSE = (frozenset({"no", "nb", "nn", "da", "sv"}), frozenset({"ms", "id"}),
          frozenset({"hr", "sr", "bs", "sh"}), frozenset({"cs", "sk"}), frozenset({"gl", "pt"}),
          frozenset({"ca", "es", "oc"}), frozenset({"be", "ru", "uk"}), frozenset({"fa", "ar", "ur"}),
          frozenset({"zh", "ja"}), frozenset({"af", "nl"}), frozenset({"lb", "de"}))
#: ISO 639-2/B and /T codes some pages declare, to their ISO 639-1 form.
_THREE_LETTER = {"eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es",
                 "ita": "it", "por": "pt", "nld": "nl", "dut": "nl", "jpn": "ja", "kor": "ko",
                 "zho": "zh", "chi": "zh", "rus": "ru", "tur": "tr", "ara": "ar", "nor": "no",
                 "nob": "nb", "swe": "sv", "dan": "da", "pol": "pl", "ces": "cs", "cze": "cs"}

#: Scripts written without spaces between words, one word per character.
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_WORDISH = regex.compile(r"[\p{L}\p{N}]")
_LANGUAGE_TAG = regex.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")

_identifier: Any = None
_lock = threading.Lock()


def count_words(text: str) -> int:
    """Words of ``text``: space-separated ones, and each Chinese or Japanese character (their
    punctuation is no word)."""
    if text.isascii() or max(text) < "\u2e80":  # no CJK (checked at C speed)
        return len(text.split())
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    # what is left between them: words, and punctuation (、。「」) that is none
    return unspaced + sum(1 for token in _UNSPACED.sub(" ", text).split() if _WORDISH.search(token))


def language_code(value: Any) -> str | None:
    """The ISO 639-1 code (or 639-3 where there is none) of a declared language tag: ``de-AT``,
    ``de_AT``, ``EN``, ``eng`` and ``{"name": "en"}`` are read; anything else is ``None``."""
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    match = _LANGUAGE_TAG.fullmatch(value.strip())
    if not match:
        return None
    code = match.group(1).lower()
    return _THREE_LETTER.get(code, code)


def _load():
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def identify(text: str) -> tuple[str | None, float]:
    """(language, probability) of a story's text, from its first :data:`SAMPLE_CHARS` characters;
    ``(None, 0.0)`` for too little text."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if len(sample) < MIN_SAMPLE_CHARS and len(_UNSPACED.findall(sample)) < MIN_SAMPLE_CHARS // 3:
        return None, 0.0
    code, probability = (_identifier or _load()).classify(sample)
    return str(code), float(probability)


def _close(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _CLOSE)


def story_language(declared: str | None, text: str) -> tuple[str | None, str | None]:
    """(language, note): the declared language unless the story's text is confidently another
    (note ``language_overruled``); without a declaration, the text's (note ``language_identified``),
    or ``None`` when the text is too short or unclear to say."""
    code, probability = identify(text)
    if declared:
        if code and probability >= OVERRULE_PROBABILITY and not _close(code, declared):
            return code, "language_overruled"
        return declared, None
    if code and probability >= MIN_PROBABILITY:
        return code, "language_identified"
    return None, None
