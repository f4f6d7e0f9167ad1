"""What extraction reads from a page (:class:`Extracted`), and every tunable of extraction
(:class:`ExtractionSettings`).

Scrapy-free. The work is split by concern: :mod:`pipelines.trees` (decoding, lxml trees, ``<meta>``),
:mod:`pipelines.published` (the publication time), :mod:`pipelines.metadata` (authors, keywords, credit
lines, trafilatura's metadata), :mod:`pipelines.headline`, :mod:`pipelines.publisher`,
:mod:`pipelines.body` (the story text and its fallbacks) and :mod:`pipelines.layouts` (the class a
site's layouts subclass, and the choice of a layout for a page); :func:`pipelines.parse.parse_page`
runs them on one page.

Trust order of the metadata sources, field by field, as :class:`pipelines.layouts.ArticleParser` reads
them (first found wins unless said otherwise; JSON-LD means the page's article object less the fields a
layout distrusts, ``untrusted_ld_fields``):

- published: JSON-LD ``datePublished``/``dateCreated``; date metas (``article:``, ``og:``,
  ``itemprop``, Dublin Core, sailthru, ...), then Parse.ly's ``parsely-page`` JSON; the visible header
  (the layout's ``date_xpath``, ``itemprop``/``<time>``/date-classed elements, a date with a time in
  the text); the site's own rule (UPI's id); then a day only: the first of those that gave a day, the
  URL's day, htmldate (fast, then extensive).
- headline: JSON-LD ``headline``, ``og:title``, ``twitter:title``, the visible one (the layout's
  ``headline_xpath``, else ``<h1>``; read where no declared one is found or one may carry a kicker,
  which the visible one then tells); then ``<title>``; then trafilatura's title. The generic layout
  puts the ``<h1>`` first on pages whose metadata describes the site rather than the story.
- authors: JSON-LD ``author``, else ``<meta name=author>``, else Dublin Core/citation creators; the
  visible byline (the layout's ``byline_xpath``, else generic byline patterns) or a byline line atop
  the body wins when it names more people; trafilatura's author only when nothing names anyone;
  credit lines from the body, else from the page's embedded JSON.
- publisher: ``og:site_name``, JSON-LD ``publisher``, ``application-name``.
- canonical URL: ``<link rel=canonical>``, ``og:url``, JSON-LD ``url`` (kept only if it names the
  same story: :meth:`pipelines.sites.base.Site.canonical_url`).
- description: JSON-LD, then ``og:description``/``description``. Image: ``og:image``, then JSON-LD.
- modified: JSON-LD ``dateModified``, then ``article:modified_time`` metas.
- section: the layout's ``section_xpath``, ``article:section``, JSON-LD ``articleSection``.
- tags: ``news_keywords``, else ``keywords``.
- language: ``<html lang>``, ``og:locale``, JSON-LD ``inLanguage``, the site's; checked against the
  story's text unless the site states its language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipelines.publisher import SiteNames


@dataclass(frozen=True)
class ExtractionSettings:
    """Every tunable of extraction, in one place (trafilatura's own options included).

    The trafilatura options were chosen by ``benchmarks/extraction_quality.py`` on the corpus.
    """

    favor_precision: bool = True
    favor_recall: bool = False
    include_tables: bool = True
    include_comments: bool = False
    include_images: bool = False
    deduplicate: bool = False
    #: Pages larger than this are not parsed (the downloader has its own, larger, limit).
    max_html_bytes: int = 5 * 1024 * 1024
    #: Paragraphs shorter than this many characters are dropped.
    min_paragraph_chars: int = 2
    #: A body of fewer words is no story (normalization refuses it); extraction then tries fallbacks.
    min_body_words: int = 15
    #: The site's rules found "far less" than the page holds below this share of its paragraph text...
    short_body_share: float = 0.5
    #: ...and a fallback is taken when it finds at least this many times their text.
    fallback_gain: float = 1.5


@dataclass
class Extracted:
    """What a parser reads from one page, before normalization."""

    url: str
    canonical_url: str | None = None
    headline: str | None = None
    #: which source gave it (:class:`pipelines.headline.Headline`)
    headline_source: str | None = None
    #: the kicker (overline) set apart from the headline
    kicker: str | None = None
    #: the publication (``og:site_name``, the JSON-LD ``publisher``)
    publisher: str | None = None
    #: every name the page gives its publication, to keep them out of the authors
    site_names: SiteNames = field(default_factory=SiteNames)
    description: str | None = None
    byline: str | None = None
    structured_authors: list[str] = field(default_factory=list)
    #: organisations the structured data names as authors (an agency, the paper itself)
    structured_organisations: list[str] = field(default_factory=list)
    #: trafilatura's guess at the author, believed only when nothing else names one
    guessed_byline: str | None = None
    published_at: dt.datetime | None = None
    #: which source gave it: ``structured``, ``meta``, ``visible``, ``id``, ``url``, ``htmldate``
    published_source: str | None = None
    #: ``time`` or ``day`` (a day-only date, stored as 00:00 UTC of that day)
    published_precision: str | None = None
    modified_at: dt.datetime | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    image_url: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    #: credit lines ("Reporting by …") found outside the body, in the page's embedded JSON
    credit_lines: list[str] = field(default_factory=list)
    layout: str | None = None
    #: what the parser refused to believe (e.g. ``rejected_date``), for the stats
    notes: list[str] = field(default_factory=list)
    #: the zone the page's zone-less times were read in (the site's, or the page's own)
    timezone: dt.tzinfo | str = "UTC"
