"""When a page says its story was published: the dated sources in their trust order, and the zone its
zone-less times are read in.

Trust order (:func:`published_time`): the JSON-LD ``datePublished``/``dateCreated``; the page's date
metas (:data:`PUBLISHED_METAS`, then Parse.ly's ``parsely-page`` JSON); its visible header (the layout's
``date_xpath``, then :func:`visible_dates`); the site's own rule (UPI's id); then a day only: the first of
those sources that gave a day without a time, the day spelled in the URL, htmldate's fast and then
extensive search.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import htmldate
import regex

from pipelines.dates import date_with_time, day_start, to_day, to_utc, url_day
from pipelines.jsonld import str_or_none
from pipelines.trees import meta_content, squash


@dataclass(frozen=True)
class Published:
    """A publication time, the source that gave it and how precise it is (``time`` or ``day``)."""

    at: dt.datetime | None = None
    source: str | None = None
    precision: str | None = None


    source: str | None = None
    precision: str | None = None


#: Date metas of many sites and CMSs, most specific first (``itemprop`` values may be several words).
PUBLISHED_METAS = (
    "article:published_time", "datePublished", "og:article:published_time", "article:published",
    "article:published:time",
    "og:published_time", "published_time", "pubdate", "publishdate", "publish-date", "publish_date",
    "sailthru.date", "parsely-pub-date", "dc.date.issued", "DC.date.issued", "dcterms.issued",
    "dcterms.created", "DC.date", "dc.date", "date", "Date", "OriginalPublicationDate",
    "article.published", "cXenseParse:recs:publishtime", "REVISION_DATE",
)


#: Metas of machine-readable times whose offset tells a page's zone (:func:`machine_times`).
_MACHINE_TIME_METAS = (
    ("article:published_time", "article:published:time", "og:article:published_time"),
    ("article:modified_time", "article:modified:time", "og:updated_time", "dateModified"),
)


def parsely_date(tree) -> str | None:
    """``pub_date`` of the JSON in ``<meta name="parsely-page">`` (Parse.ly's older tag)."""
    raw = meta_content(tree, "parsely-page")
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return str_or_none(data.get("pub_date")) if isinstance(data, dict) else None


#: Elements that show a story's time: ``<time datetime>``, ``itemprop=datePublished`` outside
#: ``<meta>``, and short blocks whose class or id speaks of a date.
_NOT_CAPTION = "[not(ancestor::figcaption or ancestor::figure)]"
_VISIBLE_DATES = (
    "//*[contains(concat(' ', normalize-space(@itemprop), ' '), ' datePublished ')][not(self::meta)]"
    "/@datetime | //*[contains(concat(' ', normalize-space(@itemprop), ' '), ' datePublished ')]"
    "[not(self::meta)]/@content",
    f"(//article//time{_NOT_CAPTION}/@datetime | //time{_NOT_CAPTION}/@datetime)[position() <= 3]",
    "//*[self::span or self::div or self::p or self::time or self::li or self::abbr or self::em]"
    "[contains(@class,'date') or contains(@class,'Date') or contains(@class,'time')"
    " or contains(@class,'Time') or contains(@class,'publish') or contains(@id,'date')"
    " or contains(@id,'Date') or contains(@class,'byline')][string-length(normalize-space()) < 120]"
    + _NOT_CAPTION,
)


#: Text nodes of a page scanned for a date with a time, at most (the header comes first).
_SCANNED_TEXTS = 3000


def visible_dates(tree, limit: int = 6) -> Iterator[str]:
    """Texts of the page that show its date, most explicit first (lazily: a few XPath queries, then
    the first date with a time written anywhere in the page's text: ``Thu Jan 10, 2008 6:04pm EST``,
    ``Do 25.04.24 | 14:07 Uhr``, ``13. Mai 2026 um 15:44``), never an image's caption."""
    given = 0
    for xpath in _VISIBLE_DATES:
        for node in tree.xpath(xpath):
            text = squash(node if isinstance(node, str) else " ".join(node.itertext()))
            if text and regex.search(r"\d", text):
                yield text
                given += 1
                if given >= limit:
                    return
    body = tree.find(".//body")
    if body is None:
        return
    count = 0
    for element in body.iter():
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            if not text:
                continue
            count += 1
            if count >= _SCANNED_TEXTS:
                return
            if len(text) < 300 and (found := date_with_time(text)) and not _in_caption(owner):
                yield found
                return


def _in_caption(element) -> bool:
    """Whether an element is (inside) an image's figure or caption."""
    for node in (element, *element.iterancestors()):
        if node.tag in ("figcaption", "figure") or "caption" in (node.get("class") or "").lower():
            return True
    return False

def date_candidates(tree, ld: dict[str, Any], visible: Callable[[], str | None]
                    ) -> Iterator[tuple[str, list[str | None]]]:
    """(source, values) in order of trust, computed lazily: most pages stop at the first. ``visible``
    is the layout's reading of its header (:meth:`pipelines.layouts.ArticleParser.visible_published`)."""
    yield "structured", [str_or_none(ld.get("datePublished")), str_or_none(ld.get("dateCreated"))]
    yield "meta", [meta_content(tree, *PUBLISHED_METAS), parsely_date(tree)]
    yield "visible", [visible(), *visible_dates(tree)]


def published_time(candidates: Iterator[tuple[str, list[str | None]]], url: str, tree, *,
                   zone_of: Callable[[str], dt.tzinfo | str], site_published: dt.datetime | None,
                   notes: list[str]) -> Published:
    """The publication time and where it came from, in falling order of trust: the first of
    ``candidates`` (:func:`date_candidates`) with a time, the site's own rule (``site_published``: UPI's
    id), then a day only: one of the candidates without a time, the day spelled in the URL, htmldate's
    fast and then extensive search. ``Published()`` when the page gives no date at all. A value with a
    time that cannot be read is noted in ``notes`` (``rejected_date:<source>``)."""
    first_day: tuple[str, dt.date] | None = None  # the first source that gave only a day
    for source, values in candidates:
        for value in values:
            if not value:
                continue
            found = to_utc(value, zone_of(value), require_time=True)
            if found:
                return Published(found, source, "time")
            if _looks_dated(value):
                notes.append(f"rejected_date:{source}")  # a time, but an impossible one
            elif first_day is None and (day := to_day(value)) is not None:
                first_day = (source, day)
    if site_published is not None:
        return Published(site_published, "id", "time")
    if first_day is not None:
        return Published(day_start(first_day[1]), first_day[0], "day")
    day = url_day(url)
    if day is not None:
        return Published(day_start(day), "url", "day")
    return htmldate_published(tree, url, notes)


def htmldate_published(tree, url: str, notes: list[str]) -> Published:
    """htmldate on the whole page but its images' captions (a photo's date is not the story's),
    fast search first (it also reads the URL), then extensive."""
    if tree.find(".//figcaption") is not None:
        tree = copy.deepcopy(tree)
        for caption in tree.iter("figcaption"):
            caption.clear(keep_tail=True)
    for extensive in (False, True):
        try:
            found = htmldate.find_date(tree, extensive_search=extensive, original_date=True,
                                       url=url, outputformat="%Y-%m-%d")
        except Exception:  # noqa: BLE001 - a date guess must never sink the page
            found = None
        day = to_day(found)
        if day is not None:
            notes.append("fallback:htmldate_extensive" if extensive else "fallback:htmldate")
            return Published(day_start(day), "htmldate", "day")
    return Published()


def machine_times(tree, ld: dict[str, Any]) -> list[str | None]:
    """The page's machine-readable times (JSON-LD, :data:`_MACHINE_TIME_METAS`), whose offsets tell the
    zone of a page whose site declares none (:func:`pipelines.zones.page_zone`)."""
    machine = [str_or_none(ld.get(k)) for k in ("datePublished", "dateModified", "dateCreated")]
    machine += [meta_content(tree, *keys) for keys in _MACHINE_TIME_METAS]
    return machine


def _looks_dated(value: str) -> bool:
    """A value with a four-digit year and a time: worth counting when it was refused."""
    return bool(regex.search(r"\d{4}", value) and regex.search(r"\d:\d\d", value))
