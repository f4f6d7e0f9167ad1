"""A page's story text: the site's rules (story container, pruning), trafilatura, and the fallbacks
taken when they find no story or far less running text than the page holds.

Order (:func:`story_paragraphs`): trafilatura on the layout's story container (or on the page, pruned,
with a story cut into pieces joined again); if that is short, plain trafilatura on a fresh copy of the
page (and, with no story at all, trafilatura favouring recall); if there is still no story, the story
the page keeps in embedded data for the browser to render. Where no layout names the container, the
result is held against the page's declared ``articleBody`` (:func:`checked_by_declared`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

import regex
import trafilatura

from pipelines.declared_body import declared_text, reconcile
from pipelines.embedded_story import embedded_paragraphs
from pipelines.extraction import ExtractionSettings
from pipelines.furniture import drop_furniture
from pipelines.jsonld import str_or_none
from pipelines.language import count_words
from pipelines.split_story import join_split_story
from pipelines.trees import load_html, meta_content, squash, standalone

#: How a layout cleans extracted paragraphs (:meth:`pipelines.layouts.ArticleParser.clean`).
Clean = Callable[[list[str]], list[str]]


def paragraph_chars(node) -> int:
    """Characters of running text in ``node``'s paragraphs (``<p>`` of 40 characters or more): a
    cheap measure of where a page's story is."""
    total = 0
    for p in node.iter("p"):
        size = len(" ".join(p.text_content().split()))
        if size >= 40:
            total += size
    return total


def prune(tree, xpaths: Iterable[str], protect=None, *, page_chars: int | None = None) -> int:
    """Remove the nodes that ``xpaths`` find (keeping the text that follows them); how many.

    A node that holds ``protect`` (the story container) is never removed, nor one that holds most of
    the page's paragraph text (``page_chars``): a loose selector (``share``, ``related``, a
    ``<form>`` around the whole page) that happens to match a wrapper of the story must not delete it.
    """
    keep = {protect, *protect.iterancestors()} if protect is not None else set()
    removed = 0
    for xpath in xpaths:
        for node in tree.xpath(xpath):
            if node.getparent() is None or node in keep:
                continue
            if page_chars and paragraph_chars(node) * 2 > page_chars:
                keep.add(node)
                continue
            node.drop_tree()
            removed += 1
    return removed


def trafilatura_paragraphs(tree, settings: ExtractionSettings) -> list[str]:
    """Body paragraphs of a (pruned) tree through trafilatura, one per line of its text output."""
    text = trafilatura.extract(
        tree,
        output_format="txt",
        favor_precision=settings.favor_precision,
        favor_recall=settings.favor_recall,
        include_tables=settings.include_tables,
        include_comments=settings.include_comments,
        include_images=settings.include_images,
        deduplicate=settings.deduplicate,
        with_metadata=False,
    )
    return [p for p in (squash(line) for line in (text or "").splitlines()) if p]



def clean_paragraphs(paragraphs: Iterable[str], drop: Sequence[regex.Pattern[str]], min_chars: int
                     ) -> list[str]:
    """Without the paragraphs ``drop`` matches whole (a site's boilerplate), the furniture many sites
    share (:mod:`pipelines.furniture`), those under ``min_chars`` and repeats (trafilatura keeps a
    caption twice at times)."""
    kept: list[str] = []
    for paragraph in drop_furniture(paragraphs):
        if any(p.fullmatch(paragraph) for p in drop):
            continue
        if len(paragraph) < min_chars:
            continue
        if kept and kept[-1] == paragraph:
            continue
        kept.append(paragraph)
    return kept


def story_paragraphs(tree, html: str | None, *, body_xpath: str | None, prune_xpaths: Iterable[str],
                     settings: ExtractionSettings, clean: Clean, notes: list[str]) -> list[str]:
    """The site's rules first (story container ``body_xpath``, pruning, trafilatura); if they find no
    story or far less running text than the page holds, the best of the fallbacks
    (:func:`fallback_paragraphs`, which need the decoded page ``html``); with still no story, the one
    in the page's embedded data. Prunes ``tree``; what was taken is noted in ``notes``."""
    page = tree
    page_chars = paragraph_chars(tree)
    containers = tree.xpath(body_xpath) if body_xpath else []
    container = containers[0] if containers else None
    prune(tree, prune_xpaths, protect=container, page_chars=page_chars)
    if container is not None:
        tree = standalone(container)
    elif join_split_story(tree):
        notes.append("fallback:split_story_joined")
    found = clean(trafilatura_paragraphs(tree, settings))
    if html is not None and body_is_short(found, page_chars, settings):
        better = fallback_paragraphs(html, found, settings, clean, notes)
        found = better if better is not None else found
    if words(found) < settings.min_body_words:
        # no story in the markup: the page may render it in the browser from embedded data
        embedded = clean(embedded_paragraphs(page))
        if words(embedded) >= settings.min_body_words:
            notes.append("fallback:body_embedded_data")
            found = embedded
    return found


def checked_by_declared(paragraphs: list[str], tree, ld: dict[str, Any], *, clean: Clean,
                        notes: list[str]) -> list[str]:
    """The paragraphs held against the story text the page declares (JSON-LD ``articleBody``,
    :mod:`pipelines.declared_body`), its summaries told apart from the story."""
    summaries = [str_or_none(ld.get(k)) for k in ("description", "alternativeHeadline", "abstract")]
    summaries.append(meta_content(tree, "og:description", "description"))
    checked, note = reconcile(paragraphs, declared_text(ld["articleBody"]), also=summaries)
    if note:
        notes.append(f"fallback:{note}")
        checked = clean(checked)
    return checked


def body_is_short(found: list[str], page_chars: int, settings: ExtractionSettings) -> bool:
    """No story, or under ``settings.short_body_share`` of the page's paragraph text."""
    if words(found) < settings.min_body_words:
        return True
    return chars(found) < page_chars * settings.short_body_share


def fallback_paragraphs(html: str, found: list[str], settings: ExtractionSettings, clean: Clean,
                        notes: list[str]) -> list[str] | None:
    """Plain trafilatura on a fresh copy of the page, taken when it finds ``settings.fallback_gain``
    times the text the site's rules found; when they found no story at all, then also trafilatura
    with recall favoured. ``None`` when no fallback does better."""
    no_story = words(found) < settings.min_body_words
    tries = (("trafilatura", True, False), ("trafilatura_recall", False, True))
    for name, precision, recall in tries if no_story else tries[:1]:
        fresh = load_html(html, settings.max_html_bytes)
        if fresh is None:
            return None
        candidate = clean(trafilatura_paragraphs(
            fresh, replace(settings, favor_precision=precision, favor_recall=recall)))
        enough = words(candidate) >= settings.min_body_words
        if enough and chars(candidate) >= max(1, chars(found)) * settings.fallback_gain:
            notes.append(f"fallback:body_{name}")
            return candidate
    return None


def chars(paragraphs: list[str]) -> int:
    return sum(len(p) for p in paragraphs)


def words(paragraphs: list[str]) -> int:
    return sum(count_words(p) for p in paragraphs)
