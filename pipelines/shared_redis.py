"""The one way a component reaches the shared Redis of a distributed crawl, and names its keys.

Every key lives under ``WIRECRAWL_REDIS_PREFIX`` (two datasets sharing one Redis need two prefixes):
``<prefix>:<spider>:requests|claims|…`` for the frontier, ``<prefix>:<spider>:archive:<file>`` for
archive claims, ``<prefix>:clusters:lock`` for the dataset's writers.
"""

from __future__ import annotations

from typing import Any

from pipelines.config import read

#: seconds a Redis call may wait (a paused or unreachable server fails a call, it does not hang a run)
TIMEOUT = 30.0


def redis_client(settings: Any):
    """A client of ``REDIS_URL``, or ``None`` when distributed mode is off."""
    url = read(settings, "REDIS_URL")
    if not url:
        return None
    import redis  # only in distributed mode

    return redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT,
                                retry_on_timeout=True)


def redis_key(settings: Any, *parts: str) -> str:
    """``<WIRECRAWL_REDIS_PREFIX>:<part>:<part>…``."""
    return ":".join((read(settings, "WIRECRAWL_REDIS_PREFIX"), *parts))
