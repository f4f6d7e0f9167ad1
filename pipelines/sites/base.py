"""A wire service described as data, free of Scrapy: what its article URLs look like and how a story is
named, its home time zone (declared once), where its stories are listed, and its page layouts by era.

Modelled on fundus's ``Publisher``: the crawl (``crawler/spiders``) asks a :class:`Site` which URLs are
articles and how to name them; a worker process parses a saved page with the :class:`Site` and the HTML
alone (:func:`pipelines.parse.parse_page`). A service with rules of its own subclasses :class:`Site` and
overrides single methods.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

import regex
from w3lib.url import canonicalize_url

from pipelines.layouts import ArticleParser, check_layouts, choose_layout
from pipelines.metadata import page_is_described


def as_requested(url: str) -> str:
    """The URL to fetch for ``url`` from a feed, a sitemap, ``-a urls=`` or an archive: exactly as
    given, only the fragment dropped (the server never sees it). Servers tell stories apart by query
    order, blank parameters and ``ref=``; the normalised forms (:meth:`Site.normalize_url`,
    :meth:`Site.named_url_key`) name and de-duplicate stories and are never requested."""
    return urldefrag(url).url if "#" in url else url


@dataclass(frozen=True)
class Site:
    """One wire service, as data. ``article_urls`` are path patterns, one per URL era, with an ``id``
    group and optionally the story's day: a ``date`` group (``YYYY-MM-DD`` or ``YYYYMMDD``) or ``y``,
    ``m`` and ``d`` groups. A URL whose groups name no real day is no story."""

    source: str
    agency: str | None
    timezone: str
    #: host names; ``*.example.com`` accepts every subdomain of example.com (edition hosts)
    hosts: frozenset[str]
    article_urls: tuple[regex.Pattern[str], ...] = ()
    #: paths of the article form that are not stories (video and photo pages, topic indexes)
    not_article_paths: regex.Pattern[str] | None = None
    #: the story's one URL form: a path made of the article pattern's named groups (``/view/{id}``;
    #: ``None``: the path as it is), and the scheme and host it lives on (``https://www.upi.com``;
    #: ``None``: the URL's own), used when the URL is on the service's own hosts
    canonical_path: str | None = None
    canonical_origin: str | None = None
    layouts: tuple[type[ArticleParser], ...] = ()
    #: for pages of the service's article URLs that no layout's marker matches
    fallback: type[ArticleParser] = ArticleParser
    feeds: tuple[str, ...] = ()
    robots: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    #: section listings, walked back to ``since`` in a backfill, page after page: ``rel=next`` when
    #: the page declares it, else the link whose number in ``listing_page`` (a path pattern whose first
    #: group is the page number, UPI's ``/p(\d+)/?$``) is the current page's plus one
    listings: tuple[str, ...] = ()
    listing_page: regex.Pattern[str] | None = None
    #: hosts the user named (a mirror's ``base_url``, the hosts of ``urls``), accepted beside ``hosts``
    extra_hosts: frozenset[str] = field(default=frozenset())
    #: whether ``timezone`` is the site's own (a wire's); if not, each page tells its zone
    #: (:mod:`pipelines.zones`) and ``timezone`` applies only where it tells none
    timezone_declared: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "layouts", check_layouts(self.layouts))

    def with_hosts(self, hosts: Iterable[str]) -> Site:
        """The same site, also accepting ``hosts``."""
        return dataclasses.replace(self, extra_hosts=self.extra_hosts | {h.lower() for h in hosts if h})

    @property
    def domains(self) -> list[str]:
        """The service's domains as Scrapy's ``allowed_domains`` wants them (a domain admits its
        subdomains, so ``upi.com`` covers ``www.upi.com``)."""
        names = {h.removeprefix("*.") for h in self.hosts}
        return sorted(n for n in names if not any(n.endswith("." + other) for other in names))

    # -- URLs ---------------------------------------------------------------------------------

    def accepts_host(self, host: str | None) -> bool:
        return self.is_own_host(host) or (host or "").lower() in self.extra_hosts

    def is_own_host(self, host: str | None) -> bool:
        """One of the service's hosts (not a mirror the user named)."""
        host = (host or "").lower()
        return host in self.hosts or any(
            h.startswith("*.") and (host == h[2:] or host.endswith(h[1:])) for h in self.hosts)

    def match_article(self, url: str) -> regex.Match[str] | None:
        """The article-URL match of ``url`` on one of the site's hosts, or ``None``."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not self.accepts_host(parts.hostname):
            return None
        path = parts.path.replace("//", "/")
        if self.not_article_paths is not None and self.not_article_paths.search(path):
            return None
        match = next((m for p in self.article_urls if (m := p.match(path))), None)
        if match is None or (_has_date(match) and _match_day(match) is None):
            return None
        return match

    def story_key(self, url: str) -> str | None:
        """The site's story id if ``url`` is one of its article URLs, else ``None``."""
        match = self.match_article(url)
        return match.group("id") if match else None

    def named_url_key(self, url: str) -> str:
        """The id of a URL the user named that is none of the site's article URLs: a hash of its
        canonical form (query order and fragment ignored), stable across runs."""
        return "url-" + hashlib.sha1(canonicalize_url(url).encode()).hexdigest()[:20]

    def story_id(self, key: str) -> str:
        return f"{self.source}:{key}"

    def normalize_url(self, url: str) -> str:
        """The one URL form of a story: no query or fragment, host in lower case, and the declared
        ``canonical_path`` and ``canonical_origin``."""
        match = self.match_article(url)
        if match is None:
            return url
        parts = urlsplit(url)
        scheme, host, path = parts.scheme, parts.netloc.lower(), parts.path
        if self.canonical_path is not None:
            path = self.canonical_path.format(**{k: v or "" for k, v in match.groupdict().items()})
        if self.canonical_origin is not None and self.is_own_host(parts.hostname):
            origin = urlsplit(self.canonical_origin)
            scheme, host = origin.scheme, origin.netloc
        return urlunsplit((scheme, host, path, "", ""))

    def story_date(self, url: str) -> dt.date | None:
        """The story's date as its URL tells it (for ``since`` before any download)."""
        match = self.match_article(url)
        return _match_day(match) if match else None

    def next_listing_page(self, current: str, links: Iterable[str]) -> str | None:
        """The next (older) page of a listing among its ``links`` (absolute URLs), by
        ``listing_page``'s numbering; ``None`` when the site declares none or no link is the next."""
        if self.listing_page is None:
            return None
        found = self.listing_page.search(urlsplit(current).path)
        wanted = int(found.group(1)) + 1 if found else 2
        for link in links:
            target = self.listing_page.search(urlsplit(link).path)
            if target and int(target.group(1)) == wanted:
                return link
        return None

    def canonical_url(self, declared: str | None, fetched: str, story_id: str) -> str:
        """The page's declared canonical URL if it names the same story, else the fetched one."""
        if declared:
            declared = urljoin(fetched, declared)
            key = self.story_key(declared)
            if key is not None and self.story_id(key) == story_id:
                return self.normalize_url(declared)
        return self.normalize_url(fetched)

    # -- pages --------------------------------------------------------------------------------

    def published_from_url(self, url: str) -> dt.datetime | None:
        """The site's own rule for a story's time, believed after the page's dated sources (UPI: the
        time in the story id)."""
        return None

    def looks_like_article(self, tree) -> bool:
        """For a page of no known layout: does its structured data say it is an article?"""
        return page_is_described(tree)

    def layout_for(self, tree, served: dt.date | None) -> type[ArticleParser] | None:
        return choose_layout(self.layouts, tree, served)


def _has_date(match: regex.Match[str]) -> bool:
    groups = match.groupdict()
    return bool(groups.get("date") or groups.get("y"))


def _match_day(match: regex.Match[str]) -> dt.date | None:
    """The day an article-URL match names (``date``, or ``y``/``m``/``d``), ``None`` if it names none."""
    groups = match.groupdict()
    try:
        if groups.get("y"):
            return dt.date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
        raw = groups.get("date")
        if raw:
            return dt.date.fromisoformat(raw if "-" in raw else f"{raw[:4]}-{raw[4:6]}-{raw[6:]}")
    except (TypeError, ValueError):
        return None
    return None
