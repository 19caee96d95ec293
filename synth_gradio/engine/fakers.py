"""Faker-backed values, localized by the record's country and consistent with its name.

A German customer gets a German name and phone number; an email is built from the record's
name when there is one. Values that break the field's constraints are retried, then repaired by
`values.sample_value` (pattern or format) when code can draw one.
"""

from __future__ import annotations

import random
import re
import unicodedata
from typing import Any

from faker import Faker

from synth_gradio.engine.names import formed_name, gender_of, given_name
from synth_gradio.engine.places import country_code, real_city
from synth_gradio.engine.strategies import normalize_name
from synth_gradio.engine.values import sample_value
from synth_gradio.schema.formats import check_format
from synth_gradio.schema.patterns import fits_length

COUNTRY_LOCALES = {
    "US": "en_US",
    "GB": "en_GB",
    "UK": "en_GB",
    "DE": "de_DE",
    "FR": "fr_FR",
    "ES": "es_ES",
    "IT": "it_IT",
    "NL": "nl_NL",
    "BR": "pt_BR",
    "PT": "pt_PT",
    "JP": "ja_JP",
    "IN": "en_IN",
    "CA": "en_CA",
    "AU": "en_AU",
    "MX": "es_MX",
    "PL": "pl_PL",
    "SE": "sv_SE",
    "CN": "zh_CN",
    "KR": "ko_KR",
    "IE": "en_IE",
    "AT": "de_AT",
    "CH": "de_CH",
    "BE": "nl_BE",
    "DK": "da_DK",
    "NO": "no_NO",
    "FI": "fi_FI",
    "TR": "tr_TR",
    "RU": "ru_RU",
    "UNITED STATES": "en_US",
    "USA": "en_US",
    "GERMANY": "de_DE",
    "FRANCE": "fr_FR",
    "SPAIN": "es_ES",
    "ITALY": "it_IT",
    "BRAZIL": "pt_BR",
    "JAPAN": "ja_JP",
    "INDIA": "en_IN",
    "CANADA": "en_CA",
    "UNITED KINGDOM": "en_GB",
    "AUSTRALIA": "en_AU",
    "NETHERLANDS": "nl_NL",
    "MEXICO": "es_MX",
}
_LATIN_ONLY = {"ja_JP", "zh_CN", "ko_KR", "ru_RU"}  # scripts we romanize or replace for emails and names
_MAIL_DOMAINS = (
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "hotmail.com",
    "gmx.net",
    "mail.com",
)


class FakerPool:
    """One seeded Faker per locale, created on first use."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._fakers: dict[str, Faker] = {}

    def get(self, locale: str) -> Faker:
        if locale not in self._fakers:
            fake = Faker(locale)
            fake.seed_instance(random.Random(f"{self.seed}:{locale}").getrandbits(32))
            self._fakers[locale] = fake
        return self._fakers[locale]


def record_locale(record: dict[str, Any]) -> str:
    for key, value in record.items():
        if isinstance(value, str) and "country" in normalize_name(key):
            return COUNTRY_LOCALES.get(value.strip().upper(), "en_US")
    return "en_US"


def _country(record: dict[str, Any]) -> str | None:
    """The ISO code of the record's first country field, as written in any common form."""
    for key, value in record.items():
        if "country" in normalize_name(key) and (code := country_code(value)):
            return code
    return None


_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "Ae", "đ": "d", "Đ": "D",
                          "þ": "th", "œ": "oe", "ı": "i"})  # fmt: skip
_TITLES = re.compile(r"\b(?:mr|mrs|ms|miss|dr|prof|sir|jr|sr|ii|iii)\b\.?", re.IGNORECASE)


def ascii_slug(text: str) -> str:
    """Lower-case ASCII with dots between words; letters NFKD cannot split are spelled out (Ø -> o)."""
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", ".", text.lower()).strip(".")


def _person_name(
    fake: Faker, locale: str, part: str, node: dict[str, Any], record: dict[str, Any], rng: random.Random
) -> str:
    """A name of the record's sex where a field gives it, in the reference's form where it has one."""
    gender = gender_of(record)
    if locale == "ja_JP":
        first, last = fake.first_romanized_name(), fake.last_romanized_name()
    elif locale in _LATIN_ONLY:
        fake_en = Faker("en_US")
        fake_en.seed_instance(fake.random.random())
        fake, first, last = fake_en, given_name(fake_en, gender), fake_en.last_name()
    else:
        first, last = given_name(fake, gender), fake.last_name()
    form = node.get("x-name-form")
    if part == "name" and isinstance(form, dict):
        given = [first, given_name(fake, gender)] if rng.random() < float(form.get("second_given", 0)) else [first]
        return formed_name(given, last, form, record, rng)
    return {"first_name": first, "last_name": last}.get(part, f"{first} {last}")


def _name_parts(record: dict[str, Any]) -> tuple[str, str]:
    """The record's first and last name as ASCII slugs ("", "" when it has no name fields)."""
    first = last = full = ""
    for key, value in record.items():
        if not isinstance(value, str):
            continue
        k = normalize_name(key)
        if k in ("first_name", "firstname", "given_name"):
            first = value
        elif k in ("last_name", "lastname", "surname", "family_name"):
            last = value
        elif k.endswith("name") and " " in value and "company" not in k and "product" not in k:
            full = full or value
    if not (first or last) and full:
        first, _, last = _TITLES.sub("", full).strip().partition(" ")
    return ascii_slug(first), ascii_slug(last)


def _email(fake: Faker, record: dict[str, Any], rng: random.Random) -> str:
    first, last = _name_parts(record)
    if not (first or last):
        return fake.email()
    style = rng.randrange(4)
    local = [f"{first}.{last}", f"{first[:1]}{last}", f"{first}{rng.randint(1, 99)}", f"{first}_{last}"][style]
    return f"{local.strip('._')}@{rng.choice(_MAIL_DOMAINS)}"


def _user_name(fake: Faker, record: dict[str, Any], node: dict[str, Any], rng: random.Random) -> str:
    """A handle made from the record's name, as people make theirs ("jmorgan", "john_morgan84");
    Faker's own belonged to someone else ("nicholaszuniga" for John Morgan)."""
    first, last = (part.replace(".", "") for part in _name_parts(record))
    if not (first or last):
        return fake.user_name()
    year = rng.randint(60, 99) if rng.random() < 0.5 else rng.randint(1, 999)
    styles = [f"{first}{last}", f"{first[:1]}{last}", f"{first}_{last}", f"{first}{year}", f"{first}.{last}",
              f"{last}{first[:1]}", f"{first}{last}{year}", f"{first[:1]}{last}{year}", f"{last}{year}"]  # fmt: skip
    fitting = [
        s for s in styles if s.strip("._") == s and len(s) >= 3 and any(c.isalpha() for c in s) and _fits(s, node)
    ]
    return rng.choice(fitting) if fitting else fake.user_name()


def faker_value(
    provider: str, name: str, node: dict[str, Any], record: dict[str, Any], pool: FakerPool, rng: random.Random
) -> Any:
    """A realistic value from Faker that satisfies `node`, or a code-drawn fallback."""
    locale = record_locale(record)
    fake = pool.get(locale)
    person = provider in ("name", "first_name", "last_name")
    names: list[str] = []
    for _ in range(8):
        if person:
            value: Any = _person_name(fake, locale, provider, node, record, rng)
        elif provider == "email":
            value = _email(fake, record, rng)
        elif provider == "user_name":
            value = _user_name(fake, record, node, rng)
        elif provider == "address":
            value = fake.address().replace("\n", ", ")
        elif provider == "city":  # a real town of the record's country (places.py), else Faker's
            value = real_city(_country(record) or locale.rsplit("_", 1)[-1], rng, node.get("maxLength")) or fake.city()
        else:
            try:
                value = getattr(fake, provider)()
            except AttributeError:
                value = fake.word()
        if isinstance(value, str) and _fits(value, node):
            return value
        if person and isinstance(value, str):  # a name cut short reads "Smith, Miss.": drawn again
            names.append(value)
        elif isinstance(value, str) and "maxLength" in node and "pattern" not in node and "format" not in node:
            trimmed = value[: node["maxLength"]].strip()
            if _fits(trimmed, node):
                return trimmed
    for value in sorted(names, key=len):  # none fit: the shortest, without its last word while too long
        while len(value) > int(node.get("maxLength", len(value))) and " " in value:
            value = value.rsplit(" ", 1)[0]
        if _fits(value, node):
            return value
    return sample_value(name, node, rng)


def _fits(value: str, node: dict[str, Any]) -> bool:
    if not fits_length(value, node):
        return False
    if "pattern" in node and not re.search(node["pattern"], value):
        return False
    return "format" not in node or check_format(node["format"], value)
