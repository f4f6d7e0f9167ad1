"""Every setting a user may change, declared once: name, type, default, bounds and one-line meaning.

The same declaration gives ``crawler/settings.py`` its values, checks a run's settings before anything
starts (one line ``error: …``, exit 2), reads each value typed and without an inline fallback
(:func:`read`), and writes the README's settings table (``python -m pipelines.config``; a test compares
them). Scrapy-free: it reads any mapping-like object with ``get``.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


class BadSetting(ValueError):
    """A setting's value is wrong: the message says what is wrong and what is expected."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    meaning: str
    parse: Callable[[str, Any], Any]
    #: the default as the README shows it (else the value in backquotes, "empty" for "")
    shown: str | None = None

    def value(self, raw: Any) -> Any:
        """``raw`` (a ``-s`` string or a Python value), checked and typed; ``None``: the default."""
        if raw is None:
            raw = self.default
        return self.parse(self.name, raw)

    def default_text(self) -> str:
        if self.shown is not None:
            return self.shown
        if self.default == "":
            return "empty"
        if isinstance(self.default, dict):
            return f"`{json.dumps(self.default)}`"
        return f"`{self.default}`"


def _number(kind: type, low: float | None, high: float | None = None, low_open: bool = False):
    what = "a whole number" if kind is int else "a number"

    def parse(name: str, raw: Any) -> Any:
        try:
            if isinstance(raw, bool) or (kind is int and isinstance(raw, float)):
                raise ValueError
            value = kind(str(raw).strip()) if isinstance(raw, str) else kind(raw)
            if kind is float and not math.isfinite(value):
                raise ValueError
        except (TypeError, ValueError):
            raise BadSetting(f"{name} must be {what}, got {raw!r}") from None
        if low is not None and (value <= low if low_open else value < low):
            bound = f"more than {low}" if low_open else f"{low} or more"
            raise BadSetting(f"{name} must be {bound}, got {raw!r}")
        if high is not None and value > high:
            raise BadSetting(f"{name} must be at most {high}, got {raw!r}")
        return value

    return parse


def whole(low: int | None = 0, high: int | None = None):
    return _number(int, low, high)


def number(low: float | None = 0, high: float | None = None, low_open: bool = False):
    return _number(float, low, high, low_open)


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def flag(name: str, raw: Any) -> bool:
    """Scrapy's ``getbool`` words, refusing the rest (Scrapy raises a traceback on them)."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    word = str(raw).strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise BadSetting(f"{name} must be True or False, got {raw!r}")


def text(name: str, raw: Any) -> str:
    return str(raw)


def _url(schemes: tuple[str, ...], example: str):
    def parse(name: str, raw: Any) -> str:
        value = str(raw).strip()
        if value and (urlsplit(value).scheme not in schemes
                      or not (urlsplit(value).netloc or value.startswith("unix://"))):
            raise BadSetting(f"{name} must be a {'/'.join(s + '://' for s in schemes)} URL such as "
                             f"{example}, got {raw!r}")
        return value

    return parse


http_url = _url(("http", "https"), "http://127.0.0.1:8000")
redis_url = _url(("redis", "rediss", "unix"), "redis://127.0.0.1:6379/0")


def _local(required: bool):
    def parse(name: str, raw: Any) -> str:
        value = str(raw).strip()
        if not value:
            if required:
                raise BadSetting(f"{name} must name a local folder, e.g. data/articles; it is empty")
            return ""
        scheme = urlsplit(value).scheme
        if scheme == "file":
            return urlsplit(value).path
        if "://" in value or (scheme and len(scheme) > 1 and value[len(scheme):].startswith(":/")):
            raise BadSetting(f"{name} must be a local folder, got {raw!r}: object storage and other URLs "
                             "are not supported yet; mount the bucket (e.g. s3fs, gcsfuse) and give its "
                             "local path")
        return value

    return parse


local_folder = _local(required=True)
optional_folder = _local(required=False)


_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


def log_level(name: str, raw: Any) -> str | int:
    """A level's name or number, as Python's logging takes them (Scrapy fails with a traceback on
    others, lower-case names among them)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    word = str(raw)
    if word in _LEVELS:
        return word
    if word.isdigit():
        return int(word)
    raise BadSetting(f"{name} must be one of {', '.join(_LEVELS)} (in capitals), got {raw!r}")


def module_names(name: str, raw: Any) -> tuple[str, ...]:
    """Dotted Python module names, comma-separated (or a list)."""
    items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    names = tuple(str(item).strip() for item in items if str(item).strip())
    bad = [n for n in names if not all(part.isidentifier() for part in n.split("."))]
    if not names or bad:
        raise BadSetting(f"{name} must name Python modules separated by commas, e.g. "
                         f"pipelines.sites,mywires, got {raw!r}")
    return names


def workers(name: str, raw: Any) -> int | None:
    """Empty: one per core; 0: no worker processes."""
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return raw
    if not str(raw).strip().isdigit():
        raise BadSetting(f"{name} must be a whole number (0: no worker processes) or empty (one per core), "
                         f"got {raw!r}")
    return int(str(raw).strip())


def shares(name: str, raw: Any) -> dict[str, float]:
    """A JSON object (or dict) of shares between 0 and 1."""
    try:
        parsed = json.loads(raw) if isinstance(raw, str) else dict(raw)
        if not isinstance(parsed, dict) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1
                for v in parsed.values()):
            raise ValueError
    except (TypeError, ValueError):
        raise BadSetting(f"{name} must be a JSON object of shares between 0 and 1, e.g. "
                         f"'{{\"body\": 0.25}}', got {raw!r}") from None
    return {str(k): float(v) for k, v in parsed.items()}


MIB = 1024 * 1024

SETTINGS: tuple[Setting, ...] = (
    Setting("DATASET_URI", "data/articles", "root folder of the Parquet dataset (a local path; to "
            "write to object storage, mount it)", local_folder),
    Setting("DATASET_FLUSH_ITEMS", 500, "rows buffered before a file is written (memory stays flat on "
            "long crawls)", whole(1)),
    Setting("DATASET_FLUSH_SECONDS", 60, "...and the longest time rows wait in memory before they are "
            "written (`0`: only by count)", number(0)),
    Setting("WIRECRAWL_PROGRESS_SECONDS", 60, "a progress line this often (`0`: none)", number(0)),
    Setting("WIRECRAWL_SITE_MODULES", "pipelines.sites", "where wires are declared: modules (or packages "
            "of modules) holding a `Site`; each becomes a spider (see docs/adding-a-wire.md)", module_names),
    Setting("WIRECRAWL_BASE_URL", "", "what `-a base_url=` does, as a setting: crawl a mirror (a "
            "staging or test installation)", http_url),
    Setting("WIRECRAWL_MAX_FEED_ENTRIES", 5000, "entries read from one feed or links from one listing "
            "page", whole(1)),
    Setting("WIRECRAWL_MAX_HTML_BYTES", 5 * MIB, "pages larger than this are dropped before parsing "
            "(`too_large`)", whole(1)),
    Setting("WIRECRAWL_MAX_LISTING_PAGES", 200, "listing pages walked per section in a `since` backfill",
            whole(0)),
    Setting("WIRECRAWL_MAX_SITEMAPS", 20, "sitemaps read per run at most", whole(0)),
    Setting("WIRECRAWL_RECENT_SITEMAPS", 3, "newest children of a sitemap index read (without `since`)",
            whole(0)),
    Setting("WIRECRAWL_STATS_FILE", "", "write the run's stats as JSON to this file", text),
    Setting("REFRESH_WINDOW", 48, "hours: a stored story whose feed/sitemap entry shows a later change "
            "within this window is fetched again", number(0)),
    Setting("WIRECRAWL_DRIFT_THRESHOLDS",
            {"body": 0.25, "published_at": 0.25, "authors": 0.6, "dateline": 0.6, "layout": 0.25},
            "share of parsed pages missing a field above which the run fails (layout drift)", shares),
    Setting("WIRECRAWL_DRIFT_MIN_PAGES", 5, "runs that parsed fewer pages are not judged for drift",
            whole(0)),
    Setting("USER_AGENT", "wirecrawl/0.1 (+https://github.com/wirecrawl/wirecrawl; news-wire archiver)",
            "set your own contact URL here", text),
    Setting("ROBOTSTXT_OBEY", True, "honour robots.txt", flag),
    Setting("AUTOTHROTTLE_ENABLED", True, "adapt the request rate to the server (start 1 s, max 30 s)",
            flag),
    Setting("DOWNLOAD_DELAY", 0.25, "minimum seconds between requests to one site", number(0)),
    Setting("CONCURRENT_REQUESTS_PER_DOMAIN", 4, "requests in flight to one site at most", whole(1)),
    Setting("DOWNLOAD_TIMEOUT", 30, "seconds before a request is abandoned (`timeout`)",
            number(0, low_open=True)),
    Setting("DOWNLOAD_MAXSIZE", 16 * MIB, "responses larger than this are cancelled (`too_large`); a "
            "feed or sitemap is read up to it instead, raw or unpacked (its first entries are the newest; "
            "WARNING, `wirecrawl/<feeds\\|sitemaps>/cut_at_size`); `0`: no cap", whole(0)),
    Setting("RETRY_TIMES", 2, "retries of 5xx, 408 and 429 answers", whole(0)),
    Setting("REDIRECT_MAX_TIMES", 5, "redirects followed from one request at most", whole(0)),
    Setting("WIRECRAWL_MAX_RETRY_AFTER", 120, "longest `Retry-After` (seconds) waited for on a 429/503",
            number(0)),
    Setting("WIRECRAWL_WORKERS", "", "worker processes that parse pages; `0` parses in the crawler's "
            "own process", workers, shown="one per core"),
    Setting("WIRECRAWL_WORKER_MAX_TASKS", 500, "pages a worker parses before it is replaced (bounds its "
            "memory; `0`: never)", whole(0)),
    Setting("WIRECRAWL_DISK_QUEUE", True, "keep pending requests on disk in a private `JOBDIR` under "
            "`DATASET_URI/_queue/`, removed after the run (memory flat in the size of a feed); ignored "
            "when you set `JOBDIR`", flag),
    Setting("WIRECRAWL_EXTRACT_TIMEOUT", 120, "seconds a page may take to parse; longer: dropped "
            "(`extract_timeout`), workers replaced", number(1)),
    Setting("REDIS_URL", "", "switches on [distributed mode](#several-workers-on-several-hosts) (e.g. "
            "`redis://host:6379/0`)", redis_url),
    Setting("WIRECRAWL_REDIS_PREFIX", "wirecrawl", "namespace of the Redis keys (one per dataset sharing "
            "a Redis)", text),
    Setting("WIRECRAWL_REDIS_LEASE", 60, "seconds a worker may miss its heartbeat before the requests it "
            "holds go back to the queue", number(1)),
    Setting("WIRECRAWL_REDIS_DISCOVERY_TTL", 600, "a feed, sitemap or listing page is fetched once per "
            "this many seconds by all workers together", number(0)),
    Setting("WIRECRAWL_REDIS_DONE_TTL", 7 * 86400, "seconds a written story stays marked done in Redis "
            "(stale queued copies are discarded meanwhile)", number(1)),
    Setting("WARC_DIR", "", "record every response of the crawl (articles, feeds, sitemaps, robots.txt) "
            "as WARC request + response records in `.warc.gz` files here", optional_folder),
    Setting("WARC_MAX_BYTES", 1024 * MIB, "a WARC file is closed (and renamed from `….warc.gz.open`) at "
            "this size, and at the end of the run", whole(1)),
    Setting("CC_NEWS_BASE_URL", "https://data.commoncrawl.org", "where `-a cc_news=` finds "
            "`crawl-data/CC-NEWS/<YYYY>/<MM>/warc.paths.gz` and the files (any mirror with that layout)",
            http_url),
    Setting("CC_NEWS_CACHE", "", "keep each downloaded CC-NEWS file in this folder and read it from "
            "there next time (empty: stream, keep nothing)", optional_folder),
    Setting("CC_NEWS_RETRIES", 5, "retries of a broken archive download (resumed where it broke with a "
            "`Range` request)", whole(0)),
    Setting("WIRECRAWL_ARCHIVE_IN_FLIGHT", 32, "archived pages read ahead of the parsing at most (bounds "
            "memory)", whole(1)),
    Setting("CLUSTER_THRESHOLD", 0.5, "share of 5-word shingles (estimated Jaccard) two bodies need to "
            "be one story's copies (more than 0, at most 1)", number(0, 1, low_open=True)),
    Setting("CLUSTER_WINDOW_DAYS", 7, "copies are looked for among stories published this many days "
            "either side", number(0)),
    Setting("CONCURRENT_ITEMS", 8, "Scrapy's; each article response yields one item, so the default 100 "
            "only costs time", whole(1)),
    Setting("LOG_LEVEL", "INFO", "Scrapy's: the least level logged (`DEBUG`, `INFO`, `WARNING`, `ERROR`)",
            log_level),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def defaults() -> dict[str, Any]:
    """The declared defaults, for ``crawler/settings.py``."""
    return {s.name: s.default for s in SETTINGS}


def read(settings: Any, name: str) -> Any:
    """The typed value of the declared setting ``name`` from ``settings`` (its default when unset)."""
    return BY_NAME[name].value(settings.get(name))


def problems(settings: Any) -> list[str]:
    """What is wrong with ``settings``, one sentence per bad value (empty: nothing)."""
    found = []
    for setting in SETTINGS:
        try:
            setting.value(settings.get(setting.name))
        except BadSetting as exc:
            found.append(str(exc))
    return found


def markdown_table() -> str:
    """The README's settings table."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.name}` | {s.default_text()} | {s.meaning} |" for s in SETTINGS]
    rows.append("| `LOG_FILE` | none | Scrapy's: the log goes to this file instead of stderr (its folder "
                "is made) |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.stdout.write(markdown_table() + "\n")
