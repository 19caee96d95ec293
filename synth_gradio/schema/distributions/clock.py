"""Time of day and days of the week for a date or date-time distribution.

    "starts_at": {"type": "string", "format": "date-time",
                  "x-distribution": {"kind": "uniform", "low": "2025-01-01T00:00:00Z", "high": "2025-12-31T23:59:59Z",
                                     "hours": [8, 18], "weekdays": [0, 1, 2, 3, 4], "every": 15}}

A date-time drawn over a year falls at any second of the day, so clinic appointments started at
02:40 and a weekday-only business booked on Sundays. `hours` keeps the time of day inside
[start, end) hours, or draws it from 24 weights, one per hour (online orders peak in the evening);
`every` puts it on a grid of that many minutes (quarter hours); `weekdays` keeps the day on those
days (0 = Monday), moving a drawn day to an allowed one of its week. The date
itself follows the declared kind as before (dates take `weekdays` only); a move that would leave
the declared low/high is not made. Times of day are UTC, as the drawn date-times are.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from synth_gradio.errors import SchemaError
from synth_gradio.schema.distributions.space import EPOCH, Space, parse_moment

CLOCK = ("hours", "weekdays", "every")
CONTINUOUS = ("uniform", "normal")  # the kinds whose draws may be moved (not an enum's or a constant's values)
_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def check_clock(params: dict[str, Any], paths: dict[str, str], space: Space, kind: str) -> None:
    """One sentence at the offending path where a clock parameter does not fit the field."""
    given = [k for k in CLOCK if k in params]
    if given and (kind not in CONTINUOUS or space.enum is not None):
        raise SchemaError(
            f"'{given[0]}' moves drawn dates and times, so it takes a uniform or normal distribution over a field "
            "without an enum",
            paths[given[0]],
        )
    if "hours" in params or "every" in params:
        key = "hours" if "hours" in params else "every"
        if space.kind != "date-time":
            raise SchemaError(f"'{key}' applies to date-time fields only", paths[key])
    hours = params.get("hours")
    numbers = isinstance(hours, list) and all(isinstance(h, int | float) and not isinstance(h, bool) for h in hours)
    window = numbers and len(hours) == 2 and 0 <= hours[0] < hours[1] <= 24
    profile = numbers and len(hours) == 24 and min(hours) >= 0 and 0 < sum(hours) < float("inf")
    if hours is not None and not (window or profile):
        raise SchemaError(
            f"'hours' must be [start, end] with 0 <= start < end <= 24, or 24 weights (one per hour), got {hours!r}",
            paths["hours"],
        )
    every = params.get("every")
    if every is not None and (isinstance(every, bool) or not isinstance(every, int) or not 1 <= every <= 720):
        raise SchemaError(f"'every' must be whole minutes from 1 to 720, got {every!r}", paths["every"])
    days = params.get("weekdays")
    if days is not None:
        if space.kind not in ("date", "date-time"):
            raise SchemaError("'weekdays' applies to date and date-time fields only", paths["weekdays"])
        if not (isinstance(days, list) and days and all(type(d) is int and 0 <= d <= 6 for d in days)):
            raise SchemaError(f"'weekdays' must list days 0 (Monday) to 6 (Sunday), got {days!r}", paths["weekdays"])


def clocked(
    draw: Callable[[random.Random], Any], params: dict[str, Any], low: float, high: float
) -> Callable[[random.Random], Any]:
    """`draw` with its values moved onto the allowed days and hours, never outside the group's
    bounds [low, high] (day numbers for dates, epoch seconds for date-times); unchanged when no
    clock parameter is set."""
    if not any(k in params for k in CLOCK):
        return draw
    days = set(params.get("weekdays") or range(7))
    timed = "hours" in params or "every" in params  # else the drawn time of day stays
    hours = params.get("hours") or [0, 24]
    profile = len(hours) == 24  # a weight per hour (a day's profile), else a window [start, end)
    start, end = (0.0, 86_400.0) if profile else (float(hours[0]) * 3600, float(hours[1]) * 3600)
    every = int(params.get("every") or 0) * 60

    def time_of_day(rng: random.Random) -> float:
        if profile:
            first = rng.choices(range(24), weights=hours)[0] * 3600.0
            seconds = first + rng.random() * 3600
        else:
            seconds = start + rng.random() * (end - start)
        return start + every * int((seconds - start) // every) if every else seconds

    def moved(rng: random.Random) -> Any:
        value = draw(rng)
        if not isinstance(value, str):
            return value  # a null
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            for option in _allowed(day, days, rng):
                if low <= option.toordinal() <= high:
                    return option.isoformat()
            return value
        drawn = EPOCH + dt.timedelta(seconds=parse_moment(value))
        for option in _allowed(drawn.date(), days, rng):
            seconds = (drawn - dt.datetime.combine(drawn.date(), dt.time())).total_seconds()
            if timed:
                seconds = time_of_day(rng)
            moment = dt.datetime.combine(option, dt.time()) + dt.timedelta(seconds=int(seconds))
            if low <= (moment - EPOCH).total_seconds() <= high:
                return moment.strftime(_FORMAT)
        return value

    return moved


def _allowed(day: dt.date, days: set[int], rng: random.Random) -> list[dt.date]:
    """The day when allowed, else the allowed days of its week in a random order (moving every
    Sunday to Monday made Mondays twice as busy as other days); the caller keeps one in bounds."""
    if day.weekday() in days:
        return [day]
    weeks = []
    for shift in (0, -7, 7):  # its own week first; the week before or after where bounds cut it
        options = [day + dt.timedelta(days=d - day.weekday() + shift) for d in sorted(days)]
        rng.shuffle(options)
        weeks += options
    return weeks
