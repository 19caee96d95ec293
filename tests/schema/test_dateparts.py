"""Fields named as a part of a date field (order_month, day_of_week, is_weekend, quarter) agree with
the date in every record, and dates named as events come in their order."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from synth_gradio.engine.plan import Planner
from synth_gradio.schema.model import load_schema
from synth_gradio.schema.pairs import ordered_pairs
from synth_gradio.schema.rules import apply_rules

DATE = {"type": "string", "format": "date"}
SCHEMA = {
    "type": "object",
    "properties": {
        "order_date": DATE,
        "order_day_of_week": {"type": "string", "enum": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]},
        "order_month": {"type": "integer", "minimum": 1, "maximum": 12},
        "quarter": {"type": "string", "enum": ["Q1", "Q2", "Q3", "Q4"]},
        "is_weekend": {"type": "boolean"},
        "dow": {"type": "integer", "minimum": 1, "maximum": 7},
        "month_name": {"type": "string"},
        "ship_date": DATE,
        "delivery_date": DATE,
        "birth_year": {"type": "integer", "minimum": 1950, "maximum": 2005},
        "hire_year": {"type": "integer", "minimum": 1970, "maximum": 2024},
        "order_amount": {"type": "number", "minimum": 1, "maximum": 500},
        "shipping_amount": {"type": "number", "minimum": 1, "maximum": 50},
    },
}


def test_parts_of_a_date_are_found_from_names_and_written_from_the_date() -> None:
    """Drawn one by one they agreed with the date by chance: a weekday one time in seven."""
    schema = load_schema({**SCHEMA, "required": list(SCHEMA["properties"])})
    described = {rule.describe() for rule in schema.rules}
    assert described == {
        "order_day_of_week = weekday(order_date)",
        "order_month = month(order_date)",
        "quarter = quarter(order_date)",
        "is_weekend = weekend(order_date)",
        "dow = weekday(order_date)",
        "month_name = month(order_date)",
        "ship_date is 0 to 365 days after order_date",  # events in order: days or weeks apart (described.py)
        "delivery_date is 0 to 365 days after ship_date",
    }
    planner = Planner(schema, seed=3)
    for _ in range(300):
        record = planner.plan().fixed
        day = dt.date.fromisoformat(record["order_date"])
        assert record["order_day_of_week"] == day.strftime("%a") and record["dow"] == day.isoweekday()
        assert record["order_month"] == day.month and record["quarter"] == f"Q{(day.month - 1) // 3 + 1}"
        assert record["is_weekend"] == (day.weekday() >= 5)
        assert record["order_date"] <= record["ship_date"] <= record["delivery_date"]
        assert record["birth_year"] <= record["hire_year"]
        assert schema.validator.is_valid({**record, "month_name": "May"})
    written = {"order_date": "2024-03-02", "month_name": "Feb"}  # a model-written name is set after writing
    before, after = apply_rules(schema.rules, written)
    assert before and not after and written["month_name"] == "March"


def test_declared_rules_win_and_unrelated_numbers_stay_apart() -> None:
    declared = {"kind": "map", "from": "quarter", "to": "order_month", "values": {"Q1": 1}}
    schema = load_schema({**SCHEMA, "x-rules": [declared], "examples": [{"order_date": "2024-03-02", "dow": 1}]})
    targets = {rule.spec.get("target") for rule in schema.rules if rule.spec.get("implied")}
    assert "order_month" not in targets and "dow" in targets  # an example that breaks an implied rule loads
    planner = Planner(schema, seed=1)
    records = [planner.plan().fixed for _ in range(300)]
    pairs = [
        (r["order_amount"], r["shipping_amount"]) for r in records if {"order_amount", "shipping_amount"} <= set(r)
    ]
    assert any(a > b for a, b in pairs)  # an order's amount is not an event before its shipping amount


def test_names_that_only_look_like_parts_of_a_date_are_left_alone() -> None:
    """A car's model year beside its listing date, a month written with its own pattern, a quarter enum
    in another language, departure and arrival times (a night train arrives after midnight)."""
    date = {"type": "string", "format": "date"}
    cases = [
        {"listing_date": date, "year": {"type": "integer", "minimum": 1995, "maximum": 2015}},
        {"billing_date": date, "billing_month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}},
        {"date": date, "quarter": {"type": "string", "enum": ["First", "Second", "Third", "Fourth"]}},
    ]
    for props in cases:
        assert load_schema({"type": "object", "properties": props}).rules == [], props
    quarters = {"date": date, "quarter": {"type": "string", "enum": ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]}}
    (rule,) = load_schema({"type": "object", "properties": quarters}).rules
    assert rule.spec["values"] == {"1": "2024-Q1", "2": "2024-Q2", "3": "2024-Q3", "4": "2024-Q4"}
    times = {
        "departure_time": {"type": "string", "format": "time"},
        "arrival_time": {"type": "string", "format": "time"},
    }
    assert ordered_pairs({"properties": times}) == []


def test_a_schema_inferred_from_a_table_keeps_the_tables_own_conventions(tmp_path) -> None:
    """A bike-rental table numbers weekdays from Sunday; the rule read from the name 'weekday' numbered
    them from Monday and rewrote every learned weekday (0% agreed with the date in a learned run)."""
    from synth_gradio.schema.infer import infer_schema

    days = pd.date_range("2024-01-01", periods=60)
    path = tmp_path / "rentals.csv"
    pd.DataFrame({"dteday": days.strftime("%Y-%m-%d"), "weekday": (days.dayofweek + 1) % 7,
                  "order_date": days.strftime("%Y-%m-%d"), "ship_date": days.strftime("%Y-%m-%d")}).to_csv(path, index=False)  # fmt: skip
    schema = infer_schema(path)
    assert not schema.implied and schema.rules == []
    assert ordered_pairs(schema.json_schema, events=False) == [] and ordered_pairs(schema.json_schema)
