"""A sequence's bookkeeping columns, beside each step's own: its parent's, the previous step's, the
step number, the first order value and the gap since the step before, and which columns are the
step's own. Kept apart from related.py, which learns with them, and relmodel.py, which draws.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from synth_gradio.learn.seasons import SEASON
from synth_gradio.learn.stays import START

PARENT, PREV, SECOND = "^", "<", "&"  # a parent's column, the previous step's, a second parent's
STEP, FIRST, GAP = "#step", "#first", "#gap"


def previous_values(frame: pd.DataFrame) -> pd.DataFrame:
    """The previous step's values in a frame of steps, under their own columns' names."""
    lagged = [c for c in frame.columns if c.startswith(PREV)]
    return frame[lagged].rename(columns=lambda c: c[len(PREV) :])


def own_columns(model: Any) -> list[str]:
    """A child model's own columns: not its parent's, not the previous step's, not the step bookkeeping."""
    bookkeeping = (PARENT, PREV, SECOND, START, SEASON)
    return [c for c in model.columns if not c.startswith(bookkeeping) and c not in (STEP, FIRST, GAP)]


def guarded_columns(model: Any) -> list[str]:
    """The own columns a copied sequence is judged on: not codes written from a drawn form, whose
    digits are drawn afresh (codeforms.py), so a whole real sequence is told by the rest."""
    return [c for c in own_columns(model) if c not in model.form_columns]


def sequence_rows(frame: pd.DataFrame, entity: Any, step: Any, columns: list[str]) -> dict[Any, tuple[Any, ...]]:
    """Each entity's whole sequence of `columns` (two steps or more), flattened in step order."""
    entity, step = list(entity), list(step)
    rows = zip(*(frame[c].tolist() for c in columns), strict=True) if columns else ([] for _ in entity)
    steps: dict[Any, list[tuple[Any, tuple[Any, ...]]]] = {}
    for e, t, row in zip(entity, step, rows, strict=True):
        steps.setdefault(e, []).append((t, tuple(row)))
    return {
        e: tuple(v for _, row in sorted(seq, key=lambda x: x[0]) for v in row)
        for e, seq in steps.items()
        if len(seq) >= 2
    }


def whole_columns(plans: list[Any], columns: list[str]) -> list[str]:
    """Columns every model that draws them draws as whole numbers, less those written from a
    distance (an end learned as hours after its start, a series' number around its course), whose
    model's whole numbers are the distances: a first order's amount of 50 or 100 beside later
    ones of 37.6, or an end in half hours, stay as drawn."""
    models = [m for plan in plans for m in (plan.model, plan.first_model) if m is not None]
    wholes = [(set(m.columns), m.whole_columns) for m in models]
    moved = {str(x["column"]) for plan in plans for x in [*plan.offsets, *plan.trends]}
    out = []
    for column in columns:
        drawing = [whole for drawn, whole in wholes if column in drawn]
        if column not in moved and drawing and all(column in whole for whole in drawing):
            out.append(column)
    return out
