"""City fields name real cities of the record's country, as often as people live there."""

from __future__ import annotations

import collections
import random

from synth_gradio.engine.fakers import FakerPool, faker_value
from synth_gradio.engine.places import real_city


def test_cities_are_real_and_drawn_by_population() -> None:
    rng = random.Random(0)
    german = collections.Counter(real_city("DE", rng) for _ in range(4000))
    assert german.most_common(1)[0][0] == "Berlin" and 0.03 < german["Berlin"] / 4000 < 0.09
    assert {"Hamburg", "Munich"} <= set(german) and real_city("XX", rng) is None


def test_a_city_field_follows_the_records_country_and_faker_invents_none() -> None:
    pool, rng = FakerPool(1), random.Random(1)
    node = {"type": "string", "maxLength": 40}
    dutch = {faker_value("city", "city", node, {"country": "NL"}, pool, rng) for _ in range(300)}
    assert {"Amsterdam", "Rotterdam"} <= dutch
    american = [faker_value("city", "city", node, {"country": "US"}, pool, rng) for _ in range(300)]
    invented = [c for c in american if c.split()[0] in ("New", "East", "West", "North", "South", "Lake", "Port")
                and c.split()[-1].endswith(("ton", "stad", "mouth", "fort", "berg", "land", "burgh", "haven", "side"))]  # fmt: skip
    assert "New York City" in american and len(invented) < 10, invented


def test_a_username_is_made_from_the_records_name() -> None:
    """Faker's own handle belonged to someone else: "nicholaszuniga" beside John Morgan."""
    pool, rng = FakerPool(2), random.Random(2)
    node = {"type": "string", "maxLength": 30}
    for first, last in (("John", "Morgan"), ("Pepita", "Téllez"), ("Beth", "Hewitt")):
        record = {"full_name": f"{first} {last}"}
        handles = {faker_value("user_name", "username", node, record, pool, rng) for _ in range(20)}
        slug_first, slug_last = first.lower(), last.lower().replace("é", "e")
        assert all(slug_first in h or slug_last in h for h in handles), handles
        assert len(handles) >= 4  # several styles, not one
    assert faker_value("user_name", "username", node, {}, pool, rng)  # no name: Faker's


def test_districts_are_no_towns_and_a_city_fits_its_field_and_follows_any_way_of_writing_the_country() -> None:
    rng, pool = random.Random(4), FakerPool(4)
    french = {real_city("FR", rng) for _ in range(3000)}
    assert "Paris" in french and not [c for c in french if any(ch.isdigit() for ch in c) or "Arrondissement" in c]
    assert "Brooklyn" not in {real_city("US", rng) for _ in range(3000)}
    assert all(len(real_city("FR", rng, 12)) <= 12 for _ in range(200))
    node = {"type": "string", "maxLength": 40}
    for written in ("NZ", "New Zealand", "NZL"):
        towns = {faker_value("city", "city", node, {"country": written}, pool, rng) for _ in range(40)}
        assert "Auckland" in towns, (written, towns)


def test_usernames_fit_the_fields_pattern_and_spell_out_letters() -> None:
    pool, rng = FakerPool(5), random.Random(5)
    strict = {"type": "string", "pattern": "^[a-z0-9_]{3,20}$"}
    long_name = {"full_name": "Maximilian Schwarzenegger-Habsburg"}
    assert all("maximilian" in faker_value("user_name", "username", strict, long_name, pool, rng) for _ in range(10))
    handles = {
        faker_value("user_name", "username", {"type": "string"}, {"full_name": "Ørjan Ødegård"}, pool, rng)
        for _ in range(20)
    }
    assert any("orjan" in h or "odegard" in h for h in handles) and not any(
        "rjan" in h and "orjan" not in h for h in handles
    )
