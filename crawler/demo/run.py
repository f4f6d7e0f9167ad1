"""``wirecrawl demo`` (the demo site crawled twice, offline, and what was stored shown) and
``wirecrawl serve-demo`` (the demo site kept up on 127.0.0.1 until Ctrl-C, to try the rest on)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from crawler.demo.mirror import Server, Site, demo_site
from pipelines.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE

#: left in a demo folder, so that the next demo may replace it (and nothing else)
MARKER = ".wirecrawl-demo"


def crawl_command(base_url: str, dataset: Path, *settings: str, spider: str = "upi") -> list[str]:
    """``wirecrawl crawl upi`` against the mirror (``wire``: the partner site beside it), without the
    politeness a real site deserves."""
    where = f"site={base_url}" if spider == "wire" else f"base_url={base_url}"
    command = [sys.executable, "-m", "crawler.cli", "crawl", spider, "-a", where,
               "-s", f"DATASET_URI={dataset}", "-s", "DOWNLOAD_DELAY=0",
               "-s", "AUTOTHROTTLE_ENABLED=False"]
    for setting in settings:
        command += ["-s", setting]
    return command


def _summary(run: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in run.stderr.splitlines() if "run OK" in line or "run FAILED" in line]
    return lines[-1].split(": ", 1)[-1].split("] ", 1)[-1] if lines else "(no summary)"


def demo(folder: Path) -> int:
    """Crawl the demo site into ``folder/articles`` twice (the second run finds nothing new), then
    the partner site that runs copies of two of its stories, and print the stored rows and which
    stories have copies."""
    import pandas as pd

    if folder.exists() and not (folder / MARKER).exists() and any(folder.iterdir()):
        print(f"error: {folder} exists and is no demo folder; give another (--into DIR)", file=sys.stderr)
        return EXIT_USAGE
    shutil.rmtree(folder, ignore_errors=True)
    dataset = folder / "articles"
    dataset.mkdir(parents=True)
    (folder / MARKER).write_text("made by wirecrawl demo; the next demo replaces this folder\n")
    site = Site()
    with Server(site) as base_url:
        demo_site(site, base_url)
        first = subprocess.run(crawl_command(base_url, dataset), capture_output=True, text=True)
        second = (subprocess.run(crawl_command(base_url, dataset), capture_output=True, text=True)
                  if first.returncode == 0 else first)
        partner = (subprocess.run(crawl_command(base_url, dataset, spider="wire"), capture_output=True,
                                  text=True) if second.returncode == 0 else second)
    print(f"first run : {_summary(first)}")
    print(f"second run: {_summary(second)}")
    print(f"partner   : {_summary(partner)}")
    failed = next((run for run in (first, second, partner) if run.returncode != 0), None)
    if failed is not None:
        print(failed.stderr[-3000:], file=sys.stderr)
        return EXIT_FAILED
    frame = pd.read_parquet(dataset)
    pd.set_option("display.width", 160)
    pd.set_option("display.max_colwidth", 40)
    print(f"\n{len(frame)} rows in {dataset}\n")
    print(frame[["id", "published_at", "authors", "dateline_city", "dateline_country_code",
                 "word_count", "headline"]].sort_values("published_at").to_string(index=False))
    print("\nThe second run downloaded no article: the dataset itself is the record of what is stored.")
    copied = frame[frame.duplicated("cluster_id", keep=False)].sort_values("fetched_at")
    print(f"{frame.cluster_id.nunique()} distinct stories; {copied.cluster_id.nunique()} of them have "
          "copies on the partner site (rows sharing a cluster_id):")
    for cluster, group in copied.groupby("cluster_id", sort=False):
        print(f"  {cluster}: " + "; ".join(f"{row.source} {row.headline[:50]!r}"
                                            for row in group.itertuples()))
    print(f"Next: wirecrawl report {dataset}; wirecrawl clusters {dataset} --dry-run; "
          "wirecrawl serve-demo keeps the demo site up to try recording, re-parsing and more on.")
    return EXIT_OK


GUIDE = """\
The demo site (a UPI mirror, {stories} stories) is up at {base} until Ctrl-C. From another terminal:

  # crawl it (the same command as on upi.com, with its address), then the partner site beside it
  wirecrawl crawl upi -a base_url={base} -s DATASET_URI=demo-data/served
  wirecrawl crawl wire -a site={base} -s DATASET_URI=demo-data/served
  # record what a crawl fetches as WARC, then re-parse the recording without any site
  wirecrawl crawl upi -a base_url={base} -s DATASET_URI=demo-data/recorded -s WARC_DIR=demo-data/warc
  wirecrawl reparse 'demo-data/warc/*.warc.gz' --into demo-data/reparsed --source upi --host 127.0.0.1
  # or read the recording as a crawl would
  wirecrawl crawl upi -a warc='demo-data/warc/*.warc.gz' -a base_url={base} -s DATASET_URI=demo-data/from-warc
  # compaction, the report, clusters
  wirecrawl compact demo-data/served; wirecrawl report demo-data/served; wirecrawl clusters demo-data/served
  # distributed mode: the same command in two terminals, one Redis (redis-server on this machine)
  wirecrawl crawl upi -a base_url={base} -s DATASET_URI=demo-data/shared -s REDIS_URL=redis://127.0.0.1:6379/0
"""


def serve(port: int) -> int:
    """Serve the demo site on 127.0.0.1:``port`` (0: a free port) until SIGINT or SIGTERM."""
    site = Site()
    try:
        server = Server(site, port=port)
    except OSError as exc:
        print(f"error: cannot serve on 127.0.0.1:{port}: {exc.strerror}; give another --port (0: any "
              "free one)", file=sys.stderr)
        return EXIT_FAILED
    stories = demo_site(site, server.url)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with server as base:
        print(GUIDE.format(base=base, stories=len(stories) + 1), flush=True)
        while not stop.wait(3600):
            pass
    print(f"stopped; {len(site.hits)} requests answered", flush=True)
    return EXIT_OK
