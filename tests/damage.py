"""Damage done to a dataset entry, each the way it happens in the field (a crashed copy, an editor's
stray file, another tool's Parquet file): used by the check's unit tests (``tests/test_check.py``) and the
crawl's end-to-end quarantine test (``tests/test_damaged_dataset.py``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def _rewrite(path: Path, change: Callable[[pa.Table], pa.Table]) -> None:
    table = pq.read_table(path)
    metadata = table.schema.metadata
    pq.write_table(change(table).replace_schema_metadata(metadata), path)


def _garbage(path: Path) -> Path:
    path.write_bytes(os.urandom(3000))
    return path


def _half(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _column_missing(path: Path) -> Path:
    _rewrite(path, lambda t: t.drop_columns(["headline"]))
    return path


def _column_of_another_type(path: Path) -> Path:
    _rewrite(path, lambda t: t.set_column(t.schema.get_field_index("word_count"), "word_count",
                                          pa.array([str(v) for v in t.column("word_count").to_pylist()])))
    return path


def _ds_store(path: Path) -> Path:
    stray = path.parent / ".DS_Store"
    stray.write_bytes(b"\x00\x00\x00\x01Bud1" + os.urandom(200))
    return stray


def _directory(path: Path) -> Path:
    folder = path.parent / "part-20990101T000000Z-1-aaaaaa-00001.parquet"
    folder.mkdir()
    (folder / "x").write_text("not data")
    return folder


def _null_id(path: Path) -> Path:
    def change(t: pa.Table) -> pa.Table:
        ids = [None] + t.column("id").to_pylist()[1:]
        return t.set_column(0, pa.field("id", pa.string()), pa.array(ids, pa.string()))
    _rewrite(path, change)
    return path


def _same_id_twice(path: Path) -> Path:
    _rewrite(path, lambda t: pa.concat_tables([t, t]))
    return path


def _partition_key_as_column(path: Path) -> Path:
    _rewrite(path, lambda t: t.append_column("source", pa.array(["upi"] * t.num_rows)))
    return path


def _pandas_index(path: Path) -> Path:
    table = pq.read_table(path)
    frame = table.to_pandas().set_index("id")
    indexed = pa.Table.from_pandas(frame, preserve_index=True)
    pq.write_table(indexed.replace_schema_metadata(
        {**table.schema.metadata, **indexed.schema.metadata}), path)
    return path


def _extra_columns(path: Path) -> Path:
    def change(t: pa.Table) -> pa.Table:
        for n in range(20):
            t = t.append_column(f"x{n}", pa.array(["<script>alert(1)</script>"] * t.num_rows))
        return t
    _rewrite(path, change)
    return path


#: name -> (the damage, whether the damaged file held stories that must be fetched again)
FAULTS: dict[str, tuple[Callable[[Path], Path], bool]] = {
    # the dataset's contract (non-null unique ids, no column outside the schema): these once passed the check
    "null_id": (_null_id, True),
    "same_id_twice": (_same_id_twice, True),
    "partition_key_as_column": (_partition_key_as_column, True),
    "pandas_index": (_pandas_index, True),
    "extra_columns": (_extra_columns, True),
    "garbage_bytes": (_garbage, True),
    "half_a_file": (_half, True),
    "zero_bytes": (_empty, True),
    "column_missing": (_column_missing, True),
    "column_of_another_type": (_column_of_another_type, True),
    "ds_store": (_ds_store, False),
    "directory_named_like_a_part_file": (_directory, False),
}
