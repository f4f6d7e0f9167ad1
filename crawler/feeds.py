"""RSS and Atom feeds -> entries (link, dates), parsed without trusting the feed.

The XML parser loads no DTD, expands no entity and opens no network or file: a feed with a
"billion laughs" or an external entity yields its entities unexpanded, never a file's content.
"""

from __future__ import annotations

import datetime as dt
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


def _parser(recover: bool) -> lxml.etree.XMLParser:
    return lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, recover=recover, remove_comments=True, remove_pis=True,
    )


def parse_feed(body: bytes, max_entries: int = 5000) -> tuple[list[FeedEntry], bool]:
    """(entries, whether the XML had to be repaired), at most ``max_entries``.

    Raises :class:`FeedError` when nothing feed-like can be read.
    """
    if not body or not body.strip():
        raise FeedError("empty document")
    repaired: str | None = None
    try:
        root = lxml.etree.fromstring(body, parser=_parser(False))
    except lxml.etree.XMLSyntaxError as exc:
        repaired = str(exc)
        try:
            root = lxml.etree.fromstring(body, parser=_parser(True))
        except lxml.etree.XMLSyntaxError as exc:
            raise FeedError(f"not XML: {exc}") from exc
    if root is None or not isinstance(root.tag, str):
        raise FeedError("not XML")
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
