"""Names that belong to a category: the words a short text column uses for each value of the
category that decides them (a laptop's product line for its maker), shown to the language model
beside each row it writes.

Why: the bundled model is a small base model that reads the row's values ("Company": "Dell") but
knows too little to name a Dell; with random examples of other rows it wrote "MacBook Air" and
"Acer GalaxyBook" for Dell laptops in most rows read. Given the names real Dell rows use, it writes
a Dell name. Only names that at least SHARED real rows of that category have are kept, as a
category's values are, so a hint never singles out one real row; prose (long, mostly unique
texts) gets no hints.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pandas as pd

CONTEXT = "#context"  # the engine's key for what a row's text should know (engine/plan.py)
MAX_LENGTH = 40  # median characters up to which a text column is names, not prose
SHARED = 2  # real rows of one category that must share a name before it is shown
REPEATED = 0.3  # share of rows whose name other rows share, from which a column is names
PURITY = 0.9  # share of those rows whose category is their name's commonest one
LIFT = 0.2  # purity above the commonest category's own share: the name follows the category
PER_VALUE = 12  # names kept per category value
SHOWN = 4  # names shown with one row


def find_hints(frame: pd.DataFrame, text: list[str], categories: list[str]) -> dict[str, dict[str, Any]]:
    """{text column: {"by": category column, "names": {category value: [names]}}} for the short text
    columns whose repeated names each belong to one value of a category column."""
    out = {}
    for column in text:
        values = frame[column].dropna().astype(str)
        if values.empty or values.str.len().median() > MAX_LENGTH:
            continue
        counts = values.value_counts()
        repeated = values[values.map(counts) >= SHARED]
        if len(repeated) < REPEATED * len(values):
            continue
        best: tuple[float, str, pd.DataFrame] | None = None
        for by in categories:
            labels = frame.loc[repeated.index, by]
            seen = labels.notna()
            if by == column or seen.sum() < SHARED:
                continue
            table = pd.crosstab(repeated[seen], labels[seen].astype(str))
            purity = float(table.max(axis=1).sum() / seen.sum())
            lifted = purity - labels[seen].value_counts(normalize=True).iloc[0] >= LIFT
            if purity >= PURITY and lifted and (best is None or purity > best[0]):
                best = (purity, by, table)
        if best is not None:
            _, by, table = best
            names = {
                str(label): table[label][table[label] >= SHARED].sort_values(ascending=False).index[:PER_VALUE].tolist()
                for label in table.columns
            }
            out[column] = {"by": by, "names": {k: v for k, v in names.items() if v}}
    return out


def hint_context(hints: dict[str, dict[str, Any]], row: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """What the model is shown beside one row: a few names real rows of the row's category use."""
    out = {}
    for column, hint in hints.items():
        label = row.get(hint["by"])
        names = hint["names"].get(str(label)) if label is not None else None
        if names:
            out[f"{column} names used for {hint['by']} {label}"] = rng.sample(names, min(SHOWN, len(names)))
    return out


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-z]+", text.lower()) if len(w) > 2 and not w.isdigit()]


def owners(hints: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """{text column: {word: the one category value whose names (or own label) use it}} from the hints."""
    out = {}
    for column, hint in hints.items():
        seen: dict[str, set[str]] = {}
        for label, names in hint["names"].items():
            for word in {*_words(label), *(w for n in names for w in _words(n)[:1])}:
                seen.setdefault(word, set()).add(label)
        out[column] = {w: next(iter(labels)) for w, labels in seen.items() if len(labels) == 1}
    return out


def disagreement(
    hints: dict[str, dict[str, Any]], words: dict[str, dict[str, str]], record: dict[str, Any]
) -> str | None:
    """Why a record's hinted text belongs to another category ("Dell ThinkPad": ThinkPad is a Lenovo
    line), or None. Only words that one category's names use alone count."""
    for column, hint in hints.items():
        text, label = record.get(column), record.get(hint["by"])
        if not isinstance(text, str) or label is None:
            continue
        for word in _words(text):
            owner = words.get(column, {}).get(word)
            if owner is not None and owner != str(label):
                return f"agreement: {column} {text!r} names {owner}'s line, not {hint['by']} {label}'s"
    return None
