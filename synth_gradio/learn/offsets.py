"""A sequence's own dates (or numbers) that follow its order column, learned as their distance from it.

Why: a step's order time is not drawn with its row but from a first time and the gaps between
steps (relmodel._steps), so a discharge date learned as a date of its own knew nothing of the
admission date it belongs to: 10% of generated hospital stays ended before they began, and a stay's
length no longer followed its diagnosis (appendicitis 4 days, real 1). Learned as a distance
(discharge - admission, in the order's units: seconds for dates, as the gaps between steps are, so
an order law finds a next admission after the last discharge), a tree learns it per diagnosis like
any number, and the date is written from the drawn order time and the distance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.learn.detect import detect as detect_column
from synth_gradio.learn.relcheck import order_numbers, write_order, written_numbers

SPREAD = 0.25  # a column follows the order where its distance from it spreads at most this share as widely
MIN_ROWS = 20  # rows with both values before a column is judged to follow the order
KINDS = {"number": "number", "discrete": "number", "datetime": "datetime"}  # a column's kind, as an order's
POSITION = "#pos"  # a drawn step's order value as a number, kept until its distances are written


def _spread(values: np.ndarray) -> float:
    low, high = np.percentile(values, (10, 90))
    return float(high - low)


def follow_order(table: str, frame: pd.DataFrame, own: pd.DataFrame, order: str) -> tuple[pd.DataFrame, list[dict]]:
    """`own` with each column that follows the order replaced by its distance from it, and how to
    write each back. A column follows the order where it is of the same kind (dates beside a date,
    numbers beside a number) and its distance from the order varies far less than the column does."""
    try:
        base, how = order_numbers(table, order, frame[order])
    except InputError:
        return own, []  # the order column's own check (relcheck) says why
    out, found = own.copy(), []
    for column in own.columns:
        if column.startswith("#") or column == order:
            continue
        found_kind = detect_column(column, own[column].dropna()).kind
        if KINDS.get(found_kind) != how["kind"]:
            continue
        try:
            numbers, mine = order_numbers(table, column, own[column])
        except InputError:
            continue
        both = np.isfinite(numbers) & np.isfinite(base)
        if mine["kind"] != how["kind"] or both.sum() < MIN_ROWS or both.sum() < own[column].notna().sum():
            continue
        distance = numbers - base
        whole = _spread(numbers[both])
        if whole <= 0 or _spread(distance[both]) > SPREAD * whole:
            continue
        out[column] = distance
        found.append({"column": column, "format": mine})
    return out, found


def offsets_note(table: str, order: str, offsets: list[dict]) -> list[str]:
    if not offsets:
        return []
    names = ", ".join(o["column"] for o in offsets)
    return [f"{table}: {names} learned as the distance from {order}, so each keeps its place beside it"]


def write_offsets(rows: pd.DataFrame, offsets: list[dict], order: dict[str, Any]) -> None:
    """In place: each following column written from its drawn distance and the step's order value
    (POSITION) as written (`order`: its form; rounded apart, a day and a half after noon on day d
    could be written as day d + 1, on that day), in the column's own form; a null distance stays null."""
    if not offsets or POSITION not in rows:
        return
    position = written_numbers(pd.to_numeric(rows[POSITION], errors="coerce").to_numpy(dtype=float), order)
    for offset in offsets:
        column = offset["column"]
        if column not in rows:
            continue
        value = position + pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float)
        known = np.isfinite(value)
        text = write_order(np.where(known, value, 0.0), offset["format"])
        rows[column] = pd.Series([t if k else None for t, k in zip(text, known, strict=True)], index=rows.index)
