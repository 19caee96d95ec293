"""Declared time of day and days of the week: a clinic's appointments fall in opening hours."""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from synth_gradio.engine.plan import Planner
from synth_gradio.errors import SchemaError
from synth_gradio.schema.model import load_schema
from synth_gradio.schema.templates import get_template


def _schema(extra: dict, fmt: str = "date-time") -> dict:
    low, high = ("2025-01-01T00:00:00Z", "2025-12-31T23:59:59Z") if fmt == "date-time" else ("2025-01-01", "2025-12-31")
    node = {"type": "string", "format": fmt, "x-distribution": {"kind": "uniform", "low": low, "high": high, **extra}}
    return {"type": "object", "properties": {"at": node}, "required": ["at"]}


def test_hours_every_and_weekdays_hold_and_the_days_stay_even() -> None:
    planner = Planner(load_schema(_schema({"hours": [8, 18], "every": 15, "weekdays": [0, 1, 2, 3, 4]})), seed=1)
    moments = [dt.datetime.fromisoformat(planner.plan().fixed["at"].replace("Z", "+00:00")) for _ in range(700)]
    assert all(8 <= m.hour < 18 and m.minute % 15 == 0 and m.second == 0 for m in moments)
    days = collections.Counter(m.weekday() for m in moments)
    assert set(days) == {0, 1, 2, 3, 4} and max(days.values()) < 1.4 * min(days.values()), days
    dates = Planner(load_schema(_schema({"weekdays": [5, 6]}, "date")), seed=1)
    assert {dt.date.fromisoformat(dates.plan().fixed["at"]).weekday() for _ in range(100)} == {5, 6}


@pytest.mark.parametrize(
    ("extra", "fmt", "message"),
    [
        ({"hours": [18, 8]}, "date-time", "'hours' must be \\[start, end\\]"),
        ({"hours": [1] * 23}, "date-time", "or 24 weights"),
        ({"hours": [0] * 24}, "date-time", "or 24 weights"),
        ({"hours": [1e308] * 24}, "date-time", "or 24 weights"),
        ({"hours": [8, 18]}, "date", "'hours' applies to date-time fields only"),
        ({"every": 0}, "date-time", "'every' must be whole minutes"),
        ({"weekdays": [7]}, "date", "'weekdays' must list days 0"),
        ({"kind": "categorical", "weights": {"2025-01-01": 1}, "weekdays": [0]}, "date", "takes a uniform or normal"),
    ],
)
def test_a_bad_clock_parameter_is_one_sentence(extra: dict, fmt: str, message: str) -> None:
    schema = _schema({}, fmt)
    declared = schema["properties"]["at"]["x-distribution"]
    schema["properties"]["at"]["x-distribution"] = {**declared, **extra} if "kind" not in extra else extra
    with pytest.raises(SchemaError, match=message):
        load_schema(schema)


def test_moved_days_and_hours_stay_inside_the_declared_bounds() -> None:
    schema = _schema({"weekdays": [0, 1, 2, 3, 4]}, "date")
    schema["properties"]["at"]["x-distribution"].update(low="2025-01-01", high="2025-01-05")  # Wednesday to Sunday
    planner = Planner(load_schema(schema), seed=1)
    assert {planner.plan().fixed["at"] for _ in range(200)} == {"2025-01-01", "2025-01-02", "2025-01-03"}


def test_the_clinic_template_books_weekday_office_hours_and_an_order_rule_does_not_undo_them() -> None:
    """The appointment's end was drawn on its own; ordering the pair swapped it in as the start
    (20:44) before the gap was drawn. A gap is now drawn first."""
    planner = Planner(get_template("clinic_appointments").schema, seed=3)
    starts = [dt.datetime.fromisoformat(planner.plan().fixed["starts_at"][:-1]) for _ in range(300)]
    assert all(8 <= s.hour < 18 and s.weekday() < 5 and s.minute % 15 == 0 for s in starts)


def test_24_hour_weights_give_the_day_its_profile() -> None:
    """Online orders peak in the evening and rarely come at 4 in the morning."""
    evening = [1] * 24
    evening[20] = 30
    evening[4] = 0
    planner = Planner(load_schema(_schema({"hours": evening})), seed=2)
    hours = collections.Counter(int(planner.plan().fixed["at"][11:13]) for _ in range(1500))
    assert hours[4] == 0 and hours[20] > 0.45 * 1500 and hours[20] > 10 * hours[3]
    orders = Planner(get_template("ecommerce_orders").schema, seed=2)
    placed = collections.Counter(int(orders.plan().fixed["placed_at"][11:13]) for _ in range(1000))
    assert sum(placed[h] for h in (19, 20, 21)) > 3 * sum(placed[h] for h in (2, 3, 4))
