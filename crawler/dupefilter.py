"""Scrapy's duplicate filter keeps every 20-byte request fingerprint in a Python set (about 90 bytes a
request) for the whole crawl; this one keeps 8 bytes of each (see :mod:`pipelines.idset`), so a long
backfill stays flat. No JOBDIR persistence: the dataset, not the filter, says what is stored."""

from __future__ import annotations

from scrapy.dupefilters import RFPDupeFilter

from pipelines.idset import IdSet


class CompactDupeFilter(RFPDupeFilter):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seen = IdSet()

    def request_seen(self, request) -> bool:
        fingerprint = self.fingerprinter.fingerprint(request)
        if fingerprint in self.seen:
            return True
        self.seen.add(fingerprint)
        return False
