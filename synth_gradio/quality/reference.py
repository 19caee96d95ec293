"""Comparing a run with its reference: which columns both have (reading files is synth_gradio.tables)."""

from __future__ import annotations

import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.tables import find_units, read_columns


def matching_columns(reference: pd.DataFrame, generated: pd.DataFrame) -> list[str]:
    """Columns present in both; an error names the columns when none match."""
    shared = [c for c in generated.columns if c in reference.columns]
    if not shared:
        raise InputError(
            "the reference columns do not match the schema: reference has "
            f"{', '.join(map(str, reference.columns[:12]))}; the run has {', '.join(map(str, generated.columns[:12]))}"
        )
    return shared


def numbers_read(reference: pd.DataFrame, *others: pd.DataFrame | None) -> list[pd.DataFrame | None]:
    """The frames with each column the reference writes as numbers with a unit ("1.37kg", "$1,200")
    read as those numbers, so shapes, trends, distances and the classifier compare amounts, not
    strings (a drawn 1.38kg is near a real 1.37kg, not another category)."""
    columns = find_units(reference, set())
    if not columns:
        return [reference, *others]

    def numbers(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        return read_columns(
            frame, {c: how for c, how in columns.items() if c in frame.columns and frame[c].dtype == object}
        )

    return [numbers(frame) for frame in (reference, *others)]
