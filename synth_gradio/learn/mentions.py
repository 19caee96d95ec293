"""Categories a text names: a review that says which product it is about, a ticket its device.

Why: where real texts name their own row's value of a category (a review of an air fryer says "air
fryer") and almost never another value, a generated text that names another one contradicts its
row; the bundled model wrote "I love the coffee grinder and the rice cooker" for an air fryer in 1
of 10 reviews read. Found on the reference (the own value named in at least NAMED of the rows, any
other in at most OTHER), checked on every written record, which is then written again.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

NAMED = 0.5  # share of rows whose text names its own value, for the category to be one texts name
OTHER = 0.05  # share of rows whose text names another value of it, at most
MIN_ROWS = 20
MIN_LENGTH = 3  # characters of a value before it counts as named (not "a", "no")
MAX_VALUES = 200


def _pattern(value: str) -> re.Pattern[str]:
    """The value as a whole phrase, in any case, plural too ("rice cookers")."""
    return re.compile(rf"\b{re.escape(value.lower())}(?:s|es)?\b")


def names(text: str, value: Any) -> bool:
    """Whether a text names a value (a string of MIN_LENGTH characters or more) as a whole phrase."""
    return isinstance(value, str) and len(value) >= MIN_LENGTH and bool(_pattern(value).search(text.lower()))


def _named(text: str, values: list[str]) -> list[str]:
    """The values a text names, longest first; a value inside a longer one named ("kettle" in
    "electric kettle") does not count on its own."""
    low, out = text.lower(), []
    for value in sorted(values, key=len, reverse=True):
        pattern = _pattern(value)
        if pattern.search(low):
            out.append(value)
            low = pattern.sub(" ", low)
    return out


def find_mentions(frame: pd.DataFrame, texts: list[str], categories: list[str]) -> dict[str, dict[str, list[str]]]:
    """{text column: {category column: its values}} for the categories whose own value the texts
    name, and almost never another; values that 2+ rows have (the model keeps no rarer one)."""
    out: dict[str, dict[str, list[str]]] = {}
    for column in texts:
        for by in categories:
            rows = frame[[column, by]].dropna()
            rows = rows.sample(min(len(rows), 2000), random_state=0) if len(rows) > 2000 else rows
            values = [str(v) for v in rows[by].unique() if len(str(v)) >= MIN_LENGTH]
            if len(rows) < MIN_ROWS or not 2 <= len(values) <= MAX_VALUES:
                continue
            own = [names(str(t), str(v)) for t, v in zip(rows[column], rows[by], strict=True)]  # one search a row
            if sum(own) < NAMED * len(rows):  # most categories: the texts do not name them
                continue
            named = [_named(str(t), values) for t in rows[column]]
            other = [any(x != str(v) for x in n) for v, n in zip(rows[by], named, strict=True)]
            if sum(other) <= OTHER * len(rows):
                counts = frame[by].dropna().astype(str).value_counts()
                out.setdefault(column, {})[by] = sorted(v for v in counts.index[counts >= 2] if len(v) >= MIN_LENGTH)
    return out


def mention_problem(mentions: dict[str, dict[str, list[str]]], record: dict[str, Any]) -> str | None:
    """Why a record's text names another value of a category its texts name, or None."""
    for column, categories in mentions.items():
        text = record.get(column)
        if not isinstance(text, str):
            continue
        for by, known in categories.items():
            own = record.get(by)
            others = [x for x in _named(text, known) if own is None or x != str(own)]
            if others:
                return f"agreement: {column} names {by} {others[0]!r}, not its own {own!r}"
    return None
