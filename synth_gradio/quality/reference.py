"""Comparing a run with its reference: which columns both have (reading files is synth_gradio.tables)."""

from __future__ import annotations

import pandas as pd

from synth_gradio.errors import InputError


def matching_columns(reference: pd.DataFrame, generated: pd.DataFrame) -> list[str]:
    """Columns present in both; an error names the columns when none match."""
    shared = [c for c in generated.columns if c in reference.columns]
    if not shared:
        raise InputError(
            "the reference columns do not match the schema: reference has "
            f"{', '.join(map(str, reference.columns[:12]))}; the run has {', '.join(map(str, generated.columns[:12]))}"
        )
    return shared
