"""Any news site, no site knowledge needed: the generic layout (structured metadata, trafilatura, the
furniture most news sites share) and a :class:`Site` built from the site's address.

Stories are named by a hash of their normalized URL (``wire:<hash>``), since a generic site has no id
scheme we could trust; the ``agency`` comes from the story's dateline tag, so an AP story on a partner
site is credited to AP.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import regex

from pipelines.layouts import ArticleParser
from pipelines.metadata import page_is_described
from pipelines.sites.base import Site

_NOT_ARTICLE_PATH = regex.compile(
    r"(?:^/?$|/(?:tags?|topics?|category|categories|authors?|search|video|videos|photos?|gallery|"
    r"galleries|live|newsletters?|subscribe|login|account|about|contact|privacy|terms)(?:/|$)"
    r"|\.(?:jpe?g|png|gif|webp|svg|pdf|xml|rss|gz|zip|mp[34]|css|js|json|ico)$)",
    regex.IGNORECASE,
)
_TRACKING = regex.compile(r"^(?:utm_\w+|fbclid|gclid|mc_\w+|spt|or|st_rec|cmpid|ref|src|smid)$",
                          regex.IGNORECASE)


class GenericLayout(ArticleParser):
    """Any site: structured metadata, trafilatura, and furniture most news sites share."""

    name = "generic"
    prune_xpaths = (
        '//figure | //figcaption | //aside | //nav | //form',
        '//*[contains(@class,"related") or contains(@class,"Related")]',
        '//*[contains(@class,"newsletter") or contains(@class,"Newsletter")]',
        '//*[contains(@class,"share") or contains(@class,"social")]',
        '//*[contains(@class,"advert") or contains(@class,"-ad-") or contains(@id,"ad-")]',
    )
    drop_paragraph_patterns = (
        r"Advertisement",
        r"(?:Copyright|©) .{0,40}(?:Associated Press|Reuters|All rights reserved).*",
        r"This material may not be published, broadcast, rewritten or redistributed\.?.*",
        r"[-_]{2,}",
        r"Catch up on .{0,120}podcast.*",
    )
    #: the story's own time where no metadata gives it
    date_xpath = "(//article//time/@datetime | //time/@datetime)[1]"

    def parse(self, tree, url: str, **options):
        # Sites whose og:/JSON-LD describe the site, not the story (og:type "website"): trust
        # only the page itself for headline, summary and image.
        self.described = page_is_described(tree)
        return super().parse(tree, url, **options)

    def headline_candidates(self, *, visible_always: bool = False) -> list[tuple[str, str | None]]:
        """Where the page's metadata may describe the site rather than the story, its ``h1`` first."""
        found = super().headline_candidates(visible_always=visible_always or not self.described)
        if self.described:
            return found
        return ([c for c in found if c[0] == "h1"]
                + [c for c in found if c[0] not in {"h1", "json-ld"}])

    def description(self) -> str | None:
        return super().description() if self.described else None

    def image_url(self) -> str | None:
        return super().image_url() if self.described else None


class GenericSite(Site):
    """A site known only by its address: any page of it may be a story."""

    def story_key(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not self.accepts_host(parts.hostname):
            return None
        if _NOT_ARTICLE_PATH.search(parts.path):
            return None
        return self.named_url_key(url)

    def named_url_key(self, url: str) -> str:
        """A hash of the normalized URL (also for ``urls=`` the feeds would not take, such as
        ``/topics/…`` paths), the same in every run."""
        return hashlib.sha1(self.normalize_url(url).encode()).hexdigest()[:20]

    def normalize_url(self, url: str) -> str:
        """No fragment, no tracking parameters, host in lower case; other parameters kept, in a fixed
        order (``?id=5&cat=2`` and ``?cat=2&id=5`` are one story)."""
        parts = urlsplit(url)
        query = sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k))
        return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", urlencode(query), ""))

    def canonical_url(self, declared: str | None, fetched: str, story_id: str) -> str:
        """The page's declared canonical URL when it is on the same site (the story keeps the id of
        the URL it was requested by, so skipping known stories still works); else the fetched one."""
        if declared:
            declared = urljoin(fetched, declared)
            same = (urlsplit(declared).hostname or "").lower().removeprefix("www.") == \
                (urlsplit(fetched).hostname or "").lower().removeprefix("www.")
            if same and urlsplit(declared).scheme in {"http", "https"}:
                return self.normalize_url(declared)
        return self.normalize_url(fetched)

    def looks_like_article(self, tree) -> bool:
        """Any page may be a story here; normalization refuses those without body or headline."""
        return True


def generic_site(address: str | None = None) -> GenericSite:
    """The site at ``address`` (``https://example.com``; ``None`` for ``-a urls=`` alone)."""
    host = (urlsplit(address or "").hostname or "").lower()
    hosts = frozenset({host, host.removeprefix("www."), "www." + host}) - {"www.", ""}
    robots = (f"{address.rstrip('/')}/robots.txt",) if address else ()
    return GenericSite(source="wire", agency=None, timezone="UTC", hosts=hosts,
                       fallback=GenericLayout, robots=robots, timezone_declared=False)
