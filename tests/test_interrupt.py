"""Interruptions, with real signals sent to a real ``scrapy crawl``: the first Ctrl-C (or SIGTERM) stops
taking work and ends in order, the second still writes the parsed rows and the run record; and every
run that started has a run record, the report shows it."""

from __future__ import annotations

import json
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.mirror import (
    ROOT,
    crawl_command,
    crawl_env,
    make_stories,
    run_crawl,
    upi_mirror,
)

pytestmark = pytest.mark.e2e

FAST = 4  # stories served at once; the others hang until the run is interrupted


def _interrupted_run(tmp_path: Path, signals: list[int]) -> tuple[subprocess.CompletedProcess, Path, list]:
    stories = make_stories(12)
    dataset = tmp_path / "articles"
    with upi_mirror(stories=stories) as mirror:
        for story in stories[FAST:]:
            mirror.site.routes[story.path].delay = 30
        # rows wait in memory (no flush by time): only the close, or the second signal, writes them
        command = crawl_command(mirror.base_url, dataset, "-s", "DATASET_FLUSH_SECONDS=0", "-s",
                                "DATASET_FLUSH_ITEMS=1000", "-s", "WIRECRAWL_WORKERS=0",
                                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "DOWNLOAD_TIMEOUT=20")
        process = subprocess.Popen(command, cwd=ROOT, env=crawl_env(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        fast = {s.path for s in stories[:FAST]}
        while not fast <= set(mirror.site.article_hits()) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # parsed in the crawler's own process as they arrive
        assert process.poll() is None, "the run ended before it could be interrupted"
        started = time.monotonic()
        for signum in signals:
            process.send_signal(signum)
            time.sleep(0.5)
        out, err = process.communicate(timeout=120)
        took = time.monotonic() - started
    result = subprocess.CompletedProcess(command, process.returncode, out, err)
    result.took = took  # type: ignore[attr-defined]
    return result, dataset, stories


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_one_interruption_stops_in_order(tmp_path: Path, signum: int) -> None:
    """Before: ``run FAILED: finish_reason=shutdown``, exit 1, and a WARNING line per pending story."""
    result, dataset, stories = _interrupted_run(tmp_path, [signum])
    assert result.returncode == 130, result.stderr[-3000:]
    last = result.stderr.strip().splitlines()[-1].split("] ", 1)[1]
    assert last.startswith(f"WARNING: run INTERRUPTED: upi: {FAST} new, 0 updated"), last
    assert last.endswith("requested stories left for the next run")
    assert "unanswered" not in result.stderr and "Traceback" not in result.stderr
    assert sorted(pd.read_parquet(dataset)["id"]) == sorted(f"upi:{s.story_id}" for s in stories[:FAST])
    (record,) = [json.loads(p.read_text()) for p in (dataset / "_runs").glob("*.json")]
    assert record["status"] == "interrupted" and record["counts"]["new"] == FAST
    report = subprocess.run([sys.executable, "-m", "pipelines.report", str(dataset)], cwd=ROOT,
                            env=crawl_env(), capture_output=True, text=True, timeout=60)
    assert "interrupted" in report.stdout


def test_a_second_ctrl_c_still_writes_the_parsed_rows_and_the_record(tmp_path: Path) -> None:
    """Before: the second Ctrl-C stopped the reactor at once: the rows not yet written were lost, and
    there was no summary and no run record."""
    result, dataset, stories = _interrupted_run(tmp_path, [signal.SIGINT, signal.SIGINT])
    assert result.returncode == 130, result.stderr[-3000:]
    assert result.took < 15, "the second Ctrl-C does not wait for the pages in flight"
    assert "Received SIGINT twice: writing the rows parsed so far and the run record" in result.stderr
    assert sorted(pd.read_parquet(dataset)["id"]) == sorted(f"upi:{s.story_id}" for s in stories[:FAST])
    (record,) = [json.loads(p.read_text()) for p in (dataset / "_runs").glob("*.json")]
    assert record["status"] == "interrupted" and record["counts"]["new"] == FAST
    assert result.stderr.strip().splitlines()[-1].split("] ", 1)[1].startswith(
        f"WARNING: run INTERRUPTED: upi: {FAST} new")
    assert list((dataset / "_queue").iterdir()) == []  # the run's queue is removed all the same

    with upi_mirror(stories=stories) as mirror:  # the next run fetches the rest
        again = mirror.run(dataset)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"upi: {len(stories) - FAST} new" in again.stderr


def test_a_run_that_fills_the_disk_has_its_record_and_the_report_shows_it(tmp_path: Path,
                                                                          mount_namespace: None) -> None:
    """Before: the record was written only at the end, when the disk had no room left for it (and the
    disk queue and spider state failed with tracebacks); the run never appeared in the report."""
    stories = make_stories(6)
    mount = tmp_path / "small"
    mount.mkdir()
    dataset = mount / "articles"
    with upi_mirror(stories=stories) as mirror:
        for story in stories:
            mirror.site.routes[story.path].delay = 2  # the disk fills up while the run waits for them
        crawl = " ".join(shlex.quote(part) for part in crawl_command(
            mirror.base_url, dataset, "-s", "CONCURRENT_REQUESTS=1", "-s", "DATASET_FLUSH_ITEMS=1"))
        python = shlex.quote(sys.executable)
        script = f"""
mount -t tmpfs -o size=8m tmpfs {mount} || exit 99
{crawl} 2> {mount}/crawl.log &
crawler=$!
for _ in $(seq 600); do ls {dataset}/_runs/*.json >/dev/null 2>&1 && break; sleep 0.1; done
dd if=/dev/zero of={mount}/filler bs=4k 2>/dev/null
wait $crawler; echo "status $?"
cat {mount}/crawl.log >&2
{python} -m pipelines.report {dataset}
"""
        result = subprocess.run(["unshare", "-m", "bash", "-c", script], cwd=ROOT, env=crawl_env(),
                                capture_output=True, text=True, timeout=300)
    assert "status 1" in result.stdout, result.stdout + result.stderr[-3000:]
    verdict = [line for line in result.stderr.splitlines() if "run FAILED: " in line]
    assert verdict and "Traceback" not in result.stderr, result.stderr[-3000:]
    reasons = verdict[-1].split("run FAILED: ", 1)[1].split(";")[0]  # rows or queue lost to the disk
    assert {"write_error", "queue_lost"} & set(reasons.split(", ")), reasons
    # (written in place into its reservation, or whole when the run had freed some space by then:
    # tests/test_run_record.py holds the in-place case)
    runs = result.stdout.split("Recent runs", 1)[1]
    assert " upi failed " in runs and reasons in runs, result.stdout


def test_a_run_whose_redis_does_not_answer_has_its_record_in_the_report(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    result = run_crawl("http://127.0.0.1:9", dataset, "-s", "REDIS_URL=redis://127.0.0.1:9/0")
    assert result.returncode == 1 and "run FAILED: redis_unreachable" in result.stderr
    (record,) = [json.loads(p.read_text()) for p in (dataset / "_runs").glob("*.json")]
    assert record["status"] == "failed" and record["failure_reasons"] == ["redis_unreachable"]
    report = subprocess.run([sys.executable, "-m", "pipelines.report", str(dataset)], cwd=ROOT,
                            env=crawl_env(), capture_output=True, text=True, timeout=60)
    assert " upi failed " in report.stdout and "redis_unreachable" in report.stdout
