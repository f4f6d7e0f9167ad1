"""A partner news site for the demo, served beside the UPI mirror: it runs copies of a few UPI stories
under its own headlines and template (one trimmed at the end, one with an editor's note on top), and
stories of its own, so ``scrapy crawl wire -a site=<mirror>`` adds near-duplicates that join the wire
stories' clusters. Its home page declares its feed, as the generic spider expects.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import Protocol

from crawler.demo.stories import story_text

FEED = "/partner/feed.rss"
NOTE = ("Editor's note: This story has been updated with the latest figures from officials and a "
        "comment from the agency.")


class WireStory(Protocol):
    number: int
    #: US Eastern wall time, as the mirror's stories hold it
    published: dt.datetime
    city: str
    author: str
    headline: str
    paragraphs: tuple[str, ...]

    @property
    def published_utc(self) -> dt.datetime: ...


def page_html(headline: str, paragraphs: Sequence[str], when: dt.datetime, byline: str = "") -> str:
    """A partner site's article page: its own template and furniture around the text."""
    e = html.escape
    body = "".join(f"<p>{e(p)}</p>" for p in paragraphs)
    if byline:
        body = f'<p class="byline">{e(byline)}</p>{body}'
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{e(headline)} | Daily Partner</title>"
            f'<meta property="article:published_time" content="{when.isoformat()}"></head><body>'
            '<nav><a href="/">Home</a> <a href="/partner/news/">News</a></nav>'
            f"<article><h1>{e(headline)}</h1>{body}</article>"
            "<aside><h2>Most read</h2><ul><li><a href='/partner/x'>Other story</a></li></ul></aside>"
            "<footer><p>Copyright 2024 Daily Partner. All rights reserved.</p></footer></body></html>")


def _dateline(story: WireStory) -> str:
    return f"{story.city}, {story.published:%b}. {story.published.day} (UPI) --"


def partner_pages(stories: Sequence[WireStory], base_url: str) -> dict[str, tuple[str, str]]:
    """path -> (body, content type) of the partner site: its home page, its feed, copies of the first
    and fourth of ``stories`` (the first twice: a morning copy trimmed at the end under another headline,
    an evening copy with an editor's note) and two stories of its own."""
    pages: dict[str, tuple[str, str]] = {}
    entries: list[tuple[str, str, dt.datetime]] = []

    def add(slug: str, headline: str, paragraphs: Sequence[str], when: dt.datetime, byline: str) -> None:
        path = f"/partner/{when:%Y/%m/%d}/{slug}.html"
        pages[path] = (page_html(headline, paragraphs, when, byline), "text/html; charset=utf-8")
        entries.append((headline, base_url + path, when))

    copied = [story for n, story in enumerate(stories) if n in (0, 3)]
    for story in copied:
        other = story_text(story.number, story.city, story.published).other_headline
        first = f"{_dateline(story)} {story.paragraphs[0]}"
        later = story.published_utc + dt.timedelta(hours=2)
        byline = f"By {story.author}, UPI" if story.author else "UPI"
        add(f"wire-{story.number}", other, [first, *story.paragraphs[1:-1]], later, byline)
        if story is copied[0]:
            add(f"wire-{story.number}-update", story.headline, [NOTE, first, *story.paragraphs[1:]],
                later + dt.timedelta(hours=6), byline)
    if stories:
        newest = max(story.published_utc for story in stories)
        for number, reporter in ((200, "Ruth Okonkwo"), (201, "Paul Marchetti")):
            text = story_text(number, "SPRINGFIELD", newest)
            add(f"local-{number}", text.headline, text.paragraphs,
                newest - dt.timedelta(hours=number - 197), f"By {reporter}")
    items = "".join(f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
                    f"<pubDate>{when:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
                    for title, link, when in entries)
    pages[FEED] = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                   f"<title>Daily Partner</title>{items}</channel></rss>", "application/rss+xml")
    pages["/"] = ("<!DOCTYPE html><html><head><title>Daily Partner</title>"
                  f'<link rel="alternate" type="application/rss+xml" href="{FEED}"></head>'
                  '<body><h1>Daily Partner</h1><a href="/partner/news/">News</a></body></html>',
                  "text/html; charset=utf-8")
    return pages
