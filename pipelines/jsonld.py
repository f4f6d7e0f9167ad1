"""A page's JSON-LD: its objects, the article among them, and the people and organisations it names.

Pages wrap their JSON-LD in ``//<![CDATA[ … ]]>`` or HTML comments, nest the article in a ``WebPage``'s
``mainEntity`` or an ``@graph``, and name the author by reference (``{"@id": …/#/schema/person/…}``,
Yoast's graphs) with the person described elsewhere in the graph. All of that is read here; text values
are decoded (JSON-LD strings carry HTML entities: ``R&uuml;ckbau``, ``&quot;``).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import regex

ARTICLE_TYPES = frozenset({
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
    "OpinionNewsArticle", "BackgroundNewsArticle", "LiveBlogPosting", "ReviewNewsArticle",
    "AskPublicNewsArticle", "SatiricalArticle", "Report",
})
ORGANISATION_TYPES = frozenset({"Organization", "NewsMediaOrganization", "Corporation",
                                "OnlineBusiness", "NGO", "GovernmentOrganization"})
#: What some pages wrap their JSON in: CDATA markers, HTML comments, ``//`` before them.
_WRAPPER = regex.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")
#: Keys under which an article object may be nested in another object.
_NESTING = ("@graph", "mainEntity")


@dataclass
class Graph:
    """The page's JSON-LD objects (flattened) and an index of those that carry an ``@id``."""

    objects: list[dict[str, Any]] = field(default_factory=list)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        """A reference (``{"@id": …}`` without a name) replaced by the object it names, if present."""
        if isinstance(value, dict) and "@id" in value and "name" not in value:
            return self.by_id.get(str(value["@id"]), value)
        return value


def json_ld(tree) -> list[dict[str, Any]]:
    """All JSON-LD objects of the page, ``@graph``, ``mainEntity`` and lists flattened; broken blocks
    skipped."""
    return read_graph(tree).objects


def read_graph(tree) -> Graph:
    graph = Graph()
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        text = script.text or ""
        if "<" in text[:40] or "]]>" in text[-40:] or "-->" in text[-40:]:
            text = _WRAPPER.sub("", text)
        try:
            data = json.loads(text, strict=False)
        except (ValueError, RecursionError):
            continue
        graph.objects.extend(_flatten(data))
    for obj in graph.objects:
        key = obj.get("@id")
        if isinstance(key, str) and len(obj) > 1:
            graph.by_id.setdefault(key, obj)
    return graph


def _flatten(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in _NESTING:
            if isinstance(data.get(key), (dict, list)):
                yield from _flatten(data[key], depth + 1)


def _types(obj: dict[str, Any]) -> list[str]:
    types = obj.get("@type")
    return [t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)]


def ld_article(objects: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The first JSON-LD object typed as an article ({} if none)."""
    for obj in objects:
        if any(t in ARTICLE_TYPES for t in _types(obj)):
            return obj
    return {}


def str_or_none(value: Any) -> str | None:
    """A JSON value as it is if it is a string (entities and spaces untouched), else ``None``."""
    return value if isinstance(value, str) else None


def text_value(value: Any) -> str | None:
    """A JSON-LD string with its entities decoded and spaces squashed (``None`` if not a string or
    empty)."""
    if not isinstance(value, str):
        return None
    if "&" in value:
        value = html.unescape(value)
    return " ".join(value.split()) or None


def _items(value: Any, graph: Graph | None) -> Iterator[Any]:
    for item in value if isinstance(value, list) else [value]:
        yield graph.resolve(item) if graph is not None else item


#: The address of a CMS's default account (WordPress's ``/author/admin/``): whoever posted, not a byline.
_ACCOUNT = regex.compile(r"/author/admin/?(?:#.*)?$", regex.IGNORECASE)


def ld_names(value: Any, graph: Graph | None = None) -> list[str]:
    """Person names from a JSON-LD ``author`` value (string, object or list of either); organisations
    are left out (see :func:`ld_organisations`), and so is a CMS's default account."""
    names: list[str] = []
    for item in _items(value, graph):
        if isinstance(item, dict) and any(t in ORGANISATION_TYPES for t in _types(item)):
            continue
        if isinstance(item, dict) and any(isinstance(item.get(k), str) and _ACCOUNT.search(item[k])
                                          for k in ("@id", "url")):
            continue
        name = text_value(item.get("name") if isinstance(item, dict) else item)
        if name and name not in names:
            names.append(name)
    return names


def ld_organisations(value: Any, graph: Graph | None = None) -> list[str]:
    """Names of the organisations typed as such in a JSON-LD ``author`` value (an agency, the paper)."""
    names: list[str] = []
    for item in _items(value, graph):
        if isinstance(item, dict) and any(t in ORGANISATION_TYPES for t in _types(item)):
            name = text_value(item.get("name"))
            if name and name not in names:
                names.append(name)
    return names


def ld_publisher(article: dict[str, Any], graph: Graph | None = None) -> str | None:
    """The name of the article's ``publisher`` (the first, when several are given)."""
    for item in _items(article.get("publisher"), graph):
        name = text_value(item.get("name") if isinstance(item, dict) else item)
        if name:
            return name
    return None
