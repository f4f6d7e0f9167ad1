"""The story text a page declares in its JSON-LD (``articleBody``), held against the body found in its
markup.

Many CMSs write the story field itself into ``articleBody``: without the captions, teasers, embedded
posts, donation appeals and newsletter boxes that the markup puts between its paragraphs, and whole
where the markup hides or splits it (a paywall's hidden block, a story cut in two by an ad). Its form
is poor (one run of text, mostly: no paragraphs, no subheadings), so it is never the body itself; it
says which of the extracted paragraphs are the story and what the extraction missed:

- when the declared text is all in the extracted body (and about as long), extracted paragraphs it does
  not hold are furniture and dropped; a short heading-like line followed by story text is kept, as
  declared texts leave subheadings out;
- when the extracted body is all in the declared text and the declared text is much longer, the missing
  passages are put back where they belong (after the paragraph that precedes them there).

A declared text that is a teaser (far shorter than the extracted body) or another text altogether
changes nothing. Passages are compared by their 3-word shingles (each Chinese or Japanese character a
word), so spacing, punctuation, soft hyphens and markup do not matter.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import regex

#: A declared text of fewer words than this is no story (a summary, a placeholder).
MIN_DECLARED_WORDS = 50
#: The declared text must be at least this share of the extracted body's length to rule on it.
MIN_LENGTH_SHARE = 0.6
#: Share of a passage's shingles found in the other text for it to count as found there.
FOUND = 0.5
#: An extracted paragraph with less than this share in the declared text is not the story.
UNDECLARED = 0.3
#: Share of the declared text that the extracted body must hold before undeclared paragraphs go.
COMPLETE = 0.8
#: The declared text must be this many times longer than the body before passages are put back...
LONGER = 1.2
#: ...and hold at least this share of it (the rest: captions and the like).
PART = 0.6

_TOKEN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]|[\p{L}\p{N}]+")
_DROPPED_ELEMENTS = regex.compile(
    r"<(figure|figcaption|script|style|aside)\b[^>]*>.*?</\1\s*>", regex.IGNORECASE | regex.DOTALL)
_BLOCK_TAG = regex.compile(r"</?(?:p|div|h[1-6]|li|ul|ol|br|blockquote|section|table|tr)\b[^>]*>",
                           regex.IGNORECASE)
_TAG = regex.compile(r"<[^>]{0,2000}>")
#: Sentence ends, to cut a declared text written as one run into passages.
_SENTENCE_END = regex.compile(r"(?<=[.!?…][\"”“»)]?)\s+(?=[\"“„«(]?\p{Lu})")
#: A subheading: short, not ending as a sentence does.
_HEADING = regex.compile(r"[^\n]{1,120}(?<![.!?…,;\"”“»])")
_HEADING_WORDS = 14


@dataclass(frozen=True)
class Declared:
    """A declared story text cut into passages: its paragraphs, or its sentences (``sentences``) when
    it is written as one run."""

    passages: list[str]
    sentences: bool = False


def declared_text(value: Any) -> Declared | None:
    """The passages of a JSON-LD ``articleBody``: its paragraphs where it marks them (markup or
    line breaks), else its sentences; ``None`` when it is too short to be a story."""
    if isinstance(value, list):
        value = "\n".join(v for v in value if isinstance(v, str))
    if not isinstance(value, str):
        return None
    text = value.replace("\u00ad", "")
    if "&" in text:  # first: some pages escape their markup, too
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", _BLOCK_TAG.sub("\n", _DROPPED_ELEMENTS.sub("\n", text)))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if sum(len(line.split()) for line in lines) < MIN_DECLARED_WORDS and \
            len(_TOKEN.findall(text)) < MIN_DECLARED_WORDS:
        return None
    if len(lines) == 1:
        return Declared(_SENTENCE_END.split(lines[0]), sentences=True)
    return Declared(lines)


def _shingles(text: str) -> set[int]:
    words = [w.casefold() for w in _TOKEN.findall(text.replace("\u00ad", ""))]
    if len(words) < 3:
        return {hash(tuple(words))} if words else set()
    return {hash((words[i], words[i + 1], words[i + 2])) for i in range(len(words) - 2)}


def _share(part: set[int], whole: set[int]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def _union(sets: Iterable[set[int]]) -> set[int]:
    out: set[int] = set()
    for item in sets:
        out |= item
    return out


def reconcile(paragraphs: list[str], text: Declared | None, also: Iterable[str | None] = ()
              ) -> tuple[list[str], str | None]:
    """The extracted ``paragraphs`` checked against the declared text (and ``also``, other texts the
    page declares as its own: its description, which declared bodies leave out): (paragraphs, note),
    the note ``declared_body_completed`` or ``declared_body_filtered`` when they changed."""
    if not paragraphs or text is None:
        return paragraphs, None
    passages = [_shingles(p) for p in text.passages]
    declared_all = _union(passages) | _union(_shingles(t) for t in also if t)
    declared_chars = sum(map(len, text.passages))
    note = None
    found = [_shingles(p) for p in paragraphs]
    inside = [_share(s, declared_all) for s in found]
    body_chars = sum(map(len, paragraphs))
    in_declared = sum(len(p) for p, share in zip(paragraphs, inside, strict=True)
                      if share >= FOUND) / body_chars
    if in_declared >= PART and declared_chars >= LONGER * body_chars:
        completed = _put_back(paragraphs, found, text, passages)
        if len(completed) > len(paragraphs):
            paragraphs, note = completed, "declared_body_completed"
            found = [_shingles(p) for p in paragraphs]
            inside = [_share(s, declared_all) for s in found]
            body_chars = sum(map(len, paragraphs))
    held = _share(_union(passages), _union(found))  # the declared text that the body holds
    if held >= COMPLETE and declared_chars >= MIN_LENGTH_SHARE * body_chars:
        kept = _drop_undeclared(paragraphs, inside)
        if len(kept) < len(paragraphs):
            paragraphs, note = kept, note or "declared_body_filtered"
    return paragraphs, note


def _is_heading(paragraph: str) -> bool:
    return len(paragraph.split()) <= _HEADING_WORDS and bool(_HEADING.fullmatch(paragraph))


def _drop_undeclared(paragraphs: list[str], inside: list[float]) -> list[str]:
    """Without the paragraphs the declared text does not hold, but for subheadings of story text."""
    kept = []
    for index, (paragraph, share) in enumerate(zip(paragraphs, inside, strict=True)):
        if share >= UNDECLARED:
            kept.append(paragraph)
            continue
        following = inside[index + 1] if index + 1 < len(inside) else 0.0
        if _is_heading(paragraph) and following >= FOUND and index > 0:
            kept.append(paragraph)
    return kept


def _put_back(paragraphs: list[str], found: list[set[int]], text: Declared,
              passages: list[set[int]]) -> list[str]:
    """The paragraphs with the declared passages that none of them holds, each run of them put after
    the paragraph that holds the passage before it (a run of sentences as one paragraph)."""
    declared = text.passages
    out: list[str] = []
    emitted = -1  # the last paragraph written out
    missing: list[str] = []
    for passage, shingles in zip(declared, passages, strict=True):
        best, where = 0.0, None
        for index in range(max(0, emitted), len(found)):
            share = _share(shingles, found[index])
            if share > best:
                best, where = share, index
        if where is None or best < FOUND:
            if len(shingles) >= 3 or len(passage) > 40:
                missing.append(passage)
            continue
        if missing:
            out.extend(paragraphs[emitted + 1:where])
            out.extend([" ".join(missing)] if text.sentences else missing)
            emitted = where - 1
            missing = []
        out.extend(paragraphs[emitted + 1:where + 1])
        emitted = max(emitted, where)
    out.extend(paragraphs[emitted + 1:])
    if missing:
        out.extend([" ".join(missing)] if text.sentences else missing)
    return out
