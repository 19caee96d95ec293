"""Fields whose names say they are a part of a date field in the same record: order_month beside
order_date, day_of_week, is_weekend, quarter, year, hour.

Nobody declares that a record's weekday is its date's weekday, yet every reader checks it, and
fields drawn one by one (or written by the model) disagree: "2024-03-02, Tuesday". Such fields are
found from names and types alone (a part's stem matches the date's: order_month and order_date; a
part without a stem (quarter, day_of_week, month_name) belongs to the record's first date, while a
field named just year or month needs a date without a stem: beside listing_date, "year" is a car's) and become implied rules of kind "derived" (schema/rules.py), which write
the part from the date in every record. Declared rules on a field win. The written form follows the
field: a number (weekdays 0-6 from Monday, or 1-7 when the field says 1 to 7), one of its enum's
names ("Mon" or "Monday", "Q3"), or the English name.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from synth_gradio.schema.pairs import _words

PARTS = {  # name words (the end of a field's name) -> part of a date
    ("day", "of", "week"): "weekday", ("weekday",): "weekday", ("dow",): "weekday", ("day", "name"): "weekday",
    ("weekday", "name"): "weekday", ("is", "weekend"): "weekend", ("weekend",): "weekend",
    ("month",): "month", ("month", "name"): "month", ("quarter",): "quarter", ("qtr",): "quarter",
    ("year",): "year", ("hour",): "hour", ("hour", "of", "day"): "hour", ("day", "of", "month"): "day",
    ("day", "of", "year"): "day_of_year", ("week", "of", "year"): "week", ("iso", "week"): "week",
}  # fmt: skip
DATE_WORDS = {"date", "at", "on", "time", "timestamp", "datetime", "day", "dt"}
NAMES = {
    "weekday": [list(calendar.day_name), list(calendar.day_abbr)],
    "month": [list(calendar.month_name)[1:], list(calendar.month_abbr)[1:]],
}
TIMED = {"hour"}  # parts only a date-time has
OWN = {"year", "month", "day", "week", "day_of_year"}  # as a bare name, often a fact of its own (a model year)


def _split(name: str) -> tuple[str, str] | None:
    """(stem, part) when the name ends in a part's words."""
    words = _words(name)
    for size in (3, 2, 1):
        part = PARTS.get(tuple(words[-size:])) if len(words) >= size else None
        if part:
            return "_".join(words[:-size]), part
    return None


def _date_stem(name: str) -> str:
    words = _words(name)
    while words and words[-1] in DATE_WORDS:
        words = words[:-1]
    return "_".join(words)


def _values(part: str, node: dict[str, Any]) -> dict[str, Any] | None:
    """How each number of the part is written in this field (None: as the number; {}: it cannot be)."""
    types = node.get("type", [])
    types = {types} if isinstance(types, str) else set(types)
    if part == "weekend":
        return None if "boolean" in types else {}
    if types & {"integer", "number"}:
        if part == "weekday":  # Monday 0 .. Sunday 6, or 1 .. 7 when the field says so
            one = node.get("minimum") == 1 or node.get("maximum") == 7
            return {str(i): i + one for i in range(7)}
        return None
    if "string" not in types or part not in (*NAMES, "quarter") or {"pattern", "format"} & set(node):
        return {}  # a field with its own pattern ("2024-06") is not written as a name
    enum = [v for v in node.get("enum", []) if isinstance(v, str)]
    if part == "quarter":  # "Q3", "2024-Q3": the one digit 1-4 that stands alone
        found = {str(q): [v for v in enum if re.search(rf"(?<!\d){q}(?!\d)", v)] for q in range(1, 5)}
        if not enum:
            return {q: f"Q{q}" for q in found}
        return {q: v[0] for q, v in found.items()} if all(len(v) == 1 for v in found.values()) else {}
    first = 0 if part == "weekday" else 1
    for names in NAMES[part]:
        lower = {v.lower(): v for v in enum}
        if not enum or all(n.lower() in lower for n in names):
            return {str(i + first): lower.get(n.lower(), n) for i, n in enumerate(names)}
    return {}


def implied_rules(json_schema: dict[str, Any], taken: set[str]) -> list[dict[str, Any]]:
    """Derived rules for the record's date-part fields (fields in `taken` are left to declared rules)."""
    props = json_schema.get("properties") or {}
    dates = {n: node for n, node in props.items() if node.get("format") in ("date", "date-time")}
    out = []
    for name, node in props.items():
        found = None if name in taken or name in dates else _split(name)
        if found is None:
            continue
        stem, part = found
        bare = part in OWN and len(_words(name)) == 1  # "year" alone, not "month_name"
        matches = [d for d in dates if _date_stem(d) == stem] or ([] if stem or bare else list(dates)[:1])
        timed = [d for d in matches if dates[d].get("format") == "date-time" or part not in TIMED]
        values = _values(part, node)
        if len(timed) == 1 and values != {}:
            rule = {"kind": "derived", "target": name, "from": timed[0], "function": "date_part", "part": part}
            out.append({**rule, **({"values": values} if values else {}), "implied": True})
    return out


def date_part(value: Any, part: str, values: dict[str, Any] | None) -> Any:
    """The part of an ISO date or date-time, written as `values` says."""
    moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    number = {
        "weekday": moment.weekday(),
        "weekend": moment.weekday() >= 5,
        "month": moment.month,
        "quarter": (moment.month - 1) // 3 + 1,
        "year": moment.year,
        "hour": moment.hour,
        "day": moment.day,
        "day_of_year": moment.timetuple().tm_yday,
        "week": moment.isocalendar()[1],
    }[part]
    return values[str(int(number))] if values else number
