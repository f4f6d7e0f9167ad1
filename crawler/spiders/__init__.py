"""The crawl. :mod:`crawler.spiders.base` is the spider of every declared wire (made for each by
:mod:`crawler.spiderloader`), with :mod:`~crawler.spiders.discovery` and
:mod:`~crawler.spiders.archive_input`; :mod:`~crawler.spiders.wire` is the generic spider for any site."""
