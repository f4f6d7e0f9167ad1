"""Scrapy settings for wirecrawl: polite by default, bounded everywhere.

Every value here can be overridden per run with ``-s NAME=VALUE``; the README lists them.
"""

BOT_NAME = "wirecrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

USER_AGENT = "wirecrawl/0.1 (+https://github.com/wirecrawl/wirecrawl; news-wire archiver)"

# Politeness.
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25

# Bounds: no page, feed or wait is unlimited.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
# Longest Retry-After (seconds) honoured on 429/503 answers.
WIRECRAWL_MAX_RETRY_AFTER = 120
DOWNLOADER_MIDDLEWARES = {
    # before robots.txt and every other: a page read from an archive is answered from memory
    "crawler.archives.ArchiveAnswers": 50,
    "crawler.middlewares.RetryAfterMiddleware": 560,
    # after HttpCompressionMiddleware (590): a feed's gzip is unpacked here, to the size cap
    "crawler.middlewares.DocumentSizeCap": 595,
    "crawler.middlewares.RedirectGuardMiddleware": 610,
}
METAREFRESH_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote-control HTTP server runs code sent to it: a cron job has no use for it.
REMOTE_CONTROL_ENABLED = False
DNS_TIMEOUT = 20

# Maximum entries read from one feed or listing page.
WIRECRAWL_MAX_FEED_ENTRIES = 5000
# Pages larger than this are not parsed (bytes), even when the downloader accepted them.
WIRECRAWL_MAX_HTML_BYTES = 5 * 1024 * 1024
# Sitemaps read per run at most, and children of a sitemap index read without ``since``.
WIRECRAWL_MAX_SITEMAPS = 20
WIRECRAWL_RECENT_SITEMAPS = 3
# Maximum listing pages walked back per section in a ``-a since=`` backfill.
WIRECRAWL_MAX_LISTING_PAGES = 200

# Stored stories whose feed/sitemap entry shows a later change within this many hours are fetched
# again and stored as a new version (same id, newer modified_at).
REFRESH_WINDOW = 48

# Layout-drift alarm: a run fails when the share of parsed pages missing a field exceeds its
# threshold (checked only when at least WIRECRAWL_DRIFT_MIN_PAGES pages were parsed).
WIRECRAWL_DRIFT_THRESHOLDS = {"body": 0.25, "published_at": 0.25, "authors": 0.6, "dateline": 0.6,
                              "layout": 0.25}
WIRECRAWL_DRIFT_MIN_PAGES = 5

# Crawl a mirror instead of the service's own hosts: what `-a base_url=` does, as a setting
# (e.g. in a settings module of a test or staging installation). Empty: the real hosts.
WIRECRAWL_BASE_URL = ""

# Web archives. WARC_DIR (empty: off) records every response as WARC (request + response records),
# in .warc.gz files closed at WARC_MAX_BYTES; a file is named ….warc.gz.open until it is complete.
WARC_DIR = ""
WARC_MAX_BYTES = 1024 * 1024 * 1024
# -a warc=/-a cc_news=: pages read ahead of the parsing at most; CC-NEWS's host (any mirror with
# its crawl-data/CC-NEWS/<YYYY>/<MM>/warc.paths.gz layout); a folder keeping downloaded CC-NEWS files
# (empty: stream them, keeping nothing); retries of a broken download.
WIRECRAWL_ARCHIVE_IN_FLIGHT = 32
CC_NEWS_BASE_URL = "https://data.commoncrawl.org"
CC_NEWS_CACHE = ""
CC_NEWS_RETRIES = 5

# Near-duplicate clusters (pipelines.clusters): a new row joins the cluster of a stored story published
# within CLUSTER_WINDOW_DAYS of it whose body shares at least CLUSTER_THRESHOLD of its 5-word shingles
# (estimated Jaccard).
CLUSTER_THRESHOLD = 0.5
CLUSTER_WINDOW_DAYS = 7

# The dataset.
DATASET_URI = "data/articles"
DATASET_FLUSH_ITEMS = 500
# ...and at least this often (seconds), so a crash or kill late in a long run loses at most this much.
DATASET_FLUSH_SECONDS = 60

# Worker processes that parse pages (empty: one per core; 0: parse in the crawler's own process),
# and how many pages a worker parses before it is replaced (bounds its memory).
WIRECRAWL_WORKERS = ""
WIRECRAWL_WORKER_MAX_TASKS = 500
# A page whose parsing takes longer is dropped (extract_timeout) and the workers are replaced.
WIRECRAWL_EXTRACT_TIMEOUT = 120

ITEM_PIPELINES = {
    "pipelines.stages.ExtractPipeline": 300,
    "pipelines.stages.DatasetPipeline": 800,
}
EXTENSIONS = {
    "crawler.dataset_guard.DatasetGuard": 400,
    "crawler.extensions.RunSummary": 500,
    "crawler.extensions.Progress": 510,
    "crawler.archives.WarcRecording": 520,
    # our progress line replaces Scrapy's per-minute "Crawled N pages"
    "scrapy.extensions.logstats.LogStats": None,
}
# A progress line (new/known/dropped, pages a minute, oldest day reached in a backfill) this often.
WIRECRAWL_PROGRESS_SECONDS = 60

# Where to write the run's stats as JSON (empty: nowhere).
WIRECRAWL_STATS_FILE = ""

DUPEFILTER_CLASS = "crawler.dupefilter.CompactDupeFilter"
SCHEDULER = "crawler.scheduler.WireScheduler"

# Distributed mode, off while empty: e.g. redis://host:6379/0. Every `scrapy crawl <spider>` given the
# same REDIS_URL (and a shared DATASET_URI) takes work from one shared queue per spider; see the README.
REDIS_URL = ""
# Namespace of the Redis keys (two datasets sharing one Redis need two prefixes).
WIRECRAWL_REDIS_PREFIX = "wirecrawl"
# Seconds a worker may stay silent before the requests it holds go back to the queue.
WIRECRAWL_REDIS_LEASE = 60
# A feed, sitemap or listing page is fetched once per this many seconds across all workers.
WIRECRAWL_REDIS_DISCOVERY_TTL = 600
# How long a written story's marker stays (stale queue copies of it are discarded meanwhile).
WIRECRAWL_REDIS_DONE_TTL = 7 * 86400
SPIDER_MIDDLEWARES = {"crawler.distributed.FrontierSpiderMiddleware": 50}
# Keep pending requests on disk (a private JOBDIR under DATASET_URI/_queue, removed after the run),
# so memory does not grow with the size of a feed or sitemap. See crawler/commands/crawl.py.
WIRECRAWL_DISK_QUEUE = True
# An article callback yields one item; Scrapy starts this many asyncio tasks per response to work
# through a callback's output (default 100, measured at ~2 ms of reactor time a page).
CONCURRENT_ITEMS = 8

LOG_FORMATTER = "crawler.logformatter.WireLogFormatter"
# The run summary is the last log line; the full stats go to WIRECRAWL_STATS_FILE when set.
STATS_DUMP = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
