"""Gap rules: how far one date, date-time or number lies after another.

    {"kind": "gap", "from": "starts_at", "to": "ends_at", "unit": "minutes", "min": 10, "max": 90,
     "median": 25, "step": 5}

Two fields drawn on their own each fall anywhere in their range, so an appointment that starts in
October ended in May, and a payment's value date came a year after its booking; ordering them (a
compare rule) does not help. A gap rule says how long lies between them. The fix draws the gap
again, lognormal around `median` (default: between min and max), inside [min, max], rounded to
`step` (default 1 unit), and writes `to` in the form `from` has (a date, a date-time with or without
its zone, a number). Units: seconds, minutes, hours, days, weeks (dates and date-times); numbers
take no unit. The draw is seeded by the record's `from` value, so a run stays repeatable.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86_400, "weeks": 604_800}
DRAWS = 30  # tries inside [min, max] before the draw is clipped


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


def gap(spec: dict[str, Any], record: dict[str, Any]) -> float | None:
    """How far `to` lies after `from`, in the rule's unit; None when either is missing or unreadable."""
    start, end = _instant(record.get(spec["from"])), _instant(record.get(spec["to"]))
    if start is None or end is None or (start[0] == "number") != (end[0] == "number"):
        return None
    return (end[1] - start[1]) / _scale(spec, start[0])


def check_gap(spec: dict[str, Any], record: dict[str, Any]) -> bool:
    """Whether the gap lies inside [min, max] (a missing value is no violation)."""
    found = gap(spec, record)
    return found is None or float(spec["min"]) - 1e-9 <= found <= float(spec["max"]) + 1e-9


def _draw(spec: dict[str, Any], rng: random.Random) -> float:
    low, high = float(spec["min"]), float(spec["max"])
    step = float(spec.get("step", 1))
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


def _moment(kind: str, text: str) -> dt.datetime:
    if kind == "date":
        return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), tzinfo=dt.UTC)
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def fix_gap(spec: dict[str, Any], record: dict[str, Any]) -> bool:
    """Write `to` as `from` plus a gap drawn again, in the form `to` is written in; False when
    `from` cannot be read or `to` is null."""
    start = _instant(record.get(spec["from"]))
    if start is None or record.get(spec["to"]) is None:  # a null end means none yet (an open ticket)
        return False
    kind, origin = start
    drawn = _draw(spec, random.Random(f"{spec['from']}>{spec['to']}:{record[spec['from']]}"))
    if kind == "number":
        value = origin + drawn
        record[spec["to"]] = int(value) if isinstance(record[spec["from"]], int) and value == int(value) else value
        return True
    text = str(record[spec["from"]])
    end = _instant(record.get(spec["to"]))
    form, shape = (end[0], str(record[spec["to"]])) if end is not None and end[0] != "number" else (kind, text)
    moment = _moment(kind, text) + dt.timedelta(seconds=drawn * _scale(spec, kind))
    if form == "date":
        record[spec["to"]] = moment.date().isoformat()
    else:  # in the zone (or none) that `from` is written in
        written = moment.isoformat(timespec="seconds" if "." not in shape else "microseconds")
        record[spec["to"]] = written.replace("+00:00", "Z") if shape.endswith("Z") or kind == "date" else written
    return True


def describe_gap(spec: dict[str, Any]) -> str:
    unit = f" {spec.get('unit', 'days')}" if "unit" in spec or not isinstance(spec.get("min"), int | float) else ""
    return f"{spec['to']} is {spec['min']} to {spec['max']}{unit} after {spec['from']}"


def gap_problem(spec: dict[str, Any]) -> str | None:
    """What is wrong with a gap rule's parameters, or None."""
    if spec.get("unit", "days") not in UNITS:
        return f"'unit' must be one of {', '.join(UNITS)}"
    try:
        low, high, step = float(spec["min"]), float(spec["max"]), float(spec.get("step", 1))
        median = float(spec.get("median", max(low, 1e-9)))
    except (TypeError, ValueError):
        return "'min', 'max', 'median' and 'step' must be numbers"
    if not low <= high or step <= 0 or not low <= median <= high:
        return "a gap needs min <= median <= max and a positive step"
    if math.floor((high + 1e-9) / step) < math.ceil((low - 1e-9) / step):
        return f"no multiple of the step {spec.get('step', 1)} lies between min and max"
    return None
