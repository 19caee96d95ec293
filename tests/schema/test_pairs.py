"""Ranges and spans found from names are drawn in order, with nothing declared."""

from __future__ import annotations

from synth_gradio.engine.plan import Planner
from synth_gradio.schema.model import load_schema
from synth_gradio.schema.pairs import ordered_pairs

SCHEMA = {
    "type": "object",
    "properties": {
        "salary_min": {"type": "integer", "minimum": 20000, "maximum": 200000},
        "salary_max": {"type": "integer", "minimum": 25000, "maximum": 300000},
        "start_date": {"type": "string", "format": "date"},
        "end_date": {"type": "string", "format": "date"},
        "from_city": {"type": "string"},
        "to_city": {"type": "string"},
        "minutes": {"type": "integer"},
    },
    "required": ["salary_min", "salary_max", "start_date", "end_date"],
}


def test_pairs_are_found_from_names_and_types() -> None:
    assert ordered_pairs(SCHEMA) == [("salary_min", "salary_max"), ("start_date", "end_date")]


def test_planned_ranges_and_spans_are_in_order() -> None:
    planner = Planner(load_schema(SCHEMA), seed=3)
    plans = [planner.plan().fixed for _ in range(300)]
    assert all(p["salary_min"] <= p["salary_max"] for p in plans)
    assert all(p["start_date"] <= p["end_date"] for p in plans)
    assert len({p["salary_min"] for p in plans}) > 100  # ordered, not collapsed


def test_a_declared_rule_on_the_pair_is_left_to_the_rule() -> None:
    rule = {"name": "a range", "kind": "compare", "left": "salary_min", "op": "<", "right": "salary_max"}
    planner = Planner(load_schema({**SCHEMA, "x-rules": [rule]}), seed=3)
    assert planner.pairs == [("start_date", "end_date")]
    assert all(p.fixed["salary_min"] < p.fixed["salary_max"] for p in (planner.plan() for _ in range(100)))
