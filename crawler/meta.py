"""The keys wirecrawl keeps in a request's ``meta``, named once."""

#: what a discovery request fetches: ``feeds``, ``robots``, ``sitemaps`` or ``home`` (stats and errors
#: are counted under ``wirecrawl/<kind>/``)
KIND = "wirecrawl_kind"
#: the request's claim key (:mod:`pipelines.signals`): settled when its row is written or it is dropped
CLAIM = "wirecrawl_claim"
#: distributed mode: the worker holding the request in the shared frontier
HELD_BY = "wirecrawl_held_by"
#: the key of the archived page that answers the request (:mod:`crawler.spiders.archive_input`)
ARCHIVED = "wirecrawl_archived"
#: when an archived page was fetched (its ``WARC-Date``): the row's ``fetched_at``
FETCHED_AT = "wirecrawl_fetched_at"
#: a feed or sitemap cut at ``DOWNLOAD_MAXSIZE`` (:class:`crawler.middlewares.DocumentSizeCap`)
CUT = "wirecrawl_cut_at_size"
#: bytes of a capped document received so far
RECEIVED = "wirecrawl_bytes_received"
