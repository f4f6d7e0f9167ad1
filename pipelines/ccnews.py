"""Common Crawl's news archive (CC-NEWS): which WARC files a month holds, and how far a backfill got.

CC-NEWS publishes, per month since August 2016, ``crawl-data/CC-NEWS/<YYYY>/<MM>/warc.paths.gz``: one
path a line of ``CC-NEWS-<timestamp>-<n>.warc.gz`` files (about 1 GB each, many sites' pages). A
backfill reads them one by one; :class:`BackfillProgress` remembers the files finished (their rows
written), so a killed backfill starts again after the last of them.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import shutil
from pathlib import Path

from pipelines.archive_sources import open_archive
from pipelines.durable import write_atomic

FIRST_MONTH = (2016, 8)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_months(spec: str, today: dt.date | None = None) -> list[tuple[int, int]]:
    """``2016-08`` or ``2016-08..2017-01`` -> the months, oldest first (ValueError says what is wrong)."""
    today = today or dt.date.today()
    ends = [part.strip() for part in spec.split("..")]
    if len(ends) not in (1, 2) or not all(ends):
        raise ValueError(f"{spec!r} is not a month or a range of months; expected YYYY-MM or "
                         "YYYY-MM..YYYY-MM")
    months = []
    for end in ends:
        match = _MONTH.match(end)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"{end!r} is not a month; expected YYYY-MM, e.g. 2016-08")
        months.append((int(match.group(1)), int(match.group(2))))
    first, last = months[0], months[-1]
    if first > last:
        raise ValueError(f"{spec!r} ends before it starts")
    if first < FIRST_MONTH:
        raise ValueError(f"CC-NEWS begins in 2016-08; {ends[0]} is earlier")
    if last > (today.year, today.month):
        raise ValueError(f"{ends[-1]} is in the future")
    out, (year, month) = [], first
    while (year, month) <= last:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def paths_url(base_url: str, year: int, month: int) -> str:
    return f"{base_url.rstrip('/')}/crawl-data/CC-NEWS/{year:04d}/{month:02d}/warc.paths.gz"


def list_archives(base_url: str, months: list[tuple[int, int]], *, retries: int = 5,
                  user_agent: str = "wirecrawl") -> list[str]:
    """The URLs of the months' WARC files, in the order CC-NEWS lists them (oldest first)."""
    urls: list[str] = []
    for year, month in months:
        source = open_archive(paths_url(base_url, year, month), retries=retries, user_agent=user_agent)
        try:
            listing = gzip.decompress(source.read()).decode("utf-8")
        finally:
            source.close()
        for line in listing.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                urls.append(f"{base_url.rstrip('/')}/{line.lstrip('/')}")
    return urls


def archive_name(location: str) -> str:
    """A file's name within CC-NEWS (``crawl-data/…``), or its last path part elsewhere."""
    marker = location.find("crawl-data/")
    return location[marker:] if marker >= 0 else location.rstrip("/").rsplit("/", 1)[-1]


class BackfillProgress:
    """The archives whose rows are all written, in ``<dataset>/_archives/<spider>.json`` (underscore
    folders are not data). Written whole or not at all, after each finished archive."""

    def __init__(self, dataset: str | os.PathLike[str], spider: str) -> None:
        self.path = Path(dataset) / "_archives" / f"{spider}.json"
        self.finished: set[str] = set()
        try:
            self.finished = set(json.loads(self.path.read_text()).get("finished", []))
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError) as exc:
            raise ValueError(f"cannot read the backfill position {self.path}: {exc}; move it away to "
                             "read every archive again") from exc

    def is_finished(self, location: str) -> bool:
        return archive_name(location) in self.finished

    def finish(self, location: str) -> None:
        self.finished.add(archive_name(location))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps({"finished": sorted(self.finished)}, indent=1))


def cached_copy(url: str, folder: str | os.PathLike[str], *, retries: int = 5,
                user_agent: str = "wirecrawl") -> Path:
    """``url`` saved in ``folder`` (``CC_NEWS_CACHE``) under its CC-NEWS name, downloaded once: a
    partial download is a hidden ``.part`` file, renamed only when whole."""
    final = Path(folder) / archive_name(url)
    if final.is_file():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    source = open_archive(url, retries=retries, user_agent=user_agent)
    try:
        return write_atomic(final, lambda out: shutil.copyfileobj(source, out, 1 << 20))
    finally:
        source.close()
