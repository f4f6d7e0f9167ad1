"""The wire services wirecrawl knows, each declared once (:class:`pipelines.sites.base.Site`)."""

from __future__ import annotations

from pipelines.sites.ap import AP
from pipelines.sites.base import Site
from pipelines.sites.generic import generic_site
from pipelines.sites.reuters import REUTERS
from pipelines.sites.upi import UPI
from pipelines.sites.yonhap import YONHAP

SITES: dict[str, Site] = {site.source: site for site in (UPI, AP, REUTERS, YONHAP)}

__all__ = ["SITES", "Site", "generic_site"]
