"""End-to-end throughput and memory of ``scrapy crawl upi``, next to bare trafilatura in the same run.

    python benchmarks/throughput.py                      # 2,000 pages
    python benchmarks/throughput.py --pages 1000 10000   # also: peak memory at two sizes

nginx on 127.0.0.1 (the Python test server, with a warning, where nginx is missing) serves N
real-sized article pages (the real 2020 UPI page of the corpus, 80 KB, under N different story ids;
without the corpus, the test mirror's smaller pages) and a feed listing them. The crawl runs with
politeness off (our own server); its peak memory is sampled from /proc: the crawler process alone
(RSS) and the crawler with its worker processes (PSS, which counts shared pages once). The baseline is
``trafilatura.extract`` over the same pages (the first 2,000) in one process, measured just before
and just after the crawl at each N and averaged; the ratio is what to compare across machines.
``--profile`` adds where the crawler process spends its own time per page (download, callbacks, item
pipeline, writes).
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

from benchmarks.static_server import serve  # noqa: E402
from tests.mirror import FEED_PATHS, article_html, make_stories  # noqa: E402

CORPUS = Path(os.environ.get("WIRECRAWL_CORPUS") or ROOT.parent / "shared" / "corpus")
REAL_PAGE = CORPUS / "upi/html/metahtml_2020-01-07_stampede-funeral-soleimani.html"
REAL_ID = "1141578394958"
REAL_PATH = ("/Top_News/World-News/2020/01/07/"
             "At-least-50-dead-in-stampede-during-funeral-for-Iranian-general/1141578394958/")


def build_site(count: int, base_url: str) -> dict[str, bytes]:
    """``count`` article pages and a feed listing them (URL path -> body)."""
    files: dict[str, bytes] = {}
    links: list[str] = []
    if REAL_PAGE.is_file():
        template = REAL_PAGE.read_text("utf-8")
        for n in range(count):
            story_id = f"{100 + n % 900}{1578394958 - n * 60}"
            path = REAL_PATH.replace(REAL_ID, story_id)
            files[path] = template.replace(REAL_ID, story_id).replace(
                "https://www.upi.com", base_url).encode()
            links.append(base_url + path)
    else:
        for story in make_stories(count):
            files[story.path] = article_html(story, base_url).encode()
            links.append(base_url + story.path)
    items = "".join(f"<item><link>{link}</link></item>" for link in links)
    files[FEED_PATHS[0]] = f"<rss><channel>{items}</channel></rss>".encode()
    for path in FEED_PATHS[1:]:
        files[path] = b"<rss><channel></channel></rss>"
    return files


def article_pages(files: dict[str, bytes]) -> list[bytes]:
    return [body for path, body in files.items() if path.endswith("/")]


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


BASELINE_PAGES = 2000


def bare_trafilatura(pages: list[bytes]) -> float:
    """Pages per second of ``trafilatura.extract`` in this one process."""
    for page in pages[:5]:
        trafilatura.extract(page)
    start = time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    return len(pages) / (time.perf_counter() - start)


def crawl(base_url: str, count: int, workers: str, profile: Path | None = None) -> dict:
    """One real crawl of the server's feed; with ``profile``, under cProfile (its figures are not
    timed: the profiler slows the crawler)."""
    with tempfile.TemporaryDirectory() as tmp:
        runner = ["-m", "cProfile", "-o", str(profile), "-m", "scrapy"] if profile else ["-m", "scrapy"]
        command = [sys.executable, *runner, "crawl", "upi", "-a", f"base_url={base_url}",
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


#: Where the crawler process spends its time, by the file a function lives in (own time, not cumulative).
_PROFILE_PARTS = (
    ("download (HTTP client, Scrapy's downloader)", ("twisted/web", "twisted/internet/tcp",
                                                      "scrapy/core/downloader", "h2/", "hpack")),
    ("spider callbacks (feed, article checks)", ("crawler/spiders", "crawler/feeds", "scrapy/http/",
                                                 "w3lib", "parsel")),
    ("item pipeline (pages to workers, rows back)", ("pipelines/stages", "pipelines/workers",
                                                     "concurrent/futures", "multiprocessing", "pickle",
                                                     "asyncio")),
    ("Parquet writes", ("pipelines/dataset", "pyarrow")),
    ("scheduler and disk queue", ("scrapy/core/scheduler", "queuelib", "scrapy/squeues",
                                  "scrapy/pqueues", "crawler/dupefilter", "pipelines/idset")),
)


def profile_summary(path: Path, pages: int) -> list[str]:
    """Milliseconds of the crawler process's own CPU time per page, by part."""
    import pstats

    stats = pstats.Stats(str(path))
    totals: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        if "poll" in name or "select" in name:
            part = "idle (waiting for the network or the workers)"
        elif ("importlib" in filename or "inspect.py" in filename or "marshal" in name
              or "builtins.exec" in name or "builtins.compile" in name):
            part = "start-up (imports)"
        else:
            part = next((label for label, markers in _PROFILE_PARTS
                         if any(m in filename for m in markers)), "other (engine, signals, logging)")
        totals[part] = totals.get(part, 0.0) + own
    whole = sum(totals.values())
    lines = [f"  {label:<46} {seconds / pages * 1000:6.2f} ms/page ({seconds / whole:4.0%})"
             for label, seconds in sorted(totals.items(), key=lambda kv: -kv[1])]
    return [f"profile of the crawler process ({pages} pages, cProfile, own time):", *lines,
            f"  {'total':<46} {whole / pages * 1000:6.2f} ms/page"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="+", default=[2000],
                        help="crawl sizes (the first also measures throughput)")
    parser.add_argument("--workers", default="", help="WIRECRAWL_WORKERS (default: one per core)")
    parser.add_argument("--no-baseline", action="store_true", help="skip bare trafilatura (smoke runs)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the crawler process and print where its time goes per page")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    print(f"machine: {cores} cores; pages from "
          f"{'the real UPI page' if REAL_PAGE.is_file() else 'the test mirror (no corpus)'}")
    results = []
    for count in args.pages:
        with serve(lambda base_url, n=count: build_site(n, base_url)) as (base_url, server):
            pages = article_pages(build_site(count, base_url))[:BASELINE_PAGES]
            # the baseline brackets the crawl (before and after), so a machine whose speed drifts
            # (a shared host) moves both sides of the ratio alike
            before = bare_trafilatura(pages) if not args.no_baseline else None
            result = crawl(base_url, count, args.workers)
            after = bare_trafilatura(pages) if not args.no_baseline else None
            bare = (before + after) / 2 if before and after else None
        results.append((count, result))
        print(f"N={count:>6}: {result['written']} rows in {result['seconds']:.1f} s "
              f"({result['rate']:.1f} articles/s; {result['wall']:.1f} s with start-up); "
              f"peak RSS crawler {result['rss_mb']:.0f} MB, crawler+workers PSS "
              f"{result['tree_pss_mb']:.0f} MB; served by {server}")
        if bare is not None:
            print(f"         bare trafilatura.extract, one process, same pages: {bare:.1f} pages/s "
                  f"({before:.1f} before the crawl, {after:.1f} after); "
                  f"ratio wirecrawl/bare = {result['rate'] / bare:.2f}")
    if args.profile:
        count = min(args.pages[0], 2000)
        with tempfile.TemporaryDirectory() as tmp, \
                serve(lambda base_url: build_site(count, base_url)) as (base_url, _):
            crawl(base_url, count, args.workers, profile=Path(tmp) / "crawl.prof")
            print("\n".join(profile_summary(Path(tmp) / "crawl.prof", count)))
    if len(results) > 1:
        first, last = results[0][1], results[-1][1]
        print(f"memory N={results[-1][0]} vs N={results[0][0]}: crawler RSS "
              f"{last['rss_mb'] / first['rss_mb'] - 1:+.1%}, with workers "
              f"{last['tree_pss_mb'] / first['tree_pss_mb'] - 1:+.1%}")
    return 0 if all(r["returncode"] == 0 for _, r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
