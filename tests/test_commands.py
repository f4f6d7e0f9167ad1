"""The dataset commands (check, compact, clusters, reparse, report) as an operator meets them: every
option checked before anything starts (one line, exit 2), a read-only or full filesystem and a closed
output pipe answered in one line, never a traceback; archives that held nothing asked for say so."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipelines.dataset import data_files
from pipelines.sites import SITES
from tests import warcs
from tests.mirror import ROOT, article_html, crawl_env, make_stories
from tests.test_compact import _versions

pytestmark = pytest.mark.e2e

UPI = "https://www.upi.com"


def _tool(module: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", f"pipelines.{module}", *args], cwd=cwd, env=crawl_env(),
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(("args", "message"), [
    (["report", "{ds}", "--days", "0"], "error: --days must be 1 or more, got '0'"),
    (["report", "{ds}", "--runs", "x"], "error: --runs must be a whole number, got 'x'"),
    (["report", "{tmp}/none"], "error: no dataset at {tmp}/none; give the dataset folder "
                               "(e.g. data/articles)"),
    (["check", "s3://bucket/articles"], "error: the dataset folder must be a local folder, got "
     "'s3://bucket/articles': object storage and other URLs are not supported yet; mount the bucket "
     "(e.g. s3fs, gcsfuse) and give its local path"),
    # before: accepted; it rewrote the files and dissolved every cluster
    (["clusters", "{ds}", "--window-days", "-1"], "error: --window-days must be 0 or more, got '-1'"),
    (["clusters", "{ds}", "--threshold", "5"], "error: --threshold must be at most 1, got '5'"),
    (["clusters", "{ds}", "--threshold", "0"], "error: --threshold must be more than 0, got '0'"),
    (["clusters", "{ds}", "--top", "-2"], "error: --top must be 0 or more, got '-2'"),
    (["compact", "{ds}", "--source", "uip"], "error: --source 'uip' is no source; the sources are: "
                                             + ", ".join(sorted([*SITES, "wire"]))),
    (["reparse", "x.warc.gz", "--into", "{tmp}/r", "--workers", "-1"],
     "error: --workers must be 0 or more, got '-1'"),
    (["reparse", "{tmp}/none.warc.gz", "--into", "{tmp}/r"], "error: no archive file {tmp}/none.warc.gz"),
    (["reparse", "x.warc.gz", "--into", "s3://bucket/r"], "error: the dataset folder must be a local "
     "folder, got 's3://bucket/r': object storage and other URLs are not supported yet; mount the "
     "bucket (e.g. s3fs, gcsfuse) and give its local path"),
    (["reparse", "x.warc.gz", "--into", "{tmp}/r", "--source", "wire"],
     "error: --source wire needs --host: the sites whose pages to take, e.g. --host news.example.com"),
])
def test_a_bad_option_is_one_line_and_exit_2_with_nothing_done(tmp_path: Path, args: list[str],
                                                                message: str) -> None:
    dataset = _versions(tmp_path)
    before = {p: p.stat().st_mtime_ns for p in data_files(dataset)}
    values = {"ds": str(dataset), "tmp": str(tmp_path)}
    command, *rest = [a.format(**values) for a in args]
    result = _tool(command, *rest)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [f"{message.format(**values)}; see python -m pipelines.{command} "
                                          "--help"]
    assert result.stdout == ""
    assert {p: p.stat().st_mtime_ns for p in data_files(dataset)} == before
    assert not (tmp_path / "r").exists()


def test_a_reader_that_goes_away_ends_the_report_quietly(tmp_path: Path) -> None:
    """Before: ``python -m pipelines.report DIR | head -1`` ended in a BrokenPipeError traceback."""
    dataset = _versions(tmp_path)
    command = (f"set -o pipefail; {shlex.quote(sys.executable)} -m pipelines.report "
               f"{shlex.quote(str(dataset))} | true")
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, env=crawl_env(), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def _read_only(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """``command`` with ``folder`` mounted read-only (for root too)."""
    script = (f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && '
              'exec "$@"')
    return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", *command], cwd=ROOT,
                          env=crawl_env(), capture_output=True, text=True, timeout=300)


def _full(source: Path, name: str, *command: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """``command`` on a copy of ``source`` in a small filesystem filled up (``{ds}`` names the copy);
    and how many rows the copy holds afterwards."""
    mount = source.parent / "small"
    mount.mkdir()
    copy = mount / name
    rows = (f'{shlex.quote(sys.executable)} -c "import pandas as pd; '
            f"print('rows', len(pd.read_parquet('{copy}')))\"")
    script = (f'mount -t tmpfs -o size=4m tmpfs "{mount}" && cp -r "{source}" "{copy}" && '
              f'(dd if=/dev/zero of="{mount}/filler" bs=4k 2>/dev/null || true) && '
              f'"$@"; status=$?; {rows}; exit $status')
    result = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh",
                             *(c.replace("{ds}", str(copy)) for c in command)],
                            cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=300)
    counted = [line for line in result.stdout.splitlines() if line.startswith("rows ")]
    return result, int(counted[-1].split()[1]) if counted else -1


def test_compact_and_clusters_on_a_read_only_dataset_say_so_in_one_line(tmp_path: Path,
                                                                        mount_namespace: None) -> None:
    """Before: compact ended in a traceback; clusters advised ``check --quarantine`` (nothing is
    damaged)."""
    dataset = _versions(tmp_path)
    for module in ("compact", "clusters"):
        result = _read_only(dataset, sys.executable, "-m", f"pipelines.{module}", str(dataset))
        assert result.returncode == 1, result.stderr
        assert result.stderr.splitlines() == [result.stderr.strip()], result.stderr
        assert result.stderr.startswith(f"error: cannot write in {dataset}: Read-only file system")
        assert "mount it read-write, or work on a copy" in result.stderr
        assert "quarantine" not in result.stderr
    assert len(pd.read_parquet(dataset)) == 6


def test_compact_on_a_full_filesystem_says_so_and_loses_nothing(tmp_path: Path,
                                                                mount_namespace: None) -> None:
    dataset = _versions(tmp_path)
    result, rows = _full(dataset, "articles", sys.executable, "-m", "pipelines.compact", "{ds}")
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: cannot write in ")
    assert "No space left on device" in lines[0] and "nothing already written was lost" in lines[0]
    assert rows == 6  # every row still readable


def _warc(path: Path, urls: list[tuple[str, bytes]]) -> Path:
    path.write_bytes(warcs.members([warcs.warcinfo(), *(warcs.response(u, b) for u, b in urls)]))
    return path


def test_reparse_into_a_read_only_or_full_folder_says_so_in_one_line(tmp_path: Path,
                                                                      mount_namespace: None) -> None:
    story = make_stories(1)[0]
    archive = _warc(tmp_path / "upi.warc.gz", [(UPI + story.path, article_html(story, UPI).encode())])
    into = tmp_path / "reparsed"
    into.mkdir()
    read_only = _read_only(into, sys.executable, "-m", "pipelines.reparse", str(archive), "--into",
                           str(into), "--workers", "1")
    assert read_only.returncode == 1, read_only.stderr
    assert read_only.stderr.strip().splitlines() == [read_only.stderr.strip()]
    assert read_only.stderr.startswith(f"error: cannot write in {into}: Read-only file system")

    (tmp_path / "empty").mkdir()
    full, _rows = _full(tmp_path / "empty", "reparsed", sys.executable, "-m", "pipelines.reparse",
                        str(archive), "--into", "{ds}", "--workers", "1")
    assert full.returncode == 1, full.stderr
    errors = [line for line in full.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "No space left on device" in errors[0]
    assert "Traceback" not in full.stderr


def test_reparse_of_archives_holding_nothing_asked_for_fails_naming_what_they_held(tmp_path: Path) -> None:
    """Before: ``--host`` (or archives of another site) finding 0 rows: exit 0."""
    stories = make_stories(3)
    mirror = "http://127.0.0.1:8000"
    archive = _warc(tmp_path / "mirror.warc.gz",
                    [(mirror + s.path, article_html(s, mirror).encode()) for s in stories])
    wrong_host = _tool("reparse", str(archive), "--into", str(tmp_path / "a"), "--source", "upi",
                       "--host", "mirror.example", "--workers", "1")
    assert wrong_host.returncode == 1, wrong_host.stderr
    (error,) = [line for line in wrong_host.stderr.splitlines() if line.startswith("error:")]
    assert error == (f"error: {archive}: none of the 4 records was an article page of upi (mirror.example, "
                     "upi.com, www.upi.com); the 3 pages were of 127.0.0.1 (3); a mirror's pages are "
                     "read with --source and --host")

    right_host = _tool("reparse", str(archive), "--into", str(tmp_path / "b"), "--source", "upi",
                       "--host", "127.0.0.1", "--workers", "1")
    assert right_host.returncode == 0, right_host.stderr
    assert len(pd.read_parquet(tmp_path / "b")) == 3

    text = tmp_path / "notes.warc"
    text.write_text("not an archive\n")
    not_warc = _tool("reparse", str(text), "--into", str(tmp_path / "c"), "--workers", "1")
    assert not_warc.returncode == 1
    assert f"error: {text}: no WARC record there; expected .warc or .warc.gz files" in not_warc.stderr


def test_reparse_takes_the_generic_source(tmp_path: Path) -> None:
    page = ("<html><head><title>Harbor vote</title><meta property='og:type' content='article'>"
            "<meta property='article:published_time' content='2024-03-12T09:30:00Z'></head><body>"
            "<article><h1>Council approves the harbor budget</h1>"
            + "".join(f"<p>The council approved item {n} of the harbor budget after a long debate that ran "
                      "well past midnight, officials of the port authority said on Tuesday.</p>"
                      for n in range(6))
            + "</article></body></html>").encode()
    archive = _warc(tmp_path / "news.warc.gz", [("https://news.example.com/2024/03/12/harbor-vote", page),
                                                ("https://other.example.org/2024/x", page)])
    result = _tool("reparse", str(archive), "--into", str(tmp_path / "r"), "--source", "wire",
                   "--host", "news.example.com", "--workers", "1")
    assert result.returncode == 0, result.stderr
    rows = pd.read_parquet(tmp_path / "r")
    assert list(rows["url"]) == ["https://news.example.com/2024/03/12/harbor-vote"]
    assert rows["id"].iloc[0].startswith("wire:") and rows["headline"].iloc[0].startswith("Council")
