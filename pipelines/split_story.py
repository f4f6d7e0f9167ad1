"""A story cut into pieces by the page's layout, joined again before extraction.

Some layouts close the story's container after a few paragraphs, put a full-width ad or a photo
in a wrapper of its own, and open a new container of the same kind for the rest (Politico Europe,
Wired: ``<div class="article__content">`` three times, each in its own grid row). Extraction takes the
first container that looks like a story and stops there: the story ends after three paragraphs.

Here such pieces are moved into the first one: a few containers of one kind (same tag, same
``class``) that each hold paragraphs of running text, that do not sit one inside another, and that are
not siblings (siblings share a parent, which extraction already reads whole). They must be one
story's: within the same ``<article>`` (or none), with no heading between them outside them (a
subheading there belongs to the story, and a ``<h1>`` starts another story, as on pages that append
the next story below). What lay between them (the ad, the photo) stays where it was, outside the
story.
"""

from __future__ import annotations

from collections import defaultdict

#: Words of a container's ``class`` that say it holds a story's text...
_STORY_WORDS = ("content", "body", "text", "article", "story", "entry", "post")
#: ...and words that say it is something else that repeats (comments, teasers, captions).
_OTHER_WORDS = ("comment", "teaser", "excerpt", "caption", "related", "promo", "card", "flyout",
                "footer", "widget", "description", "legal", "policy", "tab", "live", "quote",
                "summary", "recirc", "newsletter")
#: Characters of running text (paragraphs of 40 characters or more) each piece holds, at least.
MIN_PIECE_CHARS = 150
#: More pieces than this are a layout's per-paragraph wrappers, which extraction reads well.
MAX_PIECES = 6
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _direct_paragraph_chars(node) -> int:
    total = 0
    for child in node:
        if child.tag == "p":
            size = len(" ".join(child.text_content().split()))
            if size >= 40:
                total += size
    return total


def _is_story_class(value: str) -> bool:
    lowered = value.lower()
    return any(w in lowered for w in _STORY_WORDS) and not any(w in lowered for w in _OTHER_WORDS)


def join_split_story(tree) -> int:
    """Move the pieces of a split story into its first piece; how many pieces were moved."""
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for node in tree.iter("div", "section", "article"):
        if node.find("p") is None:  # no paragraph of its own (most elements): no piece
            continue
        value = " ".join((node.get("class") or "").split())
        if value and _is_story_class(value) and _direct_paragraph_chars(node) >= MIN_PIECE_CHARS:
            groups[(node.tag, value)].append(node)
    moved = 0
    for members in groups.values():
        if not 2 <= len(members) <= MAX_PIECES or len({m.getparent() for m in members}) < len(members):
            continue  # one piece, too many, or siblings: extraction reads their parent whole
        if not _one_story(tree, members):
            continue
        first = members[0]
        for piece in members[1:]:
            for child in list(piece):
                first.append(child)
            piece.drop_tree()
            moved += 1
    return moved


def _article_of(node):
    return next(node.iterancestors("article"), None)


def _one_story(tree, members: list) -> bool:
    """Pieces of one story: none inside another, within one ``<article>``, no heading between them
    that is outside them."""
    first = members[0]
    if any(first in m.iterancestors() or m in first.iterancestors() for m in members[1:]):
        return False
    if len({_article_of(m) for m in members}) > 1:
        return False
    pieces = set(members)
    started = False
    for node in tree.iter():
        started = started or node in pieces
        if not started:
            continue
        if node is members[-1]:
            return True
        if node.tag in _HEADINGS and not any(a in pieces for a in node.iterancestors()):
            return False
    return True
