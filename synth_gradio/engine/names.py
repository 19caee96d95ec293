"""People's names that agree with their record: a given name of the record's sex, and the form the
reference writes names in (schema/nameform.py: family name first, a title that fits the sex).

Why: Faker's "First Last" drew a man's name beside "female" in one record of two, and ignored a
reference's "Braund, Mr. Owen Harris", so generated names stood out beside the real ones.
"""

from __future__ import annotations

import random
from typing import Any

from faker import Faker

from synth_gradio.engine.strategies import normalize_name
from synth_gradio.quality.textgender import gender_word


def gender_of(record: dict[str, Any]) -> str | None:
    """ "female" or "male" where a sex or gender field of the record says so."""
    for key, value in record.items():
        words = set(normalize_name(key).split("_"))  # "customer_gender", not "essex_county"
        if words & {"sex", "gender"} and (said := gender_word(value)):
            return said
    return None


def given_name(fake: Faker, gender: str | None) -> str:
    """A given name of the gender where one is known (Faker's locales without one fall back)."""
    try:
        if gender == "female":
            return fake.first_name_female()
        if gender == "male":
            return fake.first_name_male()
    except AttributeError:
        pass
    return fake.first_name()


def _title(form: dict[str, Any], record: dict[str, Any], rng: random.Random) -> str | None:
    shares = form.get("titles")
    by = form.get("titles_by")
    if by and str(record.get(by["column"])) in by["shares"]:
        shares = by["shares"][str(record.get(by["column"]))] or shares
    ages = form.get("ages")
    age = record.get(ages["column"]) if ages else None
    if shares and isinstance(age, int | float) and age == age:
        fits = {t: w for t, w in shares.items() if ages["spans"].get(t, [age, age])[0] <= age <= ages["spans"].get(t, [age, age])[1]}  # fmt: skip
        shares = fits or shares
    if not shares:
        return None
    title = rng.choices(list(shares), weights=list(shares.values()))[0]
    return f"{title}." if form.get("dot") else title


def formed_name(given: list[str], family: str, form: dict[str, Any], record: dict[str, Any], rng: random.Random) -> str:
    """Given names and a family name written in the reference's form."""
    title = _title(form, record, rng)
    names = " ".join(given)
    if form.get("order") == "family-given":
        return f"{family}, {title} {names}" if title else f"{family}, {names}"
    return f"{title} {names} {family}" if title else f"{names} {family}"
