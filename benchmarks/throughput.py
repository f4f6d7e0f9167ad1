"""End-to-end throughput and memory of ``scrapy crawl upi``, next to bare trafilatura in the same run.

    python benchmarks/throughput.py                      # 2,000 pages
    python benchmarks/throughput.py --pages 1000 10000   # also: peak memory at two sizes

A local server on 127.0.0.1 serves N real-sized article pages (the real 2020 UPI page of the corpus,
80 KB, under N different story ids; without the corpus, the test mirror's smaller pages) and a feed
listing them. The crawl runs with politeness off (it is our own server) and its peak memory is sampled
from /proc: the crawler process alone (RSS) and the crawler with its worker processes (PSS, which
counts shared pages once). The baseline is ``trafilatura.extract`` over the same pages in one process,
measured in the same run; the ratio is what to compare across machines.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.mirror import FEED_PATHS, Server, Site, article_html, make_stories  # noqa: E402

CORPUS = Path(os.environ.get("WIRECRAWL_CORPUS") or ROOT.parent / "shared" / "corpus")
REAL_PAGE = CORPUS / "upi/html/metahtml_2020-01-07_stampede-funeral-soleimani.html"
REAL_ID = "1141578394958"
REAL_PATH = ("/Top_News/World-News/2020/01/07/"
             "At-least-50-dead-in-stampede-during-funeral-for-Iranian-general/1141578394958/")


def build_site(count: int, base_url: str, site: Site) -> list[bytes]:
    """Serve ``count`` article pages and a feed listing them; returns the page bodies."""
    pages: list[bytes] = []
    links: list[str] = []
    if REAL_PAGE.is_file():
        template = REAL_PAGE.read_text("utf-8")
        for n in range(count):
            story_id = f"{100 + n % 900}{1578394958 - n * 60}"
            path = REAL_PATH.replace(REAL_ID, story_id)
            body = template.replace(REAL_ID, story_id).replace("https://www.upi.com", base_url)
            pages.append(body.encode())
            site.add(path, pages[-1])
            links.append(base_url + path)
    else:
        for story in make_stories(count):
            pages.append(article_html(story, base_url).encode())
            site.add(story.path, pages[-1])
            links.append(base_url + story.path)
    items = "".join(f"<item><link>{link}</link></item>" for link in links)
    site.add(FEED_PATHS[0], f"<rss><channel>{items}</channel></rss>",
             content_type="application/rss+xml")
    for path in FEED_PATHS[1:]:
        site.add(path, "<rss><channel></channel></rss>", content_type="application/rss+xml")
    return pages


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return found


def _kb(path: str, key: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    """Peak RSS of the crawler process, and peak PSS of it with all its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss_kb = 0
        self.peak_tree_pss_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_rss_kb = max(self.peak_rss_kb, _kb(f"/proc/{self.pid}/status", "VmRSS:"))
            pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in _tree(self.pid))
            self.peak_tree_pss_kb = max(self.peak_tree_pss_kb, pss)
            time.sleep(0.2)


def bare_trafilatura(pages: list[bytes]) -> float:
    """Pages per second of ``trafilatura.extract`` in this one process."""
    for page in pages[:5]:
        trafilatura.extract(page)
    start = time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    return len(pages) / (time.perf_counter() - start)


def crawl(base_url: str, count: int, workers: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "scrapy", "crawl", "upi", "-a", f"base_url={base_url}",
                   "-s", f"DATASET_URI={tmp}/articles", "-s", "DOWNLOAD_DELAY=0",
                   "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=32",
                   "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32", "-s", "LOG_LEVEL=WARNING",
                   "-s", f"WIRECRAWL_MAX_FEED_ENTRIES={count + 10}",
                   "-s", f"WIRECRAWL_WORKERS={workers}", "-s", f"WIRECRAWL_STATS_FILE={tmp}/s.json"]
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True,
                                   env=dict(os.environ, PYTHONPATH=str(ROOT)))
        sampler = MemorySampler(process.pid)
        sampler.start()
        _, errors = process.communicate()
        wall = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
        import json

        stats = json.loads(Path(f"{tmp}/s.json").read_text())
    written = stats.get("wirecrawl/items/written", 0)
    import datetime as dt

    crawl_seconds = (dt.datetime.fromisoformat(stats["finish_time"])
                     - dt.datetime.fromisoformat(stats["start_time"])).total_seconds()
    if process.returncode != 0 or written != count:
        print(errors[-2000:], file=sys.stderr)
    return {"written": written, "seconds": crawl_seconds, "wall": wall,
            "rate": written / crawl_seconds if crawl_seconds else 0.0,
            "rss_mb": sampler.peak_rss_kb / 1024, "tree_pss_mb": sampler.peak_tree_pss_kb / 1024,
            "returncode": process.returncode}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="+", default=[2000],
                        help="crawl sizes (the first also measures throughput)")
    parser.add_argument("--workers", default="", help="WIRECRAWL_WORKERS (default: one per core)")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    print(f"machine: {cores} cores; pages from "
          f"{'the real UPI page' if REAL_PAGE.is_file() else 'the test mirror (no corpus)'}")
    results = []
    for count in args.pages:
        site = Site()
        with Server(site, keep_alive=True) as base_url:
            pages = build_site(count, base_url, site)
            bare = bare_trafilatura(pages) if count == args.pages[0] else None
            result = crawl(base_url, count, args.workers)
        results.append((count, result))
        line = (f"N={count:>6}: {result['written']} rows in {result['seconds']:.1f} s "
                f"({result['rate']:.1f} articles/s; {result['wall']:.1f} s with start-up); "
                f"peak RSS crawler {result['rss_mb']:.0f} MB, crawler+workers PSS "
                f"{result['tree_pss_mb']:.0f} MB")
        print(line)
        if bare is not None:
            print(f"         bare trafilatura.extract, one process, same pages: {bare:.1f} pages/s;"
                  f" ratio wirecrawl/bare = {result['rate'] / bare:.2f}")
    if len(results) > 1:
        first, last = results[0][1], results[-1][1]
        print(f"memory N={results[-1][0]} vs N={results[0][0]}: crawler RSS "
              f"{last['rss_mb'] / first['rss_mb'] - 1:+.1%}, with workers "
              f"{last['tree_pss_mb'] / first['tree_pss_mb'] - 1:+.1%}")
    return 0 if all(r["returncode"] == 0 for _, r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
