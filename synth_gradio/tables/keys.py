"""Keys as comparable text, the same in every table that holds them."""

from __future__ import annotations

import pandas as pd


def key_text(series: pd.Series) -> pd.Series:
    """Keys as text that matches across tables: 7, 7.0 and "7" are the same key (a column with
    empty cells is read as floats); empty stays empty."""
    numbers = pd.to_numeric(series, errors="coerce")
    whole = numbers.notna() & (numbers % 1 == 0) & series.notna()
    text = series.astype(object).where(series.notna(), None)
    text = text.map(lambda v: None if v is None else str(v))
    text[whole] = numbers[whole].astype("int64").astype(str)
    return text
