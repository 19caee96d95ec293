"""A series dated by two numbers, a year and a quarter or a year and a month, ordered by the date they
make together.

Why: quarterly and monthly tables are often written without a date (`year, quarter, gdp, ...`), so
no one column orders them, and learned as independent rows their values lost every tie to the time
(a classifier told US quarterly accounts from the real ones at AUC .86). The pair becomes a date
column of the period's first day (`year+quarter`), which orders the series and is never written:
the year and the quarter are then written from it, as a date's parts are (calendar.py).
"""

from __future__ import annotations

import pandas as pd

from synth_gradio.learn.keys import name_words
from synth_gradio.learn.relations import Relations

JOIN = "+"  # joins the two columns' names in the order's name: year+quarter
PARTS = {"quarter": 4, "month": 12}  # a part of the year, and how many there are


def _whole(series: pd.Series) -> pd.Series | None:
    numbers = pd.to_numeric(series, errors="coerce")
    return numbers if numbers.notna().all() and (numbers == numbers.round()).all() else None


def _per_year(column: str) -> int | None:
    return next((n for part, n in PARTS.items() if part in name_words(column)), None)


def period_pair(frame: pd.DataFrame) -> str | None:
    """`YEAR+PART` where a column named for the year and one named for a quarter (1-4) or month
    (1-12) hold whole numbers in every row."""
    columns = [str(c) for c in frame.columns]
    for year in (c for c in columns if "year" in name_words(c) and _whole(frame[c]) is not None):
        for part in columns:
            per = _per_year(part) if part != year else None
            numbers = _whole(frame[part]) if per else None
            if numbers is not None and numbers.between(1, per).all():
                return f"{year}{JOIN}{part}"
    return None


def is_pair(order: str | None, frame: pd.DataFrame) -> bool:
    """Whether an order names two columns of the frame (YEAR+PART) rather than one."""
    if not order or JOIN not in order or order in frame.columns:
        return False
    year, part = order.split(JOIN, 1)
    return year in frame.columns and part in frame.columns and _per_year(part) is not None


def pair_dates(frame: pd.DataFrame, order: str) -> pd.Series:
    """The first day of each row's period, as ISO dates."""
    year, part = order.split(JOIN, 1)
    months = (pd.to_numeric(frame[part]).astype(int) - 1) * (12 // (_per_year(part) or 12)) + 1
    days = pd.to_datetime({"year": pd.to_numeric(frame[year]).astype(int), "month": months, "day": 1})
    return days.dt.strftime("%Y-%m-%d").set_axis(frame.index)


def with_periods(tables: dict[str, pd.DataFrame], relations: Relations) -> dict[str, pd.DataFrame]:
    """The tables, each ordered by a year and a part of it given that order as a date column."""
    out = dict(tables)
    for steps in relations.steps:
        frame = out.get(steps.table)
        if frame is not None and is_pair(steps.order, frame):
            out[steps.table] = frame.assign(**{steps.order: pair_dates(frame, steps.order)})
    return out
