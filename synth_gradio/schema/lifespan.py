"""Years of a working life fit inside the life: no applicant of 24 with 20 years of employment.

Why: a person's age and their years of experience, employment or tenure are drawn each from its own
prior (linked to the record's size, but loosely), so an unseen loan schema gave a 24-year-old 20
years at work. Where a record has a person's age and a count of years spent working, both drawn in
code, a count that would have begun before WORK_START is drawn again within the years the age allows.
"""

from __future__ import annotations

import math
import random
from typing import Any

from synth_gradio.schema.pairs import _words

WORK_START = 16  # the youngest age at which working years are counted
_WORKING = {"experience", "employment", "employed", "tenure", "career", "working", "work", "service", "seniority",
            "job", "company", "employer", "profession", "industry", "role", "position", "teaching", "practice"}  # fmt: skip
_YEARS = {"years", "yrs", "year", "yr"}
_SHORTER = {"months", "month", "weeks", "days", "hours", "mos"}
_NOT_A_PERSON = {"account", "vehicle", "car", "building", "property", "home", "house", "loan", "equipment", "asset",
                 "machine", "days", "months", "weeks", "hours", "policy", "company", "business", "tree"}  # fmt: skip


def life_pairs(props: dict[str, Any], drawn: set[str]) -> list[tuple[str, str, float]]:
    """(age field, working-years field, the latter's minimum) among the code-drawn numbers `drawn`."""
    numeric = [n for n in props if n in drawn and isinstance(props[n], dict) and "enum" not in props[n]]
    ages = [n for n in numeric if "age" in _words(n) and not set(_words(n)) & _NOT_A_PERSON]
    years = [
        n
        for n in numeric
        if set(_words(n)) & _WORKING
        and (set(_words(n)) & _YEARS or "tenure" in _words(n))
        and not set(_words(n)) & _SHORTER  # tenure_months is no count of years
        and not {"multipleOf", "exclusiveMinimum", "exclusiveMaximum"} & set(props[n])
    ]
    low = {y: _stated_minimum(props[y]) for y in years}
    return [(ages[0], y, low[y]) for y in years] if len(ages) == 1 else []


def _stated_minimum(node: dict[str, Any]) -> float:
    """The field's own minimum, not its storage type's (a TINYINT's -128), and never below 0."""
    low = node.get("minimum", 0)
    typed = "minimum" in (node.get("x-type-bounds") or ())
    return max(0.0, float(low)) if isinstance(low, int | float) and not typed else 0.0


def settle_life(record: dict[str, Any], pairs: list[tuple[str, str, float]], rng: random.Random) -> None:
    """Redraw (in place) working years that exceed what the record's age allows, evenly within it
    and above the field's minimum (a count the age cannot hold above it is left as drawn)."""
    for age_field, years_field, low in pairs:
        age, years = record.get(age_field), record.get(years_field)
        if not isinstance(age, int | float) or not isinstance(years, int | float) or isinstance(years, bool):
            continue
        room = float(age) - WORK_START
        if isinstance(years, int):
            first, last = math.ceil(low), math.floor(room)
            if years > last >= first:
                record[years_field] = rng.randint(first, last)
        elif years > room >= low:
            record[years_field] = round(rng.uniform(low, room), 1)
