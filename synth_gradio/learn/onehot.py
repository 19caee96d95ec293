"""Exclusive indicators: 0/1 columns of which at most one is 1 in every row, learned as the one
category they encode (an occupation written as occ1..occ9, a region as north/south/west flags with
the fourth left out, year dummies).

Why: drawn one by one, each indicator from a tree on those before it, the group keeps "exactly one"
only where a leaf can isolate each state; a leaf must hold enough rows to hide a person, so in a
panel, where the previous year's indicators predict most of this year's, the few people who change
occupation fall in leaves too big to tell occ3 from occ7, and half the drawn rows had two
occupations or none. As one category, the group's states are one column's values: a leaf keeps
their shares, and no row can have two.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

MIN_MEMBERS = 3
SEP = "|"


def _indicator(series: pd.Series) -> np.ndarray | None:
    """The column as 0/1 when it holds only 0 and 1 (or False and True) and no nulls, else None."""
    if series.isna().any() or not (pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series)):
        return None
    values = series.to_numpy(dtype=float)
    return values if np.isin(values, (0.0, 1.0)).all() and values.any() else None


def find_groups(frame: pd.DataFrame, skip: set[str]) -> list[dict[str, Any]]:
    """Groups of at least MIN_MEMBERS indicators never 1 together, in column order (greedy: each
    indicator joins the first group it excludes)."""
    groups: list[tuple[list[str], np.ndarray]] = []
    for name in frame.columns:
        values = None if name in skip else _indicator(frame[name])
        if values is None:
            continue
        for members, taken in groups:
            if not (taken * values).any():
                members.append(name)
                taken += values
                break
        else:
            groups.append(([name], values.copy()))
    return [
        {"name": SEP.join(members), "members": members, "bool": [pd.api.types.is_bool_dtype(frame[m]) for m in members]}
        for members, _ in groups
        if len(members) >= MIN_MEMBERS
    ]


def collapse(frame: pd.DataFrame, groups: list[dict[str, Any]]) -> pd.DataFrame:
    """Each group's members replaced, where the first stood, by one column naming the member that is
    1 ("" where none is)."""
    out = frame.copy()
    for group in groups:
        label = pd.Series("", index=frame.index, dtype=object)
        for member in group["members"]:
            label[frame[member].astype(float).to_numpy() == 1.0] = member
        at = list(out.columns).index(group["members"][0])
        out = out.drop(columns=group["members"])
        out.insert(at, group["name"], label)
    return out


def expanded(columns: list[str], groups: list[dict[str, Any]]) -> list[str]:
    """The column names a row is written with: each group's name replaced by its members."""
    members = {g["name"]: g["members"] for g in groups}
    return [m for c in columns for m in members.get(c, [c])]


def expand_columns(values: dict[str, list[Any]], groups: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Columns of values by name, each group's column replaced by its members' indicators."""
    out = {}
    by_name = {g["name"]: g for g in groups}
    for name, column in values.items():
        group = by_name.get(name)
        if group is None:
            out[name] = column
            continue
        for member, as_bool in zip(group["members"], group["bool"], strict=True):
            one, zero = (True, False) if as_bool else (1, 0)
            out[member] = [None if v is None else one if v == member else zero for v in column]
    return out


def notes(groups: list[dict[str, Any]]) -> list[str]:
    return [
        f"columns {', '.join(g['members'])} are never 1 together; they are learned as one category, so no "
        "generated row has two of them"
        for g in groups
    ]
