"""Recomputing the near-duplicate clusters of a whole dataset, and the command that does it:

    python -m pipelines.clusters DIR [--threshold 0.5] [--window-days 7] [--dry-run]

clusters every stored story afresh (after an upgrade, or to try a threshold), rewrites the files whose
clusters change and prints a summary. The index itself, and how a crawl assigns a new row its cluster:
:mod:`pipelines.cluster_index`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.cluster_index import (
    FOLDER,
    PENDING,
    ClusterIndex,
    ClusterSettings,
    _micros,
    _Stored,
    _stored,
    clusters_lock,
)
from pipelines.commandline import Parser, cannot_write, dataset_folder, option, run, unwritable
from pipelines.config import BY_NAME, whole
from pipelines.dataset import FILE_SCHEMA, data_files, dataset_lock, write_table
from pipelines.durable import write_atomic
from pipelines.exits import EXIT_FAILED, EXIT_OK
from pipelines.fingerprint import signature, to_stored
from pipelines.progress import Progress, add_option, interval

logger = logging.getLogger(__name__)

def fill_missing(table: pa.Table, clusters: list[str] | None = None) -> pa.Table:
    """Rows written before clustering get a fingerprint (from their body) and, unless ``clusters``
    gives theirs, their own id as cluster: a dataset never holds a null ``cluster_id`` once compacted."""
    fingerprints = table.column("fingerprint")
    if fingerprints.null_count:
        filled = []
        for stored, body in zip(fingerprints.to_pylist(), table.column("body").to_pylist(), strict=True):
            sig = signature(body or "") if stored is None else None
            filled.append(stored if stored is not None else to_stored(sig))
        field_ = FILE_SCHEMA.field("fingerprint")
        table = table.set_column(table.schema.get_field_index("fingerprint"), field_,
                                 pa.array(filled, field_.type))
    if clusters is None:
        clusters = [c if c is not None else i for c, i in zip(
            table.column("cluster_id").to_pylist(), table.column("id").to_pylist(), strict=True)]
    return table.set_column(table.schema.get_field_index("cluster_id"), FILE_SCHEMA.field("cluster_id"),
                            pa.array(clusters, pa.string()))


# -- recomputing a whole dataset ------------------------------------------------------------------


def recompute(root: str | os.PathLike[str], settings: ClusterSettings | None = None, *,
              dry_run: bool = False, progress: Progress | None = None,
              ) -> tuple[ClusterIndex, int, list[dict[str, Any]]]:
    """Cluster every stored story afresh, first fetched first; rewrite the files whose clusters change.
    Returns the new index, the number of files rewritten, and the rows' (id, source, cluster,
    headline) for the summary. Damaged files (:func:`pipelines.check.inspect_file`) are left as they
    are, for ``check --quarantine``: rewriting one through the schema would hide what is wrong with it.

    A recompute rewrites files one by one: killed between two, the dataset holds clusters of both
    passes. :data:`PENDING` says so until a recompute finishes (``pipelines.check`` reports it)."""
    from pipelines.check import inspect_file  # check imports the dataset module, as this one does

    index = ClusterIndex(settings)
    progress = progress or Progress("clusters", 0)
    with clusters_lock(root), dataset_lock(root, exclusive=True):
        files, damaged = [], []
        all_files = data_files(root)
        progress.stage("checking", len(all_files), "files")
        for path in all_files:
            (damaged if inspect_file(path) else files).append(path)
            progress.step()
        for path in damaged:
            logger.error("%s is damaged and was left out; run python -m pipelines.check %s --quarantine",
                         path, root)
        stored: list[tuple[list[_Stored], bool]] = []
        progress.stage("reading", len(files), "files",
                       note=lambda: f"{sum(len(rows) for rows, _ in stored):,} rows")
        for path in files:
            stored.append(_stored(path, headlines=True, fill=True))
            progress.step()
        arrivals = [((_micros(row.fetched_at), number, row.id), row)
                    for number, (rows, _current) in enumerate(stored) for row in rows]
        cluster_of: dict[str, str] = {}
        progress.stage("clustering", len(arrivals), "rows")
        for _order, row in sorted(arrivals, key=lambda arrival: arrival[0]):
            cluster_of.setdefault(row.id, index.assign(row.id, row.published_at or row.fetched_at,
                                                       row.sig))
            progress.step()
        changed = [(path, [cluster_of[row.id] for row in rows])
                   for path, (rows, unfilled) in zip(files, stored, strict=True)
                   if unfilled or [row.cluster_id for row in rows] != [cluster_of[row.id] for row in rows]]
        if not dry_run:
            pending = Path(root) / FOLDER / PENDING
            if changed:
                _mark(pending)
            progress.stage("rewriting", len(changed), "files")
            for path, new in changed:  # the whole file, read again only when it changes
                write_table(fill_missing(pq.read_table(path, schema=FILE_SCHEMA), new), path)
                progress.step()
            index.covered(root, files)
            index.save(root)
            pending.unlink(missing_ok=True)
        summary = [{"id": row.id, "source": path.relative_to(root).parts[0].removeprefix("source="),
                    "headline": row.headline, "cluster_id": cluster_of[row.id]}
                   for path, (rows, _current) in zip(files, stored, strict=True) for row in rows]
    index.damaged = damaged
    return index, len(changed), summary


def _mark(path: Path) -> None:
    """Write the marker durably: it must outlive a crash that the rewrites after it may not."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, f"a cluster recompute began at {dt.datetime.now(dt.timezone.utc).isoformat()}\n")


def main(argv: list[str] | None = None, prog: str = "python -m pipelines.clusters") -> int:
    parser = Parser(prog=prog, description="Recompute the near-duplicate clusters of a dataset and "
                    "summarise them.")
    parser.add_argument("dataset", type=dataset_folder, help="the dataset folder (DATASET_URI)")
    parser.add_argument("--threshold", type=option("--threshold", BY_NAME["CLUSTER_THRESHOLD"].parse),
                        default=BY_NAME["CLUSTER_THRESHOLD"].default,
                        help="estimated shingle Jaccard for one story, more than 0 and at most 1 "
                             "(default %(default)s)")
    parser.add_argument("--window-days", type=option("--window-days",
                                                     BY_NAME["CLUSTER_WINDOW_DAYS"].parse),
                        default=BY_NAME["CLUSTER_WINDOW_DAYS"].default,
                        help="days around publication within which copies are looked for "
                             "(default %(default)s)")
    parser.add_argument("--dry-run", action="store_true", help="summarise only; rewrite nothing")
    parser.add_argument("--top", type=option("--top", whole(0)), default=10,
                        help="largest clusters shown")
    add_option(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    settings = ClusterSettings(threshold=args.threshold, window=dt.timedelta(days=args.window_days))
    try:
        index, rewritten, rows = recompute(args.dataset, settings, dry_run=args.dry_run,
                                           progress=Progress("clusters", interval(args.progress)))
    except (OSError, pa.ArrowException) as exc:
        if cannot_write(exc):  # a read-only or full filesystem: nothing to quarantine
            print(f"error: {unwritable(exc, args.dataset)}", file=sys.stderr)
        else:
            print(f"error: {exc}; run `python -m pipelines.check {args.dataset} --quarantine` first",
                  file=sys.stderr)
        return EXIT_FAILED
    for path in index.damaged:
        print(f"damaged (left out): {path}; run python -m pipelines.check {args.dataset} --quarantine",
              file=sys.stderr)
    stories = {row["id"]: row for row in rows}
    sizes = Counter(row["cluster_id"] for row in stories.values())
    print(f"{len(stories)} stories in {len(sizes)} clusters "
          f"({sum(1 for s in sizes.values() if s > 1)} with copies); "
          f"{rewritten} files {'would be ' if args.dry_run else ''}rewritten")
    for cluster, size in sizes.most_common(args.top):
        if size < 2:
            break
        members = [row for row in stories.values() if row["cluster_id"] == cluster]
        sources = Counter(row["source"] for row in members)
        head = stories.get(cluster, members[0])["headline"] or ""
        print(f"  {size:4d}  {cluster}  {', '.join(f'{s} {n}' for s, n in sources.most_common())}  "
              f"{head[:70]}")
    return EXIT_FAILED if index.damaged else EXIT_OK


if __name__ == "__main__":
    sys.exit(run(main))
