"""The generic path on pages nobody tuned for: rows, body F1 and dates on the aeb-dev set, next to
plain ``trafilatura.extract(favor_precision=True)`` on the same bytes in the same run.

``../shared/corpus/aeb-dev/`` holds pages of the Zyte article-extraction benchmark with their human-checked
story texts. Each page goes through ``scrapy crawl wire -a urls=<its URL>``'s real parse path (the spider's
callback and the worker's ``run_page``); a page without a row scores F1 0, as a lost story should.
Scorer: the benchmark's, 4-token shingles of ``\\w+`` tokens, per-page precision/recall/F1, mean over pages;
the row's ``dateline`` column is put back in front of its ``body``, as the reference texts keep it.

Also reported: the share of pages whose published day equals the day spelled in their URL (±1 day), which
source gave each date (``published_source``), drop reasons, and which fallbacks fired.

Run: ``python benchmarks/generic_quality.py [--limit N] [--show]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import regex
import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.spiders.wire import GenericSpider  # noqa: E402
from tests.pages import parse_outcome, spider_of  # noqa: E402

CORPUS = Path(os.environ.get("WIRECRAWL_CORPUS") or ROOT.parent / "shared" / "corpus")
TOKEN = regex.compile(r"\w+")
URL_DATE = regex.compile(r"/((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?:/|\b)")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    words = TOKEN.findall(text or "")
    return Counter(tuple(words[i:i + n]) for i in range(max(0, len(words) - n + 1)))


def prf(found: str, reference: str) -> tuple[float, float, float]:
    """The benchmark's measure: shared 4-token shingles over found (precision) and reference (recall)."""
    got, want = shingles(found), shingles(reference)
    common = sum((got & want).values())
    if not got or not want:
        return (0.0, 0.0, 0.0) if got or want else (1.0, 1.0, 1.0)
    precision, recall = common / sum(got.values()), common / sum(want.values())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


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
    folder = CORPUS / "aeb-dev"
    truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    found = []
    for key in sorted(truth)[:limit]:
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        found.append((key, truth[key]["url"], html, truth[key]["articleBody"]))
    return found


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--limit", type=int, default=None, help="first N pages only")
    arguments.add_argument("--show", action="store_true", help="one line per page")
    options = arguments.parse_args()
    if not (CORPUS / "aeb-dev" / "ground-truth.json").is_file():
        print(f"aeb-dev not found under {CORPUS}; set WIRECRAWL_CORPUS")
        return 1
    ours: list[tuple[float, float, float]] = []
    theirs: list[tuple[float, float, float]] = []
    reasons: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    fallbacks: Counter[str] = Counter()
    dated = days_right = 0
    seconds = {"wirecrawl": 0.0, "trafilatura": 0.0}
    selected = pages(options.limit)
    for key, url, html, reference in selected:
        spider = spider_of(GenericSpider, urls=url)
        started = time.perf_counter()
        try:
            outcome = parse_outcome(spider, html, url)
        except AssertionError:
            outcome = None
        seconds["wirecrawl"] += time.perf_counter() - started
        started = time.perf_counter()
        plain = trafilatura.extract(html, favor_precision=True) or ""
        seconds["trafilatura"] += time.perf_counter() - started
        row = outcome.row if outcome else None
        for counter in (outcome.counters if outcome else {}):
            if counter.startswith("wirecrawl/fallback/"):
                fallbacks[counter.removeprefix("wirecrawl/fallback/")] += 1
        score = prf(story_text(row), reference)
        ours.append(score)
        theirs.append(prf(plain, reference))
        if row is None:
            reasons[outcome.reason if outcome else "not_article_url"] += 1
        else:
            sources[row.get("published_source") or "none"] += 1
        day = url_day(url)
        if day is not None:
            dated += 1
            published = row.get("published_at") if row else None
            if published is not None and abs((published.date() - day).days) <= 1:
                days_right += 1
        if options.show:
            status = "row" if row else f"dropped: {outcome.reason if outcome else 'url'}"
            print(f"{key[:10]} F1 {score[2]:.3f} traf {theirs[-1][2]:.3f} P {score[0]:.3f} R {score[1]:.3f} "
                  f"{status:<20} {url[:60]}")
    n = len(selected)
    rows = n - sum(reasons.values())
    print(f"aeb-dev: {n} pages")
    print(f"  rows stored           {rows}/{n} ({rows / n:.1%})")
    for name, scores in (("wirecrawl", ours), ("trafilatura precision", theirs)):
        p, r, f = (mean([s[i] for s in scores]) for i in range(3))
        print(f"  {name:<22} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(f"  F1 difference         {mean([s[2] for s in ours]) - mean([s[2] for s in theirs]):+.3f}")
    if dated:
        print(f"  published day = URL day (±1): {days_right}/{dated} ({days_right / dated:.1%})")
    print(f"  time: wirecrawl {seconds['wirecrawl'] / seconds['trafilatura']:.2f}× trafilatura's "
          f"({seconds['wirecrawl'] / n * 1000:.0f} ms vs {seconds['trafilatura'] / n * 1000:.0f} ms a page)")
    print("  dropped:", dict(reasons.most_common()) or "none")
    print("  published_source:", dict(sources.most_common()))
    print("  fallbacks fired:", dict(fallbacks.most_common()) or "none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
