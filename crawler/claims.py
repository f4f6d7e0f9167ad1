"""Claim keys: how every request names what it is for, in one place (the spider makes them, the
frontier in Redis and the pipelines settle them).

- an article: its story id (``upi:1141578394958``);
- a refresh of a stored story: ``<story id>#refresh:<modified time, ISO>`` (or ``…#refresh:forced``);
- a feed, sitemap or listing page: ``d:<request fingerprint>``.
"""

from __future__ import annotations

import datetime as dt

_DISCOVERY = "d:"
_REFRESH = "#refresh:"


def article_claim(story_id: str) -> str:
    return story_id


def refresh_claim(story_id: str, modified: dt.datetime | None) -> str:
    """A new version of a stored story, named by the change it is fetched for."""
    return f"{story_id}{_REFRESH}{modified.isoformat() if modified else 'forced'}"


def discovery_claim(fingerprint: str) -> str:
    return f"{_DISCOVERY}{fingerprint}"


def is_article(key: str) -> bool:
    return not key.startswith(_DISCOVERY)


def story_of(key: str) -> str:
    """The story id of an article claim key (a refresh key names the version it is for)."""
    return key.split(_REFRESH, 1)[0]
