"""The ``-a`` arguments every wire spider takes, checked: a mistake is a ``ValueError`` whose message says
what is wrong and what is expected (the crawl command prints it as one line and exits 2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import regex

#: what each ``-a`` argument of the wire spiders means (``wirecrawl spiders``, ``crawl SPIDER --help``)
MEANINGS: dict[str, str] = {
    "site": "the site to crawl, e.g. https://example.com (not needed with urls)",
    "base_url": "replace scheme and host of every discovery URL (feeds, robots.txt, sitemaps, listing "
                "pages), to crawl a mirror or a test server, e.g. http://127.0.0.1:8000",
    "urls": "fetch exactly these pages as articles, even if stored already: URL1,URL2 or @FILE (one URL "
            "a line); no feed is read",
    "max_items": "request at most N articles in this run",
    "since": "YYYY-MM-DD: skip stories dated before that day; also walk the section listings back to it "
             "(backfill)",
    "warc": "PATH|GLOB|URL[,…]: read the service's pages from WARC files instead of the site",
    "cc_news": "YYYY-MM[..YYYY-MM]: backfill from Common Crawl's news archive, month by month",
}


def named_urls(value: str | None) -> list[str]:
    """The URLs of ``-a urls=``: ``URL1,URL2`` (split only where a new ``http(s)://`` begins, since
    commas are legal in URLs: ``…/0,21598,23026523-5005361,00.html``) or ``@FILE``, one URL a line
    (blank lines and ``#`` comments skipped). Anything but an http(s) URL is refused."""
    if not value:
        return []
    if value.startswith("@"):
        path = Path(value[1:]).expanduser()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ValueError(f"urls file {str(path)!r} cannot be read: {exc.strerror}") from exc
        found = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    else:
        found = [part.strip() for part in regex.split(r",\s*(?=https?://)", value) if part.strip()]
    bad = [u for u in found if urlsplit(u).scheme not in {"http", "https"} or not urlsplit(u).netloc]
    if bad:
        raise ValueError(f"urls must be http(s) URLs, got {bad[0]!r}")
    return found


def check_base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"base_url must be an http(s) URL such as http://127.0.0.1:8000, got {value!r}")
    return value.rstrip("/")


def positive_int(value: str | int | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or str(value).strip() != str(number):
        raise ValueError(f"{name} must be a whole number of 1 or more, got {str(value)!r}")
    return number


def past_day(value: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None
    if day > dt.datetime.now(dt.timezone.utc).date():
        raise ValueError(f"{name} {value} is in the future; give a day up to today")
    return day
