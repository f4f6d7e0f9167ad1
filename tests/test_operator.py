"""What an operator meets: one line and exit 2 for each mistake, the README's cron lines working as
written on a fresh checkout, quiet logs whose last line is the verdict, rows on disk during long runs."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipelines.sites import SITES
from tests.mirror import (
    ROOT,
    Server,
    Site,
    crawl_command,
    crawl_env,
    fill_upi_site,
    make_stories,
    run_crawl,
)

pytestmark = pytest.mark.e2e

FUTURE = "2099-01-01"


def _scrapy(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=cwd, env=crawl_env(),
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("args", "message"), [
    (["crawl", "upi", "-a", "since=yesterday"], "error: since must be a date YYYY-MM-DD, got 'yesterday'"),
    (["crawl", "upi", "-a", f"since={FUTURE}"], f"error: since {FUTURE} is in the future; "
                                                "give a day up to today"),
    (["crawl", "upi", "-a", "max_items=-3"], "error: max_items must be a whole number of 1 or more, "
                                             "got '-3'"),
    (["crawl", "upi", "-a", "max_items=abc"], "error: max_items must be a whole number of 1 or more, "
                                              "got 'abc'"),
    (["crawl", "upi", "-a", "base_url=ftp://x"], "error: base_url must be an http(s) URL such as "
                                                 "http://127.0.0.1:8000, got 'ftp://x'"),
    (["crawl", "wire"], "error: wire needs a site to crawl; give -a site=https://example.com "
                        "(or -a urls=…)"),
    (["crawl", "nosuchspider"], "error: no spider named 'nosuchspider'; the spiders are: "
                                + ", ".join(sorted([*SITES, "wire"]))),
    (["crawl", "upi", "-a", "urls=not-a-url"], "error: urls must be http(s) URLs, got 'not-a-url'"),
    (["crawl", "upi", "-a", "max_item=2"], "error: upi takes no argument 'max_item'; its arguments "
                                           "are: base_url, cc_news, max_items, since, urls, warc"),
    (["crawl", "upi", "-s", "DATASET_FLUSH_ITEMS=abc"], "error: DATASET_FLUSH_ITEMS must be a whole "
                                                        "number, got 'abc'"),
    (["crawl", "upi", "-s", "WIRECRAWL_WORKERS=two"], "error: WIRECRAWL_WORKERS must be a whole number "
                                                      "(0: no worker processes) or empty (one per core), "
                                                      "got 'two'"),
    (["crawl", "upi", "-a", "urls=@/nonexistent/urls.txt"], "error: urls file '/nonexistent/urls.txt' "
                                                            "cannot be read: No such file or directory"),
])
def test_a_mistake_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    dataset = tmp_path / "articles"
    result = _scrapy(*args, "-s", f"DATASET_URI={dataset}")
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.strip().splitlines() == [message]
    assert result.stdout == ""
    assert not (dataset / "_queue").exists() or not any((dataset / "_queue").iterdir())


def _cron_lines() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```cron\n(.*?)```", text, re.DOTALL)
    assert block, "the README's cron block"
    return [line.split(None, 5)[5] for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_cron_lines_work_as_written_on_a_fresh_checkout(tmp_path: Path) -> None:
    lines = _cron_lines()
    assert [line.split(" && ")[1].split()[-1] for line in lines][0] == "LOG_FILE=logs/upi.log"
    home = tmp_path / "srv"  # stands for /srv/wirecrawl: a fresh checkout, no logs/ nor data/ yet
    home.mkdir()
    (home / ".venv").symlink_to(sys.prefix)  # the environment `make` would have set up
    site = Site()
    stories = make_stories(3)
    with Server(site) as base_url:
        fill_upi_site(site, base_url, stories)
        # the one difference from production: a settings module that points the spider at the mirror
        (home / "cron_settings.py").write_text(
            f"from crawler.settings import *  # noqa: F403\nWIRECRAWL_BASE_URL = {base_url!r}\n"
            "DOWNLOAD_DELAY = 0\nAUTOTHROTTLE_ENABLED = False\n")
        (home / "scrapy.cfg").write_text("[settings]\ndefault = cron_settings\n")
        env = dict(crawl_env(), PYTHONPATH=f"{home}:{ROOT}")
        for line in lines:
            command = line.replace("/srv/wirecrawl", str(home)).replace(
                "/tmp/wirecrawl-upi.lock", str(tmp_path / "upi.lock"))
            result = subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True,
                                    timeout=240)
            assert result.returncode == 0, (command, result.stdout, result.stderr[-3000:])
            assert "Traceback" not in result.stdout + result.stderr
    log = (home / "logs" / "upi.log").read_text()
    assert log.strip().splitlines()[-1].split("] ", 1)[1].startswith("INFO: run OK: upi: 3 new")
    assert sorted(pd.read_parquet(home / "data" / "articles")["id"]) == sorted(
        f"upi:{s.story_id}" for s in stories)
    assert not list((home / "data" / "articles" / "_queue").iterdir())


def test_a_normal_run_has_no_warning_and_ends_with_its_verdict(tmp_path: Path) -> None:
    site = Site()
    with Server(site) as base_url:
        fill_upi_site(site, base_url, make_stories(4))
        result = run_crawl(base_url, tmp_path / "articles")
    assert result.returncode == 0, result.stderr[-3000:]
    assert " WARNING: " not in result.stderr
    assert "Dumping Scrapy stats" not in result.stderr
    assert "Remote control HTTP server listening" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "INFO: run OK: upi: 4 new" in last


def test_an_unreachable_host_gives_one_line_per_failure(tmp_path: Path) -> None:
    result = run_crawl("http://127.0.0.1:9", tmp_path / "articles")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Gave up retrying" not in result.stderr
    failures = [line for line in result.stderr.splitlines() if "127.0.0.1:9" in line
                and (" ERROR: " in line or " WARNING: " in line)]
    # robots.txt once, then each of the four feeds once
    assert len(failures) == 5, failures
    assert result.stderr.strip().splitlines()[-1].split("] ", 1)[1].startswith(
        "ERROR: run FAILED: no_feed_reachable")


def test_rows_reach_disk_during_a_long_run_and_progress_is_logged(tmp_path: Path) -> None:
    stories = make_stories(12)
    site = Site()
    dataset, log = tmp_path / "articles", tmp_path / "crawl.log"
    with Server(site) as base_url:
        fill_upi_site(site, base_url, stories)
        for story in stories[4:]:
            site.routes[story.path].delay = 30  # the run is still going when it is killed
        command = crawl_command(base_url, dataset, "-s", "DATASET_FLUSH_SECONDS=1",
                                "-s", "WIRECRAWL_PROGRESS_SECONDS=1", "-s", "DOWNLOAD_TIMEOUT=60",
                                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16")
        with open(log, "w") as handle:
            process = subprocess.Popen(command, cwd=ROOT, env=crawl_env(), stdout=handle,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not list(dataset.rglob("part-*.parquet")):
                time.sleep(0.2)
            time.sleep(1.5)
            assert process.poll() is None, "the run ended before it could be killed"
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        written = pd.read_parquet(dataset)
        assert sorted(written["id"]) == sorted(f"upi:{s.story_id}" for s in stories[:4])
        assert re.search(r"INFO: progress: 4 new, 0 updated, 0 known, 0 dropped; \d+ pages fetched",
                         log.read_text())
        assert len(list((dataset / "_queue").iterdir())) == 1  # the killed run's queue
        for story in stories[4:]:
            site.routes[story.path].delay = 0
        again = run_crawl(base_url, dataset)
        assert again.returncode == 0, again.stderr[-3000:]
    assert sorted(pd.read_parquet(dataset)["id"]) == sorted(f"upi:{s.story_id}" for s in stories)
    assert list((dataset / "_queue").iterdir()) == []  # swept: its run is gone
