"""One fetched page -> one dataset row, or the reason there is none: the path of an article after its
download, free of Scrapy, run in the worker processes (:mod:`pipelines.workers`).

``parse_page(site, page)`` needs only the site's description (:mod:`pipelines.sites`) and the page as
fetched (:class:`pipelines.fetched_page.FetchedPage`: URL, bytes, the encoding the server declared, when
it was fetched, its story id).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from pipelines.cleaning import clean_row, printable
from pipelines.extraction import ExtractionSettings
from pipelines.fetched_page import FetchedPage
from pipelines.fingerprint import signature, to_stored
from pipelines.markup_repair import needs_repair, repair_markup
from pipelines.normalize import Context, Rejected, normalize
from pipelines.sites.base import Site
from pipelines.trees import decode_html, load_html


@dataclass
class Outcome:
    """What became of one page: a row, or the reason it was dropped; and what to count and log."""

    row: dict[str, Any] | None = None
    reason: str | None = None
    detail: str = ""
    counters: dict[str, int] = field(default_factory=dict)
    logs: list[tuple[int, str]] = field(default_factory=list)

    def count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n

    def log(self, level: int, message: str) -> None:
        self.logs.append((level, message))

    def drop(self, reason: str, detail: str = "") -> Outcome:
        self.reason, self.detail = reason, detail
        self.count(f"wirecrawl/dropped/{reason}")
        return self


def parse_page(site: Site, page: FetchedPage,
               extraction: ExtractionSettings | None = None) -> Outcome:
    """Decode, parse with the layout the page was served in (or the site's generic rules for an
    unknown one), extract, normalize."""
    extraction = extraction or ExtractionSettings()
    out = Outcome()
    url, story_id, body = page.url, page.id, page.body
    text, repair = decode_html(body, body.decode(page.encoding or "utf-8", "replace"))
    if repair:
        out.log(logging.INFO, f"{url[:300]}: {repair.replace('_', ' ')}, decoded again")
        out.count(f"wirecrawl/encoding/{repair}")
    # a raw control byte would end libxml2's parse of the paragraph holding it (and the story with it)
    text = printable(text)
    if not text.strip():
        return out.drop("empty_page", "no content")
    tree = load_html(text, extraction.max_html_bytes)
    if needs_repair(tree, text):
        # a <title>, <script> or comment never closed has swallowed the story: close it, read again
        repaired, notes = repair_markup(text)
        again = load_html(repaired, extraction.max_html_bytes) if notes else None
        if again is not None and not needs_repair(again, repaired):
            text, tree = repaired, again
            out.count("wirecrawl/markup/repaired")
            out.log(logging.INFO, f"{url[:300]}: broken markup repaired ({', '.join(notes)})")
    if tree is None or tree.find(".//body") is None:
        return out.drop("unparsable", "not HTML")
    fetched_at = page.fetched_at
    layout = site.layout_for(tree, fetched_at.date())
    unknown = layout is None
    if unknown:
        # a page of the service's article URLs in a layout no parser knows: still a story, read by
        # the generic rules with the service's knowledge, and counted for the drift alarm
        layout = site.fallback
        if site.layouts:  # a site without layouts (the generic one) has no unknown layout
            out.count("wirecrawl/layout/unknown")
    out.count(f"wirecrawl/layout/{layout.name}")
    extracted = layout(extraction, site.timezone if site.timezone_declared else None).parse(
        tree, url, html=text, site_published=site.published_from_url(url))
    out.count("wirecrawl/articles/parsed")
    for note in extracted.notes:
        if note.startswith("fallback:"):
            out.count(f"wirecrawl/fallback/{note.removeprefix('fallback:')}")
            continue
        if note.startswith("missed:"):  # a selector of a declared layout found nothing: drift, not damage
            if not unknown:
                out.count(f"wirecrawl/layout/missed/{layout.name}/{note.removeprefix('missed:')}")
            continue
        out.count(f"wirecrawl/{note.split(':')[0]}")
        out.log(logging.WARNING, f"{url[:300]}: {note} (the value was not believed)")
    context = Context(id=story_id, source=site.source,
                      url=site.canonical_url(extracted.canonical_url, url, story_id),
                      fetched_at=fetched_at, default_agency=site.agency, timezone=extracted.timezone)
    try:
        row, notes = normalize(extracted, context)
    except Rejected as exc:
        if unknown and exc.reason == "no_body" and not site.looks_like_article(tree):
            return out.drop("not_article", "no known layout, no story text, no article markup")
        return out.drop(exc.reason, exc.detail)
    for note in clean_row(row, url):
        out.count(f"wirecrawl/cleaned/{note.replace(':', '/')}")
    if not row["headline"]:
        return out.drop("no_headline", "nothing but markup")
    out.count(f"wirecrawl/headline/{row['headline_source']}")
    out.count(f"wirecrawl/published_at/{extracted.published_source or 'none'}")
    if row["published_at"] is None:
        out.count("wirecrawl/items/undated")
    for note in notes:
        out.count(f"wirecrawl/missing/{note}")
    if notes:
        out.log(logging.INFO, f"{context.url[:300]} stored without: {', '.join(notes)}")
    # computed here, on a worker's core; the crawler only looks it up (pipelines.clusters)
    sig = signature(row["body"])
    row["fingerprint"] = to_stored(sig)
    out.row = row
    return out
