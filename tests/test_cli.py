"""The ``wirecrawl`` command as a newcomer meets it: installed, run from a folder that is not the
checkout (where ``scrapy crawl`` says "The crawl command is not available from this location")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from crawler.arguments import MEANINGS
from crawler.catalog import spider_names
from crawler.cli import project_settings
from tests.mirror import ROOT, make_stories, upi_mirror

pytestmark = pytest.mark.e2e

WIRECRAWL = Path(sys.executable).with_name("wirecrawl")


def _env() -> dict[str, str]:
    """The environment of a user's shell: no PYTHONPATH pointing at the checkout."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE")}


def wirecrawl(*args: str, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    assert WIRECRAWL.exists(), f"{WIRECRAWL}: the console script is installed by pip install -e ."
    return subprocess.run([str(WIRECRAWL), *args], cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=timeout)


def test_crawl_works_from_any_folder_where_scrapy_crawl_does_not(tmp_path: Path) -> None:
    stories = make_stories(3)
    with upi_mirror(stories=stories) as mirror:
        scrapy = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "upi"], cwd=tmp_path, env=_env(),
                                capture_output=True, text=True, timeout=120)
        assert "not available from this location" in scrapy.stdout  # Scrapy's own, outside a project
        result = wirecrawl("crawl", "upi", "-a", f"base_url={mirror.base_url}", "-s", "DATASET_URI=articles",
                           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "run OK: upi: 3 new" in result.stderr.strip().splitlines()[-1]
    assert sorted(pd.read_parquet(tmp_path / "articles")["id"]) == sorted(
        f"upi:{s.story_id}" for s in stories)
    report = wirecrawl("report", "articles", cwd=tmp_path)
    assert report.returncode == 0 and "Recent runs" in report.stdout


def test_help_lists_the_commands_the_spiders_and_a_spider_s_arguments(tmp_path: Path) -> None:
    top = wirecrawl("--help", cwd=tmp_path)
    assert top.returncode == 0
    for command in ("crawl", "spiders", "report", "check", "compact", "clusters", "reparse", "demo",
                    "serve-demo"):
        assert f"\n  {command} " in top.stdout, command

    names = spider_names(project_settings())  # Scrapy's spider loader: whatever spiders exist
    listing = wirecrawl("spiders", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    for name in names:
        assert f"\n  {name} " in listing.stdout, name
    for argument, meaning in MEANINGS.items():
        assert f"-a {argument}=" in listing.stdout and meaning.split()[0] in listing.stdout
    assert "UPI (upi.com, www.upi.com): 4 RSS feeds" in listing.stdout

    upi = wirecrawl("crawl", "upi", "--help", cwd=tmp_path)
    assert upi.returncode == 0, upi.stderr
    assert upi.stdout.startswith("Usage\n=====\n  wirecrawl crawl")
    assert "-a since=" in upi.stdout and "-a site=" not in upi.stdout and "--quiet" in upi.stdout
    wire = wirecrawl("crawl", "wire", "--help", cwd=tmp_path)
    assert "-a site=" in wire.stdout

    piped = subprocess.run(["bash", "-c", f"set -o pipefail; {WIRECRAWL} spiders | true"], cwd=tmp_path,
                           env=_env(), capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr == ""  # a reader that goes away: no traceback

    unknown = wirecrawl("crawll", cwd=tmp_path)
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr.startswith("error: no command 'crawll'; the commands are: crawl,")
    assert len(unknown.stderr.splitlines()) == 1


def test_demo_runs_anywhere_and_replaces_only_its_own_folder(tmp_path: Path) -> None:
    result = wirecrawl("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "first run : run OK: upi: 13 new" in result.stdout
    assert "second run: run OK: upi: 0 new, 0 updated, 13 skipped as known" in result.stdout
    assert "partner   : run OK: wire: 5 new" in result.stdout
    assert "15 distinct stories; 2 of them have copies" in result.stdout
    assert len(pd.read_parquet(tmp_path / "demo-data" / "articles")) == 13 + 5
    again = wirecrawl("demo", cwd=tmp_path)
    assert again.returncode == 0 and len(pd.read_parquet(tmp_path / "demo-data" / "articles")) == 13 + 5

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    refused = wirecrawl("demo", "--into", str(mine), cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip() == f"error: {mine} exists and is no demo folder; give another (--into DIR)"
    assert (mine / "notes.txt").read_text() == "keep me"


def test_serve_demo_stays_up_until_ctrl_c_and_takes_a_crawl_recording_and_reparse(tmp_path: Path) -> None:
    server = subprocess.Popen([str(WIRECRAWL), "serve-demo", "--port", "0"], cwd=tmp_path, env=_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline()
        assert first.startswith("The demo site (a UPI mirror, 13 stories) is up at http://127.0.0.1:")
        base_url = first.split(" is up at ")[1].split()[0]
        crawl = wirecrawl("crawl", "upi", "-a", f"base_url={base_url}", "-s", "DATASET_URI=served",
                          "-s", "WARC_DIR=warc", "-s", "DOWNLOAD_DELAY=0", cwd=tmp_path)
        assert crawl.returncode == 0, crawl.stderr[-3000:]
        time.sleep(1)
        assert server.poll() is None, "it stays up"
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0 and "Traceback" not in err, err
    assert out.strip().splitlines()[-1].startswith("stopped; ")
    assert len(pd.read_parquet(tmp_path / "served")) == 13
    reparsed = wirecrawl("reparse", "warc/*.warc.gz", "--into", "reparsed", "--source", "upi",
                         "--host", "127.0.0.1", "--workers", "1", cwd=tmp_path)
    assert reparsed.returncode == 0, reparsed.stderr[-3000:]
    assert sorted(pd.read_parquet(tmp_path / "reparsed")["id"]) == sorted(
        pd.read_parquet(tmp_path / "served")["id"])


def test_scrapy_crawl_in_the_checkout_still_works(tmp_path: Path) -> None:
    with upi_mirror(2) as mirror:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "upi", "-a", f"base_url={mirror.base_url}",
             "-s", f"DATASET_URI={tmp_path / 'a'}", "-s", "DOWNLOAD_DELAY=0"],
            cwd=ROOT, env=dict(_env(), PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Scrapy 2." in result.stderr and "run OK: upi: 2 new" in result.stderr  # as before: the log
