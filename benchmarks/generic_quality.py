"""The generic path on pages nobody tuned for, field by field, next to plain trafilatura and newspaper4k
on the same bytes in the same run.

Two development sets under ``../shared/corpus`` (``WIRECRAWL_CORPUS``):

- ``aeb-dev/``: 90 pages of the Zyte article-extraction benchmark (2019, English) with human-checked
  story texts: body only (and the published day against the day spelled in the URL);
- ``fundus-dev/``: 137 pages of ~90 publishers in ~25 languages from the fundus project's test data,
  with the expected title, authors, publication time and body.

Each page goes through ``scrapy crawl wire -a urls=<its URL>``'s real parse path (the spider's callback
and the worker's ``run_page``), fetched at the day the page was saved; a page without a row scores 0, as
a lost story should. Fields (one scorer for all systems, :mod:`benchmarks.scoring`):

- rows: the share of pages that give a row (plain trafilatura: a text);
- body: token-shingle F1 against the reference text (the row's ``dateline`` put back in front of its
  ``body``, as the references keep it);
- title: exact after normalising quotes, dashes and spaces, against the expected title or any other clean
  headline the page declares (the corpus's rule; "title=expected" counts the expected one alone);
- authors: the same names, on pages whose expected byline names people only; one that names the
  publication (its name, its site's name or address, its initials: ``FOCUS online``, ``ndr.de``, ``TPN``),
  one of its desks (``MND Staff``, ``BR24 Redaktion``) or an agency (``dpa``, ``AFP, MANILA``), which our
  rows keep in ``publisher``/``agency``, is scored apart as "credit": the agency, or a publisher, found;
- instant: the publication time within 60 s, on pages whose expected time has one; day: the day (a time
  found is taken in the expected time's zone: 16:00 UTC is the 16th in Taipei).
  An expected time without an offset is the publisher's local time (fundus reads pages' zone-less times
  as they are: ``2025-02-02 09:00`` where the page says ``09:00:00+01:00``), so it is read in the zone of
  the page's country folder when that country has one (``de``: Europe/Berlin), else as UTC.

Per language group: ``en``, ``de``, ``cjk``, ``other``, and all non-English pages together.
newspaper4k runs when its environment exists (``--newspaper PYTHON``, default ``.venv-bench/bin/python``;
``make bench-env`` makes it), in a subprocess, since it pins an older python-dateutil than the crawler's.

Run: ``python benchmarks/generic_quality.py [--set aeb|fundus|all] [--limit N] [--show]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import html as html_lib
import json
import os
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import lxml.html
import regex
import trafilatura
from w3lib.encoding import html_to_unicode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scoring import (  # noqa: E402
    compact,
    language_group,
    normal_text,
    prf,
    same_authors,
    same_day,
    same_instant,
    same_title,
)
from crawler.spiders.wire import GenericSpider  # noqa: E402
from pipelines.agencies import agency_in, normalize_agency  # noqa: E402
from pipelines.zones import country_zone  # noqa: E402
from tests.pages import parse_outcome, spider_of  # noqa: E402

CORPUS = Path(os.environ.get("WIRECRAWL_CORPUS") or ROOT.parent / "shared" / "corpus")
URL_DATE = regex.compile(r"/((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?:/|\b)")
_LANG = regex.compile(rb"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", regex.IGNORECASE)
SYSTEMS = ("wirecrawl", "trafilatura", "newspaper4k")
GROUPS = ("all", "en", "non-en", "de", "cjk", "other")


@dataclass
class Page:
    """One saved page and what its set expects of it (``None``: the set does not say)."""

    set: str
    key: str
    url: str
    html: bytes
    path: Path
    body: str
    title: str | None = None
    authors: list[str] | None = None
    published: dt.datetime | None = None
    has_time: bool = False
    publisher: str | None = None
    crawled: dt.datetime | None = None
    group: str = "en"
    #: the other clean headlines the page declares (any of them is a right title)
    headlines: tuple[str, ...] = ()


@dataclass
class Found:
    """What one system made of one page."""

    row: bool
    text: str = ""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: dt.datetime | dt.date | None = None
    credit: set[str] = field(default_factory=set)
    extra: dict[str, Any] = field(default_factory=dict)


def story_text(row: dict | None) -> str:
    """The story as the page shows it: the reference keeps the dateline, which the row holds in a
    column of its own (``dateline``) rather than in ``body``; it is put back in front for scoring."""
    if row is None:
        return ""
    return f"{row['dateline']} {row['body']}" if row.get("dateline") else row["body"]


def url_day(url: str) -> dt.date | None:
    match = URL_DATE.search(url)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def pages(limit: int | None = None) -> list[tuple[str, str, bytes, str]]:
    """(key, url, html, reference text) of each aeb-dev page."""
    return [(p.key, p.url, p.html, p.body) for p in aeb_pages(limit)]


def aeb_pages(limit: int | None = None) -> list[Page]:
    folder = CORPUS / "aeb-dev"
    truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    found = []
    for key in sorted(truth)[:limit]:
        path = folder / "html" / f"{key}.html.gz"
        found.append(Page("aeb", key, truth[key]["url"], gzip.decompress(path.read_bytes()), path,
                          truth[key]["articleBody"]))
    return found


#: fundus-dev's country folders that are not ISO 3166 codes
_FOLDER_COUNTRY = {"uk": "GB", "ind": "IN", "isl": "IS"}


def local_zone(folder: str | None) -> dt.tzinfo:
    """The zone of a fundus country folder (``de`` -> Europe/Berlin); UTC for a country of several."""
    zone = country_zone(_FOLDER_COUNTRY.get(folder or "", folder))
    return ZoneInfo(zone) if zone else dt.timezone.utc


def fundus_pages(limit: int | None = None) -> list[Page]:
    folder = CORPUS / "fundus-dev"
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    found = []
    for key in sorted(expected)[:limit]:
        item = expected[key]
        path = folder / "html" / f"{key}.html.gz"
        html = gzip.decompress(path.read_bytes())
        published = dt.datetime.fromisoformat(item["published"]) if item.get("published") else None
        if published is not None and published.tzinfo is None:
            published = published.replace(tzinfo=local_zone(item.get("country_folder")))
        crawled = dt.datetime.fromisoformat(item["crawl_date"]).replace(tzinfo=dt.timezone.utc) \
            if item.get("crawl_date") else None
        lang = _LANG.search(html[:50_000])
        found.append(Page(
            "fundus", key, item["url"], html, path, item.get("body") or "", title=item.get("title"),
            authors=list(item.get("authors") or []), published=published,
            has_time=published is not None and published.timetz().replace(tzinfo=None) != dt.time(0),
            publisher=item.get("publisher"), crawled=crawled,
            headlines=declared_headlines(html, item.get("publisher"), item["url"]),
            group=language_group(lang.group(1).decode() if lang else None, item.get("body") or "")))
    return found


_SEPARATOR = regex.compile(r"\s+[-–—|:·•/]\s+|:\s+")


def _fold(text: str | None) -> str:
    """Letters and digits without accents, German umlauts spelled either way: ``Börsen-Zeitung`` =
    ``boersen-zeitung.de``."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", compact(text)) if not unicodedata.combining(c))
    return regex.sub(r"([aou])e", r"\1", plain)


def declared_headlines(html: bytes, publisher: str | None, url: str) -> tuple[str, ...]:
    """The headlines the page declares (JSON-LD ``headline``, ``og:title``, ``twitter:title``, ``h1``),
    entities decoded, leaving out those that are not clean: one with the site's name glued on, or one
    that is another declared headline with a kicker glued in front. Read here with lxml alone, apart
    from the code under test."""
    text = html_to_unicode(None, html)[1]
    try:
        tree = lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return ()
    found: list[str] = []
    for script in tree.xpath('//script[contains(@type, "ld+json")]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("headline"), str):
                    found.append(item["headline"])
                stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    found += tree.xpath('//meta[@property="og:title" or @name="og:title" or @name="twitter:title"]'
                        '/@content')
    found += [h.text_content() for h in tree.xpath("//h1")[:1]]
    clean = {" ".join(html_lib.unescape(t).split()) for t in found} - {""}
    names = {_fold(publisher), _fold(url.split("/")[2].removeprefix("www.").split(".")[0])} - {""}

    def glued(title: str) -> bool:
        parts = _SEPARATOR.split(title)
        if len(parts) > 1 and any(n in _fold(parts[-1]) or n in _fold(parts[0]) for n in names):
            return True  # the site's name at one end
        tail = parts[-1]
        return any(other != title and _SEPARATOR.search(title.removesuffix(tail)) and (
            other.endswith(tail) and (other == tail or _SEPARATOR.search(other.removesuffix(tail))))
            for other in clean)  # a kicker in front of a headline declared alone or with another kicker
    return tuple(t for t in clean if not glued(t))


#: Words that make an expected "author" a desk of the publication, not a person ("MND Staff",
#: "BR24 Redaktion", "Guardian staff reporter").
_DESK = frozenset({"staff", "redaktion", "rédaction", "redacción", "redazione", "redactie", "newsroom",
                   "desk", "team"})


def credit_of(name: str, page: Page) -> str | None:
    """What an expected "author" that is no person stands for, compacted: an agency's short name (also
    inside "AFP, MANILA" or "Le Figaro et AFP"), else the publication itself: its name or its site's
    (``FOCUS online``, ``ndr.de``), its initials (``TPN`` of ThePortugalNews) or one of its desks;
    ``None`` for a person."""
    agency = normalize_agency(name) or agency_in(name)
    if agency:
        return compact(agency)
    host = page.url.split("/")[2].removeprefix("www.")
    own = {compact(page.publisher), compact(host.split(".")[0]), compact(host)} - {""}
    key = compact(name)
    words = regex.findall(r"[\p{L}\p{N}]+", normal_text(name).casefold())
    initials = "".join(regex.findall(r"\p{Lu}", page.publisher or ""))
    if (key in own or any(len(o) >= 4 and key.startswith(o) for o in own)
            or _DESK & set(words) or (len(initials) >= 2 and name == initials)):
        return "publisher"
    return None


def names_people(page: Page) -> bool:
    """Whether the expected byline names people: not empty, and none of it is the publication itself or
    an agency (:func:`credit_of`)."""
    return bool(page.authors) and not any(credit_of(name, page) for name in page.authors)


def run_ours(page: Page) -> Found:
    try:
        outcome = parse_outcome(spider_of(GenericSpider, urls=page.url), page.html, page.url,
                                fetched_at=page.crawled)
    except AssertionError:  # not an article URL for the generic site
        return Found(False, extra={"reason": "not_article_url"})
    if outcome is None:
        return Found(False, extra={"reason": "callback_dropped"})
    fallbacks = [c.removeprefix("wirecrawl/fallback/") for c in outcome.counters
                 if c.startswith("wirecrawl/fallback/")]
    row = outcome.row
    if row is None:
        return Found(False, extra={"reason": outcome.reason, "fallbacks": fallbacks})
    credit = {compact(row["agency"])} if row.get("agency") else set()
    credit |= {"publisher"} if row.get("publisher") else set()
    return Found(True, story_text(row), row["headline"], list(row["authors"]), row["published_at"],
                 credit, {"fallbacks": fallbacks, "source": row.get("published_source") or "none",
                          "precision": row.get("published_precision")})


def run_trafilatura(page: Page) -> Found:
    doc = trafilatura.bare_extraction(page.html, url=page.url, favor_precision=True, with_metadata=True)
    if doc is None or not doc.text:
        return Found(False)
    day = None
    if doc.date:
        try:
            day = dt.date.fromisoformat(doc.date[:10])
        except ValueError:
            day = None
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return Found(True, doc.text, doc.title, authors, day, _credit(authors, doc.sitename))


def _credit(authors: list[str], sitename: str | None) -> set[str]:
    """What a system that knows no ``agency`` or ``publisher`` credits: agencies among its authors,
    and the publication if it names the site."""
    agencies = {normalize_agency(a) or agency_in(a) for a in authors} - {None}
    return {compact(a) for a in agencies} | ({"publisher"} if sitename else set())


def run_newspaper(selected: list[Page], python: str | None) -> dict[str, Found] | None:
    """newspaper4k's results by page key, or ``None`` when its environment is not there."""
    if not python or not Path(python).exists():
        return None
    job = json.dumps([[p.key, p.url, str(p.path)] for p in selected])
    done = subprocess.run([python, str(ROOT / "benchmarks" / "newspaper_runner.py")], input=job,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"newspaper4k failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    found: dict[str, Found] = {}
    for key, item in json.loads(done.stdout).items():
        if "error" in item or not item.get("text"):
            found[key] = Found(False)
            continue
        published = dt.datetime.fromisoformat(item["published"]) if item.get("published") else None
        found[key] = Found(True, item["text"], item.get("title"), item.get("authors") or [], published,
                           _credit(item.get("authors") or [], None))
    return found


@dataclass
class Tally:
    """Sums for one system over one group of pages."""

    pages: int = 0
    rows: int = 0
    f1: float = 0.0
    titles: list[int] = field(default_factory=lambda: [0, 0])
    strict_titles: list[int] = field(default_factory=lambda: [0, 0])
    authors: list[int] = field(default_factory=lambda: [0, 0])
    credit: list[int] = field(default_factory=lambda: [0, 0])
    instants: list[int] = field(default_factory=lambda: [0, 0])
    days: list[int] = field(default_factory=lambda: [0, 0])

    def add(self, page: Page, found: Found, f1: float) -> None:
        self.pages += 1
        self.rows += found.row
        self.f1 += f1
        if page.title is not None:
            _count(self.titles, found.row and same_title(found.title, page.title, page.headlines))
            _count(self.strict_titles, found.row and same_title(found.title, page.title))
        if page.authors is not None and names_people(page):
            _count(self.authors, found.row and same_authors(found.authors, page.authors))
        elif page.authors:
            wanted = {credit_of(a, page) or compact(a) for a in page.authors}
            _count(self.credit, found.row and bool(wanted & found.credit))
        if page.published is not None:
            _count(self.days, found.row and same_day(local_day(found, page), page.published))
            if page.has_time:
                when = found.published if isinstance(found.published, dt.datetime) else None
                _count(self.instants, found.row and same_instant(when, page.published))


def local_day(found: Found, page: Page) -> dt.datetime | dt.date | None:
    """What a system found, as the day the page shows: a time in the expected time's zone (16:00 UTC
    is the 16th in Taipei), a day-only value as it is."""
    when = found.published
    if isinstance(when, dt.datetime) and when.tzinfo is not None and found.extra.get("precision") != "day" \
            and page.published is not None:
        return when.astimezone(page.published.tzinfo)
    return when


def _count(pair: list[int], hit: bool) -> None:
    pair[0] += bool(hit)
    pair[1] += 1


def _share(pair: list[int]) -> str:
    return f"{pair[0] / pair[1]:6.1%} ({pair[0]}/{pair[1]})" if pair[1] else "      -"


def report(name: str, selected: list[Page], results: dict[str, dict[str, Found]]) -> None:
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for page in selected:
        groups = ["all", page.group] + (["non-en"] if page.group != "en" else [])
        for system, found_by_key in results.items():
            found = found_by_key[page.key]
            f1 = prf(found.text, page.body)[2] if found.row else 0.0
            for group in groups:
                tallies[(group, system)].add(page, found, f1)
    print(f"\n{name}: {len(selected)} pages")
    header = f"  {'group':<7} {'system':<12} {'rows':>7} {'body F1':>8}"
    fields = [("title", "titles"), ("title=expected", "strict_titles"), ("authors", "authors"),
              ("credit", "credit"), ("instant", "instants"), ("day", "days")]
    shown = [f for f in fields if any(getattr(t, f[1])[1] for t in tallies.values())]
    print(header + "".join(f"  {label:<18}" for label, _ in shown))
    for group in GROUPS:
        for system in results:
            tally = tallies.get((group, system))
            if not tally or not tally.pages:
                continue
            line = (f"  {group:<7} {system:<12} {tally.rows / tally.pages:7.1%} "
                    f"{tally.f1 / tally.pages:8.3f}")
            line += "".join(f"  {_share(getattr(tally, attr)):<18}" for _, attr in shown)
            print(line)


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--set", choices=("aeb", "fundus", "all"), default="all")
    arguments.add_argument("--limit", type=int, default=None, help="first N pages of each set only")
    arguments.add_argument("--show", action="store_true", help="one line per page")
    arguments.add_argument("--newspaper", default=str(ROOT / ".venv-bench" / "bin" / "python"),
                           help="the Python of an environment with newspaper4k (empty: skip it)")
    options = arguments.parse_args()
    sets = []
    for name, loader, folder in (("aeb", aeb_pages, "aeb-dev"), ("fundus", fundus_pages, "fundus-dev")):
        if options.set in (name, "all"):
            if not (CORPUS / folder).is_dir():
                print(f"{folder} not found under {CORPUS}; set WIRECRAWL_CORPUS")
                return 1
            sets.append((f"{folder}", loader(options.limit)))
    for name, selected in sets:
        results: dict[str, dict[str, Found]] = {"wirecrawl": {}, "trafilatura": {}}
        seconds = Counter()
        for page in selected:
            for system, run in (("wirecrawl", run_ours), ("trafilatura", run_trafilatura)):
                started = time.perf_counter()
                results[system][page.key] = run(page)
                seconds[system] += time.perf_counter() - started
        newspaper = run_newspaper(selected, options.newspaper)
        if newspaper is not None:
            results["newspaper4k"] = newspaper
        else:
            print(f"(newspaper4k not run: no environment at {options.newspaper!r}; `make bench-env`)")
        ours = results["wirecrawl"]
        if options.show:
            for page in selected:
                mine, plain = ours[page.key], results["trafilatura"][page.key]
                status = "row" if mine.row else f"dropped: {mine.extra.get('reason')}"
                print(f"{page.key[:34]:<34} {page.group:<5} F1 {prf(mine.text, page.body)[2]:.3f} "
                      f"traf {prf(plain.text, page.body)[2]:.3f}  {status}")
                if page.title is not None and mine.row:
                    marks = "".join([
                        "T" if same_title(mine.title, page.title, page.headlines) else "t",
                        "A" if not names_people(page) or same_authors(mine.authors, page.authors) else "a",
                        "I" if not page.has_time or same_instant(
                            mine.published if isinstance(mine.published, dt.datetime) else None,
                            page.published) else "i"])
                    if marks != "TAI":
                        print(f"    {marks} title {mine.title!r} / {page.title!r}")
                        print(f"        authors {mine.authors} / {page.authors}")
                        print(f"        published {mine.published} / {page.published}")
        report(name, selected, results)
        reasons = Counter(f.extra.get("reason") for f in ours.values() if not f.row)
        sources = Counter(f.extra.get("source") for f in ours.values() if f.row)
        fallbacks = Counter(x for f in ours.values() for x in f.extra.get("fallbacks", []))
        if name == "aeb-dev":
            dated = [(p, url_day(p.url)) for p in selected if url_day(p.url)]
            right = sum(1 for p, day in dated if ours[p.key].row and isinstance(ours[p.key].published,
                        dt.datetime) and abs((ours[p.key].published.date() - day).days) <= 1)
            print(f"  published day = URL day (±1): {right}/{len(dated)} ({right / max(1, len(dated)):.1%})")
        print(f"  time: wirecrawl {seconds['wirecrawl'] / max(seconds['trafilatura'], 1e-9):.2f}× "
              f"trafilatura's ({seconds['wirecrawl'] / len(selected) * 1000:.0f} ms vs "
              f"{seconds['trafilatura'] / len(selected) * 1000:.0f} ms a page)")
        print("  dropped:", dict(reasons.most_common()) or "none")
        print("  published_source:", dict(sources.most_common()))
        print("  fallbacks fired:", dict(fallbacks.most_common()) or "none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
