"""End to end: ``scrapy crawl <wire> -a warc=…`` / ``-a cc_news=…`` / ``-s WARC_DIR=…`` and
``python -m pipelines.reparse``, real processes, archives written by the tests, CC-NEWS served from
127.0.0.1 at its path layout. No request reaches a wire's site while archives are read."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipelines.dataset import data_files
from tests import warcs
from tests.mirror import (
    ROOT,
    Server,
    Site,
    article_html,
    crawl_env,
    file_size_limit,
    fill_upi_site,
    make_stories,
    run_crawl,
    start_crawl,
    stats_of,
    upi_mirror,
)

pytestmark = pytest.mark.e2e

UPI_PAGE = "upi/html/metahtml_2020-01-07_stampede-funeral-soleimani.html"
UPI_URL = ("https://www.upi.com/Top_News/World-News/2020/01/07/At-least-50-dead-in-stampede-during-"
           "funeral-for-Iranian-general/1141578394958/")
AP_PAGE = "ap/html/fundus_APNews_2023_04_28.html"
AP_URL = "https://apnews.com/article/mexico-economy-growth-3cc842471fb9df42315d658d88c8403a"
UPI_HOST = "https://www.upi.com"


def frame(dataset: Path) -> pd.DataFrame:
    return pd.read_parquet(dataset).sort_values("id").reset_index(drop=True)


def groupings(rows: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(group) for group in rows.groupby("cluster_id")["id"]
            .apply(frozenset)}


def mixed_archive(corpus: Path, path: Path) -> Path:
    """A UPI and an AP article among another site's page, a 404, a revisit, an image, a damaged
    member and a record cut off at the end."""
    upi = (corpus / UPI_PAGE).read_bytes()
    ap = (corpus / AP_PAGE).read_bytes()
    other = gzip.decompress(sorted((corpus / "aeb-dev/html").glob("*.html.gz"))[0].read_bytes())
    synthetic = make_stories(2)[1]
    records = [
        warcs.warcinfo(), warcs.request(UPI_URL),
        warcs.response(UPI_URL, upi, date="2020-01-07T13:05:00Z"),
        warcs.response("https://www.example-news.com/2020/01/07/story.html",
                       other),
        warcs.response(UPI_HOST + "/Top_News/World-News/2020/01/07/Gone/1141578394999/",
                       b"<html>not found</html>", status=404),
        warcs.revisit(UPI_URL),
        warcs.response("https://www.upi.com/favicon.ico", b"\0\0", content_type="image/x-icon"),
    ]
    damaged = warcs.corrupt_member(warcs.response(
        UPI_HOST + synthetic.path, article_html(synthetic, UPI_HOST).encode()))
    after = [warcs.response(AP_URL, ap, date="2023-04-28T18:00:00Z")]
    cut = warcs.members([warcs.response(UPI_HOST + make_stories(3)[2].path,
                                        article_html(make_stories(3)[2], UPI_HOST).encode())])
    path.write_bytes(warcs.members(records) + damaged + warcs.members(after) + cut[:len(cut) // 2])
    return path


def test_wire_spiders_read_their_own_articles_from_any_warc_and_count_the_rest(
        corpus: Path, tmp_path: Path) -> None:
    archive = mixed_archive(corpus, tmp_path / "mixed.warc.gz")
    dataset = tmp_path / "data"
    upi = run_crawl(None, dataset, "-a", f"warc={archive}", "-s",
                    f"WIRECRAWL_STATS_FILE={tmp_path}/upi.json")
    # a damaged member and a record cut short: stories may be in them, so the run is not OK
    assert upi.returncode == 1, upi.stderr[-3000:]
    assert "run FAILED: archive_damaged" in upi.stderr
    rows = frame(dataset)
    assert list(rows["id"]) == ["upi:1141578394958"]
    row = rows.iloc[0]
    assert row["fetched_at"] == pd.Timestamp("2020-01-07T13:05:00Z")
    assert row["headline"].startswith("At least 50 dead in stampede")
    assert row["agency"] == "UPI" and "Kerman" in row["body"]
    stats = stats_of(tmp_path / "upi.json")
    assert stats["wirecrawl/archive/files_read"] == 1
    assert stats["wirecrawl/archive/kept"] == 1
    assert stats["wirecrawl/archive/skipped/status_404"] == 1
    assert stats["wirecrawl/archive/skipped/revisit"] == 1
    assert stats["wirecrawl/archive/skipped/damaged_member"] == 1
    assert stats["wirecrawl/archive/skipped/truncated"] == 1
    assert stats["wirecrawl/archive/skipped/not_accepted"] >= 3  # other site, the image, AP
    assert "damaged records skipped" in upi.stderr
    assert "downloader/request_count" not in stats, "nothing was asked of any site"
    record = json.loads(next((dataset / "_runs").glob("*.json")).read_text())
    assert record["arguments"]["warc"] == str(archive) and record["status"] == "failed"
    assert record["parser_version"].count("+rules.") == 1

    ap = run_crawl(None, dataset, "-a", f"warc={archive}", spider="ap")
    assert ap.returncode == 1, ap.stderr[-3000:]
    assert list(frame(dataset)["id"]) == ["ap:3cc842471fb9df42315d658d88c8403a", "upi:1141578394958"]

    again = run_crawl(None, dataset, "-a", f"warc={archive}", "-s",
                      f"WIRECRAWL_STATS_FILE={tmp_path}/again.json")
    assert again.returncode == 1
    assert stats_of(tmp_path / "again.json")["wirecrawl/skipped/known"] == 1
    assert len(frame(dataset)) == 2


def test_recorded_crawl_read_back_and_reparsed_gives_the_same_rows(tmp_path: Path) -> None:
    stories = make_stories(6)
    warc_dir = tmp_path / "warc"
    with upi_mirror(stories=stories) as mirror:
        mirror.crawl(tmp_path / "live", "-s", f"WARC_DIR={warc_dir}",
                         "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/live.json")
    files = sorted(warc_dir.iterdir())
    assert files and all(p.name.endswith(".warc.gz") for p in files), files  # none left .open
    assert stats_of(tmp_path / "live.json")["wirecrawl/warc/recorded"] >= 6 + 4  # articles + feeds

    # the server is gone: everything comes from the archive
    back = run_crawl(mirror.base_url, tmp_path / "back", "-a", f"warc={warc_dir}/*.warc.gz")
    assert back.returncode == 0, back.stderr[-3000:]
    reparsed = subprocess.run(
        [sys.executable, "-m", "pipelines.reparse", f"{warc_dir}/*.warc.gz", "--into",
         str(tmp_path / "reparsed"), "--source", "upi", "--host", "127.0.0.1", "--workers", "1"],
        cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=300)
    assert reparsed.returncode == 0, reparsed.stderr[-3000:]
    assert "6 rows written" in reparsed.stdout

    original = frame(tmp_path / "live")
    assert len(original) == 6
    for rebuilt in (frame(tmp_path / "back"), frame(tmp_path / "reparsed")):
        # the mirror's stories share most of their text: which founds the cluster depends on the order
        # the pages arrived in, so clusters are compared as groupings
        assert groupings(rebuilt) == groupings(original)
        pd.testing.assert_frame_equal(rebuilt.drop(columns="cluster_id"),
                                      original.drop(columns="cluster_id"))

    again = subprocess.run(
        [sys.executable, "-m", "pipelines.reparse", str(files[0]), "--into", str(tmp_path / "reparsed"),
         "--source", "upi", "--host", "127.0.0.1"],
        cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "0 rows written" in again.stdout


class CcNews:
    """CC-NEWS's layout on a local server: two months, two WARC files each, UPI stories among
    another site's pages."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.stories = make_stories(8)
        self.files: list[str] = []
        for month_index, month in enumerate(("2016/08", "2016/09")):
            names = []
            for part in range(2):
                name = f"crawl-data/CC-NEWS/{month}/CC-NEWS-2016{month[-2:]}01-{part:05d}.warc.gz"
                mine = self.stories[month_index * 4 + part * 2: month_index * 4 + part * 2 + 2]
                records = [warcs.warcinfo()]
                for n, story in enumerate(mine):
                    records.append(warcs.response(f"https://www.other.example/{name}/{n}",
                                                  b"<html><p>another site</p></html>"))
                    records.append(warcs.response(UPI_HOST + story.path,
                                                  article_html(story, UPI_HOST).encode()))
                site.add("/" + name, warcs.members(records), content_type="application/octet-stream")
                names.append(name)
                self.files.append(name)
            site.add(f"/crawl-data/CC-NEWS/{month}/warc.paths.gz",
                     gzip.compress("\n".join(names).encode() + b"\n"),
                     content_type="application/octet-stream")

    def file_hits(self) -> dict[str, int]:
        with self.site.lock:
            return {name: self.site.hits.count("/" + name) for name in self.files}

    def ids(self) -> list[str]:
        return sorted(f"upi:{story.story_id}" for story in self.stories)


def test_cc_news_backfill_reads_each_file_once_and_a_second_run_reads_none(tmp_path: Path) -> None:
    site = Site()
    news = CcNews(site)
    dataset = tmp_path / "data"
    with Server(site) as base:
        first = run_crawl(None, dataset, "-a", "cc_news=2016-08..2016-09", "-s",
                          f"CC_NEWS_BASE_URL={base}", "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/1.json")
        assert first.returncode == 0, first.stderr[-3000:]
        assert list(frame(dataset)["id"]) == news.ids()
        assert set(news.file_hits().values()) == {1}
        second = run_crawl(None, dataset, "-a", "cc_news=2016-08..2016-09", "-s",
                           f"CC_NEWS_BASE_URL={base}")
        assert second.returncode == 0, second.stderr[-3000:]
        assert set(news.file_hits().values()) == {1}, "finished files are not read again"
    assert "archives: 0 read, 4 finished before" in second.stderr
    assert len(frame(dataset)) == 8
    progress = json.loads((dataset / "_archives" / "upi.json").read_text())
    assert progress["finished"] == sorted(news.files)
    stats = stats_of(tmp_path / "1.json")
    assert stats["wirecrawl/archive/files_read"] == 4
    assert stats["wirecrawl/archive/skipped/not_accepted"] == 8


def test_a_killed_backfill_resumes_after_its_last_finished_file_and_stores_each_story_once(
        tmp_path: Path) -> None:
    site = Site()
    news = CcNews(site)
    stalled = "/" + news.files[2]
    body = site.routes[stalled].body
    site.add(stalled, body, content_type="application/octet-stream", delay=60)
    dataset = tmp_path / "data"
    progress = dataset / "_archives" / "upi.json"
    with Server(site) as base:
        victim = start_crawl(None, dataset, tmp_path / "victim.log", "-a", "cc_news=2016-08..2016-09",
                             "-s", f"CC_NEWS_BASE_URL={base}")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (
                progress.exists() and len(json.loads(progress.read_text())["finished"]) == 2):
            assert victim.poll() is None, (tmp_path / "victim.log").read_text()[-3000:]
            time.sleep(0.2)
        assert progress.exists(), (tmp_path / "victim.log").read_text()[-3000:]
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
        # the two finished files' stories are stored (flushed before each file was marked finished)
        assert list(frame(dataset)["id"]) == sorted(f"upi:{s.story_id}" for s in news.stories[:4])
        site.add(stalled, body, content_type="application/octet-stream")
        resumed = run_crawl(None, dataset, "-a", "cc_news=2016-08..2016-09",
                            "-s", f"CC_NEWS_BASE_URL={base}")
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        hits = news.file_hits()
    rows = frame(dataset)
    assert list(rows["id"]) == news.ids()  # every story, each once
    assert hits[news.files[0]] == hits[news.files[1]] == 1, "finished files were not read again"
    assert "archives: 2 read, 2 finished before" in resumed.stderr


def test_distributed_workers_read_each_cc_news_file_exactly_once(
        tmp_path: Path, redis_url: str, redis_prefix: str) -> None:
    site = Site()
    news = CcNews(site)
    dataset = tmp_path / "data"
    with Server(site) as base:
        workers = [start_crawl(None, dataset, tmp_path / f"w{n}.log", "-a", "cc_news=2016-08..2016-09",
                               "-s", f"CC_NEWS_BASE_URL={base}", "-s", f"REDIS_URL={redis_url}",
                               "-s", f"WIRECRAWL_REDIS_PREFIX={redis_prefix}",
                               "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/w{n}.json")
                   for n in range(2)]
        for worker in workers:
            worker.wait(timeout=240)
        hits = news.file_hits()
    for n, worker in enumerate(workers):
        assert worker.returncode == 0, (tmp_path / f"w{n}.log").read_text()[-3000:]
    assert set(hits.values()) == {1}, hits
    assert list(frame(dataset)["id"]) == news.ids()
    read = [stats_of(tmp_path / f"w{n}.json").get("wirecrawl/archive/files_read", 0) for n in range(2)]
    assert sum(read) == 4


def test_a_lying_content_length_costs_one_record_and_the_file_is_not_finished(tmp_path: Path) -> None:
    """Before: a record claiming more bytes than the file holds swallowed the stories after it, the run
    said OK (exit 0) and the file was marked finished, so they were never read again."""
    site = Site()
    stories = make_stories(4)
    name = "crawl-data/CC-NEWS/2016/08/CC-NEWS-20160801-00000.warc.gz"
    records = [warcs.warcinfo(), warcs.response(UPI_HOST + stories[0].path,
                                                article_html(stories[0], UPI_HOST).encode())]
    records.append(warcs.lying_length(warcs.response("https://www.other.example/a",
                                                     b"<html><p>another site</p></html>"), 10**12))
    records += [warcs.response(UPI_HOST + story.path, article_html(story, UPI_HOST).encode())
                for story in stories[1:]]
    site.add("/" + name, warcs.members(records), content_type="application/octet-stream")
    site.add("/crawl-data/CC-NEWS/2016/08/warc.paths.gz", gzip.compress(name.encode() + b"\n"),
             content_type="application/octet-stream")
    dataset = tmp_path / "data"
    with Server(site) as base:
        first = run_crawl(None, dataset, "-a", "cc_news=2016-08", "-s", f"CC_NEWS_BASE_URL={base}",
                          "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/1.json")
        again = run_crawl(None, dataset, "-a", "cc_news=2016-08", "-s", f"CC_NEWS_BASE_URL={base}")
        with site.lock:
            hits = site.hits.count("/" + name)
    assert sorted(frame(dataset)["id"]) == sorted(f"upi:{s.story_id}" for s in stories)
    assert first.returncode == 1 and "run FAILED: archive_damaged" in first.stderr, first.stderr[-3000:]
    assert "does not end where its Content-Length says" in first.stderr
    assert "Traceback" not in first.stderr
    stats = stats_of(tmp_path / "1.json")
    assert stats["wirecrawl/archive/skipped/damaged_record"] == 1
    assert stats["wirecrawl/archive/files_damaged"] == 1
    progress = dataset / "_archives" / "upi.json"
    assert not progress.exists() or json.loads(progress.read_text())["finished"] == []
    assert hits == 2, "not finished: the next run reads it again"
    assert again.returncode == 1 and len(frame(dataset)) == 4, "read again, nothing stored twice"


def test_a_warc_that_cannot_grow_fails_the_run_in_two_lines_and_stays_readable(tmp_path: Path) -> None:
    """Before: 230 of 300 responses unrecorded, an ERROR line each, "run OK", exit 0, and a torn
    record left in the file."""
    site = Site()
    stories = make_stories(30)
    warc = tmp_path / "warc"
    with Server(site) as base:
        fill_upi_site(site, base, stories)
        full = run_crawl(base, tmp_path / "data", "-s", f"WARC_DIR={warc}",
                         "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/stats.json",
                         wrap=file_size_limit(52_000))
    assert full.returncode == 1 and "run FAILED: warc_write_error" in full.stderr, full.stderr[-3000:]
    assert "Traceback" not in full.stderr
    assert len([line for line in full.stderr.splitlines() if "could not record" in line]) == 1
    stats = stats_of(tmp_path / "stats.json")
    unrecorded, recorded = stats["wirecrawl/warc/write_errors"], stats["wirecrawl/warc/recorded"]
    assert unrecorded > 0 and recorded > 0
    assert f"{unrecorded} of {unrecorded + recorded} responses could not be recorded" in full.stderr
    assert sorted(frame(tmp_path / "data")["id"]) == sorted(f"upi:{s.story_id}" for s in stories), \
        "every story stored: only the archive lacks some"
    files = sorted(warc.iterdir())
    assert files and all(p.name.endswith(".warc.gz") for p in files), files

    back = run_crawl(base, tmp_path / "back", "-a", f"warc={warc}/*.warc.gz",
                     "-s", f"WIRECRAWL_STATS_FILE={tmp_path}/back.json")
    assert back.returncode == 0, back.stderr[-3000:]  # no torn record: nothing damaged
    assert 0 < len(frame(tmp_path / "back")) < len(stories)


def test_a_killed_recording_run_s_open_file_is_finished_by_the_next(tmp_path: Path) -> None:
    """Before: the ``.open`` file stayed, unnamed by any glob, and the stories that run stored were
    missing when the archives were read back."""
    site = Site()
    stories = make_stories(30)
    warc, dataset = tmp_path / "warc", tmp_path / "data"
    with Server(site) as base:
        fill_upi_site(site, base, stories)
        for story in stories[10:]:  # later pages answer slowly: the kill lands mid-crawl
            site.routes[story.path].delay = 0.5
        victim = start_crawl(base, dataset, tmp_path / "victim.log", "-s", f"WARC_DIR={warc}",
                             "-s", "DATASET_FLUSH_ITEMS=3", "-s", "CONCURRENT_REQUESTS=2")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(data_files(dataset)) < 2:
            time.sleep(0.05)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
        stored = set(frame(dataset)["id"])
        assert 0 < len(stored) < len(stories)
        [orphan] = list(warc.iterdir())
        assert orphan.name.endswith(".warc.gz.open")
        for story in stories:
            site.routes[story.path].delay = 0
        nxt = run_crawl(base, dataset, "-s", f"WARC_DIR={warc}")
    assert nxt.returncode == 0, nxt.stderr[-3000:]
    assert "left open by a killed run" in nxt.stderr
    files = sorted(warc.iterdir())
    assert len(files) == 2 and all(p.name.endswith(".warc.gz") for p in files), files

    finished = orphan.with_name(orphan.name.removesuffix(".open"))
    assert finished in files
    back = run_crawl(base, tmp_path / "back", "-a", f"warc={finished}")
    assert back.returncode == 0, back.stderr[-3000:]
    assert stored <= set(frame(tmp_path / "back")["id"]), "every story the killed run stored"


def test_cc_news_cache_keeps_downloaded_files(tmp_path: Path) -> None:
    site = Site()
    news = CcNews(site)
    cache = tmp_path / "cache"
    with Server(site) as base:
        run = run_crawl(None, tmp_path / "a", "-a", "cc_news=2016-08", "-s", f"CC_NEWS_BASE_URL={base}",
                        "-s", f"CC_NEWS_CACHE={cache}")
        assert run.returncode == 0, run.stderr[-3000:]
        rerun = run_crawl(None, tmp_path / "b", "-a", "cc_news=2016-08", "-s",
                          f"CC_NEWS_BASE_URL={base}", "-s", f"CC_NEWS_CACHE={cache}")
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        hits = news.file_hits()
    assert [hits[name] for name in news.files[:2]] == [1, 1], "the second dataset read the cache"
    assert sorted(p.name for p in (cache / "crawl-data/CC-NEWS/2016/08").iterdir()) == [
        Path(name).name for name in news.files[:2]]
    assert len(frame(tmp_path / "b")) == 4


@pytest.mark.parametrize(("arguments", "message"), [
    (["-a", "warc=/nonexistent/x.warc.gz"], "error: no archive file /nonexistent/x.warc.gz"),
    (["-a", "cc_news=2015-01"], "error: CC-NEWS begins in 2016-08"),
    (["-a", "cc_news=2016-08", "-a", "urls=https://www.upi.com/x/1141578394958/"],
     "error: give one of urls, warc and cc_news"),
])
def test_archive_usage_errors_are_one_line(tmp_path: Path, arguments: list[str], message: str) -> None:
    result = run_crawl(None, tmp_path / "data", *arguments)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(message), result.stderr


def test_unreadable_archives_fail_the_run_in_one_line_each(tmp_path: Path) -> None:
    site = Site()
    news = CcNews(site)
    dataset = tmp_path / "data"
    with Server(site) as base:
        missing = run_crawl(None, dataset, "-a", f"warc={base}/crawl-data/none.warc.gz")
        assert missing.returncode == 1
        assert "cannot read" in missing.stderr and "HTTP 404" in missing.stderr
        assert "run FAILED: archive_unreadable" in missing.stderr
        assert "Traceback" not in missing.stderr

        capped = run_crawl(None, dataset, "-a", "cc_news=2016-08", "-a", "max_items=1",
                           "-s", f"CC_NEWS_BASE_URL={base}")
        assert capped.returncode == 0, capped.stderr[-3000:]
        assert len(frame(dataset)) == 1
        assert not (dataset / "_archives" / "upi.json").exists() or json.loads(
            (dataset / "_archives" / "upi.json").read_text())["finished"] == [], \
            "a file cut short by max_items is not finished"

        (dataset / "_archives").mkdir(exist_ok=True)
        (dataset / "_archives" / "upi.json").write_text("{damaged")
        damaged = run_crawl(None, dataset, "-a", "cc_news=2016-08", "-s", f"CC_NEWS_BASE_URL={base}")
        assert damaged.returncode == 1
        assert "cannot read the backfill position" in damaged.stderr
        assert "Traceback" not in damaged.stderr
    assert news.file_hits()[news.files[1]] == 0, "max_items stopped before the second file"


def test_a_file_that_is_not_a_warc_fails_the_run(tmp_path: Path) -> None:
    """A text file given as ``-a warc=`` read as "1 damaged records skipped", run OK, exit 0."""
    text = tmp_path / "notes.warc"
    text.write_text("These are my notes, not an archive.\n" * 50)
    result = run_crawl(None, tmp_path / "data", "-a", f"warc={text}")
    assert result.returncode == 1, result.stderr[-3000:]
    errors = [line.split("] ", 1)[1] for line in result.stderr.splitlines() if " ERROR: " in line]
    assert errors[0] == (f"ERROR: cannot read {text}: no WARC record in it (it begins 'These are my notes, "
                         "not an archive.'); expected a .warc or .warc.gz file")
    assert errors[1].startswith("ERROR: run FAILED: archive_unreadable;") and len(errors) == 2
    assert "Traceback" not in result.stderr


def test_a_recording_of_another_host_fails_the_run_naming_what_it_held(tmp_path: Path) -> None:
    """Before: ``0 of 37 records were the service's articles``, run OK, exit 0: nothing was done."""
    stories = make_stories(3)
    mirror = "http://127.0.0.1:8000"
    archive = tmp_path / "mirror.warc.gz"
    archive.write_bytes(warcs.members([warcs.warcinfo(), *(
        warcs.response(mirror + s.path, article_html(s, mirror).encode()) for s in stories)]))
    result = run_crawl(None, tmp_path / "data", "-a", f"warc={archive}")
    assert result.returncode == 1, result.stderr[-3000:]
    errors = [line.split("] ", 1)[1] for line in result.stderr.splitlines() if " ERROR: " in line]
    assert errors[0] == (f"ERROR: {archive}: none of the 4 records was an article page of upi (upi.com, "
                         "www.upi.com); the 3 pages were of 127.0.0.1 (3); a mirror's recording is read "
                         "with -a base_url=<the mirror's address>")
    assert errors[1].startswith("ERROR: run FAILED: no_article_in_archives;") and len(errors) == 2
    record = json.loads(next((tmp_path / "data" / "_runs").glob("*.json")).read_text())
    assert record["status"] == "failed" and record["failure_reasons"] == ["no_article_in_archives"]

    mirrored = run_crawl(mirror, tmp_path / "data", "-a", f"warc={archive}")
    assert mirrored.returncode == 0, mirrored.stderr[-3000:]
    assert "run OK: upi: 3 new" in mirrored.stderr
