"""Dates that keep to a calendar grid: first or last days of months, quarters or years, one day a
year, or one weekday (weekly data).

Why: a date column of monthly, quarterly or weekly data holds only grid days, and drawn dates
between them (a 19 May in a table of quarter starts) give the rows away as a number between a
column's standard values does. Found on the training dates (every one on the grid, MIN_DATES of
them at least), stored with the column's marginal, and each drawn date is moved to the nearest grid
day within the training range.
"""

from __future__ import annotations

from typing import Any

import numpy as np

DAY = 86400
MIN_DATES = 20
THURSDAY = 3  # 1970-01-01, day 0, with Monday as 0


def _months(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of days since the epoch."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _day_in(months: np.ndarray, day: str | int) -> np.ndarray:
    """Days since the epoch of a month's first ("start"), last ("end") or n-th day (at most its last)."""
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    last = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - 1
    if day == "start":
        return first
    if day == "end":
        return last
    return np.minimum(first + int(day) - 1, last)


def find_grid(seconds: np.ndarray, resolution: float) -> dict[str, Any] | None:
    """The grid every training date keeps ({"step": months, "at": offset, "day": ...} or
    {"weekday": n}), or None."""
    seconds = seconds[np.isfinite(seconds)]
    if resolution < DAY or len(seconds) < MIN_DATES or len(np.unique(seconds)) < 3:
        return None
    days = (seconds // DAY).astype(np.int64)
    months = _months(days)
    day: str | int | None = None
    if np.all(days == _day_in(months, "start")):
        day = "start"
    elif np.all(days == _day_in(months, "end")):
        day = "end"
    for step in (12, 3, 1):
        if day is None and step < 12:
            break
        if np.all(months % step == months[0] % step):
            if day is None:  # one day a year: the same day of the same month
                numbers = days - _day_in(months, "start") + 1
                if not np.all(numbers == numbers[0]):
                    break
                day = int(numbers[0])
            return {"step": step, "at": int(months[0] % step), "day": day}
    weekdays = (days + THURSDAY) % 7
    return {"weekday": int(weekdays[0])} if np.all(weekdays == weekdays[0]) else None


def snap(seconds: np.ndarray, grid: dict[str, Any], low: float, high: float) -> np.ndarray:
    """Each date moved to the nearest grid day within [low, high] (NaN stays NaN)."""
    seen = np.isfinite(seconds)
    days = np.floor(np.where(seen, seconds, 0) / DAY).astype(np.int64)
    if "weekday" in grid:
        ahead = (int(grid["weekday"]) - (days + THURSDAY)) % 7
        candidates = np.stack([days + ahead - 7, days + ahead])
    else:
        step, at = int(grid["step"]), int(grid["at"])
        months = _months(days)
        base = months - (months - at) % step
        candidates = np.stack([_day_in(base + k * step, grid["day"]) for k in (-1, 0, 1)])
    moments = candidates.astype(float) * DAY
    distance = np.abs(moments - np.where(seen, seconds, 0))
    distance[(moments < low - 0.5) | (moments > high + 0.5)] = np.inf
    chosen = moments[np.argmin(distance, axis=0), np.arange(len(days))]
    return np.where(seen & np.isfinite(distance.min(axis=0)), chosen, seconds)
