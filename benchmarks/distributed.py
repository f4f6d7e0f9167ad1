"""Pages per second of a distributed crawl with 1 and 2 workers, same site, same run.

    python benchmarks/distributed.py [--pages 1000] [--slow-pages 400] [--delay 0.1] [--redis-url U]

Starts its own ``redis-server`` on 127.0.0.1 (the Debian package) unless given ``--redis-url``, and
a local server with the pages of :mod:`benchmarks.throughput`. Three situations, each measured with one
worker and with two workers started together (each a ``scrapy crawl upi`` process; a fresh dataset and
key prefix each):

* ``local``: one worker with Scrapy's own scheduler, no Redis: what distributed mode costs;
* ``parse-bound``: pages served at once, so the CPU that parses them is the limit. Two workers on
  one machine share its cores: this shows the overhead, not the gain of adding hosts;
* ``site-bound``: each page takes ``--delay`` seconds to answer and each worker keeps at most
  ``CONCURRENT_REQUESTS_PER_DOMAIN=4`` requests open, as a polite crawl of a distant site does.

The rate is rows written / (last worker's finish - first worker's start), from the workers' stats.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.throughput import REAL_PAGE, build_site  # noqa: E402
from tests.mirror import Server, Site  # noqa: E402
from tests.redis_server import start_redis  # noqa: E402


def crawl(base_url: str, count: int, workers: int, redis_url: str | None,
          per_domain: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        prefix = f"bench-{uuid.uuid4().hex[:8]}"
        processes = []
        for n in range(workers):
            command = [sys.executable, "-m", "scrapy", "crawl", "upi", "-a", f"base_url={base_url}",
                       "-s", f"DATASET_URI={tmp}/articles", "-s", "DOWNLOAD_DELAY=0",
                       "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=32",
                       "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={per_domain}",
                       "-s", "LOG_LEVEL=WARNING", "-s", f"WIRECRAWL_MAX_FEED_ENTRIES={count + 10}",
                       "-s", f"WIRECRAWL_STATS_FILE={tmp}/s{n}.json"]
            if redis_url:
                command += ["-s", f"REDIS_URL={redis_url}", "-s", f"WIRECRAWL_REDIS_PREFIX={prefix}"]
            processes.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.PIPE, text=True,
                                              env=dict(os.environ, PYTHONPATH=str(ROOT))))
        errors = [p.communicate()[1] for p in processes]
        stats = [json.loads(Path(f"{tmp}/s{n}.json").read_text()) for n in range(workers)]
    written = [s.get("wirecrawl/items/written", 0) for s in stats]
    start = min(dt.datetime.fromisoformat(s["start_time"]) for s in stats)
    finish = max(dt.datetime.fromisoformat(s["finish_time"]) for s in stats)
    seconds = (finish - start).total_seconds()
    ok = all(p.returncode == 0 for p in processes) and sum(written) == count
    if not ok:
        print("\n".join(e[-1500:] for e in errors), file=sys.stderr)
    return {"written": written, "seconds": seconds, "rate": sum(written) / seconds, "ok": ok}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000, help="pages of the parse-bound site")
    parser.add_argument("--slow-pages", type=int, default=400, help="pages of the site-bound site")
    parser.add_argument("--delay", type=float, default=0.1, help="answer time of a slow page (s)")
    parser.add_argument("--redis-url", help="a Redis to use (default: start one)")
    args = parser.parse_args()
    print(f"machine: {len(os.sched_getaffinity(0))} cores; pages from "
          f"{'the real UPI page' if REAL_PAGE.is_file() else 'the test mirror (no corpus)'}")
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        started = (None, args.redis_url) if args.redis_url else start_redis(Path(folder))
        if started is None:
            raise SystemExit("redis-server not found: apt-get install redis-server")
        redis_process, redis_url = started
        try:
            for label, count, delay, per_domain in (
                    ("parse-bound", args.pages, 0.0, 32),
                    ("site-bound", args.slow_pages, args.delay, 4)):
                site = Site()
                with Server(site, keep_alive=True) as base_url:
                    for path, body in build_site(count, base_url).items():
                        feed = path.endswith((".rss", ".xml"))
                        site.add(path, body,
                                 content_type="application/rss+xml" if feed else "text/html")
                    for path, route in site.routes.items():
                        if path.count("/") >= 6:
                            route.delay = delay
                    runs = [("local", crawl(base_url, count, 1, None, per_domain))]
                    for workers in (1, 2):
                        runs.append((f"redis x{workers}",
                                     crawl(base_url, count, workers, redis_url, per_domain)))
                base = runs[0][1]["rate"]
                one = runs[1][1]["rate"]
                print(f"{label} ({count} pages, {delay:g} s a page, {per_domain} per domain "
                      "per worker):")
                for name, result in runs:
                    ok &= result["ok"]
                    print(f"  {name:<9} {result['rate']:7.1f} pages/s  rows per worker "
                          f"{result['written']}  ({result['seconds']:.1f} s)  "
                          f"vs local {result['rate'] / base:.2f}  vs 1 worker "
                          f"{result['rate'] / one:.2f}")
        finally:
            if redis_process is not None:
                redis_process.terminate()
                redis_process.wait()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
