"""Pages as lxml trees: decoding a page's bytes, parsing them safely, and reading text, ``<meta>`` and
``<link>`` out of the tree.

The primitives every metadata source, body rule and layout selector reads through. The HTML parser
never resolves entities or touches the network.
"""

from __future__ import annotations

import codecs
from functools import lru_cache

import lxml.etree
import lxml.html
import regex

_HTML_PARSER = lxml.html.HTMLParser(
    no_network=True, huge_tree=False, remove_comments=True, remove_pis=True,
    default_doctype=False, collect_ids=False,
)


_XML_DECLARATION = regex.compile(r"^\s*<\?xml[^>]*>")


def load_html(html: bytes | str, max_bytes: int | None = None):
    """Parse HTML into an lxml tree, or ``None`` when it is empty, larger than ``max_bytes`` (the
    crawl passes :attr:`pipelines.extraction.ExtractionSettings.max_html_bytes`) or not HTML at all.

    Give text (already decoded, see :func:`decode_html`) where possible: lxml then ignores the
    page's ``<meta charset>``, which lies as often as the HTTP header does.
    """
    if not html or (max_bytes is not None and len(html) > max_bytes):
        return None
    if isinstance(html, str):
        html = _XML_DECLARATION.sub("", html, count=1)
    try:
        tree = lxml.html.document_fromstring(html, parser=_HTML_PARSER)
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
        return None
    return tree


def has_class(name: str) -> str:
    """XPath predicate for an element carrying the CSS class ``name`` (not merely containing it)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _cp1252_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decoding error handler: each byte that is not UTF-8 read as Windows-1252 (or U+FFFD)."""
    bad = error.object[error.start:error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("wirecrawl_cp1252", _cp1252_bytes)


def decode_html(body: bytes, declared: str) -> tuple[str, str | None]:
    """(text, repair note). ``declared`` is the text decoded with the page's declared charset.

    Declared charsets lie both ways: a page labelled ISO-8859-1 that is really UTF-8 (mojibake like
    "SÃ©oul"), and one labelled UTF-8 holding Windows-1252 bytes (replacement characters). Valid
    UTF-8 with non-ASCII bytes is almost never an accident, so it wins. Otherwise, where the declared
    charset left replacement characters, the page is read as UTF-8 byte by byte, and only the bytes
    that are not UTF-8 are read as Windows-1252 (the usual culprit): one stray byte in a UTF-8 page
    costs one character, never the whole page.
    """
    if not body.isascii():
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return text, (None if text == declared else "declared_charset_wrong")
    if "\ufffd" in declared and "\ufffd".encode() not in body:
        return body.decode("utf-8", errors="wirecrawl_cp1252"), "invalid_utf8"
    return declared, None


#: The space markup leaves before a comma ("<b>Paris</b> , …"), or before a colon or semicolon glued to
#: the next word; French typography's space before ``:`` and ``;`` ("Ukraine : la Russie") is kept.
_SPACE_BEFORE_PUNCTUATION = regex.compile(r"\s+(,|[;:](?!\s))")


def squash(text: str | None) -> str | None:
    """Collapse white space (and the space markup leaves before a comma); ``None`` if nothing left."""
    if text is None:
        return None
    out = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split()))
    return out or None


def xpath_text(tree, xpath: str | None, sep: str = " ") -> str | None:
    """The text of the first node an XPath finds (or the string it returns)."""
    found = xpath_texts(tree, xpath, 1, sep)
    return found[0] if found else None


def xpath_texts(tree, xpath: str | None, most: int, sep: str = " ") -> list[str]:
    """The texts of the first ``most`` nodes an XPath finds that hold any."""
    return texts_of(select(tree, xpath), most, sep)


def select(tree, xpath: str | None) -> list | str:
    """What an XPath finds (nodes, strings, or one string); nothing for no tree, no XPath or an XPath
    that fails."""
    if tree is None or not xpath:
        return []
    try:
        return tree.xpath(xpath)
    except lxml.etree.XPathError:
        return []


def texts_of(found: list | str, most: int, sep: str = " ") -> list[str]:
    """The texts of the first ``most`` of ``found`` (what an XPath found) that hold any."""
    if isinstance(found, str):
        return [text] if (text := squash(found)) else []
    texts: list[str] = []
    for node in found:
        text = squash(node if isinstance(node, str) else sep.join(node.itertext()))
        if text:
            texts.append(text)
            if len(texts) >= most:
                break
    return texts


def meta_content(tree, *keys: str) -> str | None:
    """``content`` of the first ``<meta>`` whose name, property or one of whose ``itemprop`` words
    (``itemprop="datePublished dateCreated"``) is one of ``keys``."""
    index = _metas(tree)
    for key in keys:
        for content in index.get(key, ()):
            value = squash(content)
            if value:
                return value
    return None


@lru_cache(maxsize=1)
def _metas(tree) -> dict[str, list[str]]:
    """The page's ``<meta>`` contents by name, property and ``itemprop`` word, in page order: read in
    one pass, since a page's metadata is looked up dozens of times (the page being read is kept)."""
    index: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        content = node.get("content")
        if content is None:
            continue
        keys = {node.get("name"), node.get("property"), *(node.get("itemprop") or "").split()}
        for key in keys - {None, ""}:
            index.setdefault(key, []).append(content)
    return index


def link_href(tree, rel: str) -> str | None:
    for href in tree.xpath("//link[@rel=$r]/@href", r=rel):
        if href.strip():
            return href.strip()
    return None


def standalone(node):
    """A minimal document holding only ``node``, for trafilatura to work on."""
    html = lxml.html.Element("html")
    body = lxml.etree.SubElement(html, "body")
    body.append(node)
    return html
