"""Time of day and days of the week for a date or date-time distribution.

    "starts_at": {"type": "string", "format": "date-time",
                  "x-distribution": {"kind": "uniform", "low": "2025-01-01T00:00:00Z", "high": "2025-12-31T23:59:59Z",
                                     "hours": [8, 18], "weekdays": [0, 1, 2, 3, 4], "every": 15}}

A date-time drawn over a year falls at any second of the day, so clinic appointments started at
02:40 and a weekday-only business booked on Sundays. `hours` keeps the time of day inside
[start, end) hours, `every` puts it on a grid of that many minutes (quarter hours), `weekdays` keeps
the day on those days (0 = Monday), moving a drawn day to an allowed one of its week. The date
itself follows the declared kind as before (dates take `weekdays` only).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from synth_gradio.errors import SchemaError

CLOCK = ("hours", "weekdays", "every")
_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def check_clock(params: dict[str, Any], paths: dict[str, str], kind: str) -> None:
    """One sentence at the offending path where a clock parameter does not fit the field."""
    if "hours" in params or "every" in params:
        key = "hours" if "hours" in params else "every"
        if kind != "date-time":
            raise SchemaError(f"'{key}' applies to date-time fields only", paths[key])
    hours = params.get("hours")
    if hours is not None and not (
        isinstance(hours, list) and len(hours) == 2 and all(isinstance(h, int | float) and not isinstance(h, bool) for h in hours)
        and 0 <= hours[0] < hours[1] <= 24
    ):  # fmt: skip
        raise SchemaError(f"'hours' must be [start, end] with 0 <= start < end <= 24, got {hours!r}", paths["hours"])
    every = params.get("every")
    if every is not None and (isinstance(every, bool) or not isinstance(every, int) or not 1 <= every <= 720):
        raise SchemaError(f"'every' must be whole minutes from 1 to 720, got {every!r}", paths["every"])
    days = params.get("weekdays")
    if days is not None:
        if kind not in ("date", "date-time"):
            raise SchemaError("'weekdays' applies to date and date-time fields only", paths["weekdays"])
        if not (isinstance(days, list) and days and all(type(d) is int and 0 <= d <= 6 for d in days)):
            raise SchemaError(f"'weekdays' must list days 0 (Monday) to 6 (Sunday), got {days!r}", paths["weekdays"])


def clocked(draw: Callable[[random.Random], Any], params: dict[str, Any]) -> Callable[[random.Random], Any]:
    """`draw` with its values moved onto the allowed days and hours (unchanged when none are set)."""
    if not any(k in params for k in CLOCK):
        return draw
    days = set(params.get("weekdays") or range(7))
    start, end = (float(h) * 3600 for h in params.get("hours") or (0, 24))
    every = int(params.get("every") or 0) * 60

    def moved(rng: random.Random) -> Any:
        value = draw(rng)
        if not isinstance(value, str):
            return value  # a null
        if len(value) == 10:
            return _allowed(dt.date.fromisoformat(value), days, rng).isoformat()
        day = _allowed(dt.datetime.strptime(value, _FORMAT).date(), days, rng)
        seconds = start + rng.random() * (end - start)
        if every:
            seconds = start + every * int((seconds - start) // every)
        return (dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=int(seconds))).strftime(_FORMAT)

    return moved


def _allowed(day: dt.date, days: set[int], rng: random.Random) -> dt.date:
    """The day, or where it is not allowed an allowed day of the same week drawn evenly (moving
    every Sunday to Monday made Mondays twice as busy as other days)."""
    if day.weekday() in days:
        return day
    return day + dt.timedelta(days=rng.choice(sorted(days)) - day.weekday())
