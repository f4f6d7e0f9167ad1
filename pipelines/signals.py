"""Signals through which the spider and the pipelines settle the requests they finished.

Nobody listens to them unless the crawl is distributed (:mod:`crawler.distributed`); each carries the
*claim key* of a request (``request.meta["wirecrawl_claim"]``, kept on the item as ``claim``).
"""

#: ``key``: finished without a row (dropped, failed, a feed or sitemap read); nothing to keep.
claim_released = object()
#: ``keys``: about to be written; each receiver returns the keys that must not be (held elsewhere),
#: or ``None`` when it cannot tell (Redis down): the rows then wait for the next flush.
claims_committing = object()
#: ``keys``: written to the dataset.
claims_committed = object()
#: ``keys``: could not be written; to be fetched again.
claims_lost = object()
#: no arguments: write the buffered rows now; a receiver returns ``False`` if it could not.
flush_requested = object()
#: no arguments: the process stops now (a second Ctrl-C), before the spider closes; the run's verdict
#: and record are written from what is known (the rows were written on ``flush_requested`` just before).
stopping_now = object()
