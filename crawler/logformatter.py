"""Log lines that name a page instead of printing it.

Scrapy's default "Dropped:" and "Error processing" lines print the whole item, and our items carry the
fetched page (tens of kilobytes): one dropped page would flood the log. The pipelines already log a
warning with the URL and the reason, so the drop line goes to DEBUG and names the story only.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter


def _name(item: Any) -> str:
    try:
        return f"{item.get('id')} <{item.get('url')}>"
    except AttributeError:
        return type(item).__name__


class WireLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider=None, *args, **kwargs):
        return {"level": logging.DEBUG, "msg": "Dropped %(item)s: %(exception)s",
                "args": {"item": _name(item), "exception": exception}}

    def item_error(self, item, exception, response, spider=None, *args, **kwargs):
        return {"level": logging.ERROR, "msg": "Error processing %(item)s",
                "args": {"item": _name(item)}}

    def scraped(self, item, response, spider=None, *args, **kwargs):
        return {"level": logging.DEBUG, "msg": "Scraped %(item)s",
                "args": {"item": _name(item)}}
