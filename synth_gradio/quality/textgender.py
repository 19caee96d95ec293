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

PERSON_TEXTS = {"bio", "biography", "about", "about_me", "profile", "user_profile", "author_bio", "user_bio"}
_NOT_PEOPLE = {"company", "business", "product", "pet", "book", "movie", "film", "team", "brand", "store", "hotel", "url",
               "picture", "photo", "image", "organization", "organisation"}  # fmt: skip
_OWN_NAMES = {"name", "full_name", "fullname", "first_name", "firstname", "given_name", "display_name", "person_name"}
_FEMALE = re.compile(
    r"\b(?:she|her|hers|herself|businesswoman|actress|waitress)\b"
    r"|\b(?:a|an|proud|single|is\s+a)\s+(?:mother|mom|mum)\b|\b(?:mother|mom|mum)\s+of\b",
    re.IGNORECASE,
)
_MALE = re.compile(
    r"\b(?:he|him|his|himself|businessman)\b"
    r"|\b(?:a|an|proud|single|is\s+a)\s+(?:father|dad)\b|\b(?:father|dad)\s+of\b",
    re.IGNORECASE,
)
# The writer speaking ("I", "my", "we": others are "he" and "she" there); not "Type I" or "World War I".
_FIRST_PERSON = re.compile(r"(?<!Type )(?<!War )(?<!Part )\bI\b|\bI'[a-z]+\b|\b(?i:my|me|myself|we|our|us)\b")
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


FEMALE = ("f", "w", "girl", "mrs", "miss", "ms")
MALE = ("m", "boy", "mr")


def gender_word(value: Any) -> str | None:
    """ "female" or "male" as a sex or gender value says it ("F", "woman", "Male", "Mrs"), else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    word = value.strip().lower()
    if word.startswith(("fem", "wom")) or word in FEMALE:
        return "female"
    if word.startswith(("male", "man", "men")) or word in MALE:
        return "male"
    return None


def _snake(name: str) -> str:
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def record_gender(record: dict[str, Any]) -> str | None:
    """ "female" or "male" from the record's own sex or gender field, else from the given name of its
    own name field (`_OWN_NAMES`: not a manager's, a pet's or a street's); None when unknown or when
    two of its name fields disagree."""
    for key, value in record.items():
        if _snake(key) in ("sex", "gender") and (said := gender_word(value)):
            return said
    found = {
        _given_names().get(value.strip().split()[0].lower())
        for key, value in record.items()
        if isinstance(value, str) and value.strip() and _snake(key) in _OWN_NAMES
    } - {None}
    return found.pop() if len(found) == 1 else None


def is_person_text(name: str) -> bool:
    """A text about the record's own person: a bio or a profile, not a company's or a pet's."""
    key = _snake(name)
    words = set(key.split("_"))
    return bool(key in PERSON_TEXTS or words & {"bio", "biography"}) and not words & _NOT_PEOPLE


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
