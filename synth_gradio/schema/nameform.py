"""How a reference writes people's names: "Braund, Mr. Owen Harris" is not "Owen Braund".

Why: a name column is filled by Faker as "First Last". Where the reference writes the family name
first, or a title before the given names, every generated name stood out beside the real ones, and
a title is a fact about the row: "Mrs." on a man, "Mr." on a woman contradicts the record's sex.
The form is read off the values (order, titles and their shares, by the values of a sex or gender
column where the table has one) and stored on the field as `x-name-form`, which the engine's
name writer follows (engine/fakers.py).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pandas as pd

TITLE = re.compile(r"\b(Mr|Mrs|Miss|Ms|Mx|Dr|Master|Rev|Prof|Sir|Lady|Mme|Mlle|Don|Dona|Capt|Col|Major)\b(\.?)")
NAME_LIKE = re.compile(r"^[A-Z][\w'\-]*(,?\s+[\w'\-.()\"]+){1,7}$")
MIN_VALUES = 20
NAME_SHARE = 0.9  # values that look like a name
ORDER_SHARE = 0.8  # values with "Family, Given"
TITLE_SHARE = 0.5  # values with a title
MAX_SEXES = 5


def sex_column(frame: pd.DataFrame, skip: str) -> str | None:
    """A column that says a person's sex or gender, of few values."""
    for name in frame.columns:
        label = set(re.split(r"[^a-z]+", str(name).lower()))
        if str(name) != skip and label & {"sex", "gender"} and frame[name].nunique() <= MAX_SEXES:
            return str(name)
    return None


def age_column(frame: pd.DataFrame, skip: str) -> str | None:
    """A numeric column named for a person's age."""
    for name in frame.columns:
        label = str(name).lower().replace("_", " ").split()
        if str(name) != skip and "age" in label and pd.api.types.is_numeric_dtype(frame[name]):
            return str(name)
    return None


def _shares(titles: pd.Series) -> dict[str, float]:
    counts = titles.value_counts(normalize=True)
    return {str(k): round(float(v), 4) for k, v in counts.items()}


def name_form(values: pd.Series, frame: pd.DataFrame, name: str) -> dict[str, Any] | None:
    """The form of a column of names, where it is not plain "Given Family"; None otherwise."""
    text = values.dropna().astype(str)
    if len(text) < MIN_VALUES or text.str.match(NAME_LIKE).mean() < NAME_SHARE:
        return None
    family_first = text.str.contains(",").mean() >= ORDER_SHARE
    found = text.str.extract(TITLE)
    has_title = found[0].notna()
    if not family_first and has_title.mean() < TITLE_SHARE:
        return None
    form: dict[str, Any] = {"order": "family-given" if family_first else "given-family"}
    if has_title.mean() >= TITLE_SHARE:
        form["titles"] = _shares(found[0].dropna())
        form["dot"] = bool((found[1][has_title] == ".").mean() >= 0.5)
        by = sex_column(frame, name)
        if by is not None:
            sexes = frame.loc[text.index, by].astype(str)[has_title]
            form["titles_by"] = {
                "column": by,
                "shares": {str(v): _shares(found[0][has_title][sexes == v]) for v in sexes.unique()},
            }
        age = age_column(frame, name)
        if age is not None:  # "Master" for boys, "Mrs." for grown women: each title's ages
            years = pd.to_numeric(frame.loc[text.index, age], errors="coerce")[has_title]
            spans = years.groupby(found[0][has_title]).agg(["min", "max"]).dropna()
            form["ages"] = {
                "column": age,
                "spans": {str(t): [float(r["min"]), float(r["max"])] for t, r in spans.iterrows()},
            }
    given = text.str.replace(TITLE, "", regex=True).str.replace(r"\(.*\)", "", regex=True)
    given = given.str.split(",").str[-1] if family_first else given.str.rsplit(" ", n=1).str[0]
    form["second_given"] = round(float((given.str.split().str.len() >= 2).mean()), 4)
    return form


PERSON_WORDS = {"name", "surname", "forename", "firstname", "lastname", "fullname", "author"}
PERSONISH = {"full", "display", "person", "contact", "customer", "client", "employee", "owner", "patient", "user"}
PERSONISH |= {"author", "manager", "first", "last", "given", "family"}
NAME_LOCALES = ("en_US", "en_GB", "en_IN", "de_DE", "fr_FR", "es_ES", "es_MX", "it_IT", "pt_BR", "nl_NL")
NAME_LOCALES += ("pl_PL", "tr_TR", "vi_VN", "id_ID", "zh_CN", "ja_JP")
PEOPLE_SHARE = 0.3  # values holding a common given name or surname, below which they name things


def person_field(name: str) -> bool:
    """Whether a field is named for a person's name ("name", "customer_name", "surname"), which the
    engine fills with a person's name (engine/strategies.py), not "company_name" or "product_name"."""
    words = [w for w in re.split(r"[^a-z]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()) if w]
    return bool(words) and words[-1] in PERSON_WORDS and all(w in PERSONISH for w in words[:-1])


@cache
def _people_names() -> frozenset[str]:
    """Given names and surnames in Latin letters from Faker's lists for many countries (Wei, Priya
    and Nguyen are people too)."""
    import importlib

    names: set[str] = set()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "last_names", "first_romanized_names", "last_romanized_names"):
            names.update(n.lower() for n in getattr(provider, attr, ()) if isinstance(n, str) and n.isascii())
    return frozenset(names)


def names_things(values: pd.Series) -> bool:
    """Whether a column of names names things (airlines, products, stores) rather than people: few of
    its values hold a known given name or surname, so a person's name would stand out beside them
    ("William Blake" as an airline)."""
    known = _people_names()
    text = values.dropna().astype(str)
    if len(text) < 3:
        return False
    personal = text.map(lambda v: any(w in known for w in re.findall(r"[a-z]+", v.lower())))
    return float(personal.mean()) < PEOPLE_SHARE
