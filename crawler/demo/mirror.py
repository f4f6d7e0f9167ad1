"""The offline demo site: a small UPI mirror served on 127.0.0.1 by the standard library, for
``wirecrawl demo``, ``wirecrawl serve-demo`` and the end-to-end tests (``tests/mirror.py`` builds on it).

:class:`Site` holds routes (path -> status, headers, body) and records every request it answers, so
tests can assert what the crawler downloaded. Article pages are built from a small template of UPI's
2020 markup with text written for wirecrawl; :func:`demo_site` adds a page of UPI's 2016 layout.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import http.server
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from crawler.demo.partner import partner_pages
from crawler.demo.stories import story_text

PAGES = Path(__file__).resolve().parent / "pages"
EASTERN = ZoneInfo("America/New_York")
FEED_PATHS = ("/news/news.rss", "/news/top_news.rss", "/news/world-news.xml", "/news/odd_news.rss")
#: the demo's page of UPI's 2016 layout, and where the mirror serves it
OLD_PAGE = PAGES / "upi_2016_russia_north_korea.html"
OLD_PATH = ("/Top_News/World-News/2016/01/29/"
            "Russia-North-Korea-agree-to-repatriate-illegal-immigrants/5711454091383/")


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    #: seconds to wait before answering (a hanging server)
    delay: float = 0.0
    #: send only this many bytes of the body, then close (a connection cut mid-body)
    truncate_at: int | None = None
    #: answers the request itself (fault behaviours), given the handler
    custom: Callable[[http.server.BaseHTTPRequestHandler], None] | None = None
    #: answers only once this is set (at most a minute later): a run kept busy until the test says
    hold: threading.Event | None = None
    #: the only query string answered (a server that knows its URLs exactly); ``None``: any
    query: str | None = None


class Site:
    """Routes served by :class:`Server`, and the log of requested paths."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        #: every request target as sent (path and query)
        self.targets: list[str] = []
        self.lock = threading.Lock()
        self.add("/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain")

    def add(self, path: str, body: bytes | str, status: int = 200,
            content_type: str = "text/html; charset=utf-8", *, delay: float = 0.0,
            truncate_at: int | None = None, **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(status, data, content_type, headers, delay, truncate_at)

    def add_exact(self, target: str, body: bytes | str) -> None:
        """Serve ``target`` (path and query) only as written: another query order, a parameter
        dropped or added is answered 404, as many real servers do."""
        path, _, query = target.partition("?")
        self.add(path, body)
        self.routes[path].query = query

    def hit(self, path: str, target: str = "") -> None:
        with self.lock:
            self.hits.append(path)
            self.targets.append(target or path)

    def article_hits(self) -> list[str]:
        with self.lock:
            return [h for h in self.hits if h.count("/") >= 6]


class _Handler(http.server.BaseHTTPRequestHandler):
    site: Site

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path, _, query = self.path.partition("?")
        self.site.hit(path, self.path)
        route = self.site.routes.get(path) or self.site.routes.get(path.rstrip("/") + "/")
        if route is None or (route.query is not None and query != route.query):
            route = Route(404, b"<html><body>not found</body></html>")
        if route.custom is not None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                route.custom(self)
            self.close_connection = True
            return
        if route.delay:
            time.sleep(route.delay)
        if route.hold is not None:
            route.hold.wait(timeout=60)
        try:
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if route.truncate_at is not None:
                self.wfile.write(route.body[: route.truncate_at])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):  # the crawler gave up first
            self.close_connection = True

    def log_message(self, *args) -> None:
        return


class Server:
    """``with Server(site) as base_url:`` serves ``site`` on 127.0.0.1, on ``port`` (0: a free one);
    the socket is bound at once, so :attr:`url` is known before the site is filled."""

    def __init__(self, site: Site, *, keep_alive: bool = False, port: int = 0) -> None:
        protocol = "HTTP/1.1" if keep_alive else "HTTP/1.0"
        handler = type("Handler", (_Handler,), {"site": site, "protocol_version": protocol})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# -- pages ---------------------------------------------------------------------------------------


@dataclass
class Story:
    """One synthetic UPI story; ``published`` is US Eastern wall time."""

    number: int
    published: dt.datetime
    headline: str
    author: str = "Jane Roe"
    city: str = "WASHINGTON"
    section: str = "Top_News/US"
    paragraphs: tuple[str, ...] = ()
    #: the page's visible "Updated ..." time (US Eastern wall time), if any
    updated: dt.datetime | None = None
    #: the modification time the feed announces for the story (aware), if any
    feed_modified: dt.datetime | None = None

    @property
    def story_id(self) -> str:
        created = int(self.published.replace(tzinfo=EASTERN).timestamp()) - 600
        return f"{100 + self.number % 900}{created}"

    @property
    def path(self) -> str:
        slug = "-".join(self.headline.split()[:6]).replace(",", "")
        return f"/{self.section}/{self.published:%Y/%m/%d}/{slug}/{self.story_id}/"

    @property
    def published_utc(self) -> dt.datetime:
        return self.published.replace(tzinfo=EASTERN).astimezone(dt.timezone.utc)


def make_stories(count: int, start: dt.datetime | None = None) -> list[Story]:
    """``count`` distinct stories (:mod:`crawler.demo.stories`), one an hour back from ``start``."""
    start = start or dt.datetime(2024, 3, 12, 9, 30)
    cities = ["WASHINGTON", "SEOUL", "LOS ANGELES", "TOKYO", "ANN ARBOR, Mich.", "CAIRO"]
    authors = ["Jane Roe", "DARRYL COOTE", "Mary-Ann O'Brien", "Lolita C. Baldor"]
    stories = []
    for n in range(count):
        when = start - dt.timedelta(hours=n)
        text = story_text(n, cities[n % len(cities)], when)
        stories.append(Story(number=n, published=when, headline=text.headline,
                             author=authors[n % len(authors)], city=cities[n % len(cities)],
                             paragraphs=text.paragraphs))
    return stories


def article_html(story: Story, base_url: str) -> str:
    """A page in UPI's 2020 markup, with the boilerplate the extractor must remove."""
    e = html.escape
    url = base_url + story.path
    when = story.published
    shown = f"{when:%b}. {when.day}, {when.year} / {when.strftime('%I:%M %p').lstrip('0')}"
    if story.updated:
        up = story.updated
        shown += (f" / Updated {up:%b}. {up.day}, {up.year} at "
                  f"{up.strftime('%I:%M %p').lstrip('0')}")
    dateline = f"{story.city}, {when:%b}. {when.day} (UPI) --"
    paragraphs = list(story.paragraphs)
    body = [f'<p><span class="story_dl">{e(dateline)}</span> {e(paragraphs[0])}</p>']
    body.append('<div class="ad_slot"><span class="ad-tag">Advertisement</span></div>')
    for text in paragraphs[1:]:
        body.append(f"<p>{e(text)}</p>")
    body.append('<div class="story-offset related-article"><span class="bold">RELATED</span> '
                '<a href="/Top_News/US/2024/01/01/Other/1001704067200/">Other story</a></div>')
    iso = story.published_utc.isoformat().replace("+00:00", "Z")
    byline = (f'<div class="author"><span>By</span> <div>{e(story.author)}</div></div>'
              if story.author else "")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{e(story.headline)} - UPI.com</title>
<link rel="canonical" href="{e(url)}">
<meta property="og:type" content="article"><meta property="og:title" content="{e(story.headline)}">
<meta property="og:url" content="{e(url)}">
<meta name="news_keywords" content="Top News, US, Harbor">
<meta itemprop="datePublished" content="{iso}">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"url": "https://www.upi.com", "headline": "{e(story.headline)}", "datePublished": "{iso}",
"dateModified": "{iso}"}}</script>
</head><body>
<div class="news-head"><div class="breadcrumb"><a href="/Top_News/US/">U.S. News</a></div>
<div class="article-date">{shown}</div>
<h1 class="headline">{e(story.headline)}</h1>
<div class="row author-social">{byline}
<div class="btn-group"><button title="Share with Facebook">f</button></div></div></div>
<article itemprop="articleBody">{"".join(body)}</article>
<div class="trending"><h3>Trending Stories</h3><p>SEOUL, Jan. 2 (UPI) -- A teaser of another story
that must never be taken for this one.</p></div>
</body></html>"""


def feed_xml(base_url: str, stories: list[Story], extra_links: tuple[str, ...] = ()) -> str:
    items = []
    for story in stories:
        date = story.published_utc.strftime("%a, %d %b %Y %H:%M:%S +0000")
        updated = (f"<atom:updated>{story.feed_modified.isoformat()}</atom:updated>"
                   if story.feed_modified else "")
        items.append(f"<item><title>{html.escape(story.headline)}</title>"
                     f"<link>{base_url}{story.path}?spt=hs&amp;or=tn</link>"
                     f"<pubDate>{date}</pubDate>{updated}</item>")
    for link in extra_links:
        items.append(f"<item><title>x</title><link>{html.escape(link)}</link></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            "<title>UPI.com - Latest Stories</title>" + "".join(items) + "</channel></rss>")


def fill_upi_site(site: Site, base_url: str, stories: list[Story],
                  feed_stories: list[Story] | None = None) -> None:
    listed = stories if feed_stories is None else feed_stories
    half = len(listed) // 2
    feeds = [listed, listed[:half], listed[half:], []]
    for path, entries in zip(FEED_PATHS, feeds, strict=True):
        site.add(path, feed_xml(base_url, entries), content_type="application/rss+xml")
    for story in stories:
        site.add(story.path, article_html(story, base_url))


def demo_site(site: Site, base_url: str, count: int = 12) -> list[Story]:
    """Fill ``site`` (served at ``base_url``) with the demo: ``count`` stories in UPI's 2020 layout
    in its feeds, one page of its 2016 layout listed in the odd-news feed, and a partner site that runs
    copies of two of the stories (:func:`fill_partner_site`); the stories."""
    stories = make_stories(count)
    fill_upi_site(site, base_url, stories)
    site.add(OLD_PATH, OLD_PAGE.read_text(encoding="utf-8"))
    site.add("/news/odd_news.rss", feed_xml(base_url, [])
             .replace("</channel>", f"<item><link>{base_url}{OLD_PATH}</link></item></channel>"),
             content_type="application/rss+xml")
    fill_partner_site(site, base_url, stories)
    return stories


def fill_partner_site(site: Site, base_url: str, stories: list[Story]) -> None:
    """Beside the UPI mirror, a partner site (:mod:`crawler.demo.partner`) that runs copies of some of
    ``stories`` and stories of its own; ``scrapy crawl wire -a site=<base_url>`` reads it."""
    for path, (body, content_type) in partner_pages(stories, base_url).items():
        site.add(path, body, content_type=content_type)
