"""What an operator meets: one line and exit 2 for each mistake, the README's cron lines working as
written on a fresh checkout, quiet logs whose last line is the verdict, rows on disk during long runs."""

from __future__ import annotations

import os
import re
import shutil
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
    crawl_command,
    crawl_env,
    make_stories,
    run_crawl,
    upi_mirror,
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
    # issue 24: each of these was a traceback, or accepted
    (["crawl", "upi", "-s", "WARC_MAX_BYTES=abc"], "error: WARC_MAX_BYTES must be a whole number, got 'abc'"),
    (["crawl", "upi", "-s", "CLUSTER_THRESHOLD=abc"], "error: CLUSTER_THRESHOLD must be a number, got 'abc'"),
    (["crawl", "upi", "-s", "CLUSTER_WINDOW_DAYS=abc"], "error: CLUSTER_WINDOW_DAYS must be a number, "
                                                        "got 'abc'"),
    (["crawl", "upi", "-s", "WIRECRAWL_DISK_QUEUE=abc"], "error: WIRECRAWL_DISK_QUEUE must be True or False, "
                                                         "got 'abc'"),
    (["crawl", "upi", "-s", "AUTOTHROTTLE_ENABLED=abc"], "error: AUTOTHROTTLE_ENABLED must be True or False, "
                                                         "got 'abc'"),
    (["crawl", "upi", "-s", "WIRECRAWL_ARCHIVE_IN_FLIGHT=abc"], "error: WIRECRAWL_ARCHIVE_IN_FLIGHT must be "
                                                                "a whole number, got 'abc'"),
    (["crawl", "upi", "-s", "CLUSTER_THRESHOLD=5"], "error: CLUSTER_THRESHOLD must be at most 1, got '5'"),
    (["crawl", "upi", "-s", "CLUSTER_THRESHOLD=-1"], "error: CLUSTER_THRESHOLD must be more than 0, "
                                                     "got '-1'"),
    (["crawl", "upi", "-s", "LOG_LEVEL=abc"], "error: LOG_LEVEL must be one of CRITICAL, ERROR, WARNING, "
                                              "INFO, DEBUG (in capitals), got 'abc'"),
])
def test_a_mistake_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    dataset = tmp_path / "articles"
    result = _scrapy(*args, "-s", f"DATASET_URI={dataset}")
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.strip().splitlines() == [message]
    assert result.stdout == ""
    assert not (dataset / "_queue").exists() or not any((dataset / "_queue").iterdir())


@pytest.mark.parametrize(("value", "message"), [
    # before: the dataset was written into the current folder, with no known-ids check and no run lock
    ("", "error: DATASET_URI must name a local folder, e.g. data/articles; it is empty"),
    # before: a local folder ./s3:/bucket/articles was made, exit 0
    ("s3://bucket/articles", "error: DATASET_URI must be a local folder, got 's3://bucket/articles': "
                             "object storage and other URLs are not supported yet; mount the bucket "
                             "(e.g. s3fs, gcsfuse) and give its local path"),
])
def test_a_dataset_that_is_not_a_local_folder_is_refused(tmp_path: Path, value: str, message: str) -> None:
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "upi", "-a",
                             "base_url=http://127.0.0.1:9", "-s", f"DATASET_URI={value}"], cwd=tmp_path,
                            env=crawl_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stderr.strip().splitlines() == [message]
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere


def test_the_readme_settings_table_is_the_declaration() -> None:
    """The README's table is what ``python -m pipelines.config`` prints (every declared setting)."""
    from pipelines.config import SETTINGS, markdown_table

    text = (ROOT / "README.md").read_text()
    table = markdown_table()
    assert table in text, "README.md's settings table differs: paste python -m pipelines.config"
    assert all(f"| `{s.name}` |" in table for s in SETTINGS)


def _cron_lines() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```cron\n(.*?)```", text, re.DOTALL)
    assert block, "the README's cron block"
    return [line.split(None, 5)[5] for line in block.group(1).splitlines() if line.strip()]


def _run_cron_lines(home: Path, tmp_path: Path, base_url: str,
                    which: slice = slice(None)) -> list[subprocess.CompletedProcess[str]]:
    """The README's cron lines, run as cron runs them (``sh -c``, nothing on stdin, output captured:
    cron mails whatever they print). The one difference from production: a settings module that
    points the spiders at ``base_url`` (a mirror, or nothing at all)."""
    (home / "cron_settings.py").write_text(
        f"from crawler.settings import *  # noqa: F403\nWIRECRAWL_BASE_URL = {base_url!r}\n"
        "DOWNLOAD_DELAY = 0\nAUTOTHROTTLE_ENABLED = False\nDOWNLOAD_TIMEOUT = 10\n")
    env = dict(crawl_env(), PYTHONPATH=f"{home}:{ROOT}", SCRAPY_SETTINGS_MODULE="cron_settings")
    results = []
    for line in _cron_lines()[which]:
        command = line.replace("/srv/wirecrawl", str(home)).replace(
            "/tmp/wirecrawl-upi.lock", str(tmp_path / "upi.lock"))
        results.append(subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True,
                                      timeout=240, stdin=subprocess.DEVNULL))
    return results


def _fresh_checkout(tmp_path: Path) -> Path:
    home = tmp_path / "srv"  # stands for /srv/wirecrawl: a fresh checkout, no logs/ nor data/ yet
    home.mkdir()
    (home / ".venv").symlink_to(sys.prefix)  # the environment `make` would have set up
    return home


def test_the_readme_cron_lines_print_nothing_when_all_goes_well(tmp_path: Path) -> None:
    """Before: every run printed ~80 lines of Scrapy's banner (without LOG_FILE) and compaction a line
    a night, so cron mailed every 15 minutes."""
    crawl, compact, report = _cron_lines()
    assert "--quiet" in crawl and "LOG_FILE=logs/upi.log" in crawl and "--quiet" in compact
    home = _fresh_checkout(tmp_path)
    stories = make_stories(3)
    with upi_mirror(stories=stories) as mirror:
        results = _run_cron_lines(home, tmp_path, mirror.base_url)
    for result in results:
        assert result.returncode == 0, (result.args, result.stdout, result.stderr[-3000:])
        assert "Traceback" not in result.stdout + result.stderr
    assert results[0].stdout + results[0].stderr == ""  # the crawl: nothing to mail
    assert results[1].stdout + results[1].stderr == ""  # compaction: nothing to mail
    assert "Recent runs" in results[2].stdout  # the weekly report is mailed on purpose
    log = (home / "logs" / "upi.log").read_text()
    assert log.strip().splitlines()[-1].split("] ", 1)[1].startswith("INFO: run OK: upi: 3 new")
    assert sorted(pd.read_parquet(home / "data" / "articles")["id"]) == sorted(
        f"upi:{s.story_id}" for s in stories)
    assert not list((home / "data" / "articles" / "_queue").iterdir())


def test_the_readme_cron_lines_print_the_errors_of_a_failed_run(tmp_path: Path) -> None:
    """Before: with LOG_FILE a failed run printed nothing (exit 1, empty output): cron mailed no one."""
    home = _fresh_checkout(tmp_path)
    (crawl,) = _run_cron_lines(home, tmp_path, "http://127.0.0.1:9", slice(0, 1))  # nothing answers
    assert crawl.returncode == 1 and crawl.stdout == ""
    lines = crawl.stderr.strip().splitlines()
    assert lines[-1] == "(the whole log: logs/upi.log)"
    assert " ERROR: run FAILED: no_feed_reachable; upi: 0 new" in lines[-2]
    assert all(" ERROR: " in line for line in lines[:-1]) and len(lines) >= 5  # the feeds, the verdict
    assert "Traceback" not in crawl.stderr

    damaged = home / "data" / "articles" / "source=upi" / "published_date=2024-03-12" / "part-x-1.parquet"
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"not parquet")
    (compact,) = _run_cron_lines(home, tmp_path, "http://127.0.0.1:9", slice(1, 2))
    assert compact.returncode == 3 and compact.stdout == ""  # damaged files quarantined: mailed
    assert "part-x-1.parquet" in compact.stderr and "Traceback" not in compact.stderr


def test_quiet_without_a_log_file_prints_no_banner(tmp_path: Path) -> None:
    with upi_mirror(2) as mirror:
        good = mirror.run(tmp_path / "a", "--quiet")
    bad = run_crawl("http://127.0.0.1:9", tmp_path / "b", "--quiet")
    assert good.returncode == 0 and good.stdout + good.stderr == ""
    assert bad.returncode == 1 and "Scrapy 2." not in bad.stderr and "INFO" not in bad.stderr
    assert bad.stderr.strip().splitlines()[-1].split("] ", 1)[1].startswith(
        "ERROR: run FAILED: no_feed_reachable")


def test_make_says_the_crawl_s_own_exit_status(tmp_path: Path) -> None:
    """Before: ``make crawl`` offline exited 2, make's own status, which the README calls a usage error;
    make cannot exit with another status, so it says the crawl's on a line of its own."""
    if shutil.which("make") is None:
        pytest.skip("make not installed")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "wirecrawl").write_text("#!/bin/sh\necho \"run FAILED: no_feed_reachable\" >&2\nexit 1\n")
    (fake / "wirecrawl").chmod(0o755)
    result = subprocess.run(["make", "-s", "-o", ".venv/.installed", f"BIN={fake}", "crawl"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2  # make's own
    assert "make: the command above exited with status 1" in result.stderr


def test_a_normal_run_has_no_warning_and_ends_with_its_verdict(tmp_path: Path) -> None:
    with upi_mirror(4) as mirror:
        result = mirror.run(tmp_path / "articles")
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
    dataset, log = tmp_path / "articles", tmp_path / "crawl.log"
    with upi_mirror(stories=stories) as mirror:
        for story in stories[4:]:
            mirror.site.routes[story.path].delay = 30  # the run is still going when it is killed
        command = crawl_command(mirror.base_url, dataset, "-s", "DATASET_FLUSH_SECONDS=1",
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
            mirror.site.routes[story.path].delay = 0
        mirror.crawl(dataset)
    assert sorted(pd.read_parquet(dataset)["id"]) == sorted(f"upi:{s.story_id}" for s in stories)
    assert list((dataset / "_queue").iterdir()) == []  # swept: its run is gone
