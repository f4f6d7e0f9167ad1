"""Progress lines of the long commands (pipelines.progress): on a terminal by default, never under cron
unless asked, and what each of ``compact``, ``check``, ``clusters`` and ``reparse`` counts."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.dataset import write_rows
from pipelines.progress import TERMINAL_SECONDS, Progress, interval
from tests import warcs
from tests.mirror import ROOT, article_html, crawl_env, make_stories

UTC = dt.timezone.utc
DAYS = 4


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_line_when_the_interval_has_passed_and_none_in_between() -> None:
    clock, out = Clock(), io.StringIO()
    progress = Progress("compact", 5, out, clock)
    progress.stage("", 40, "partitions", note=lambda: "3 compacted")
    for _ in range(10):
        clock.now += 1
        progress.step()
    lines = out.getvalue().splitlines()
    assert lines == ["compact: 5 of 40 partitions (12%), 3 compacted; 5s elapsed, about 35s left",
                     "compact: 10 of 40 partitions (25%), 3 compacted; 10s elapsed, about 30s left"]
    progress.stage("reading", None, "pages parsed")
    clock.now += 600
    progress.step(7)
    assert out.getvalue().splitlines()[-1] == "compact: reading 7 pages parsed; 10m10s elapsed"


def test_silent_at_interval_zero() -> None:
    clock, out = Clock(), io.StringIO()
    progress = Progress("check", 0, out, clock)
    progress.stage("", 3, "partitions")
    for _ in range(3):
        clock.now += 100
        progress.step()
    assert out.getvalue() == ""


def test_lines_by_default_on_a_terminal_only() -> None:
    master, slave = os.openpty()
    try:
        with os.fdopen(slave, "w", closefd=False) as terminal:
            assert terminal.isatty() and interval(None, terminal) == TERMINAL_SECONDS
    finally:
        os.close(master)
        os.close(slave)
    read, write = os.pipe()  # what cron gives a job
    with os.fdopen(read) as _, os.fdopen(write, "w") as pipe:
        assert interval(None, pipe) == 0
        assert interval(2.5, pipe) == 2.5  # asked for: given whatever stderr is
    assert interval(None, io.StringIO()) == 0


# -- the commands -----------------------------------------------------------------------------------


def _rows(run: int) -> list[dict]:
    """Stories over DAYS days, each written twice (two runs), so compaction has work everywhere."""
    rows = []
    for n in range(DAYS * 3):
        day = dt.datetime(2024, 3, 1 + n % DAYS, 12, tzinfo=UTC)
        body = " ".join(f"word{n}x{k}" for k in range(40))
        rows.append({
            "id": f"upi:{n}", "source": "upi", "url": f"https://www.upi.com/{n}/", "headline": f"Story {n}",
            "body": body, "authors": [], "contributors": [], "tags": [], "word_count": 40,
            "published_at": day, "fetched_at": dt.datetime(2024, 3, 9, run, tzinfo=UTC)})
    return rows


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=crawl_env(), capture_output=True,
                          text=True, timeout=180)


def _progress_lines(stderr: str, command: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(f"{command}: ")]


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    write_rows(root, _rows(1), "one", 1)
    write_rows(root, _rows(2), "two", 1)
    return root


@pytest.mark.e2e
@pytest.mark.parametrize(("command", "last"), [
    ("check", rf"check: {DAYS} of {DAYS} partitions \(100%\), 0 problems; \d+s elapsed"),
    ("compact", rf"compact: {DAYS} of {DAYS} partitions \(100%\), {DAYS} compacted, "
                rf"{DAYS * 3} superseded rows dropped; \d+s elapsed"),
    ("clusters", rf"clusters: rewriting {DAYS * 2} of {DAYS * 2} files \(100%\); \d+s elapsed"),
])
def test_dataset_commands_show_progress_when_asked_and_are_silent_under_cron(
        dataset: Path, command: str, last: str) -> None:
    quiet = _command(f"pipelines.{command}", str(dataset))  # stderr a pipe, as under cron
    assert quiet.returncode == 0, quiet.stderr
    assert _progress_lines(quiet.stderr, command) == []
    if command == "compact":  # compacted already: write the second run again
        write_rows(dataset, _rows(3), "three", 1)
    if command == "clusters":  # clustered already: give the rows back their own clusters
        for path in dataset.rglob("part-*.parquet"):
            path.unlink()
        write_rows(dataset, _rows(1), "one", 1)
        write_rows(dataset, _rows(2), "two", 1)
    shown = _command(f"pipelines.{command}", str(dataset), "--progress", "0.000001")
    assert shown.returncode == 0, shown.stderr
    lines = _progress_lines(shown.stderr, command)
    assert len(lines) >= DAYS, shown.stderr
    assert re.fullmatch(last, lines[-1]), lines


@pytest.mark.e2e
def test_reparse_shows_pages_rows_and_the_archive_it_reads(tmp_path: Path) -> None:
    stories = make_stories(5)
    base = "https://www.upi.com"
    archive = warcs.write(tmp_path / "pages.warc.gz", [
        warcs.response(base + story.path, article_html(story, base).encode()) for story in stories])
    result = _command("pipelines.reparse", str(archive), "--into", str(tmp_path / "out"),
                      "--source", "upi", "--workers", "1", "--progress", "0.000001")
    assert result.returncode == 0, result.stderr[-3000:]
    lines = _progress_lines(result.stderr, "reparse")
    assert len(lines) == 5, result.stderr
    assert re.fullmatch(r"reparse: 5 pages parsed, 5 rows, 0 already stored; archive 1 of 1, "
                        r"5 records read; \d+s elapsed", lines[-1]), lines


@pytest.mark.e2e
@pytest.mark.parametrize(("value", "what"), [("-1", "0 or more"), ("soon", "a number"), ("nan", "a number")])
def test_a_bad_progress_value_is_a_usage_error(tmp_path: Path, value: str, what: str) -> None:
    result = _command("pipelines.compact", str(tmp_path), "--progress", value)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: --progress must be {what}, got '{value}'; see python -m pipelines.compact --help"]
