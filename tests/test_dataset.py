"""The Parquet dataset: explicit schema, atomic files, unreadable files never hide the rest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipelines.dataset import (
    FILE_SCHEMA,
    cleanup_temp_files,
    data_files,
    dataset_lock,
    partition_dir,
    read_ids,
    write_rows,
)

UTC = dt.timezone.utc


def _row(n: int, day: int = 7, **extra) -> dict:
    row = {
        "id": f"upi:{n}", "source": "upi", "url": f"https://www.upi.com/{n}/",
        "headline": f"Headline {n}", "description": None, "body": "Body text.",
        "authors": ["Jane Roe"], "byline": "By Jane Roe", "agency": "UPI", "contributors": [],
        "published_at": dt.datetime(2020, 1, day, 12, tzinfo=UTC), "modified_at": None,
        "fetched_at": dt.datetime(2026, 1, 1, tzinfo=UTC), "dateline": "SEOUL (UPI) --",
        "dateline_city": "Seoul", "dateline_region": None, "dateline_country": "South Korea",
        "dateline_country_code": "KR", "dateline_date": dt.date(2020, 1, day), "section": None,
        "tags": [], "language": "en", "word_count": 2, "image_url": None,
    }
    row.update(extra)
    return row


def test_rows_round_trip_through_pandas_with_the_schema(tmp_path: Path) -> None:
    paths = write_rows(tmp_path, [_row(1), _row(2), _row(3, day=8)], "run", 1)
    assert len(paths) == 2  # two partitions
    assert paths[0].parent == partition_dir(tmp_path, "upi", dt.date(2020, 1, 7))
    assert pq.read_schema(paths[0]).remove_metadata().equals(FILE_SCHEMA.remove_metadata())
    frame = pd.read_parquet(tmp_path)
    assert sorted(frame["id"]) == ["upi:1", "upi:2", "upi:3"]
    assert str(frame["published_at"].dtype) == "datetime64[us, UTC]"
    assert list(frame.loc[frame["id"] == "upi:1", "authors"].iloc[0]) == ["Jane Roe"]
    assert list(frame["tags"].iloc[0]) == []
    assert set(frame["source"].astype(str)) == {"upi"}


def test_temporary_and_hidden_files_are_invisible(tmp_path: Path) -> None:
    write_rows(tmp_path, [_row(1)], "run", 1)
    folder = partition_dir(tmp_path, "upi", dt.date(2020, 1, 7))
    (folder / ".part-crashed-00001.parquet.tmp").write_bytes(b"PAR1 half a file")
    assert len(pd.read_parquet(tmp_path)) == 1
    assert [p.name for p in data_files(tmp_path)] == ["part-run-00001.parquet"]


def test_an_unreadable_file_is_reported_not_fatal(tmp_path: Path) -> None:
    write_rows(tmp_path, [_row(1)], "a", 1)
    bad = partition_dir(tmp_path, "upi", dt.date(2020, 1, 7)) / "part-b-00001.parquet"
    bad.write_bytes(b"garbage")
    ids, unreadable = read_ids(tmp_path, "upi")
    assert "upi:1" in ids and len(ids) == 1 and unreadable == [bad]


def test_source_names_cannot_escape_the_dataset(tmp_path: Path) -> None:
    for name in ("../etc", "a/b", "", "UPI", "x" * 100):
        with pytest.raises(ValueError):
            partition_dir(tmp_path, name, dt.date(2020, 1, 1))


def test_failed_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up half-way through a file: the temporary file is gone, no data file appears."""
    def half_then_full(table, handle, **_options) -> None:
        handle.write(b"PAR1" + b"\0" * 1000)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq, "write_table", half_then_full)
    with pytest.raises(OSError, match="No space left"):
        write_rows(tmp_path, [_row(1)], "run", 1)
    assert list(partition_dir(tmp_path, "upi", dt.date(2020, 1, 7)).iterdir()) == []
    assert data_files(tmp_path) == []


def test_rows_that_do_not_fit_the_schema_are_refused_before_any_file(tmp_path: Path) -> None:
    with pytest.raises((TypeError, ValueError)):
        write_rows(tmp_path, [_row(1, word_count="many")], "run", 1)
    assert data_files(tmp_path) == []


def test_a_story_without_a_date_is_filed_under_the_day_it_was_fetched(tmp_path: Path) -> None:
    undated = _row(9, published_at=None, published_source=None, published_precision=None,
                   fetched_at=dt.datetime(2026, 3, 4, 23, 30, tzinfo=UTC))
    [path] = write_rows(tmp_path, [undated], "run", 1)
    assert path.parent == partition_dir(tmp_path, "upi", dt.date(2026, 3, 4))
    frame = pd.read_parquet(tmp_path)
    assert frame["published_at"].isna().all() and frame["published_source"].isna().all()


#: The columns each older schema version lacks (added later).
_LACKING = {
    "1": ("published_source", "published_precision", "cluster_id", "fingerprint", "publisher", "kicker",
          "headline_source"),
    "3": ("publisher", "kicker", "headline_source"),
}


@pytest.mark.parametrize("version", sorted(_LACKING))
def test_files_of_older_schemas_stay_readable_and_compaction_upgrades_them(tmp_path: Path,
                                                                           version: str) -> None:
    import pyarrow as pa

    from pipelines.check import inspect_file
    from pipelines.compact import compact
    from pipelines.dataset import file_schema_version

    old_schema = pa.schema([f for f in FILE_SCHEMA if f.name not in _LACKING[version]])
    folder = partition_dir(tmp_path, "upi", dt.date(2020, 1, 6))
    folder.mkdir(parents=True)
    old = _row(1, day=6, published_source="meta", published_precision="time", cluster_id="upi:1",
               fingerprint=None)
    old_file = folder / "part-old-00001.parquet"
    pq.write_table(pa.Table.from_pylist([{k: old[k] for k in old_schema.names}], schema=old_schema)
                   .replace_schema_metadata({b"wirecrawl.schema_version": version.encode()}), old_file)
    assert inspect_file(old_file, deep=True) is None  # a sound file of a known version
    write_rows(tmp_path, [_row(2, published_source="meta", published_precision="time",
                               publisher="UPI", headline_source="json-ld")], "new", 1)
    assert sorted(pd.read_parquet(tmp_path)["id"]) == ["upi:1", "upi:2"]  # readable as they are
    compact(tmp_path)
    assert {file_schema_version(p) for p in data_files(tmp_path)} == {"4"}
    frame = pd.read_parquet(tmp_path).set_index("id")
    assert frame.loc["upi:1", "cluster_id"] == "upi:1"  # an old row is its own cluster once compacted
    assert pd.isna(frame.loc["upi:1", "publisher"]) and pd.isna(frame.loc["upi:1", "headline_source"])
    assert frame.loc["upi:2", "publisher"] == "UPI"
    assert frame.loc["upi:2", "headline_source"] == "json-ld"
    assert frame.loc["upi:2", "published_source"] == "meta"


def test_a_killed_flush_s_temporary_file_is_removed_at_once_when_no_writer_is_at_work(
        tmp_path: Path) -> None:
    """Before: a fresh ``.part-*.parquet.tmp`` of a killed flush waited six hours for the sweep."""
    folder = tmp_path / "source=upi" / "published_date=2024-01-02"
    folder.mkdir(parents=True)
    temp = folder / ".part-20240102T000000Z-1-abcdef-00001.parquet.tmp"
    temp.write_bytes(b"PAR1 half a file")
    with dataset_lock(tmp_path, exclusive=False):  # another run is writing: it may be its file
        assert cleanup_temp_files(tmp_path, older_than=dt.timedelta(hours=6)) == 0
    assert temp.exists()
    assert cleanup_temp_files(tmp_path, older_than=dt.timedelta(hours=6)) == 1
    assert not temp.exists()
