"""Hostile sites and broken machines: every fault ends in a log line, a stats counter and a clean run,
never a crash, a hang, a corrupted dataset, or a request to somewhere the user did not ask for."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from pipelines.dataset import data_files
from tests.mirror import (
    FEED_PATHS,
    ROOT,
    Server,
    Site,
    article_html,
    feed_xml,
    file_size_limit,
    fill_upi_site,
    make_stories,
    run_crawl,
    stats_of,
    upi_mirror,
)

pytestmark = pytest.mark.e2e

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def crawl(base_url: str | None, dataset: Path, *args: str, fault: str = "none",
          wrap: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl upi`` through :mod:`tests.inject` (fault + peak RSS report)."""
    return run_crawl(base_url, dataset, *args, fault=fault, wrap=wrap, timeout=300)


def peak_rss_mb(result: subprocess.CompletedProcess[str]) -> float:
    line = [x for x in result.stderr.splitlines() if x.startswith("peak-rss-kb=")][-1]
    return int(line.split("=")[1]) / 1024


# -- server behaviours -----------------------------------------------------------------------------

def _headers(handler, status: int = 200, **headers: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", headers.pop("content_type", "text/html; charset=utf-8"))
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()


def hang(handler) -> None:
    time.sleep(8)  # accepts, never answers within the crawler's timeout


def reset_mid_body(body: bytes) -> Callable:
    def behave(handler) -> None:
        _headers(handler, Content_Length=str(len(body)))
        handler.wfile.write(body[: len(body) // 2])
        handler.wfile.flush()
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
    return behave


def chunked_cut(body: bytes) -> Callable:
    def behave(handler) -> None:
        _headers(handler, Transfer_Encoding="chunked")
        half = body[: len(body) // 2]
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(half), half))
        handler.wfile.flush()  # and no terminating chunk: the connection just ends
    return behave


def trickle(body: bytes) -> Callable:
    def behave(handler) -> None:
        _headers(handler, Content_Length=str(len(body)))
        for index in range(min(len(body), 60)):
            handler.wfile.write(body[index:index + 1])
            handler.wfile.flush()
            time.sleep(0.25)
    return behave


def sequence(statuses: list[tuple[int, dict]], body: bytes) -> Callable:
    """Answer with these statuses (and headers) in turn, then 200 with the page."""
    remaining = list(statuses)

    def behave(handler) -> None:
        status, headers = remaining.pop(0) if remaining else (200, {})
        payload = body if status == 200 else b"busy"
        _headers(handler, status, Content_Length=str(len(payload)), **headers)
        handler.wfile.write(payload)
    return behave


def redirect(location: str) -> Callable:
    def behave(handler) -> None:
        _headers(handler, 302, Location=location, Content_Length="0")
    return behave


def bomb(encoding: str, size: int = 2**30) -> Callable:
    """A small answer that unpacks to ``size`` bytes of zeros."""
    packer = (zlib.compressobj(9, zlib.DEFLATED, 31) if encoding == "gzip"
              else zlib.compressobj(9, zlib.DEFLATED, 15))
    chunk = b"\0" * (1 << 20)
    packed = b"".join(packer.compress(chunk) for _ in range(size >> 20)) + packer.flush()

    def behave(handler) -> None:
        _headers(handler, Content_Encoding=encoding, Content_Length=str(len(packed)))
        handler.wfile.write(packed)
    return behave


# -- network faults --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def network_run(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("network")
    stories = make_stories(12)
    names = ["hang", "reset", "chunked", "trickle", "retry_after", "retry_after_too_long",
             "flaky", "loop", "offsite", "other_port", "good", "moved"]
    cases = dict(zip(names, stories, strict=True))
    site, other = Site(), Site()
    with Server(site) as base_url, Server(other) as other_port_url:
        other_url = other_port_url.replace("127.0.0.1", "127.0.0.2")
        fill_upi_site(site, base_url, stories)
        page = {n: article_html(s, base_url).encode() for n, s in cases.items()}
        custom = {
            "hang": hang,
            "reset": reset_mid_body(page["reset"]),
            "chunked": chunked_cut(page["chunked"]),
            "trickle": trickle(page["trickle"]),
            "retry_after": sequence([(429, {"Retry_After": "1"})], page["retry_after"]),
            "retry_after_too_long": sequence([(429, {"Retry_After": "3600"})] * 5,
                                             page["retry_after_too_long"]),
            "flaky": sequence([(500, {}), (503, {})], page["flaky"]),
            "loop": redirect(cases["loop"].path + "print/"),
            "offsite": redirect(other_url + cases["offsite"].path),
            # the same host, another port: another listener (an admin port, a local service)
            "other_port": redirect(other_port_url + cases["other_port"].path),
            "moved": redirect(cases["good"].path + "ph2/"),
        }
        for name, behave in custom.items():
            site.routes[cases[name].path].custom = behave
        site.add(cases["loop"].path + "print/", b"")
        site.routes[cases["loop"].path + "print/"].custom = redirect(cases["loop"].path)
        started = time.monotonic()
        result = crawl(base_url, tmp / "a", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=2",
                       "-s", f"WIRECRAWL_STATS_FILE={tmp}/s.json")
        elapsed = time.monotonic() - started
        other_hits = list(other.hits)
    return {"result": result, "stats": stats_of(tmp / "s.json"), "cases": cases,
            "frame": pd.read_parquet(tmp / "a"), "elapsed": elapsed, "other_hits": other_hits}


@pytest.mark.parametrize(("case", "stat", "log"), [
    ("hang", "wirecrawl/dropped/timeout", "failed: timeout"),
    ("trickle", "wirecrawl/dropped/timeout", "failed: timeout"),
    ("reset", "wirecrawl/dropped/", "failed: "),
    ("chunked", "wirecrawl/dropped/truncated", "failed: truncated"),
    ("retry_after_too_long", "wirecrawl/dropped/http_429", "failed: http_429"),
    ("loop", "wirecrawl/dropped/redirect_loop", "failed: redirect_loop"),
    ("offsite", "wirecrawl/dropped/offsite", "failed: offsite"),
    ("other_port", "wirecrawl/dropped/offsite", "failed: offsite"),
])
def test_network_fault_is_dropped_with_stat_and_log(network_run: dict, case: str, stat: str,
                                                    log: str) -> None:
    story = network_run["cases"][case]
    assert any(k.startswith(stat) for k in network_run["stats"]), stat
    assert any(story.path in line and log in line
               for line in network_run["result"].stderr.splitlines())
    assert f"upi:{story.story_id}" not in set(network_run["frame"]["id"])


def test_network_faults_end_in_a_clean_bounded_run(network_run: dict) -> None:
    result = network_run["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    ids = set(network_run["frame"]["id"])
    for recovered in ("retry_after", "flaky", "good"):
        assert f"upi:{network_run['cases'][recovered].story_id}" in ids
    assert network_run["stats"]["wirecrawl/retry_after/waited"] >= 1
    assert network_run["stats"]["wirecrawl/retry_after/too_long"] >= 1
    assert network_run["other_hits"] == []  # redirects to another host or port never followed
    assert network_run["elapsed"] < 120  # nothing hangs the run


# -- content faults --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def content_run(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("content")
    stories = make_stories(9)
    names = ["gzip_bomb", "deflate_bomb", "huge", "huge_chunked", "binary", "empty", "nested",
             "future", "good"]
    cases = dict(zip(names, stories, strict=True))
    with upi_mirror(stories=stories) as mirror:
        mirror.site.routes[cases["gzip_bomb"].path].custom = bomb("gzip")
        mirror.site.routes[cases["deflate_bomb"].path].custom = bomb("deflate")
        fifty = article_html(cases["huge"], mirror.base_url).replace(
            "</body>", "<p>" + "x" * (50 * 2**20) + "</p></body>").encode()
        mirror.site.add(cases["huge"].path, fifty)
        mirror.site.routes[cases["huge_chunked"].path].custom = chunked_all(fifty)
        mirror.site.add(cases["binary"].path, os.urandom(200_000))
        mirror.site.add(cases["empty"].path, b"")
        nested = article_html(cases["nested"], mirror.base_url).replace(
            "<article", "<div>" * 100_000 + "<article").replace("</article>",
                                                               "</article>" + "</div>" * 100_000)
        mirror.site.add(cases["nested"].path, nested)
        liar = article_html(cases["future"], mirror.base_url)
        iso = cases["future"].published_utc.isoformat().replace("+00:00", "Z")
        liar = liar.replace(iso, "2999-05-01T10:00:00Z").replace(
            f"{cases['future'].published:%b}. {cases['future'].published.day}, 2024", "May 1, 1850")
        mirror.site.add(cases["future"].path, liar)
        result = crawl(mirror.base_url, tmp / "a", "-s", f"WIRECRAWL_STATS_FILE={tmp}/s.json")
    return {"result": result, "stats": stats_of(tmp / "s.json"), "cases": cases,
            "frame": pd.read_parquet(tmp / "a")}


def chunked_all(body: bytes) -> Callable:
    """The whole body, chunked: no Content-Length to refuse it by."""
    def behave(handler) -> None:
        _headers(handler, Transfer_Encoding="chunked")
        for start in range(0, len(body), 1 << 20):
            piece = body[start:start + (1 << 20)]
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        handler.wfile.write(b"0\r\n\r\n")
    return behave


@pytest.fixture(scope="module")
def baseline_rss(tmp_path_factory) -> float:
    """Peak RSS of a normal crawl of nine pages, measured in the same test run."""
    tmp = tmp_path_factory.mktemp("baseline")
    with upi_mirror(9) as mirror:
        result = crawl(mirror.base_url, tmp / "a")
    assert result.returncode == 0, result.stderr[-3000:]
    return peak_rss_mb(result)


#: what a hostile page may add to a crawl's peak memory: a few copies of DOWNLOAD_MAXSIZE (16 MB)
EXTRA_MB = 128


def test_content_faults_end_in_a_clean_run_with_bounded_memory(content_run: dict,
                                                               baseline_rss: float) -> None:
    result = content_run["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    stats = content_run["stats"]
    assert stats["wirecrawl/dropped/too_large"] == 4  # two bombs, two 50 MB pages
    assert stats["wirecrawl/dropped/empty_page"] == 1
    # 2 GB of bombs and 100 MB of pages, yet memory stays near a normal crawl's
    print(f"\npeak RSS: normal crawl {baseline_rss:.0f} MB, hostile content {peak_rss_mb(result):.0f} MB")
    assert peak_rss_mb(result) < baseline_rss + EXTRA_MB


@pytest.mark.parametrize("case", ["gzip_bomb", "deflate_bomb", "huge", "huge_chunked", "binary",
                                  "empty"])
def test_hostile_content_never_makes_a_row(content_run: dict, case: str) -> None:
    story = content_run["cases"][case]
    assert f"upi:{story.story_id}" not in set(content_run["frame"]["id"])
    assert any(story.path in line for line in content_run["result"].stderr.splitlines())


def test_deeply_nested_page_is_handled(content_run: dict) -> None:
    story = content_run["cases"]["nested"]
    # the parser caps nesting at 256 levels, so a story 100,000 levels down is out of its reach: the
    # page is dropped for want of a body, with its reason, and the run goes on
    assert f"upi:{story.story_id}" not in set(content_run["frame"]["id"])
    assert any(story.path in line and "dropped" in line and "no_body" in line
               for line in content_run["result"].stderr.splitlines())


def test_lying_dates_are_not_stored(content_run: dict) -> None:
    story = content_run["cases"]["future"]
    row = content_run["frame"].set_index("id").loc[f"upi:{story.story_id}"]
    # neither 2999 nor 1850: the time in the story id, flagged
    assert row["published_at"] == pd.Timestamp(story.published_utc) - pd.Timedelta(minutes=10)
    assert content_run["stats"]["wirecrawl/rejected_date"] >= 1
    assert content_run["stats"]["wirecrawl/missing/published_at_from_url"] >= 1


# -- feeds and sitemaps ----------------------------------------------------------------------------

def test_hostile_feeds(tmp_path: Path, baseline_rss: float) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    stories = make_stories(3)
    with upi_mirror(stories=stories) as mirror:
        full = feed_xml(mirror.base_url, stories[:2])
        mirror.site.add(FEED_PATHS[0], full[: full.index("</item>") + 7] + "<item><li",
                 content_type="application/rss+xml")  # truncated: the first entry is kept
        mirror.site.add(FEED_PATHS[1], '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                 + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                           for i in range(9))
                 + "]><rss><channel><item><title>&j;</title></item></channel></rss>",
                 content_type="application/rss+xml")
        mirror.site.add(FEED_PATHS[2], f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM '
                 f'"file://{secret}">]><rss><channel><item><title>&x;</title><link>{mirror.base_url}'
                 f"{stories[2].path}</link><description>&x;</description></item></channel></rss>",
                 content_type="application/rss+xml")
        many = "".join(f"<item><link>{mirror.base_url}/topic/t{n}/</link></item>" for n in range(100_000))
        mirror.site.add(FEED_PATHS[3], f"<rss><channel>{many}</channel></rss>",
                 content_type="application/rss+xml")
        result = crawl(mirror.base_url, tmp_path / "a", "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/s.json")
    assert result.returncode == 0, result.stderr[-3000:]
    stats = stats_of(tmp_path / "s.json")
    assert stats["wirecrawl/feeds/repaired"] == 1
    assert stats["wirecrawl/feeds/invalid"] == 1 and "amplification" in result.stderr
    assert stats["wirecrawl/feeds/capped"] == 1 and stats["wirecrawl/feeds/entries"] <= 5000 + 3
    frame = pd.read_parquet(tmp_path / "a")
    assert set(frame["id"]) == {f"upi:{stories[0].story_id}", f"upi:{stories[2].story_id}"}
    dump = frame.astype(str).to_string()
    assert "SECRET-CONTENT" not in dump and "SECRET-CONTENT" not in result.stderr
    print(f"\npeak RSS: normal crawl {baseline_rss:.0f} MB, hostile feeds {peak_rss_mb(result):.0f} MB")
    assert peak_rss_mb(result) < baseline_rss + EXTRA_MB


# -- the machine -----------------------------------------------------------------------------------

def _can_mount_namespace() -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    return probe.returncode == 0


def test_dataset_on_a_read_only_filesystem(tmp_path: Path) -> None:
    if not _can_mount_namespace():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must be able to make a read-only mount (unshare -m, as root)")
        pytest.skip("needs root and unshare to mount the dataset read-only")
    dataset = tmp_path / "articles"
    stories = make_stories(4)
    site = Site()
    with Server(site) as base_url:
        fill_upi_site(site, base_url, stories[:2], feed_stories=stories[:2])
        assert crawl(base_url, dataset).returncode == 0
        before = pd.read_parquet(dataset)
        fill_upi_site(site, base_url, stories)
        read_only = ["unshare", "-m", "sh", "-c",
                     f'mount --bind "{dataset}" "{dataset}" && '
                     f'mount -o remount,bind,ro "{dataset}" && exec "$0" "$@"']
        result = crawl(base_url, dataset, wrap=read_only)
        assert result.returncode == 1, result.stderr[-3000:]
        assert "Read-only file system" in result.stderr and "Traceback" not in result.stderr
        pd.testing.assert_frame_equal(pd.read_parquet(dataset), before)
        again = crawl(base_url, dataset)
        assert again.returncode == 0, again.stderr[-3000:]
    assert sorted(pd.read_parquet(dataset)["id"]) == sorted(f"upi:{s.story_id}" for s in stories)


def test_disk_full_while_writing(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    stories = make_stories(9)
    with upi_mirror(stories=stories) as mirror:
        full = crawl(mirror.base_url, dataset, "-s", "DATASET_FLUSH_ITEMS=3", "-s",
                     "CONCURRENT_REQUESTS=1", fault="enospc")
        assert full.returncode == 1, full.stderr[-3000:]
        assert "No space left on device" in full.stderr and "write_error" in full.stderr
        survived = pd.read_parquet(dataset)
        assert len(survived) == 3  # the first flush; nothing half-written is visible
        assert not list(dataset.rglob("*.tmp"))
        again = crawl(mirror.base_url, dataset)
        assert again.returncode == 0, again.stderr[-3000:]
    assert sorted(pd.read_parquet(dataset)["id"]) == sorted(f"upi:{s.story_id}" for s in stories)


def test_disk_full_between_two_files_of_a_flush_counts_what_was_stored(tmp_path: Path) -> None:
    """Before: the flush's first file was stored but its rows counted as lost ("0 new" in the summary
    for stories that are in the dataset)."""
    dataset = tmp_path / "articles"
    stories = make_stories(16)
    assert len({s.published_utc.date() for s in stories}) == 2, "one flush, two partition files"
    with upi_mirror(stories=stories) as mirror:
        full = crawl(mirror.base_url, dataset, "-s", "CONCURRENT_REQUESTS=1",
                     "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/stats.json", fault="enospc")
        assert full.returncode == 1 and "write_error" in full.stderr
        stored = len(pd.read_parquet(dataset))
        assert 0 < stored < len(stories)
        stats = stats_of(tmp_path / "stats.json")
        assert stats["wirecrawl/items/new"] == stored
        assert stats["wirecrawl/dataset/rows_lost"] == len(stories) - stored
        assert f"upi: {stored} new," in full.stderr
        assert f"could not write {len(stories) - stored} rows" in full.stderr
        again = crawl(mirror.base_url, dataset)
        assert again.returncode == 0, again.stderr[-3000:]
        assert f"upi: {len(stories) - stored} new," in again.stderr
    assert sorted(pd.read_parquet(dataset)["id"]) == sorted(f"upi:{s.story_id}" for s in stories)


def test_a_run_record_that_cannot_be_written_leaves_no_temporary_file(tmp_path: Path) -> None:
    """Before: ``_runs/.<id>.json.tmp`` stayed forever after a full disk."""
    dataset = tmp_path / "articles"
    with upi_mirror(3) as mirror:
        assert crawl(mirror.base_url, dataset).returncode == 0
        # nothing new: the run record is the only file this run would grow past 300 bytes
        full = crawl(mirror.base_url, dataset, wrap=file_size_limit(300))
    assert "could not write the run record" in full.stderr and "Traceback" not in full.stderr
    assert len(list((dataset / "_runs").glob("*.json"))) == 1
    assert list((dataset / "_runs").glob(".*")) == []


def test_sigkill_during_a_flush(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    stories = make_stories(5)
    with upi_mirror(stories=stories) as mirror:
        killed = crawl(mirror.base_url, dataset, fault="kill_in_flush")
        assert killed.returncode == -signal.SIGKILL
        assert data_files(dataset) == []  # the half-done file is invisible
        assert list(dataset.rglob(".*.tmp"))  # ... and only a hidden temporary file is left
        again = crawl(mirror.base_url, dataset)
        assert again.returncode == 0, again.stderr[-3000:]
    assert sorted(pd.read_parquet(dataset)["id"]) == sorted(f"upi:{s.story_id}" for s in stories)


def test_two_runs_at_once_on_one_dataset(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    stories = make_stories(6)
    busy = threading.Event()  # the first run's pages are answered once the second run has ended
    with upi_mirror(stories=stories) as mirror:
        for story in stories:
            mirror.site.routes[story.path].hold = busy
        command = [sys.executable, "-m", "tests.inject", "none", "crawl", "upi", "-a",
                   f"base_url={mirror.base_url}", "-s", f"DATASET_URI={dataset}", *FAST,
                   "-s", "CONCURRENT_REQUESTS=1"]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        first = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not (dataset / "_locks" / "upi.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1)
        second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=120)
        busy.set()
        first_err = first.communicate(timeout=240)[1]
    assert first.returncode == 0, first_err[-3000:]
    assert second.returncode == 1, second.stderr[-3000:]
    assert "another upi run is using" in second.stderr
    frame = pd.read_parquet(dataset)
    assert frame["id"].is_unique and len(frame) == len(stories)


def test_gzip_helper_makes_a_real_bomb() -> None:
    """The bomb the content test serves is real: small packed, a gigabyte unpacked."""
    packed = b""

    class Sink:
        def send_response(self, status): pass
        def send_header(self, name, value): pass
        def end_headers(self): pass

        class wfile:  # noqa: N801 - mimics the handler attribute
            @staticmethod
            def write(data):
                nonlocal packed
                packed += data

    bomb("gzip", size=64 << 20)(Sink())
    assert len(packed) < 200_000
    assert len(gzip.decompress(packed)) == 64 << 20


def test_story_ids_cannot_name_paths() -> None:
    from tests.pages import upi_spider

    spider = upi_spider()
    for url in ("https://www.upi.com/Top_News/2020/01/07/x/..%2F..%2Fetc/",
                "https://www.upi.com/Top_News/2020/01/07/../../../etc/passwd/1141578394958/",
                "https://www.upi.com/Top_News/2020/01/07/x/1141578394958%2F..%2F/"):
        key = spider.site.story_key(url)
        assert key is None or key.isdigit()
