"""Feeds and sitemaps -> entries (link, dates), parsed without trusting the document.

The XML parser loads no DTD, expands no entity and opens no network or file: a feed with a
"billion laughs" is refused and an external entity is never resolved, so no file's content can reach
the dataset. Gzipped sitemaps are unpacked with a size bound (no decompression bomb).
"""

from __future__ import annotations

import datetime as dt
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


def _parser(recover: bool) -> lxml.etree.XMLParser:
    return lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, recover=recover, remove_comments=True, remove_pis=True,
    )


def gunzip(body: bytes, max_bytes: int) -> bytes:
    """Unpack gzip data, refusing to produce more than ``max_bytes`` (bombs stop there)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise FeedError(f"bad gzip data: {exc}") from exc
    if len(data) > max_bytes:
        raise FeedError(f"unpacks to more than {max_bytes} bytes")
    return data


def _root(body: bytes) -> tuple[lxml.etree._Element, str | None]:
    """(root element, the syntax error that had to be repaired or None)."""
    if not body or not body.strip():
        raise FeedError("empty document")
    repaired: str | None = None
    try:
        root = lxml.etree.fromstring(body, parser=_parser(False))
    except lxml.etree.XMLSyntaxError as exc:
        repaired = str(exc)
        try:
            root = lxml.etree.fromstring(body, parser=_parser(True))
        except lxml.etree.XMLSyntaxError as exc2:
            raise FeedError(f"not XML: {exc2}") from exc2
    if root is None or not isinstance(root.tag, str):
        raise FeedError(f"not XML: {repaired}" if repaired else "not XML")
    return root, repaired


def parse_feed(body: bytes, max_entries: int = 5000) -> tuple[list[FeedEntry], bool]:
    """(entries, whether the XML had to be repaired), at most ``max_entries``.

    Raises :class:`FeedError` when nothing feed-like can be read.
    """
    root, repaired = _root(body)
    kind = lxml.etree.QName(root).localname.lower()
    if kind not in {"rss", "feed", "rdf"}:
        raise FeedError(f"not a feed: root element <{kind}>")
    entries: list[FeedEntry] = []
    for node in root.iter("{*}item", "{*}entry"):
        entry = _entry(node)
        if entry is not None:
            entries.append(entry)
            if len(entries) >= max_entries:
                break
    if repaired and not entries:
        # libxml2 stops at the first fatal error (including entity amplification): say why.
        raise FeedError(f"not XML: {repaired}")
    return entries, repaired is not None


def _entry(node) -> FeedEntry | None:
    link = None
    for child in node:
        if not isinstance(child.tag, str):
            continue
        name = lxml.etree.QName(child).localname
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
        if isinstance(child.tag, str) and lxml.etree.QName(child).localname == localname:
            text = (child.text or "").strip()
            if text:
                return text
    return None


def parse_sitemap(body: bytes, max_entries: int = 5000) -> tuple[Sitemap, bool]:
    """A sitemap or sitemap index, news extensions included (Scrapy's own reader drops the nested
    ``news:`` tags): an entry's ``published_at`` is ``news:publication_date``, its ``modified_at``
    ``lastmod``. Raises :class:`FeedError` when the document is not one."""
    root, repaired = _root(body)
    kind = lxml.etree.QName(root).localname
    if kind not in {"urlset", "sitemapindex"}:
        raise FeedError(f"not a sitemap: root element <{kind}>")
    entries: list[FeedEntry] = []
    for node in root.iter("{*}url", "{*}sitemap"):
        loc = _child_text(node, "loc")
        if not loc:
            continue
        news = next((c for c in node if isinstance(c.tag, str)
                     and lxml.etree.QName(c).localname == "news"), None)
        published = _child_text(news, "publication_date") if news is not None else None
        entries.append(FeedEntry(link=loc, published_at=to_utc(published),
                                 modified_at=to_utc(_child_text(node, "lastmod"))))
        if len(entries) >= max_entries:
            break
    if repaired and not entries:
        raise FeedError(f"not XML: {repaired}")
    return Sitemap(is_index=kind == "sitemapindex", entries=entries), repaired is not None
