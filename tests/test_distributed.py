"""Distributed mode end to end: real ``scrapy crawl upi`` processes sharing a real Redis and one dataset,
against a local site on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import redis

from tests.mirror import (
    Server,
    Site,
    fill_upi_site,
    make_stories,
    run_crawl,
    start_crawl,
    stats_of,
)
from tests.redis_server import start_redis

pytestmark = pytest.mark.e2e


def slow_site(base_url: str, site: Site, count: int, delay: float) -> list:
    """A mirror of ``count`` stories whose pages take ``delay`` seconds each (as a remote site would),
    so that crawls running side by side overlap."""
    stories = make_stories(count)
    fill_upi_site(site, base_url, stories)
    for path, route in site.routes.items():
        if path.count("/") >= 6:
            route.delay = delay
    return stories


def options(redis_url: str, prefix: str, stats: Path, *extra: str) -> list[str]:
    return ["-s", f"REDIS_URL={redis_url}", "-s", f"WIRECRAWL_REDIS_PREFIX={prefix}",
            "-s", f"WIRECRAWL_STATS_FILE={stats}", "-s", "WIRECRAWL_WORKERS=1",
            "-s", "DATASET_FLUSH_ITEMS=20", *extra]


def stored(dataset: Path) -> Counter:
    return Counter(pd.read_parquet(dataset, columns=["id"])["id"])


def assert_left_clean(redis_url: str, prefix: str) -> None:
    """Nothing queued, held or claimed once every worker has finished."""
    client = redis.Redis.from_url(redis_url)
    assert client.zcard(f"{prefix}:upi:requests") == 0
    assert client.hlen(f"{prefix}:upi:owners") == 0
    assert client.scard(f"{prefix}:upi:claims") == 0
    assert client.scard(f"{prefix}:upi:workers") == 0


def wait_all(*processes: subprocess.Popen, timeout: float = 300) -> list[int]:
    return [p.wait(timeout=timeout) for p in processes]


def test_two_workers_share_one_crawl(tmp_path: Path, redis_url: str, redis_prefix: str) -> None:
    site = Site()
    with Server(site) as base_url:
        stories = slow_site(base_url, site, 300, delay=0.02)
        workers = [start_crawl(base_url, tmp_path / "data", tmp_path / f"log{n}",
                               *options(redis_url, redis_prefix, tmp_path / f"stats{n}.json"))
                   for n in range(2)]
        codes = wait_all(*workers)
    logs = [(tmp_path / f"log{n}").read_text() for n in range(2)]
    assert codes == [0, 0], logs[0][-3000:] + logs[1][-3000:]
    counts = stored(tmp_path / "data")
    assert set(counts) == {f"upi:{s.story_id}" for s in stories}
    assert max(counts.values()) == 1
    written = [stats_of(tmp_path / f"stats{n}.json").get("wirecrawl/items/written", 0)
               for n in range(2)]
    assert sum(written) == 300 and min(written) > 0, written
    # every article page was downloaded once in all
    assert Counter(site.article_hits()).most_common(1)[0][1] == 1
    assert len(site.article_hits()) == 300
    # each feed fetched once by the two of them
    assert all(site.hits.count(path) == 1 for path in ("/news/news.rss", "/news/top_news.rss"))
    assert_left_clean(redis_url, redis_prefix)
    # both name their own files
    run_ids = {stats_of(tmp_path / f"stats{n}.json")["wirecrawl/run_id"] for n in range(2)}
    files = list((tmp_path / "data").rglob("part-*.parquet"))
    assert {f.name.split("part-")[1].rsplit("-", 1)[0] for f in files} == run_ids


def test_a_killed_worker_loses_no_story(tmp_path: Path, redis_url: str, redis_prefix: str) -> None:
    site = Site()
    with Server(site) as base_url:
        stories = slow_site(base_url, site, 200, delay=0.03)
        lease = ["-s", "WIRECRAWL_REDIS_LEASE=3"]
        victim = start_crawl(base_url, tmp_path / "data", tmp_path / "victim.log",
                             *options(redis_url, redis_prefix, tmp_path / "victim.json", *lease))
        survivor = start_crawl(base_url, tmp_path / "data", tmp_path / "survivor.log",
                               *options(redis_url, redis_prefix, tmp_path / "survivor.json", *lease))
        # mid-run, and while the victim holds requests (its worker name carries its pid)
        owners = redis.Redis.from_url(redis_url)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (
                len(site.article_hits()) >= 60 and any(
                    f"-{victim.pid}-" in owner.decode()
                    for owner in owners.hvals(f"{redis_prefix}:upi:owners"))):
            time.sleep(0.01)
        victim.send_signal(signal.SIGKILL)
        codes = wait_all(victim, survivor)
    log = (tmp_path / "survivor.log").read_text()
    assert codes == [-signal.SIGKILL, 0], log[-3000:]
    counts = stored(tmp_path / "data")
    assert set(counts) == {f"upi:{s.story_id}" for s in stories}
    assert max(counts.values()) == 1
    stats = stats_of(tmp_path / "survivor.json")
    assert stats.get("wirecrawl/distributed/reaped", 0) > 0
    assert "stopped beating" in log
    assert_left_clean(redis_url, redis_prefix)


def test_a_restart_finishes_what_a_killed_worker_was_writing(tmp_path: Path, redis_url: str,
                                                              redis_prefix: str) -> None:
    """Killed right after its first file is in place, before Redis hears of it: a later worker finds
    those stories in the dead worker's file (no second copy) and fetches only the rest."""
    site = Site()
    with Server(site) as base_url:
        stories = slow_site(base_url, site, 40, delay=0.0)
        lease = ["-s", "WIRECRAWL_REDIS_LEASE=1", "-s", "DATASET_FLUSH_ITEMS=10"]
        first = run_crawl(base_url, tmp_path / "data", *options(
            redis_url, redis_prefix, tmp_path / "first.json", *lease), fault="kill_after_write")
        assert first.returncode == -signal.SIGKILL, first.stderr[-3000:]
        in_file = stored(tmp_path / "data")
        assert 0 < len(in_file) < 40
        hits_before = Counter(site.article_hits())
        time.sleep(1.5)  # the dead worker's heartbeat expires
        second = run_crawl(base_url, tmp_path / "data", *options(
            redis_url, redis_prefix, tmp_path / "second.json", *lease))
    assert second.returncode == 0, second.stderr[-3000:]
    counts = stored(tmp_path / "data")
    assert set(counts) == {f"upi:{s.story_id}" for s in stories}
    assert max(counts.values()) == 1
    refetched = Counter(site.article_hits()) - hits_before
    by_path = {s.path: f"upi:{s.story_id}" for s in stories}
    assert not {by_path[path] for path in refetched} & set(in_file)
    assert stats_of(tmp_path / "second.json").get("wirecrawl/distributed/reaped", 0) > 0
    assert_left_clean(redis_url, redis_prefix)


def test_a_later_run_downloads_nothing_stored(tmp_path: Path, redis_url: str,
                                              redis_prefix: str) -> None:
    site = Site()
    ttl = ["-s", "WIRECRAWL_REDIS_DISCOVERY_TTL=1"]
    with Server(site) as base_url:
        slow_site(base_url, site, 30, delay=0.0)
        first = run_crawl(base_url, tmp_path / "data",
                          *options(redis_url, redis_prefix, tmp_path / "1.json", *ttl))
        assert first.returncode == 0, first.stderr[-3000:]
        hits = len(site.article_hits())
        time.sleep(1.1)  # the feeds may be read again
        second = run_crawl(base_url, tmp_path / "data",
                           *options(redis_url, redis_prefix, tmp_path / "2.json", *ttl))
    assert hits == 30
    assert second.returncode == 0, second.stderr[-3000:]
    assert len(site.article_hits()) == 30
    assert stats_of(tmp_path / "2.json").get("wirecrawl/skipped/known") == 30
    assert len(stored(tmp_path / "data")) == 30


def test_a_correction_is_fetched_once_by_two_workers(tmp_path: Path, redis_url: str,
                                                      redis_prefix: str) -> None:
    site = Site()
    ttl = ["-s", "WIRECRAWL_REDIS_DISCOVERY_TTL=1"]
    with Server(site) as base_url:
        stories = slow_site(base_url, site, 3, delay=0.0)
        first = run_crawl(base_url, tmp_path / "data",
                          *options(redis_url, redis_prefix, tmp_path / "1.json", *ttl))
        assert first.returncode == 0, first.stderr[-3000:]
        corrected = dataclasses.replace(
            stories[0], feed_modified=dt.datetime.now(dt.timezone.utc),
            paragraphs=("CORRECTED: " + stories[0].paragraphs[0],) + stories[0].paragraphs[1:])
        fill_upi_site(site, base_url, [corrected, *stories[1:]])
        site.hits.clear()
        time.sleep(1.1)  # the feeds may be read again
        workers = [start_crawl(base_url, tmp_path / "data", tmp_path / f"log{n}",
                               *options(redis_url, redis_prefix, tmp_path / f"s{n}.json", *ttl))
                   for n in range(2)]
        codes = wait_all(*workers)
    assert codes == [0, 0], (tmp_path / "log0").read_text()[-3000:]
    assert site.article_hits() == [stories[0].path]
    updated = [stats_of(tmp_path / f"s{n}.json").get("wirecrawl/items/updated", 0) for n in range(2)]
    assert sorted(updated) == [0, 1]
    frame = pd.read_parquet(tmp_path / "data")
    assert len(frame) == 4
    assert frame["body"].str.startswith("CORRECTED: ").sum() == 1
    assert_left_clean(redis_url, redis_prefix)


def test_unreachable_redis_fails_the_run_clearly(tmp_path: Path) -> None:
    """One line, exit 1 and a run record, no traceback (it printed four and "Engine slot not
    assigned", and left no record)."""
    site = Site()
    with Server(site) as base_url:
        slow_site(base_url, site, 3, delay=0.0)
        result = run_crawl(base_url, tmp_path / "data", "-s", "REDIS_URL=redis://127.0.0.1:1/0",
                           "-s", "REDIS_PARAMS={\"socket_connect_timeout\": 2}")
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Redis at redis://127.0.0.1:1/0 does not answer" in result.stderr
    assert "Traceback" not in result.stderr and "Engine slot" not in result.stderr
    assert site.hits == []
    (record,) = [json.loads(p.read_text()) for p in (tmp_path / "data" / "_runs").glob("*.json")]
    assert record["status"] == "failed" and record["failure_reasons"] == ["redis_unreachable"]


def private_redis(folder: Path, port: int = 0) -> tuple[subprocess.Popen, str]:
    started = start_redis(folder, port)
    assert started is not None, "redis-server not found (apt-get install redis-server)"
    return started


def stop(process: subprocess.Popen) -> None:
    process.kill()
    process.wait(timeout=10)


def wait_for_hits(site: Site, count: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while len(site.article_hits()) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(site.article_hits()) >= count, site.article_hits()


def test_redis_dying_mid_crawl_keeps_every_fetched_story(tmp_path: Path) -> None:
    """Redis killed while a worker holds unwritten rows: it leaves with exit 1, one line per kind of
    failure and no traceback, and stores every story it had fetched (a flush with Redis down raised
    TypeError and discarded its rows); a rerun against a new Redis stores the rest, each story once."""
    server, url = private_redis(tmp_path)
    site = Site()
    flush_late = ["-s", "DATASET_FLUSH_ITEMS=1000", "-s", "DATASET_FLUSH_SECONDS=1"]
    try:
        with Server(site) as base_url:
            stories = slow_site(base_url, site, 120, delay=0.05)
            crawl = start_crawl(base_url, tmp_path / "data", tmp_path / "log",
                                *options(url, "t", tmp_path / "1.json", *flush_late))
            wait_for_hits(site, 30)
            stop(server)
            code = crawl.wait(timeout=300)
            log = (tmp_path / "log").read_text()
            assert code == 1, log[-3000:]
            assert "Traceback" not in log and "TypeError" not in log, log[-5000:]
            fetched = {by_path for by_path in site.article_hits()}
            first = stored(tmp_path / "data")
            by_path = {s.path: f"upi:{s.story_id}" for s in stories}
            assert set(first) == {by_path[path] for path in fetched}
            assert max(first.values()) == 1
            stats = stats_of(tmp_path / "1.json")
            assert "redis_error" in stats["wirecrawl/failure_reasons"]
            assert stats["wirecrawl/distributed/redis_errors"] > 0
            errors = [line for line in log.splitlines() if "ERROR" in line]
            assert len(errors) < 12, errors
            server, url = private_redis(tmp_path, int(url.rsplit(":", 1)[1].split("/")[0]))
            again = run_crawl(base_url, tmp_path / "data", *options(url, "t", tmp_path / "2.json"))
        assert again.returncode == 0, again.stderr[-3000:]
        counts = stored(tmp_path / "data")
        assert set(counts) == set(by_path.values())
        assert max(counts.values()) == 1
    finally:
        stop(server)


def test_redis_restarted_empty_mid_crawl_fails_the_run(tmp_path: Path) -> None:
    """A Redis that comes back without its data (no persistence) has lost the queue and the claims:
    the worker says so once, stores what it fetched, exits 1 (it said "run OK" having fetched a
    fifth of the stories); the next run finds the rest."""
    server, url = private_redis(tmp_path)
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    site = Site()
    try:
        with Server(site) as base_url:
            stories = slow_site(base_url, site, 120, delay=0.05)
            crawl = start_crawl(base_url, tmp_path / "data", tmp_path / "log",
                                *options(url, "t", tmp_path / "1.json",
                                         "-s", "DATASET_FLUSH_ITEMS=1000"))
            wait_for_hits(site, 30)
            stop(server)
            server, url = private_redis(tmp_path, port)
            code = crawl.wait(timeout=300)
            log = (tmp_path / "log").read_text()
            assert code == 1, log[-3000:]
            assert "Traceback" not in log, log[-5000:]
            assert "Redis lost the shared frontier" in log
            first = stored(tmp_path / "data")
            assert len(first) >= 30 and max(first.values()) == 1
            reasons = stats_of(tmp_path / "1.json")["wirecrawl/failure_reasons"]
            assert {"redis_data_lost", "redis_error"} & set(reasons), reasons
            again = run_crawl(base_url, tmp_path / "data", *options(url, "t", tmp_path / "2.json"))
        assert again.returncode == 0, again.stderr[-3000:]
        counts = stored(tmp_path / "data")
        assert set(counts) == {f"upi:{s.story_id}" for s in stories}
        assert max(counts.values()) == 1
    finally:
        stop(server)


@pytest.mark.parametrize("setting", ["", "REDIS_URL="])
def test_without_redis_url_the_local_scheduler_runs(tmp_path: Path, setting: str) -> None:
    """Off by default: no Redis is contacted (none runs on the port scrapy-redis would use)."""
    site = Site()
    with Server(site) as base_url:
        slow_site(base_url, site, 5, delay=0.0)
        args = ["-s", setting] if setting else []
        result = run_crawl(base_url, tmp_path / "data", *args, "-s", "REDIS_PARAMS={\"port\": 1}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "distributed crawl" not in result.stderr
    assert len(stored(tmp_path / "data")) == 5
