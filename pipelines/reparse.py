"""Rows rebuilt from archived pages with today's parsers, without a crawl and without the site:

    python -m pipelines.reparse ARCHIVE... --into DIR [--source upi] [--host mirror.example]
    python -m pipelines.reparse ARCHIVE... --into DIR --source wire --host news.example.com

An ARCHIVE is a WARC path, glob or http(s) URL (ours from ``WARC_DIR``, or anyone's). Each response
record of a wire's article URL is parsed as the crawl would parse it (same ids, same rows, on every
core); the first copy of a story wins, and stories already in DIR are left alone, so a re-run adds
only what is missing. Every file written names the parser version (:mod:`pipelines.version`).
``--source wire`` reads any site's pages with the generic rules, as ``scrapy crawl wire`` does: the
sites are the ``--host`` values.

Exit status: 0 done; 1 some archive could not be read, rows could not be written, or no record was an
article page of the sources asked for (the hosts the archives hold are named); 2 usage error.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

from w3lib.encoding import html_to_unicode

from pipelines.archive_sources import archive_responses, split_locations
from pipelines.commandline import Parser, option, run, target_folder, unwritable
from pipelines.config import whole
from pipelines.dataset import new_run_id, read_ids, set_aside, split_storable, try_run_lock
from pipelines.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from pipelines.extraction import ExtractionSettings
from pipelines.fetched_page import FetchedPage
from pipelines.idset import IdSet
from pipelines.parse import Outcome
from pipelines.progress import Progress, add_option, interval
from pipelines.sites import SITES, Site, generic_site
from pipelines.sites.base import as_requested
from pipelines.version import parser_version
from pipelines.warc_read import ArchivedResponse, nothing_accepted
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


def fetched_page(site: Site, archived: ArchivedResponse) -> FetchedPage:
    """The page the crawl would have made of this archived response (the same id, encoding and
    fetch time)."""
    key = site.story_key(archived.url)
    encoding, _text = html_to_unicode(archived.content_type or None, archived.body)
    return FetchedPage(id=site.story_id(key), source=site.source, url=as_requested(archived.url),
                       body=archived.body, encoding=encoding, fetched_at=archived.fetched_at)


def _parse(job: tuple[Site, FetchedPage]) -> Outcome:
    site, page = job
    return run_page(site, page, ExtractionSettings())


def reparse(locations: list[str], into: str, sites: list[Site], *, workers: int = 0,
            batch_rows: int = 500, hosts: Counter[str] | None = None,
            progress: Progress | None = None) -> Counter[str]:
    """Parse every accepted page of ``locations`` into the dataset ``into``; the counts of what
    happened (``rows``, ``known``, ``duplicate``, ``dropped/<reason>``, ``archive/<kind>``, ``failed``).
    ``hosts`` gets the archives' responses per host."""
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

    def jobs() -> Iterator[tuple[Site, FetchedPage]]:
        accept = lambda url: site_of(url, sites) is not None  # noqa: E731 - read per record
        for number, location in enumerate(locations, 1):
            reading[0] = number
            try:
                for archived in archive_responses(location, accept, archive_counts, hosts=hosts):
                    site = site_of(archived.url, sites)
                    page = fetched_page(site, archived)
                    if page.id in known[site.source]:
                        counts["known"] += 1
                    elif page.id in seen:
                        counts["duplicate"] += 1
                    else:
                        seen.add(page.id)
                        yield site, page
            except OSError as exc:
                logger.error("cannot read %s: %s", location, exc)
                counts["failed"] += 1
        counts.update({f"archive/{k}": v for k, v in archive_counts.items()})

    workers = workers or default_workers()
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending = jobs()
        while chunk := list(islice(pending, _CHUNK * workers)):
            for (_site, page), outcome in zip(chunk, pool.map(_parse, chunk, chunksize=4),
                                               strict=True):
                if outcome.row is None:
                    counts[f"dropped/{outcome.reason}"] += 1
                    logger.warning("dropped %s: %s (%s)", page.url[:300], outcome.reason,
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


def _sites(sources: list[str], hosts: list[str]) -> list[Site]:
    """The sites whose pages are taken (``ValueError``: a combination that cannot be meant)."""
    if hosts and len(sources) != 1:
        raise ValueError("--host needs exactly one --source (the wire the mirror stands for, or wire)")
    if "wire" in sources:
        if not hosts:
            raise ValueError("--source wire needs --host: the sites whose pages to take, e.g. "
                             "--host news.example.com")
        return [generic_site(f"https://{hosts[0]}").with_hosts(hosts)]
    sites = [SITES[name] for name in sources]
    return [sites[0].with_hosts(hosts)] if hosts else sites


def _wanted(sites: list[Site]) -> str:
    if len(sites) == 1:
        site = sites[0]
        return f"an article page of {site.source} ({', '.join(sorted(site.hosts | site.extra_hosts))})"
    names = [site.source for site in sites]
    return f"an article page of {', '.join(names[:-1])} or {names[-1]}"


def main(argv: list[str] | None = None, prog: str = "python -m pipelines.reparse") -> int:
    parser = Parser(prog=prog, description="Rebuild dataset rows from WARC archives with the installed "
                    "parsers.")
    parser.add_argument("archives", nargs="+", help="WARC paths, globs or http(s) URLs")
    parser.add_argument("--into", required=True, type=target_folder,
                        help="the dataset folder to write (e.g. a new one)")
    parser.add_argument("--source", action="append", choices=[*sorted(SITES), "wire"],
                        help="only this wire's pages (repeatable; default: every wire service); "
                             "wire: any site's, with the generic rules (needs --host)")
    parser.add_argument("--host", action="append", default=[],
                        help="also accept this host as the --source wire's (a mirror); with --source "
                             "wire, a site whose pages to take (repeatable)")
    parser.add_argument("--workers", type=option("--workers", whole(0)), default=0,
                        help="parsing processes (default: one per core)")
    add_option(parser)
    args = parser.parse_args(argv)
    try:
        sites = _sites(list(dict.fromkeys(args.source or sorted(SITES))), args.host)
        locations = [place for spec in args.archives for place in split_locations(spec)]
    except ValueError as exc:
        parser.error(str(exc))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    into = str(args.into)
    hosts: Counter[str] = Counter()
    try:
        locks = []
        for site in sites:
            lock = try_run_lock(into, site.source)
            if lock is None:
                print(f"error: another run is writing {site.source} into {into}; try again later",
                      file=sys.stderr)
                return EXIT_USAGE
            locks.append(lock)
        counts = reparse(locations, into, sites, workers=args.workers, hosts=hosts,
                         progress=Progress("reparse", interval(args.progress)))
    except OSError as exc:  # a read-only or full filesystem: what was written stays whole
        print(f"error: {unwritable(exc, into)}", file=sys.stderr)
        return EXIT_FAILED
    dropped = sum(v for k, v in counts.items() if k.startswith("dropped/"))
    print(f"{counts['rows']} rows written to {into} by parser {parser_version()}; "
          f"{counts['known']} already there, {counts['duplicate']} duplicate copies, {dropped} dropped; "
          f"{counts['archive/kept']} of {counts['archive/records']} records were wire articles"
          + (f"; {counts['failed']} archives unreadable" if counts["failed"] else "")
          + (f"; {counts['set_aside']} rows set aside (see _setaside/)" if counts["set_aside"] else ""))
    if not counts["archive/kept"] and not counts["failed"]:  # nothing done: say what was there
        named = ", ".join(locations) if len(locations) < 4 else f"{len(locations)} archives"
        print(f"error: {named}: {nothing_accepted(counts['archive/records'], hosts, _wanted(sites))}"
              + ("; a mirror's pages are read with --source and --host" if hosts else ""),
              file=sys.stderr)
        return EXIT_FAILED
    return EXIT_FAILED if counts["failed"] or counts["set_aside"] else EXIT_OK


if __name__ == "__main__":
    sys.exit(run(main))
