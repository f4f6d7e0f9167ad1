"""Scrapy settings for wirecrawl: polite by default, bounded everywhere.

What a user may change (``-s NAME=VALUE``) is declared once, with its type, bounds and meaning, in
:mod:`pipelines.config`; its defaults are loaded here, checked before a run starts, and listed in the
README. What follows them is the wiring, which a user has no reason to change.
"""

from pipelines.config import defaults

globals().update(defaults())

BOT_NAME = "wirecrawl"
# the generic spider; every declared wire (pipelines/sites, WIRECRAWL_SITE_MODULES) gets one of its own
SPIDER_MODULES = ["crawler.spiders"]
SPIDER_LOADER_CLASS = "crawler.spiderloader.WireSpiderLoader"
COMMANDS_MODULE = "crawler.commands"

# Politeness: AutoThrottle's delays.
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Bounds: no page, feed or wait is unlimited.
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
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
    # it saves spider.state in JOBDIR for resumed jobs: our spiders keep none, and our JOBDIR is the
    # run's private queue (a full disk made it fail with a traceback at every close)
    "scrapy.extensions.spiderstate.SpiderState": None,
}

DUPEFILTER_CLASS = "crawler.dupefilter.CompactDupeFilter"
SCHEDULER = "crawler.scheduler.WireScheduler"
SPIDER_MIDDLEWARES = {"crawler.distributed.FrontierSpiderMiddleware": 50}

LOG_FORMATTER = "crawler.logformatter.WireLogFormatter"
# The run summary is the last log line; the full stats go to WIRECRAWL_STATS_FILE when set.
STATS_DUMP = False
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
