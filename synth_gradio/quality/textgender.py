"""Whether a text about a person speaks of them as the gender their record gives.

A user profile's bio for Isadora Cassiano read "a father of a child"; a bio for Beth Hewitt that says
"his career" is written about someone else. Where a text is about the record's own person (a bio or
a profile: `PERSON_TEXTS`) and does not speak in the first person, the pronouns and parent words
it uses for its subject must match the record's gender: a sex or gender field, or else a given
name that Faker's name lists hold for one gender only (several locales). A text with no such words,
or with both, passes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

PERSON_TEXTS = {"bio", "biography", "profile", "about"}
_FEMALE = re.compile(r"\b(?:she|her|hers|herself|mother|mom|mum|businesswoman|actress|waitress)\b", re.IGNORECASE)
_MALE = re.compile(r"\b(?:he|him|his|himself|father|dad|businessman|actor|waiter)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|(?i:my|me|mine|myself))\b")
_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "nl_NL", "pl_PL", "sv_SE")


@lru_cache(maxsize=1)
def _given_names() -> dict[str, str]:
    """Given name (lower case) -> "female" or "male", for names the lists hold for one gender only."""
    import importlib

    female: set[str] = set()
    male: set[str] = set()
    for locale in _LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except (ImportError, AttributeError):
            continue
        female |= {n.lower() for n in getattr(provider, "first_names_female", ())}
        male |= {n.lower() for n in getattr(provider, "first_names_male", ())}
    return {**{n: "female" for n in female - male}, **{n: "male" for n in male - female}}


def record_gender(record: dict[str, Any]) -> str | None:
    """ "female" or "male" from a sex or gender field, else from the first given name of a name field."""
    for key, value in record.items():
        words = set(re.findall(r"[a-z]+", key.lower()))
        if isinstance(value, str) and words & {"sex", "gender"}:
            word = value.strip().lower()
            if word.startswith(("fem", "wom")) or word in ("f", "w", "girl"):
                return "female"
            if word.startswith(("male", "man", "men")) or word in ("m", "boy"):
                return "male"
    for key, value in record.items():
        words = set(re.findall(r"[a-z]+", key.lower()))
        if isinstance(value, str) and "name" in words and not words & {"company", "product", "user", "brand", "last"}:
            first = value.strip().split()[0].lower() if value.strip() else ""
            if first in _given_names():
                return _given_names()[first]
    return None


def is_person_text(name: str) -> bool:
    return bool(set(re.findall(r"[a-z]+", name.lower())) & PERSON_TEXTS)


def gender_problem(text: str, record: dict[str, Any]) -> str | None:
    """Why a third-person text about the record's person speaks of another gender, or None."""
    if _FIRST_PERSON.search(text):
        return None  # "my husband ... he": others, not the writer
    female, male = len(_FEMALE.findall(text)), len(_MALE.findall(text))
    said = "female" if female and not male else "male" if male and not female else None
    gender = record_gender(record) if said else None
    if said is None or gender is None or said == gender:
        return None
    word = (_FEMALE if said == "female" else _MALE).search(text).group(0)
    return f"the text speaks of its {gender} subject as {'a woman' if said == 'female' else 'a man'} ({word!r})"
