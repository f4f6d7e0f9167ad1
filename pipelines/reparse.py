"""Rows rebuilt from archived pages with today's parsers, without a crawl and without the site:

    python -m pipelines.reparse ARCHIVE... --into DIR [--source upi] [--host mirror.example]

An ARCHIVE is a WARC path, glob or http(s) URL (ours from ``WARC_DIR``, or anyone's). Each response
record of a wire's article URL is parsed as the crawl would parse it (same ids, same rows, on every
core); the first copy of a story wins, and stories already in DIR are left alone, so a re-run adds
only what is missing. Every file written names the parser version (:mod:`pipelines.version`).

Exit status: 0 done; 1 some archive could not be read or rows could not be written; 2 usage error.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Any

from w3lib.encoding import html_to_unicode

from pipelines.archives import ArchivedPage, archive_pages, split_locations
from pipelines.dataset import new_run_id, read_ids, set_aside, split_storable, try_run_lock
from pipelines.extraction import ExtractionSettings
from pipelines.idset import IdSet
from pipelines.parse import Outcome
from pipelines.progress import Progress, add_option, interval
from pipelines.sites import SITES, Site
from pipelines.version import parser_version
from pipelines.workers import default_workers, run_page
from pipelines.writer import ClusteredWriter

logger = logging.getLogger("pipelines.reparse")
_CHUNK = 64


def site_of(url: str, sites: list[Site]) -> Site | None:
    """The first of ``sites`` whose article URLs include ``url``."""
    for site in sites:
        if site.story_key(url) is not None:
            return site
    return None


def page_item(site: Site, page: ArchivedPage) -> dict[str, Any]:
    """The item the crawl would have made of this page (the same id, encoding and fetch time)."""
    key = site.story_key(page.url)
    encoding, _text = html_to_unicode(page.content_type or None, page.body)
    return {"id": site.story_id(key), "source": site.source, "url": site.normalize_url(page.url),
            "body": page.body, "encoding": encoding, "fetched_at": page.fetched_at,
            "is_update": False, "claim": None}


def _parse(job: tuple[Site, dict[str, Any]]) -> Outcome:
    site, item = job
    return run_page(site, item, ExtractionSettings())


def reparse(locations: list[str], into: str, sites: list[Site], *, workers: int = 0,
            batch_rows: int = 500, progress: Progress | None = None) -> Counter[str]:
    """Parse every accepted page of ``locations`` into the dataset ``into``; the counts of what
    happened (``rows``, ``known``, ``duplicate``, ``dropped/<reason>``, ``archive/<kind>``, ``failed``)."""
    counts: Counter[str] = Counter()
    known = {site.source: read_ids(into, site.source)[0] for site in sites}
    seen = IdSet()
    run_id, seq, rows = new_run_id(), 0, []
    writer = ClusteredWriter(into, run_id)
    writer.open()

    def flush() -> None:
        nonlocal seq, rows
        if rows:
            seq += 1
            rows, rejected = split_storable(rows)
            if rejected:
                where = set_aside(into, rejected, run_id, seq)
                for row, reason in rejected:
                    logger.error("cannot store %s: %s; set aside in %s", row["url"][:300], reason, where)
                counts["set_aside"] += len(rejected)
            writer.write(rows, seq)
            counts["rows"] += len(rows)
            rows = []

    reading = [0]  # the archive being read, from 1
    archive_counts: Counter[str] = Counter()
    progress = progress or Progress("reparse", 0)
    progress.stage("", None, "pages parsed", note=lambda: (
        f"{counts['rows'] + len(rows):,} rows, {counts['known']:,} already stored; archive {reading[0]} "
        f"of {len(locations)}, {archive_counts['records']:,} records read"))

    def jobs() -> Iterator[tuple[Site, dict[str, Any]]]:
        accept = lambda url: site_of(url, sites) is not None  # noqa: E731 - read per record
        for number, location in enumerate(locations, 1):
            reading[0] = number
            try:
                for page in archive_pages(location, accept, archive_counts):
                    site = site_of(page.url, sites)
                    item = page_item(site, page)
                    if item["id"] in known[site.source]:
                        counts["known"] += 1
                    elif item["id"] in seen:
                        counts["duplicate"] += 1
                    else:
                        seen.add(item["id"])
                        yield site, item
            except OSError as exc:
                logger.error("cannot read %s: %s", location, exc)
                counts["failed"] += 1
        counts.update({f"archive/{k}": v for k, v in archive_counts.items()})

    workers = workers or default_workers()
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending = jobs()
        while chunk := list(islice(pending, _CHUNK * workers)):
            for (_site, item), outcome in zip(chunk, pool.map(_parse, chunk, chunksize=4),
                                               strict=True):
                if outcome.row is None:
                    counts[f"dropped/{outcome.reason}"] += 1
                    logger.warning("dropped %s: %s (%s)", item["url"][:300], outcome.reason,
                                   outcome.detail[:200])
                else:
                    rows.append(outcome.row)
                progress.step()
            if len(rows) >= batch_rows:
                flush()
    flush()
    if counts["rows"]:
        writer.save()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.reparse",
        description="Rebuild dataset rows from WARC archives with the installed parsers.")
    parser.add_argument("archives", nargs="+", help="WARC paths, globs or http(s) URLs")
    parser.add_argument("--into", required=True, help="the dataset folder to write (e.g. a new one)")
    parser.add_argument("--source", action="append", choices=sorted(SITES),
                        help="only this wire's pages (repeatable; default: every wire)")
    parser.add_argument("--host", action="append", default=[],
                        help="also accept this host as the --source wire's (a mirror)")
    parser.add_argument("--workers", type=int, default=0, help="parsing processes (default: cores)")
    add_option(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    try:
        locations = [place for spec in args.archives for place in split_locations(spec)]
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.host and len(args.source or []) != 1:
        print("error: --host needs exactly one --source (the wire the mirror stands for)",
              file=sys.stderr)
        return 2
    sites = [SITES[name] for name in (args.source or sorted(SITES))]
    if args.host:
        sites = [sites[0].with_hosts(set(args.host))]
    locks = []
    for site in sites:
        lock = try_run_lock(args.into, site.source)
        if lock is None:
            print(f"error: another run is writing {site.source} into {args.into}; try again later",
                  file=sys.stderr)
            return 2
        locks.append(lock)
    try:
        counts = reparse(locations, args.into, sites, workers=args.workers,
                         progress=Progress("reparse", interval(args.progress)))
    except OSError as exc:
        print(f"error: could not write into {args.into}: {exc}", file=sys.stderr)
        return 1
    dropped = sum(v for k, v in counts.items() if k.startswith("dropped/"))
    print(f"{counts['rows']} rows written to {args.into} by parser {parser_version()}; "
          f"{counts['known']} already there, {counts['duplicate']} duplicate copies, {dropped} dropped; "
          f"{counts['archive/kept']} of {counts['archive/records']} records were wire articles"
          + (f"; {counts['failed']} archives unreadable" if counts["failed"] else "")
          + (f"; {counts['set_aside']} rows set aside (see _setaside/)" if counts["set_aside"] else ""))
    return 1 if counts["failed"] or counts["set_aside"] else 0


if __name__ == "__main__":
    sys.exit(main())
