"""Compaction: winners, atomicity for readers, and crashes at every step leaving a complete dataset."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from pipelines.compact import compact
from pipelines.dataset import data_files, latest, write_rows
from tests.test_dataset import _row

ROOT = Path(__file__).resolve().parent.parent
UTC = dt.timezone.utc
T = dt.datetime(2026, 1, 1, tzinfo=UTC)


def _versions(tmp_path: Path) -> Path:
    """A dataset where stories were stored several times, over three runs and two partitions."""
    root = tmp_path / "articles"
    write_rows(root, [_row(1, headline="A first", fetched_at=T),
                      _row(2, headline="B first", fetched_at=T),
                      _row(3, day=8, headline="C only", fetched_at=T)], "run1", 1)
    write_rows(root, [_row(1, headline="A corrected", fetched_at=T + dt.timedelta(hours=1),
                           modified_at=T + dt.timedelta(minutes=50))], "run2", 1)
    write_rows(root, [_row(2, headline="B refetched", fetched_at=T + dt.timedelta(hours=2))],
               "run3", 1)
    # an older fetch that shows a modification beats a newer fetch without one
    write_rows(root, [_row(1, headline="A refetched, no update shown",
                           fetched_at=T + dt.timedelta(hours=3))], "run4", 1)
    return root


def test_compaction_keeps_the_newest_version_of_each_story(tmp_path: Path) -> None:
    root = _versions(tmp_path)
    before = pd.read_parquet(root)
    assert len(before) == 6
    assert sorted(latest(before)["headline"]) == ["A corrected", "B refetched", "C only"]
    results = compact(root)
    assert {r.partition for r in results} == {"published_date=2020-01-07"}
    after = pd.read_parquet(root)
    assert sorted(after["headline"]) == ["A corrected", "B refetched", "C only"]
    assert after["id"].is_unique
    assert len(data_files(root)) == 2  # one per partition
    assert compact(root) == []  # already compact


def _compact_with_fault(root: Path, fault: str) -> subprocess.CompletedProcess[str]:
    """Run compaction in a child that dies (os._exit, as abrupt as SIGKILL) at one step."""
    script = f"""
import os, sys
import pipelines.compact as c
fault = {fault!r}
real_write, real_exchange, real_rmtree = c.write_table, c._exchange, c.shutil.rmtree
def write_table(table, final):
    real_write(table, final)
    if fault == "after_write": os._exit(137)
def exchange(a, b):
    real_exchange(a, b)
    if fault == "after_exchange": os._exit(137)
c.write_table, c._exchange = write_table, exchange
c.compact(sys.argv[1])
"""
    return subprocess.run([sys.executable, "-c", script, str(root)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))


@pytest.mark.e2e
@pytest.mark.parametrize("fault", ["after_write", "after_exchange"])
def test_compaction_killed_half_way_leaves_a_complete_dataset(tmp_path: Path, fault: str) -> None:
    root = _versions(tmp_path)
    expected = sorted(latest(pd.read_parquet(root))["headline"])
    result = _compact_with_fault(root, fault)
    assert result.returncode == 137, result.stderr
    survived = pd.read_parquet(root)
    assert sorted(latest(survived)["headline"]) == expected
    assert len(survived) in (6, 3)  # all old files, or the compacted partition: never a mix
    compact(root)  # the next compaction finishes the job and sweeps what the crash left
    assert sorted(pd.read_parquet(root)["headline"]) == expected
    assert not [p for p in root.rglob("*") if ".compact-" in p.name or ".parked-" in p.name]


@pytest.mark.e2e
def test_sigkill_at_a_random_moment_and_readers_during_compaction(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    for run in range(3):  # 40 partitions, three files each, every story stored three times
        write_rows(root, [_row(n, day=1 + n % 28, headline=f"{n} v{run}",
                               fetched_at=T + dt.timedelta(hours=run))
                          for n in range(40)], f"run{run}", 1)
    expected = {f"upi:{n}": f"{n} v2" for n in range(40)}
    seen_bad: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                frame = pd.read_parquet(root)
            except (OSError, FileNotFoundError):
                continue  # a file vanished between listing and opening: read again
            counts = frame["id"].value_counts()
            if set(counts.index) != set(expected) or counts.max() > 3:
                seen_bad.append(f"{len(frame)} rows")

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    child = subprocess.Popen([sys.executable, "-m", "pipelines.compact", str(root)], cwd=ROOT,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None \
            and not list(root.glob("source=*/published_date=*/part-compact-*.parquet")):
        time.sleep(0.001)
    child.send_signal(signal.SIGKILL)  # after its first swap, in the middle of the others
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, "compaction ended before it could be killed"
    files = [len(list(p.glob("part-*.parquet"))) for p in root.glob("source=*/published_date=*")]
    assert 1 in files and 3 in files  # killed half-way: some partitions compacted, some not
    frame = latest(pd.read_parquet(root))
    assert dict(zip(frame["id"], frame["headline"], strict=True)) == expected
    finished = subprocess.run([sys.executable, "-m", "pipelines.compact", str(root)], cwd=ROOT,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
                              text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    stop.set()
    thread.join(timeout=30)
    assert seen_bad == []
    final = pd.read_parquet(root)
    assert dict(zip(final["id"], final["headline"], strict=True)) == expected


@pytest.mark.e2e
@pytest.mark.parametrize("kill_at", range(1, 5))
def test_a_kill_at_any_rename_of_the_fallback_swap_loses_nothing(tmp_path: Path, kill_at: int,
                                                               strace: str) -> None:
    """Without ``RENAME_EXCHANGE`` (the NFS client answers EINVAL) the swap is two plain renames: killed
    at each ``rename`` in turn, the partition is readable or reported by ``pipelines.check``, and the
    next compaction puts it back whole (it removed the only copy: 2 of 3 stories gone)."""
    root = _versions(tmp_path)
    expected = sorted(latest(pd.read_parquet(root))["headline"])
    killed = subprocess.run(
        [strace, "-f", "-qq", "-o", os.devnull, "-e", "trace=rename,renameat2",
         "-e", "inject=renameat2:error=EINVAL", "-e", f"inject=rename:signal=SIGKILL:when={kill_at}",
         sys.executable, "-m", "pipelines.compact", str(root)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    check = subprocess.run([sys.executable, "-m", "pipelines.check", str(root)], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    readable = sorted(latest(pd.read_parquet(root))["headline"]) == expected
    assert readable or (check.returncode == 1 and "pipelines.compact" in check.stdout), check.stdout
    assert "Traceback" not in check.stderr
    again = subprocess.run(
        [strace, "-f", "-qq", "-o", os.devnull, "-e", "trace=renameat2",
         "-e", "inject=renameat2:error=EINVAL", sys.executable, "-m", "pipelines.compact", str(root)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert sorted(pd.read_parquet(root)["headline"]) == expected
    assert not [p for p in root.rglob("*") if ".compact" in p.name or ".parked-" in p.name]


@pytest.mark.e2e
def test_files_a_crawl_wrote_beside_an_interrupted_swap_are_merged(tmp_path: Path, strace: str) -> None:
    """Killed between the plain renames, then a crawl stores a story in the same (now missing)
    partition: the next compaction keeps both the parked stories and the crawl's."""
    root = _versions(tmp_path)
    expected = sorted(latest(pd.read_parquet(root))["headline"])
    subprocess.run(
        [strace, "-f", "-qq", "-o", os.devnull, "-e", "trace=rename,renameat2",
         "-e", "inject=renameat2:error=EINVAL", "-e", "inject=rename:signal=SIGKILL:when=3",
         sys.executable, "-m", "pipelines.compact", str(root)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    write_rows(root, [_row(9, headline="Z new", fetched_at=T)], "run9", 1)
    compact(root)
    assert sorted(pd.read_parquet(root)["headline"]) == sorted([*expected, "Z new"])
