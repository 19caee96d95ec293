"""Gap rules: how far one date, date-time or number lies after another.

    {"kind": "gap", "from": "starts_at", "to": "ends_at", "unit": "minutes", "min": 10, "max": 90,
     "median": 25, "step": 5}

Two fields drawn on their own each fall anywhere in their range, so an appointment that starts in
October ended in May, and a payment's value date came a year after its booking; ordering them (a
compare rule) does not help. A gap rule says how long lies between them. The fix draws the gap
again, lognormal around `median` (default: between min and max), inside [min, max], rounded to
`step` (default 1 unit), and writes `to` in the form it has (a date, a date-time with the zone of
`from`, a number). Units: seconds, minutes, hours, days, weeks (dates and date-times); numbers take
no unit. Where either side is a date, whole days are counted (a date-time `from` by its own day), so
a ship date after an order's date-time lies the days asked for. A planned record draws with the
run's random source; a repair after writing draws from the `from` value, so it repeats.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86_400, "weeks": 604_800}
DRAWS = 30  # tries inside [min, max] before the draw is clipped
MOST_SECONDS = 3.2e9  # about a century: a longer gap is refused (timedelta and day arithmetic overflow)
DAY = 86_400.0


def _instant(value: Any) -> tuple[str, float] | None:
    """("number" | "date" | "datetime", a number or seconds since the epoch), or None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "number", float(value)
    if not isinstance(value, str):
        return None
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return "date", dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return "datetime", (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp()


def _scale(spec: dict[str, Any], kind: str) -> float:
    return 1.0 if kind == "number" else float(UNITS[spec.get("unit", "days")])


def _day_of(value: str) -> dt.date:
    """The calendar day a date or date-time is written on (in its own zone)."""
    return dt.date.fromisoformat(value[:10])


def gap(spec: dict[str, Any], record: dict[str, Any]) -> float | None:
    """How far `to` lies after `from`, in the rule's unit (whole days where either is a date); None
    when either is missing, unreadable, or one is a number and the other a date."""
    a, b = record.get(spec["from"]), record.get(spec["to"])
    start, end = _instant(a), _instant(b)
    if start is None or end is None or (start[0] == "number") != (end[0] == "number"):
        return None
    if "date" in (start[0], end[0]):
        return (_day_of(b) - _day_of(a)).days * DAY / _scale(spec, "date")
    return (end[1] - start[1]) / _scale(spec, start[0])


def check_gap(spec: dict[str, Any], record: dict[str, Any]) -> bool:
    """Whether the gap lies inside [min, max] (a missing value is no violation)."""
    found = gap(spec, record)
    return found is None or float(spec["min"]) - 1e-9 <= found <= float(spec["max"]) + 1e-9


def _draw(spec: dict[str, Any], rng: random.Random, step: float) -> float:
    """A gap inside [min, max] on multiples of `step`, lognormal around the median."""
    low, high = float(spec["min"]), float(spec["max"])
    shift = 0.0 if low > 0 else step - low  # a lognormal needs a positive range: shifted, then back
    a, b = low + shift, high + shift
    median = float(spec["median"]) + shift if "median" in spec else math.sqrt(a * b)
    sigma = float(spec.get("sigma", max(0.1, math.log(b / a) / 4)))
    value = median
    for _ in range(DRAWS):
        value = rng.lognormvariate(math.log(median), sigma)
        if a <= value <= b:
            break
    value = min(b, max(a, value)) - shift
    steps = math.ceil((low - 1e-9) / step), math.floor((high + 1e-9) / step)
    return min(steps[1], max(steps[0], round(value / step))) * step


def fix_gap(spec: dict[str, Any], record: dict[str, Any], rng: random.Random | None = None) -> bool:
    """Write `to` as `from` plus a gap drawn again, in the form `to` is written in; False when
    `from` cannot be read, `to` is null or of another kind, or no whole day fits a date's gap."""
    first, last = record.get(spec["from"]), record.get(spec["to"])
    start, end = _instant(first), _instant(last)
    if start is None or end is None or (start[0] == "number") != (end[0] == "number"):
        return False  # a null end means none yet (an open ticket); a number beside a date is no gap
    kind, origin = start
    rng = rng or random.Random(f"{spec['from']}>{spec['to']}:{first}")
    step = float(spec.get("step", 1))
    if kind == "number":
        value = origin + _draw(spec, rng, step)
        record[spec["to"]] = int(value) if isinstance(first, int) and value == int(value) else value
        return True
    scale = _scale(spec, kind)
    if "date" in (kind, end[0]):  # whole days, counted from `from`'s own day
        in_days = _in_days(spec, scale)
        if in_days is None:
            return False
        day = _day_of(str(first)) + dt.timedelta(days=round(_draw(in_days, rng, in_days["step"])))
        if end[0] == "date":
            record[spec["to"]] = day.isoformat()
        else:
            record[spec["to"]] = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")
        return True
    moment = dt.datetime.fromisoformat(str(first).replace("Z", "+00:00")) + dt.timedelta(
        seconds=_draw(spec, rng, step) * scale
    )
    written = moment.isoformat(timespec="auto")
    record[spec["to"]] = written.replace("+00:00", "Z") if str(first).endswith("Z") else written
    return True


def _in_days(spec: dict[str, Any], scale: float) -> dict[str, Any] | None:
    """The rule in whole days (a day's gap of 2 to 336 hours is 1 to 14 days), or None when no whole
    day fits."""
    low = math.ceil(float(spec["min"]) * scale / DAY - 1e-9)
    high = math.floor(float(spec["max"]) * scale / DAY + 1e-9)
    if high < low:
        return None
    out: dict[str, Any] = {"min": low, "max": high, "step": max(1, round(float(spec.get("step", 1)) * scale / DAY))}
    if "median" in spec:
        out["median"] = min(high, max(low, float(spec["median"]) * scale / DAY))
    return out


def describe_gap(spec: dict[str, Any]) -> str:
    unit = f" {spec['unit']}" if "unit" in spec else ""
    return f"{spec['to']} is {spec['min']} to {spec['max']}{unit} after {spec['from']}"


def gap_problem(spec: dict[str, Any]) -> str | None:
    """What is wrong with a gap rule's parameters, or None."""
    if spec.get("unit", "days") not in UNITS:
        return f"'unit' must be one of {', '.join(UNITS)}"
    try:
        low, high, step = float(spec["min"]), float(spec["max"]), float(spec.get("step", 1))
        median = float(spec["median"]) if "median" in spec else None
    except (TypeError, ValueError):
        return "'min', 'max', 'median' and 'step' must be numbers"
    if not all(math.isfinite(v) for v in (low, high, step, median if median is not None else 0.0)):
        return "'min', 'max', 'median' and 'step' must be finite numbers"
    if max(abs(low), abs(high)) * float(UNITS[spec.get("unit", "days")]) > MOST_SECONDS:
        return "a gap of more than about a century cannot be drawn; use a larger unit or a smaller max"
    if not low <= high or step <= 0 or (median is not None and not low <= median <= high):
        return "a gap needs min <= median <= max and a positive step"
    if math.floor((high + 1e-9) / step) < math.ceil((low - 1e-9) / step):
        return f"no multiple of the step {spec.get('step', 1)} lies between min and max"
    return None
