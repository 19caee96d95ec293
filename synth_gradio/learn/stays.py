"""States that last: a step's value that mostly repeats the previous step's (marital status, union
membership, an occupation, a plan tier) is learned as "did it change?" and, when it did, "to what?".

Why: drawn as a category from a tree on the previous step's values, a state with nine values only
keeps its persistence where a leaf isolates each previous value; leaves must hold enough rows to
hide a person, so in a real-sized panel an occupation that 91% of workers keep from one year to
the next was kept by 20% of generated workers. So a state is learned as two columns: its value at
an entity's first step (`#start:col`, missing at later steps) and its value where it changed
(`col`, missing at the first step and wherever it repeats the previous one). The null tree of
`col` learns how often a state lasts and for whom, its value tree where people move to, from the
rows where they moved only; the first steps' values are learned apart, since mixed with the
changes (mostly from single to married) they made 47% of people start married instead of 30%.
Drawing takes the first value at a first step and fills an unchanged state from the previous
step; a first value that came out missing, or a change to the value it came from, is drawn again
with a value (see `keep_states`).

Exclusive indicators in a sequence (occ1..occ9) are one state: they are collapsed into one column
before the steps are laid out (onehot.py), and written back as indicators.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.onehot import collapse, expand_columns, find_groups

START = "#start:"  # prefix of a state's first-step column
STAY = 0.6  # share of steps repeating the previous value from which a column is learned as a state
REDRAWS = 12  # draws of a step whose state is missing at the start or changes to the value it had


def state_groups(own: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """A step table's own columns with each group of exclusive indicators as one column, and the groups."""
    groups = find_groups(own, set())
    return (collapse(own, groups), groups) if groups else (own, [])


def find_states(own: pd.DataFrame, previous: pd.DataFrame, candidates: list[str]) -> list[str]:
    """Candidate columns without nulls whose value repeats the previous step's in at least STAY of
    the steps that have one (`previous` holds the previous step's values under the same names)."""
    out = []
    for column in candidates:
        if column not in previous or own[column].isna().any():
            continue
        before = previous[column]
        has = before.notna().to_numpy()
        if has.sum() and float((own[column].to_numpy()[has] == before.to_numpy()[has]).mean()) >= STAY:
            out.append(column)
    return out


def mask_states(own: pd.DataFrame, previous: pd.DataFrame, states: list[str]) -> pd.DataFrame:
    """`own` with each state as its first-step value (START + name) and its changes (the name)."""
    out = own.copy()
    for column in states:
        value, before = own[column], previous[column]
        first = before.isna().to_numpy()
        if first.any():  # absent where the first steps are learned apart (firsts.apart)
            out[START + column] = value.where(first)
        out[column] = value.where(~first & (value.to_numpy() != before.to_numpy()))
    return out


def _wrong(value: pd.Series, before: pd.Series, first: bool) -> np.ndarray:
    """Missing where a value is needed (a first step's), or changed to the value it came from."""
    if first:
        return value.isna().to_numpy()
    return (value.notna() & before.notna() & (value == before)).to_numpy()


def keep_states(
    drawn: pd.DataFrame,
    previous: pd.DataFrame,
    states: list[str],
    redraw: Callable[[np.ndarray, str], pd.DataFrame],
) -> pd.DataFrame:
    """Drawn steps with every state filled (see the module docstring). Whether a state changed is
    the first draw's; a value that breaks a rule (see `_wrong`) is taken, for that column alone, from
    rows drawn again with `redraw(row positions, column)`, which draws the column with a value."""
    if not states:
        return drawn
    drawn = drawn.reset_index(drop=True)
    for column in states:
        before = previous[column].reset_index(drop=True) if column in previous else pd.Series(np.nan, index=drawn.index)
        if column not in drawn:  # it never changed in a real step (not modelled): the first value lasts
            drawn[column] = pd.Series(np.nan, index=drawn.index, dtype=object)
        first = before.isna().to_numpy() & (START + column in drawn)  # without: first steps drawn apart
        for at, name in ((np.flatnonzero(first), START + column), (np.flatnonzero(~first), column)):
            for _ in range(REDRAWS if len(at) else 0):
                wrong = at[_wrong(drawn[name].iloc[at], before.iloc[at], name != column)]
                if not len(wrong):
                    break
                again = redraw(wrong, name)[name].reset_index(drop=True)
                fits = ~_wrong(again, before.iloc[wrong].reset_index(drop=True), name != column)
                drawn.loc[wrong[fits], name] = again[fits].to_numpy(dtype=object)
        value = drawn[column].where(~first, drawn[START + column]) if first.any() else drawn[column]
        drawn[column] = value.where(value.notna(), before)
    return drawn


def expand_states(frame: pd.DataFrame, groups: list[dict[str, Any]]) -> pd.DataFrame:
    """A drawn table with each collapsed group written back as its indicators."""
    if not groups:
        return frame
    columns = expand_columns({c: frame[c].tolist() for c in frame.columns}, groups)
    return pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in columns.items()}, index=frame.index)


def states_note(table: str, states: list[str], groups: list[dict[str, Any]]) -> list[str]:
    """The summary's sentence on a table's states (none without any)."""
    if not states:
        return []
    members = {g["name"]: f"{g['members'][0]}..{g['members'][-1]} (one of them 1)" for g in groups}
    said = ", ".join(members.get(c, c) for c in states)
    return [f"{table}: {said} mostly last from step to step; learned as first values and changes"]
