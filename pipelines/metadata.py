"""A page's metadata sources other than its dates (:mod:`pipelines.published`) and headline
(:mod:`pipelines.headline`): whether it describes an article at all, its authors as structured data
names them, the byline a page of no known layout shows, credit lines kept in embedded JSON, its
keywords, and trafilatura's metadata, the last resort.
"""

from __future__ import annotations

from typing import Any

import regex
import trafilatura

from pipelines.agencies import normalize_agency
from pipelines.byline import inverted_name, opens_byline
from pipelines.cleaning import LIST_CAPS
from pipelines.jsonld import Graph, ld_article, ld_names, read_graph, text_value
from pipelines.trees import meta_content, squash, xpath_text


def page_is_described(tree) -> bool:
    """Whether the page's structured metadata describes an article (not the site as a whole)."""
    if ld_article(read_graph(tree).objects):
        return True
    return (meta_content(tree, "og:type") or "").lower() == "article"


def structured_authors(tree, ld: dict[str, Any], graph: Graph) -> list[str]:
    """The JSON-LD authors, else ``<meta name=author>``, else the Dublin Core / citation creators
    (one meta a person, surname first: ``You, Xiaoying``)."""
    names = ld_names(ld.get("author"), graph)
    if not names:
        author = text_value(meta_content(tree, "author", "article:author"))
        names = [author] if author and not author.startswith("http") else []
    if not names:
        creators = tree.xpath("//meta[@name='dc.creator' or @name='DC.creator' or "
                              "@name='citation_author']/@content")
        names = [inverted_name(c) for c in dict.fromkeys(filter(None, map(text_value, creators)))]
    return names


#: Where a page of no known layout shows its byline: short elements marked as one (of which the
#: first that opens with a byline's word, "By …", "Von …", "Par …", is taken: :func:`generic_byline`).
_GENERIC_BYLINE = ("//*[contains(@class,'byline') or contains(@class,'Byline') or @rel='author' or "
                   "contains(@class,'author') or contains(@class,'Author')]"
                   "[string-length(normalize-space()) < 200]")
#: Elements of :data:`_GENERIC_BYLINE` looked at, at most.
_BYLINE_CANDIDATES = 12


#: Containers of other stories' teasers, whose bylines are not the page's.
_TEASERS = regex.compile(r"teaser|related|appetizer|most-?read|recommend|sidebar|more-?stories",
                         regex.IGNORECASE)


#: Short elements whose own text opens with a byline's label ("Von: …", "Autor: …"), where no element is
#: marked as a byline.
_LABELLED_BYLINE = (
    "//*[self::li or self::p or self::span or self::div or self::dd][" + " or ".join(
        f"starts-with(normalize-space(text()[1]), '{label}')"
        for label in ("Von:", "Autor:", "Autorin:", "Autoren:", "By:", "Par :", "Par:", "Por:", "Texto:",
                      "Text:", "Auteur :", "Auteur:", "Autore:", "Door:", "Av:", "Af:"))
    + "][string-length(normalize-space()) < 200]")


def generic_byline(tree) -> str | None:
    """The first element marked as a byline that reads like one: it opens with a byline's word in
    any language ("By …", "Von …", "Par …", "Autor: …", :mod:`pipelines.byline_words`) or names an
    agency alone ("dpa"); never one in a list of other stories' teasers. Else the first short element
    whose own text opens with a byline's label ("Von: …")."""
    for count, node in enumerate(tree.xpath(_GENERIC_BYLINE)):
        if count >= _BYLINE_CANDIDATES:
            break
        text = squash(" ".join(node.itertext()))
        if not text or not (opens_byline(text) or normalize_agency(text)):
            continue
        if any(a.tag in ("footer", "nav") or _TEASERS.search(a.get("class") or "")
               for a in node.iterancestors()):
            continue
        return text
    labelled = xpath_text(tree, f"({_LABELLED_BYLINE})[1]")
    return labelled if labelled and opens_byline(labelled) else None


#: A JSON string value holding a credit line: ``"(Reporting by A; Editing by B)"``.
_EMBEDDED_CREDIT = regex.compile(
    r'"(\(?(?:Additional )?[Rr]eporting by [^"\\]{3,400}(?:\\.[^"\\]{0,400}){0,5})"')


def embedded_credit_lines(tree) -> list[str]:
    """Credit lines ("Reporting by …; Editing by …") in the page's scripts (embedded JSON state),
    for pages that keep them nowhere else."""
    found: list[str] = []
    for script in tree.xpath("//script[not(@src)][contains(., 'eporting by')]"):
        for match in _EMBEDDED_CREDIT.finditer((script.text or "")[:2_000_000]):
            line = match.group(1).encode().decode("unicode_escape", "ignore") \
                if "\\u" in match.group(1) else match.group(1)
            if line not in found:
                found.append(line)
    return found[:3]


def keywords(tree) -> list[str]:
    """The page's keywords (``news_keywords``, else ``keywords``), in order, each once, at most the
    ``tags`` cap of :data:`pipelines.cleaning.LIST_CAPS` and one."""
    raw = meta_content(tree, "news_keywords", "keywords") or ""
    seen: dict[str, None] = {}  # ordered, and linear: a page may list 100,000 "tags"
    for tag in (squash(t) for t in raw.split(",")):
        if tag:
            seen[tag] = None
            if len(seen) > LIST_CAPS["tags"][0]:
                break
    return list(seen)


def trafilatura_metadata(tree) -> dict[str, Any]:
    """trafilatura's metadata of the page (``{}`` when it fails): the last resort for headline and
    author."""
    try:
        meta = trafilatura.extract_metadata(tree)
    except Exception:  # noqa: BLE001 - a metadata guess must never sink the page
        meta = None
    return meta.as_dict() if meta is not None else {}
