"""A column that names another row of its own table: an employee's manager, a category's parent.

Why: such a column is neither an entity (employees are not steps of their manager) nor a number to
draw. Drawn as a number, 9 in 10 generated employees reported to an employee id that no generated
row has. It is written after the table's new keys, as a key of another generated row, chosen as
the real ones are: from the rows that agree with it where the real referenced rows nearly always
agree (a manager works in the same department), and that lie above or below it where real ones
nearly always do (a manager earns more). A row with no such row has none, as the real top rows
have none; whether a row has one at all is learned by the table's model, beside its other columns.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.codes import new_keys
from synth_gradio.learn.keys import self_reference
from synth_gradio.learn.templates import key_texts, write_key_texts
from synth_gradio.tables import key_text

AGREE = 0.9  # share of rows whose referenced row has the same value, for the choice to keep it
OVER_CHANCE = 0.2  # ... and by this much more than two rows drawn at random agree
SIDE = 0.95  # share of rows whose referenced row lies above (or below) it, for the choice to keep it
FEW = 20  # a column of at most this many values is compared by equality
MIN_PAIRS = 10


def keyed_columns(
    frame: pd.DataFrame, key: str | None, columns: list[str], notes: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A table's columns written once its new keys are drawn: texts made from the key
    (templates.py), and columns naming another row; the latter said in `notes`."""
    if key is None:
        return {}, {}
    columns = [str(c) for c in columns]
    links = self_links(frame, key, columns)
    for column, how in links.items():
        kept = [*how["same"], *(f"{c} ({side})" for side in ("above", "below") for c in how[side])]
        named = f"a row that shares {', '.join(kept)}" if kept else "another row"
        notes.append(f"{column} names another row by its {key}: each is written as the new {key} of {named}")
    return key_texts(frame, key, columns), links


def self_links(frame: pd.DataFrame, key: str | None, columns: list[str]) -> dict[str, dict[str, Any]]:
    """Each self-referencing column and what its referenced rows share with the referring ones."""
    out: dict[str, dict[str, Any]] = {}
    for column in columns:
        if not self_reference(frame, column, key):
            continue
        rows = frame[frame[column].notna()]
        target = frame.set_axis(key_text(frame[str(key)])).reindex(key_text(rows[column]))
        how: dict[str, list[str]] = {"same": [], "above": [], "below": []}
        for other in columns:
            if other in (key, column) or other not in frame.columns:
                continue
            mine, theirs = rows[other].reset_index(drop=True), target[other].reset_index(drop=True)
            both = (mine.notna() & theirs.notna()).to_numpy()
            if both.sum() < MIN_PAIRS:
                continue
            if frame[other].nunique() <= FEW or not _ordered(frame[other]).notna().any():
                shares = frame[other].value_counts(normalize=True).to_numpy()
                agree = float((mine[both] == theirs[both]).mean())
                if agree >= AGREE and agree - float(np.sum(shares**2)) >= OVER_CHANCE:
                    how["same"].append(other)
                continue
            a, b = _ordered(mine).to_numpy()[both], _ordered(theirs).to_numpy()[both]
            for side, share in (("above", np.mean(b > a)), ("below", np.mean(b < a))):
                if share >= SIDE:
                    how[side].append(other)
        out[column] = how
    return out


def _ordered(series: pd.Series) -> pd.Series:
    """Numbers as they are, dates as seconds; NaN for anything else."""
    if pd.api.types.is_bool_dtype(series):
        return pd.Series(np.nan, index=series.index)
    if pd.api.types.is_numeric_dtype(series):
        return series.astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dates = pd.to_datetime(series, errors="coerce", format="mixed")
    if dates.notna().sum() < series.notna().sum():
        return pd.Series(np.nan, index=series.index)
    return (dates - pd.Timestamp("1970-01-01")).dt.total_seconds()


def write_keys(rows: pd.DataFrame, plan: Any, rng: np.random.Generator) -> None:
    """In place: the table's new keys, the columns written from them, and the rows each row names."""
    rows[plan.key] = new_keys(plan.key_format, len(rows))
    write_key_texts(rows, plan.key_texts, rng)
    for column, how in plan.self_links.items():
        if column in rows.columns:
            chosen = _chosen(rows, how, rng, rows[column].notna().to_numpy())
            keys = rows[plan.key].tolist()
            rows[column] = pd.Series([keys[i] if i >= 0 else None for i in chosen], index=rows.index, dtype=object)


def _chosen(rows: pd.DataFrame, how: dict[str, list[str]], rng: np.random.Generator, present: np.ndarray) -> np.ndarray:
    """The position of each present row's referenced row (-1: none), another row of its group that
    lies on the learned side of it, ranked by the first ordered column and checked on the rest."""
    out = np.full(len(rows), -1)
    same = [c for c in how["same"] if c in rows.columns]
    sides = [(c, 1) for c in how["above"] if c in rows.columns] + [(c, -1) for c in how["below"] if c in rows.columns]
    numbers = {c: sign * _ordered(rows[c]).to_numpy(dtype=float) for c, sign in sides}
    groups = rows.groupby(same, dropna=False, sort=False).indices.values() if same else [np.arange(len(rows))]
    for members in groups:
        members = np.asarray(members)
        asking = members[present[members]]
        if not sides:  # any other member, uniformly: a draw over all but the last, which stands in for i
            for i in asking:
                if len(members) > 1:
                    pick = members[rng.integers(len(members) - 1)]
                    out[i] = members[-1] if pick == i else pick
            continue
        first = numbers[sides[0][0]]
        ranked = members[np.argsort(first[members], kind="stable")]  # NaN last
        values = first[ranked]
        end = len(values) - int(np.isnan(values).sum())
        for i in asking:
            start = int(np.searchsorted(values[:end], first[i], side="right")) if np.isfinite(first[i]) else end
            if start >= end:
                continue
            if len(sides) == 1:
                out[i] = ranked[rng.integers(start, end)]
                continue
            above = ranked[start:end]
            fits = above[np.all([numbers[c][above] > numbers[c][i] for c, _ in sides[1:]], axis=0)]
            out[i] = rng.choice(fits) if len(fits) else -1
    return out
