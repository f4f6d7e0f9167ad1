"""A story that the page holds only in a script's data (a page rendered in the browser from the JSON
its server embedded: Next.js, Nuxt, a CMS's state object), read from that data.

Only the last resort, for pages whose markup gives no story at all: the embedded JSON strings are
searched for the longest one that is story markup (three paragraphs or more), and its paragraphs,
subheadings and list items are read in order; captions and figures are left out.
"""

from __future__ import annotations

import json

import lxml.etree
import lxml.html
import regex

#: A JSON string literal of some length (escapes kept whole).
_STRING = regex.compile(r'"((?:[^"\\]|\\.){200,})"')
_PARAGRAPH = ("<p", "\\u003cp", "\\u003Cp")
#: Characters of script text searched, at most (some pages embed megabytes of state).
MAX_SCRIPT_CHARS = 3_000_000
_BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote")
_SKIPPED = ("figure", "figcaption", "aside", "script", "style")


def _paragraph_marks(text: str) -> int:
    return sum(text.count(mark) for mark in _PARAGRAPH)


def embedded_story_html(tree) -> str | None:
    """The longest JSON string in the page's scripts that is story markup (3+ paragraphs)."""
    best: str | None = None
    for script in tree.iter("script"):
        text = script.text or ""
        if script.get("src") or len(text) < 300 or _paragraph_marks(text) < 3:
            continue
        for match in _STRING.finditer(text[:MAX_SCRIPT_CHARS]):
            raw = match.group(1)
            if _paragraph_marks(raw) < 3 or (best is not None and len(raw) <= len(best)):
                continue
            try:
                value = json.loads(f'"{raw}"')
            except ValueError:
                continue
            if best is None or len(value) > len(best):
                best = value
    return best


def embedded_paragraphs(tree) -> list[str]:
    """The story's paragraphs from the page's embedded data (``[]`` when it holds none)."""
    markup = embedded_story_html(tree)
    if not markup:
        return []
    try:
        fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return []
    found = []
    for node in fragment.iter(*_BLOCKS):
        if any(a.tag in _SKIPPED or "caption" in (a.get("class") or "") for a in node.iterancestors()):
            continue
        if any(child.tag in _BLOCKS for child in node.iterdescendants()):
            continue  # its inner blocks are read themselves
        text = " ".join(node.text_content().split())
        if text:
            found.append(text)
    return found
