"""Broken markup that hides a whole story from the HTML parser, repaired before a second parse.

libxml2 (lxml) reads ``<title>``, ``<textarea>`` as text up to their closing tag and ``<script>``,
``<style>`` (and ``<iframe>``, ``<noembed>``, ``<noframes>``, ``<xmp>``) as raw text, as HTML5 says
and browsers do. A page whose ``<title>`` or ``<script>`` is never closed (or closed with a typo:
``</title``, ``</tilte>``) has its whole rest read as that element's text: the tree has no ``<body>``
and the story is gone. Old pages do this often enough: 8 of ~620 pages of 2008 news sites. An
unclosed comment hides the rest the same way, and ``<html .../>`` written as XHTML makes libxml2 drop
everything after it.

HTML5 parsers (html5lib, html5-parser, selectolax/lexbor) follow the same rules and lose the same
stories; only ``<html/>`` is their gain. So the repair is textual and narrow, done only when the
first parse found no story markup at all: each element that swallows markup is closed where its
content would have ended, then lxml parses again. What the measurement on such pages found
(``benchmarks/broken_markup.py``) is in that file.
"""

from __future__ import annotations

import regex

#: Elements whose content is plain text (no tags) in a valid page: closed at their first tag when
#: they hold one (a title) or are never closed (the others: a share box's textarea may show markup).
_TEXT_ONLY = ("title", "textarea", "xmp", "iframe", "noembed", "noframes")
#: Elements of raw text that may hold ``<`` (scripts, styles; JSON-LD may hold ``<body>``): closed
#: before the page's own ``</head>`` when it comes before their end, or at the first line that starts
#: with a tag when they have no end at all; one with a ``src`` holds nothing and is closed at once.
_RAW = ("script", "style")
_HTML_SELF_CLOSED = regex.compile(r"(<html\b[^<>]*?)\s*/>", regex.IGNORECASE)
#: The page's own end of head: never in a script's or a title's text, always swallowed with the rest.
_HEAD_END = regex.compile(r"</head\s*>", regex.IGNORECASE)
_TAG_START = regex.compile(r"<[/!A-Za-z]")
_TAG_LINE = regex.compile(r"\n[ \t]*<[/!A-Za-z]")


def _opening(tag: str) -> regex.Pattern[str]:
    return regex.compile(rf"<{tag}\b[^<>]*>", regex.IGNORECASE)


def _closing(tag: str) -> regex.Pattern[str]:
    return regex.compile(rf"</{tag}\s*>", regex.IGNORECASE)


_OPENINGS = {tag: _opening(tag) for tag in (*_TEXT_ONLY, *_RAW)}
_CLOSINGS = {tag: _closing(tag) for tag in (*_TEXT_ONLY, *_RAW)}


def _end_of_content(html: str, tag: str, opened: regex.Match[str], closed: regex.Match[str] | None
                    ) -> int | None:
    """Where an element that swallows the page should have ended; ``None`` when it does not."""
    start, end = opened.end(), (closed.start() if closed else len(html))
    if tag == "title" or (tag in _TEXT_ONLY and closed is None):
        found = _TAG_START.search(html, start, end)
        return found.start() if found else None
    if tag in _RAW:
        found = _HEAD_END.search(html, start, end)
        if found is None and closed is None:
            found = _TAG_LINE.search(html, start, end)
        if found is None:
            return None
        return start if "src=" in opened.group(0).lower() else found.start()
    return None


def _close_elements(html: str, tag: str) -> tuple[str, int]:
    """``html`` with each ``tag`` element that swallows page markup closed; how many were."""
    opening, closing = _OPENINGS[tag], _CLOSINGS[tag]
    out: list[str] = []
    position = repaired = 0
    while (opened := opening.search(html, position)) is not None:
        closed = closing.search(html, opened.end())
        cut = _end_of_content(html, tag, opened, closed)
        if cut is None:
            out.append(html[position:closed.end() if closed else len(html)])
            position = closed.end() if closed else len(html)
            continue
        out.append(html[position:cut])
        out.append(f"</{tag}>")
        position = cut
        repaired += 1
    out.append(html[position:])
    return "".join(out), repaired


def _close_comments(html: str) -> tuple[str, int]:
    """Comments that run over the page's ``</head>`` (an ``-->`` missing, so the next comment's end
    closes it, or none does) closed before it, or at the first line starting with a tag."""
    out: list[str] = []
    position = repaired = 0
    while (start := html.find("<!--", position)) >= 0:
        end = html.find("-->", start + 4)
        stop = _HEAD_END.search(html, start + 4, end if end >= 0 else len(html))
        if stop is None and end < 0:
            stop = _TAG_LINE.search(html, start + 4)
        if stop is None:
            if end < 0:
                break
            out.append(html[position:end + 3])
            position = end + 3
            continue
        out.append(html[position:stop.start()] + "-->")
        position = stop.start()
        repaired += 1
    out.append(html[position:])
    return "".join(out), repaired


def needs_repair(tree, html: str) -> bool:
    """Whether the parse of ``html`` lost the page's story markup: no ``<body>`` at all, a title or
    script of the head that holds the head's end, or a body without a paragraph while the page's text
    is full of them."""
    if tree is None:
        return bool(html.strip())
    body = tree.find(".//body")
    if body is None:
        return True
    head = tree.find("head")
    if head is not None and any(_HEAD_END.search(node.text or "") for node in head
                                if node.tag in ("title", "script", "style")):
        return True  # the head's end swallowed, and the body's start with it
    return body.find(".//p") is None and html.count("<p") >= 3


def repair_markup(html: str) -> tuple[str, list[str]]:
    """(repaired page, what was repaired): ``<html/>`` opened, elements that swallow the page closed,
    an unclosed comment closed. The page itself when nothing needed it."""
    notes: list[str] = []
    fixed, count = _HTML_SELF_CLOSED.subn(r"\1>", html[:4096], count=1)
    if count:
        html = fixed + html[4096:]
        notes.append("html_self_closed")
    lowered = html.lower()
    for tag in (*_TEXT_ONLY, *_RAW):
        if f"<{tag}" in lowered:
            html, count = _close_elements(html, tag)
            if count:
                notes.append(f"unclosed_{tag}")
    html, count = _close_comments(html)
    if count:
        notes.append("unclosed_comment")
    return html, notes
