"""Extracted page -> dataset row: authors, dateline, agency, contributors, UTC times, clean body.

Pure functions. A page that holds no story (no headline, no body text) is refused with a reason; a story
whose details are unsure is stored with what is known and notes saying what is missing (a story without
any date keeps ``published_at`` null and is filed under the day it was fetched).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import regex

from pipelines.agencies import agency_in, normalize_agency
from pipelines.byline import opens_byline, parse_byline, parse_contributors, split_contributors
from pipelines.dateline import Dateline, parse_dateline
from pipelines.extraction import Extracted
from pipelines.language import count_words
from pipelines.publisher import SiteNames

#: The dateline is looked for in this many leading paragraphs; what precedes it is page furniture.
DATELINE_SEARCH_PARAGRAPHS = 5
#: A body shorter than this (in words; a Chinese or Japanese character is a word) is not an article.
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
    #: the zone of the page's local day (a zone name, or a fixed offset the page stated)
    timezone: str | dt.tzinfo = "UTC"


def normalize(page: Extracted, ctx: Context) -> tuple[dict[str, Any], list[str]]:
    """(row, notes about missing fields). Raises :class:`Rejected` when no honest row can be made."""
    notes: list[str] = []
    published = page.published_at
    if published is None:
        notes.append("no_published_at")
    elif page.published_source in ("id", "url"):
        notes.append("published_at_from_url")

    zone = ctx.timezone if isinstance(ctx.timezone, dt.tzinfo) else ZoneInfo(ctx.timezone)
    local_day = (published or ctx.fetched_at).astimezone(zone).date()
    lead, paragraphs, dateline = split_lead(page.paragraphs, local_day)
    if dateline is None:
        notes.append("no_dateline")
        # no dateline to cut at: a byline line opening the body is the byline, not the story
        lead = [p for p in paragraphs[:2] if _byline_line(p) and parse_byline(p).authors][:1]
        if lead:
            paragraphs = [p for p in paragraphs if p is not lead[0]]
    paragraphs, contributors = split_contributors(paragraphs)
    if not contributors:  # a credit line kept only in the page's embedded JSON (Reuters 2019-2020)
        for line in page.credit_lines:
            contributors.extend(n for n in parse_contributors(line) or [] if n not in contributors)
    body = "\n\n".join(paragraphs)
    words = count_words(body)
    if words < MIN_BODY_WORDS:
        raise Rejected("no_body", f"{words} words")
    headline, headline_source = page.headline, page.headline_source
    if not headline:  # no source of the chain, not even a <title>: a page, not a story
        raise Rejected("no_headline")

    lead_byline = next((p for p in lead if _byline_line(p)), None)
    authors, byline_agency = _authors(page, lead_byline)
    if not authors and dateline is None and (line := _name_line(paragraphs, page.site_names)) is not None:
        authors = parse_byline(paragraphs[line]).authors  # "Mohloai Mpesi" alone above the story
        paragraphs = paragraphs[:line] + paragraphs[line + 1:]
        body = "\n\n".join(paragraphs)
        words = count_words(body)
    if not authors:
        authors, guessed_agency = _guessed_authors(page)
        byline_agency = byline_agency or guessed_agency
    if not authors:
        notes.append("no_authors")
    agency = ((dateline.agency if dateline else None) or byline_agency or page.site_names.agency
              or ctx.default_agency)

    modified = page.modified_at
    if modified is not None and published is not None and modified < published:
        modified = None
        notes.append("modified_before_published")

    row: dict[str, Any] = {
        "id": ctx.id,
        "source": ctx.source,
        "url": ctx.url,
        "headline": headline,
        "headline_source": headline_source,
        "kicker": page.kicker,
        "description": page.description,
        "body": body,
        "authors": authors,
        "byline": page.byline or lead_byline or page.guessed_byline,
        "agency": agency,
        "publisher": page.publisher,
        "contributors": contributors,
        "published_at": published,
        "published_source": page.published_source if published else None,
        "published_precision": page.published_precision if published else None,
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
    _, rest, dateline = split_lead(paragraphs, published_day)
    return rest, dateline


def split_lead(
    paragraphs: list[str], published_day: dt.date | None
) -> tuple[list[str], list[str], Dateline | None]:
    """(paragraphs before the dateline, the story after it, the dateline). Without a dateline in the
    first paragraphs: nothing before, every paragraph, ``None``."""
    for index, paragraph in enumerate(paragraphs[:DATELINE_SEARCH_PARAGRAPHS]):
        dateline = parse_dateline(paragraph, published_day)
        if dateline is None:
            continue
        rest = paragraph[dateline.body_start:].strip()
        return paragraphs[:index], ([rest] if rest else []) + paragraphs[index + 1:], dateline
    return [], list(paragraphs), None


def _byline_line(paragraph: str) -> bool:
    """A byline kept in the text ("By Ahmad Pathoni and Olivia Rondonuwu", "Von Anna Muster")."""
    return len(paragraph) <= 160 and "\n" not in paragraph and opens_byline(paragraph)


def _authors(page: Extracted, lead_byline: str | None = None) -> tuple[list[str], str | None]:
    """Authors from structured data, unless a visible byline (the page's, or a byline line above the
    story) names more people: JSON-LD that lists two of a story's three reporters loses to the byline.
    The publication and its company are no author (``Frankfurter Allgemeine Zeitung GmbH``,
    ``ndr.de``: they are the ``publisher``), nor an agency (the ``agency``). trafilatura's guess is
    believed only when no other source names anyone."""
    agency = next(filter(None, (normalize_agency(o) or agency_in(o) for o in page.structured_organisations)),
                  None)
    best: list[str] = []
    site = page.site_names
    for source in (page.structured_authors, [page.byline], [lead_byline]):
        names, found_agency, site = _people(source, site)
        agency = agency or found_agency
        if len(names) > len(best):
            best = names
    return best, agency


def _guessed_authors(page: Extracted) -> tuple[list[str], str | None]:
    """The people trafilatura's guess names (the last resort)."""
    site = page.site_names
    for text in page.structured_authors:  # a structured author that named the publication
        if text and site.names_publication(text):
            site = site.with_name(text)
    names, agency, _ = _people([page.guessed_byline], site)
    return names, agency


def _people(texts: list[str | None], site: SiteNames) -> tuple[list[str], str | None, SiteNames]:
    """The people ``texts`` name (each parsed as a byline), the publication left out; an agency; and
    the site's names with those the texts gave the publication."""
    names: list[str] = []
    agency = None
    for text in texts:
        if not text:
            continue
        if site.names_publication(text):
            site = site.with_name(text)
            continue
        parsed = parse_byline(text)
        agency = agency or parsed.agency
        names.extend(n for n in parsed.authors if n not in names and not site.is_publication(n))
    return names, agency, site


#: A paragraph that is names and nothing else: "Mohloai Mpesi", "MTHOBISI SITHOLE",
#: "Mathatisi Sebusi/Mohalenyane Phakela".
_NAME_LINE = regex.compile(
    r"\p{Lu}[\p{L}\p{M}.'’\-]+(?:\s+[\p{L}\p{M}.'’\-]+){1,3}"
    r"(?:\s*(?:/|,|&|\band\b)\s*\p{Lu}[\p{L}\p{M}.'’\-]+(?:\s+[\p{L}\p{M}.'’\-]+){1,3})*")
#: A name line is looked for in this many leading paragraphs.
NAME_LINE_SEARCH = 3


def _name_line(paragraphs: list[str], site: SiteNames) -> int | None:
    """The index of a paragraph that is names alone ("Mohloai Mpesi", "A Sebusi/B Phakela") above the
    story: a byline the page printed in the text. Only short lines (a sub-headline) may precede it."""
    for index, paragraph in enumerate(paragraphs[:NAME_LINE_SEARCH]):
        line = paragraph.strip()
        if len(line) <= 80 and _NAME_LINE.fullmatch(line) and not site.is_publication(line) \
                and parse_byline(line).authors:
            return index
        if len(line.split()) >= 20:
            return None
    return None
