"""The dataset check's fault classification and what each dataset command does with a damaged entry, in
process: every fault of :mod:`tests.damage` named for what it is, left out and named by ``check`` and
``report``, moved aside by the quarantine with the rest still readable, and quarantined by compaction.
The crawl's own quarantine, through a real ``scrapy crawl``: ``tests/test_damaged_dataset.py``."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipelines import check, clusters, compact, report
from pipelines.check import QUARANTINE, QUARANTINED_SUFFIX, inspect_file, quarantine_damaged, scan
from pipelines.dataset import data_files, write_rows
from tests.damage import FAULTS
from tests.test_dataset import _row

#: what each fault is called, in words a person recognises it by
REASONS = {
    "garbage_bytes": "unreadable:",
    "half_a_file": "unreadable:",
    "zero_bytes": "empty file (0 bytes)",
    "column_missing": "column 'headline' missing",
    "column_of_another_type": "column 'word_count' is string, expected int32",
    "ds_store": "not a data file (stray file)",
    "directory_named_like_a_part_file": "a directory named like a data file",
    "null_id": "a null id",
    "same_id_twice": "the same id twice in one file",
    "partition_key_as_column": "(a partition key stored as a column): 'source'",
    "pandas_index": "pandas metadata",
    "extra_columns": "20 column(s) not in the schema",
}
ROWS = [_row(n, day=7) for n in (1, 2, 3)] + [_row(n, day=8) for n in (4, 5)]


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """Two partitions of a sound dataset."""
    root = tmp_path_factory.mktemp("clean") / "articles"
    write_rows(root, ROWS, "run1", 1)
    return root


@pytest.fixture(params=sorted(FAULTS))
def damaged(request, clean: Path, tmp_path: Path) -> tuple[Path, Path, bool]:
    """(the dataset, the damaged entry, whether it held stories), the first day's file damaged."""
    root = tmp_path / "articles"
    shutil.copytree(clean, root)
    damage, held = FAULTS[request.param]
    victim = damage(data_files(root)[0])
    request.node.fault = request.param
    return root, victim, held


def test_reasons_cover_every_fault() -> None:
    assert set(REASONS) == set(FAULTS)


def test_each_fault_is_named_for_what_it_is(damaged, request) -> None:
    root, victim, _ = damaged
    [problem] = scan(root, deep=True)
    assert problem.path == victim
    assert REASONS[request.node.fault] in problem.reason
    if victim.is_file() and victim.name.startswith("part-"):
        assert inspect_file(victim, deep=True) == problem.reason


def test_a_sound_dataset_has_no_problem(clean: Path) -> None:
    assert scan(clean, deep=True) == []
    for path in data_files(clean):
        assert inspect_file(path, deep=True) is None


def test_a_row_filed_under_another_day_is_found_by_the_deep_check(tmp_path: Path) -> None:
    root = tmp_path / "articles"
    [path] = write_rows(root, ROWS[:1], "run1", 1)
    moved = path.parent.with_name("published_date=2020-01-09")
    path.parent.rename(moved)
    assert inspect_file(moved / path.name) is None  # the footer alone looks sound
    assert inspect_file(moved / path.name, deep=True) == "a row of 2020-01-07 in the folder of 2020-01-09"


def test_check_report_and_clusters_leave_it_out_and_name_it(damaged, capsys) -> None:
    root, victim, _ = damaged
    relative = victim.relative_to(root)
    assert check.main([str(root)]) == 1
    assert f"damaged: {relative}" in capsys.readouterr().out
    assert report.main([str(root)]) == 1
    assert f"damaged (left out): {relative}" in capsys.readouterr().err
    named_like_data = victim.name.startswith("part-")  # a stray file is no data file to cluster
    assert clusters.main([str(root)]) == (1 if named_like_data else 0)
    assert (f"damaged (left out): {victim}" in capsys.readouterr().err) == named_like_data
    assert victim.exists()


def test_the_quarantine_moves_it_and_every_other_story_reads(damaged) -> None:
    root, victim, held = damaged
    relative = victim.relative_to(root)
    [problem] = quarantine_damaged(root)
    assert problem.path == victim and not victim.exists()
    assert (root / QUARANTINE / f"{relative}{QUARANTINED_SUFFIX}").exists()
    left = sorted(pd.read_parquet(root)["id"])
    lost = {row["id"] for row in ROWS if row["published_at"].date() == dt.date(2020, 1, 7)} if held else set()
    assert left == sorted({row["id"] for row in ROWS} - lost)
    assert scan(root, deep=True) == []


def test_compaction_quarantines_it_and_the_check_is_clean_after(damaged, capsys) -> None:
    root, victim, _ = damaged
    assert compact.main([str(root)]) == 3
    assert not victim.exists()
    pd.read_parquet(root)
    assert check.main([str(root)]) == 0
    capsys.readouterr()
