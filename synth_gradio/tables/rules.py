"""Rules across the rows of one entity: a value that every entity has exactly once.

A traveller chooses exactly one of the modes offered; an order has one line marked as its main
item; a customer has one primary address. A model that draws each row given its parent and the
step before keeps such a rule only on average (some travellers choose none, others two), so the
rule is found once in the real rows and then used both to draw (learn/relmodel.py) and to check
(quality/families.py).
"""

from __future__ import annotations

import pandas as pd

from synth_gradio.tables.keys import key_text

SHARE = 0.99  # entities (of two rows or more) in which the value must occur exactly once
MIN_ENTITIES = 10  # fewer entities with several rows than this tell nothing
FEW = 20  # only columns with at most this many values are looked at


def once_counts(frame: pd.DataFrame, entity: str, column: str, value: str) -> pd.Series:
    """Per entity of two rows or more (by key text), how many of its rows have `value` in `column`."""
    owner, several = _owners(frame, entity)
    return _counts(key_text(frame[column]), owner, several, value)


def once_rules(frame: pd.DataFrame, entity: str, skip: set[str]) -> list[tuple[str, str]]:
    """(column, value as key text) pairs such that the value occurs exactly once per entity."""
    owner, several = _owners(frame, entity)
    if owner[several].nunique() < MIN_ENTITIES:
        return []
    rules = []
    for column in map(str, frame.columns):
        if column in skip or column == entity or not 2 <= frame[column].nunique() <= FEW:
            continue
        text = key_text(frame[column])  # once per column: key_text maps every row in Python
        for value in text[several].dropna().unique():
            if float((_counts(text, owner, several, value) == 1).mean()) >= SHARE:
                rules.append((column, str(value)))
    return rules


def _owners(frame: pd.DataFrame, entity: str) -> tuple[pd.Series, pd.Series]:
    owner = key_text(frame[entity])
    return owner, owner.map(owner.value_counts()).fillna(0) >= 2


def _counts(text: pd.Series, owner: pd.Series, several: pd.Series, value: str) -> pd.Series:
    return (text[several] == value).groupby(owner[several]).sum()


def held_share(frame: pd.DataFrame, entity: str, column: str, value: str) -> float | None:
    """Share of entities (of two rows or more) in which `column` equals `value` exactly once."""
    if column not in frame:
        return None
    hits = once_counts(frame, entity, column, value)
    return round(float((hits == 1).mean()), 3) if len(hits) else None
