"""Quarters written as labels (1959Q1, 1959-Q1, 1959 Q1, Q1 1959, Q1-1959): a date at the quarter's
start, read and written back in the label's own form.

Why: statistics offices and finance tables date quarterly series so (pandas prints its quarterly
periods this way), and read as text each label was a category of one row: a quarterly series ordered
by its labels was not found, and a table's quarter came out as a value seen once. As a date it is
ordered, its gaps are a calendar, and what a date's year or quarter column holds follows from it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

QUARTER = "%q"  # the quarter's number in a label format, beside strftime's %Y
SHAPES = ("%YQ%q", "%Y-Q%q", "%Y Q%q", "%Y/Q%q", "Q%q %Y", "Q%q-%Y", "Q%q/%Y")
FORMATS = SHAPES + tuple(f.replace("Q%", "q%") for f in SHAPES)  # 1959q1 is written back in lower case
HEAD = 50  # values a format must read before the whole column is tried


def is_quarterly(fmt: str) -> bool:
    return QUARTER in fmt


def _pattern(fmt: str) -> re.Pattern[str]:
    parts = re.split(r"(%Y|%q)", fmt)
    named = {"%Y": r"(?P<year>\d{4})", "%q": r"(?P<quarter>[1-4])"}
    return re.compile("^" + "".join(named.get(p, re.escape(p)) for p in parts) + "$")


def quarter_format(values: pd.Series) -> str | None:
    """The label format every non-null value is written in, or None."""
    text = values.dropna()
    if text.empty or not all(isinstance(v, str) for v in text.head(HEAD)):
        return None
    head = text.head(HEAD).astype(str)
    for fmt in FORMATS:
        pattern = _pattern(fmt)
        if head.str.match(pattern).all() and text.astype(str).str.match(pattern).all():
            return fmt
    return None


def quarter_seconds(values: pd.Series, fmt: str) -> np.ndarray:
    """Seconds since the epoch of each label's quarter start (NaN for nulls and other text)."""
    parts = values.astype("string").str.extract(_pattern(fmt))
    year = pd.to_numeric(parts["year"], errors="coerce")
    quarter = pd.to_numeric(parts["quarter"], errors="coerce")
    months = (year - 1970) * 12 + (quarter - 1) * 3
    out = np.full(len(values), np.nan)
    known = months.notna().to_numpy()
    start = months[known].astype("int64").to_numpy().astype("datetime64[M]").astype("datetime64[s]")
    out[known] = start.astype("int64").astype(float)
    return out


def write_quarters(seconds: np.ndarray, fmt: str) -> list[str | None]:
    """Labels of the quarters the seconds fall in, in the reference's form (None where not finite)."""
    seconds = np.asarray(seconds, dtype=float)
    known = np.isfinite(seconds)
    count = np.where(known, seconds, 0).astype("int64").astype("datetime64[s]").astype("datetime64[M]").astype("int64")
    years, quarters = 1970 + count // 12, count % 12 // 3 + 1
    labels = [
        fmt.replace("%Y", str(y)).replace(QUARTER, str(q))
        for y, q in zip(years.tolist(), quarters.tolist(), strict=True)
    ]
    return [label if ok else None for label, ok in zip(labels, known.tolist(), strict=True)]
