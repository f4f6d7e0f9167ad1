"""Extracted page -> dataset row: authors, dateline, agency, contributors, UTC times, clean body.

Pure functions. A page that cannot make an honest row (no headline, no body, no publication time)
is refused with a reason instead of being stored half-filled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from pipelines.byline import parse_byline, split_contributors
from pipelines.dateline import Dateline, parse_dateline
from pipelines.extraction import Extracted

#: The dateline is looked for in this many leading paragraphs; what precedes it is page furniture.
DATELINE_SEARCH_PARAGRAPHS = 5
#: A body shorter than this (in words) is not an article.
MIN_BODY_WORDS = 15


class Rejected(ValueError):
    """The page cannot make a row; ``reason`` is a short stats key."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Context:
    """What normalization needs beside the page: the story's identity and the site's defaults."""

    id: str
    source: str
    url: str
    fetched_at: dt.datetime
    default_agency: str | None = None
    timezone: str = "UTC"
    fallback_published_at: dt.datetime | None = None


def normalize(page: Extracted, ctx: Context) -> tuple[dict[str, Any], list[str]]:
    """(row, notes about missing fields). Raises :class:`Rejected` when no honest row can be made."""
    notes: list[str] = []
    headline = page.headline
    if not headline:
        raise Rejected("no_headline")
    published = page.published_at
    if published is None:
        published = ctx.fallback_published_at
        if published is None:
            raise Rejected("no_published_at")
        notes.append("published_at_from_url")

    local_day = published.astimezone(ZoneInfo(ctx.timezone)).date()
    paragraphs, dateline = lead_dateline(page.paragraphs, local_day)
    if dateline is None:
        notes.append("no_dateline")
    paragraphs, contributors = split_contributors(paragraphs)
    body = "\n\n".join(paragraphs)
    words = len(body.split())
    if words < MIN_BODY_WORDS:
        raise Rejected("no_body", f"{words} words")

    authors, byline_agency = _authors(page)
    if not authors:
        notes.append("no_authors")
    agency = (dateline.agency if dateline else None) or byline_agency or ctx.default_agency

    modified = page.modified_at
    if modified is not None and modified < published:
        modified = None
        notes.append("modified_before_published")

    row: dict[str, Any] = {
        "id": ctx.id,
        "source": ctx.source,
        "url": ctx.url,
        "headline": headline,
        "description": page.description,
        "body": body,
        "authors": authors,
        "byline": page.byline,
        "agency": agency,
        "contributors": contributors,
        "published_at": published,
        "modified_at": modified,
        "fetched_at": ctx.fetched_at,
        "dateline": dateline.text if dateline else None,
        "dateline_city": dateline.city if dateline else None,
        "dateline_region": dateline.region if dateline else None,
        "dateline_country": dateline.country if dateline else None,
        "dateline_country_code": dateline.country_code if dateline else None,
        "dateline_date": dateline.date if dateline else None,
        "section": page.section,
        "tags": list(page.tags),
        "language": page.language,
        "word_count": words,
        "image_url": page.image_url,
    }
    return row, notes


def lead_dateline(
    paragraphs: list[str], published_day: dt.date | None
) -> tuple[list[str], Dateline | None]:
    """Find the story's own dateline in its first paragraphs and cut it (and what precedes it) off.

    Only the lead is searched: teasers of other stories further down carry datelines of their own.
    """
    for index, paragraph in enumerate(paragraphs[:DATELINE_SEARCH_PARAGRAPHS]):
        dateline = parse_dateline(paragraph, published_day)
        if dateline is None:
            continue
        rest = paragraph[dateline.body_start:].strip()
        return ([rest] if rest else []) + paragraphs[index + 1:], dateline
    return list(paragraphs), None


def _authors(page: Extracted) -> tuple[list[str], str | None]:
    """Authors from structured data first, then the visible byline; plus any agency they name."""
    agency = None
    for source in (page.structured_authors, [page.byline] if page.byline else []):
        names: list[str] = []
        for text in source:
            parsed = parse_byline(text)
            agency = agency or parsed.agency
            names.extend(n for n in parsed.authors if n not in names)
        if names:
            return names, agency
    return [], agency
