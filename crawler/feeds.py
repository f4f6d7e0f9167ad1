"""Feeds and sitemaps -> entries (link, dates), parsed without trusting the document.

The XML parser loads no DTD, expands no entity and opens no network or file: a feed with a
"billion laughs" is refused and an external entity is never resolved, so no file's content can reach
the dataset. Gzipped sitemaps are unpacked with a size bound (no decompression bomb).
"""

from __future__ import annotations

import datetime as dt
import io
import zlib
from dataclasses import dataclass

import lxml.etree

from pipelines.dates import to_utc


class FeedError(ValueError):
    """The document is not a readable feed."""


@dataclass(frozen=True)
class FeedEntry:
    link: str
    published_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: child sitemaps (index) or page entries (urlset)."""

    is_index: bool
    entries: list[FeedEntry]


def gunzip(body: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """(the first ``max_bytes`` that gzip ``body`` unpacks to, whether there was more): a feed or a
    sitemap is read in order, so its beginning is worth as much as a smaller file, and a bomb stops
    there. Data cut short (a stopped download) gives what it holds; nothing readable is a
    :class:`FeedError`."""
    out, cut, rest = bytearray(), False, body
    while rest[:2] == b"\x1f\x8b" and not cut:  # member by member (concatenated gzip is one file)
        inflate = zlib.decompressobj(31)
        try:
            out += inflate.decompress(rest, max_bytes - len(out))
        except zlib.error as exc:
            if out:
                break
            raise FeedError(f"bad gzip data: {exc}") from exc
        cut = bool(inflate.unconsumed_tail) or (len(out) >= max_bytes and not inflate.eof)
        rest = inflate.unused_data
    if not out:
        raise FeedError("bad gzip data: nothing in it")
    return bytes(out), cut


def _localname(node) -> str:
    return lxml.etree.QName(node).localname


def _stream(body: bytes, max_entries: int, entry_tags: frozenset[str], root_kinds: frozenset[str],
            make_entry) -> tuple[str, list[FeedEntry], str | None]:
    """(root element name, entries, the syntax error met or None), reading incrementally.

    Entries are built as their element closes and the element is then freed, so a feed of 100,000
    items costs no more memory than ``max_entries`` entries; reading stops there. A syntax error
    (a truncated feed, an entity bomb) ends the reading and keeps what came before it.
    """
    if not body or not body.strip():
        raise FeedError("empty document")
    events = lxml.etree.iterparse(
        io.BytesIO(body), events=("start", "end"), resolve_entities=False, no_network=True,
        load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=True,
        remove_pis=True)
    root: str | None = None
    entries: list[FeedEntry] = []
    error: str | None = None
    try:
        for event, node in events:
            if event == "start":
                if root is None:
                    root = _localname(node)
                    if root.lower() not in root_kinds:
                        raise FeedError(f"not a feed: root element <{root}>")
                continue
            if _localname(node) not in entry_tags:
                continue
            entry = make_entry(node)
            node.clear()
            parent = node.getparent()
            while parent is not None and node.getprevious() is not None:
                del parent[0]
            if entry is not None:
                entries.append(entry)
                if len(entries) >= max_entries:
                    break
    except lxml.etree.XMLSyntaxError as exc:
        error = str(exc)
    if root is None or (error and not entries):
        raise FeedError(f"not XML: {error}" if error else "not XML")
    return root, entries, error


def parse_feed(body: bytes, max_entries: int = 5000) -> tuple[list[FeedEntry], bool]:
    """(entries, whether the XML was broken and only read up to the fault), at most
    ``max_entries``. Raises :class:`FeedError` when nothing feed-like can be read."""
    _, entries, error = _stream(body, max_entries, frozenset({"item", "entry"}),
                                frozenset({"rss", "feed", "rdf"}), _entry)
    return entries, error is not None


def _entry(node) -> FeedEntry | None:
    link = None
    for child in node:
        if not isinstance(child.tag, str):
            continue
        name = _localname(child)
        if name == "link":
            href = child.get("href")
            rel = child.get("rel", "alternate")
            if href and rel == "alternate":
                link = href.strip()
                break
            if not href and child.text and child.text.strip():
                link = child.text.strip()
                break
    if not link:
        guid = _child_text(node, "guid")
        if guid and guid.startswith(("http://", "https://")):
            link = guid
    if not link:
        return None
    published = _child_text(node, "pubDate") or _child_text(node, "published") or _child_text(
        node, "date")
    modified = _child_text(node, "updated") or _child_text(node, "modified")
    return FeedEntry(link=link, published_at=to_utc(published), modified_at=to_utc(modified))


def _child_text(node, localname: str) -> str | None:
    for child in node:
        if isinstance(child.tag, str) and _localname(child) == localname:
            text = (child.text or "").strip()
            if text:
                return text
    return None


def parse_sitemap(body: bytes, max_entries: int = 5000) -> tuple[Sitemap, bool]:
    """A sitemap or sitemap index, news extensions included (Scrapy's own reader drops the nested
    ``news:`` tags): an entry's ``published_at`` is ``news:publication_date``, its ``modified_at``
    ``lastmod``. Raises :class:`FeedError` when the document is not one."""
    root, entries, error = _stream(body, max_entries, frozenset({"url", "sitemap"}),
                                   frozenset({"urlset", "sitemapindex"}), _sitemap_entry)
    return Sitemap(is_index=root == "sitemapindex", entries=entries), error is not None


def _sitemap_entry(node) -> FeedEntry | None:
    loc = _child_text(node, "loc")
    if not loc:
        return None
    news = next((c for c in node if isinstance(c.tag, str) and _localname(c) == "news"), None)
    published = _child_text(news, "publication_date") if news is not None else None
    return FeedEntry(link=loc, published_at=to_utc(published),
                     modified_at=to_utc(_child_text(node, "lastmod")))
