"""Gap rules: an appointment lasts minutes, a value date follows its booking by days."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest

from synth_gradio.engine.plan import Planner
from synth_gradio.errors import SchemaError
from synth_gradio.schema.rules import apply_rules, load_rules
from synth_gradio.schema.templates import get_template

VISIT = {"kind": "gap", "from": "starts_at", "to": "ends_at", "unit": "minutes", "min": 10, "max": 90, "median": 25, "step": 5}  # fmt: skip


def _minutes(record: dict) -> float:
    start, end = (dt.datetime.fromisoformat(record[k].replace("Z", "+00:00")) for k in ("starts_at", "ends_at"))
    return (end - start).total_seconds() / 60


def test_a_gap_out_of_range_is_drawn_again_in_the_form_of_its_start() -> None:
    rules = load_rules([VISIT], {"starts_at", "ends_at"})
    record = {"starts_at": "2024-10-06T09:40:47Z", "ends_at": "2025-05-15T17:30:26Z"}
    before, after = apply_rules(rules, record)
    assert before and not after
    assert record["ends_at"].endswith("Z") and 10 <= _minutes(record) <= 90 and _minutes(record) % 5 == 0
    offset = {"starts_at": "2024-10-06T09:40:00+02:00", "ends_at": "2024-10-05T09:00:00+02:00"}
    apply_rules(rules, offset)
    assert offset["ends_at"].startswith("2024-10-06T") and offset["ends_at"].endswith("+02:00")
    mixed = load_rules(
        [{**VISIT, "unit": "days", "min": 1, "max": 2, "median": 1, "step": 1}], {"starts_at", "ends_at"}
    )
    shipped = {"starts_at": "2025-03-01T22:10:00Z", "ends_at": "2024-01-01"}  # a date-time, then a date
    assert apply_rules(mixed, shipped)[1] == []  # counted in whole days from the order's own day
    assert shipped["ends_at"] in ("2025-03-02", "2025-03-03")
    hours = load_rules(
        [{**VISIT, "unit": "hours", "min": 2, "max": 336, "median": 30, "step": 1}], {"starts_at", "ends_at"}
    )
    late = [{"starts_at": f"2024-07-{d:02d}T23:04:30Z", "ends_at": "2020-01-01"} for d in range(1, 29)]
    assert all(apply_rules(hours, r)[1] == [] for r in late)  # a 57-minute "gap" to the next day had stayed
    assert not load_rules(
        [{**VISIT, "unit": "hours", "min": 1, "max": 5, "median": 2, "step": 1}], {"starts_at", "ends_at"}
    )[0].fix(
        {"starts_at": "2024-07-01T10:00:00Z", "ends_at": "2024-06-01"}
    )  # no whole day lies 1 to 5 hours on: refused, not forced
    days = load_rules([{"kind": "gap", "from": "b", "to": "v", "unit": "days", "min": 0, "max": 3}], {"b", "v"})
    dates = {"b": "2025-02-27", "v": "2026-01-01"}
    apply_rules(days, dates)
    assert 0 <= (dt.date.fromisoformat(dates["v"]) - dt.date.fromisoformat(dates["b"])).days <= 3


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "gap", "from": "a", "to": "b"}, "needs 'min'"),
        ({"kind": "gap", "from": "a", "to": "b", "min": 5, "max": 1}, "min <= median <= max"),
        ({"kind": "gap", "from": "a", "to": "b", "min": 0, "max": 1, "unit": "years"}, "'unit' must be one of"),
        ({"kind": "gap", "from": "a", "to": "b", "min": 1, "max": 2, "step": 5}, "no multiple of the step 5"),
        ({"kind": "gap", "from": "a", "to": "b", "min": 1, "max": float("inf")}, "finite numbers"),
        ({"kind": "gap", "from": "a", "to": "b", "min": 1, "max": 1e12}, "more than about a century"),
        ({"kind": "gap", "from": "a", "to": "c", "min": 0, "max": 1}, "unknown field 'c'"),
    ],
)
def test_a_bad_gap_rule_is_one_sentence(spec: dict, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        load_rules([spec], {"a", "b"})


def test_code_drawn_appointments_last_minutes_around_the_median() -> None:
    """Drawn on their own, start and end lay months apart; a gap that already held kept an even
    spread, so code-drawn pairs are always drawn as start plus gap."""
    planner = Planner(get_template("clinic_appointments").schema, seed=3)
    lengths = [_minutes(planner.plan().fixed) for _ in range(200)]
    assert all(10 <= m <= 90 for m in lengths) and 20 <= statistics.median(lengths) <= 30
    tickets = Planner(get_template("support_tickets").schema, seed=3)
    closed = [r for r in (tickets.plan().fixed for _ in range(300)) if r.get("closed_at")]
    hours = [
        (
            dt.datetime.fromisoformat(r["closed_at"][:-1]) - dt.datetime.fromisoformat(r["opened_at"][:-1])
        ).total_seconds()
        / 3600
        for r in closed
    ]
    assert len(hours) > 100 and 5 <= statistics.median(hours) <= 20 and max(hours) <= 720


def test_the_gap_follows_the_runs_seed_and_chained_gaps_are_drawn_in_order() -> None:
    """Drawn from the start value alone, one issue date always got one due date whatever the seed."""
    from synth_gradio.schema.rules import in_order

    schema = {
        "type": "object",
        "properties": {
            "issued": {
                "type": "string",
                "format": "date",
                "x-distribution": {"kind": "uniform", "low": "2025-01-01", "high": "2025-01-02"},
            },
            "due": {"type": "string", "format": "date"},
        },
        "required": ["issued", "due"],
        "x-rules": [{"kind": "gap", "from": "issued", "to": "due", "unit": "days", "min": 7, "max": 60, "median": 30}],
    }
    from synth_gradio.schema.model import load_schema

    loaded = load_schema(schema)
    planners = [Planner(loaded, seed=s) for s in (1, 2)]
    dues = [[p.plan().fixed["due"] for _ in range(8)] for p in planners]
    assert dues[0] != dues[1] and len(set(dues[0]) | set(dues[1])) > 6
    rules = load_rules(
        [
            {"kind": "gap", "from": "starts", "to": "ends", "unit": "minutes", "min": 10, "max": 20},
            {"kind": "compare", "left": "starts", "op": "<", "right": "ends"},
            {"kind": "gap", "from": "created", "to": "starts", "unit": "days", "min": 1, "max": 3},
        ],
        {"created", "starts", "ends"},
    )
    assert [r.describe() for r in in_order(rules)] == [
        "starts is 1 to 3 days after created",
        "ends is 10 to 20 minutes after starts",
        "starts < ends",
    ]
