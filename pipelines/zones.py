"""The time zone a page's zone-less times are written in, when its site declares none.

A wire's site module declares its zone. A page of any other site tells it, in order of trust: by an
explicit offset on its own machine-readable times (``2025-02-02T09:00:00+01:00`` beside a zone-less
``09:00``), by its country (the host's country-code domain, else the region of its declared locale:
``de_CH``), read in the tz database's ``zone.tab``: a country's one zone, or the one that covers most of
it (``most of Germany``, ``Spain (mainland)``). A country of several zones (the US, Russia, Brazil)
gives none; nor does a page that says nothing: its times are then read as UTC, as before.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import regex

#: An explicit offset at the end of a machine-readable time: ``Z``, ``+02:00``, ``+0200``, ``-04``.
_OFFSET = regex.compile(r"(?<=\d)(?:\.\d+)?\s*(Z|[+-]\d\d(?::?\d\d)?)\s*$")
#: Country-code domains that sites use as generic ones (``.tv``, ``.io``), and so name no country.
_GENERIC_CC = frozenset({"tv", "io", "ai", "me", "fm", "ly", "co", "cc", "to", "ws", "gg", "am", "im",
                         "sh", "ac", "la", "nu", "eu", "su", "asia"})
#: The comment ``zone.tab`` writes beside a country's main zone.
_MAIN_ZONE = regex.compile(r"^most of |\((?:mainland|peninsula)\)$|^Beijing Time$")
_LOCALE = regex.compile(r"^[a-z]{2,3}[-_]([A-Za-z]{2})\b")


def explicit_offset(value: str | None) -> dt.timezone | None:
    """The offset a machine-readable time states (``None`` when it states none)."""
    if not value or not regex.match(r"\s*\d{4}-\d\d-\d\d[T ]\d", value):
        return None
    match = _OFFSET.search(value)
    if match is None:
        return None
    text = match.group(1)
    if text == "Z":
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) >= 4 else 0)
    if minutes > 14 * 60:
        return None
    return dt.timezone(sign * dt.timedelta(minutes=minutes))


@lru_cache(maxsize=1)
def _zone_table() -> dict[str, str]:
    """Country code -> its zone, for countries of one zone or one main zone (``zone.tab``)."""
    try:
        text = (resources.files("tzdata") / "zoneinfo" / "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        path = Path("/usr/share/zoneinfo/zone.tab")
        text = path.read_text("utf-8") if path.is_file() else ""
    zones: dict[str, list[tuple[str, str]]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            zones.setdefault(fields[0], []).append((fields[2], fields[3] if len(fields) > 3 else ""))
    table: dict[str, str] = {}
    for country, entries in zones.items():
        if len(entries) == 1:
            table[country] = entries[0][0]
        else:
            main = [zone for zone, comment in entries if _MAIN_ZONE.search(comment)]
            if len(main) == 1:
                table[country] = main[0]
    return table


def country_zone(country: str | None) -> str | None:
    """The zone of a country (ISO 3166 alpha-2, any case), if it has one main zone."""
    return _zone_table().get((country or "").upper()) if country else None


def page_country(url: str, locale: str | None = None) -> str | None:
    """The country a page is published in: its host's country-code domain, else its locale's region."""
    host = (urlsplit(url).hostname or "").lower()
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    if len(tld) == 2 and tld not in _GENERIC_CC:
        return "GB" if tld == "uk" else tld.upper()
    match = _LOCALE.match(locale or "")
    return match.group(1).upper() if match else None


def page_zone(url: str, machine_times: list[str | None], locale: str | None = None) -> dt.tzinfo | str:
    """The zone for a page's zone-less times: an offset its machine-readable times state, else its
    country's zone, else UTC."""
    for value in machine_times:
        offset = explicit_offset(value)
        if offset is not None:
            return offset
    return country_zone(page_country(url, locale)) or "UTC"
