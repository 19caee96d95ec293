from __future__ import annotations

import copy

import pytest

from synth_gradio.errors import SchemaError
from synth_gradio.schema.model import load_schema
from synth_gradio.schema.rules import Rule, apply_rules

# (rule, passing record, violating record, record after the fix or None when there is no fix)
TABLE = [
    (
        {
            "kind": "conditional",
            "if": {"field": "country", "equals": "DE"},
            "then": {"field": "phone", "pattern": r"^\+49"},
        },
        {"country": "DE", "phone": "+49 30 1"},
        {"country": "DE", "phone": "+33 1"},
        None,
    ),
    (
        {
            "kind": "conditional",
            "if": {"field": "tier", "in": ["gold", "platinum"]},
            "then": {"field": "limit", "minimum": 1000},
        },
        {"tier": "gold", "limit": 5000},
        {"tier": "platinum", "limit": 10},
        None,
    ),
    (
        {"kind": "compare", "left": "start", "op": "<", "right": "end"},
        {"start": "2024-01-01", "end": "2024-02-01"},
        {"start": "2024-03-01", "end": "2024-02-01"},
        {"start": "2024-02-01", "end": "2024-03-01"},
    ),
    (
        {"kind": "compare", "left": "a", "op": "!=", "right": "b"},
        {"a": 1, "b": 2},
        {"a": 1, "b": 1},
        None,
    ),
    (
        {"kind": "arithmetic", "target": "total", "expr": "quantity * unit_price"},
        {"quantity": 3, "unit_price": 2.5, "total": 7.5},
        {"quantity": 3, "unit_price": 2.5, "total": 9.0},
        {"quantity": 3, "unit_price": 2.5, "total": 7.5},
    ),
    (
        {"kind": "arithmetic", "target": "total", "sum": "items[].price", "tolerance": 0.001},
        {"items": [{"price": 1.25}, {"price": 2.0}], "total": 3.25},
        {"items": [{"price": 1.25}, {"price": 2.0}], "total": 4.0},
        {"items": [{"price": 1.25}, {"price": 2.0}], "total": 3.25},
    ),
    (
        {"kind": "map", "from": "country", "to": "currency", "values": {"DE": "EUR", "US": "USD"}},
        {"country": "US", "currency": "USD"},
        {"country": "DE", "currency": "USD"},
        {"country": "DE", "currency": "EUR"},
    ),
    (
        {"kind": "map", "from": "country", "to": "phone", "prefix": True, "values": {"DE": "+49"}},
        {"country": "DE", "phone": "+49 30 123"},
        {"country": "DE", "phone": "030 123"},
        {"country": "DE", "phone": "+49 30 123"},
    ),
    (
        {
            "kind": "derived",
            "target": "age",
            "from": "birth_date",
            "function": "years_since",
            "reference": "2025-06-30",
        },
        {"birth_date": "1990-07-01", "age": 34},
        {"birth_date": "1990-07-01", "age": 35},
        {"birth_date": "1990-07-01", "age": 34},
    ),
]


@pytest.mark.parametrize(
    ("spec", "good", "bad", "fixed"), TABLE, ids=[f"{t[0]['kind']}-{i}" for i, t in enumerate(TABLE)]
)
def test_rule_checks_and_fixes(spec, good, bad, fixed) -> None:
    rule = Rule(spec)
    assert rule.check(good) is None
    assert rule.check(bad) is not None
    record = copy.deepcopy(bad)
    changed = rule.fix(record)
    if fixed is None:
        assert not changed and record == bad
    else:
        assert changed and record == fixed and rule.check(record) is None


def test_engine_rules_revalidate_after_fixes() -> None:
    schema = load_schema(
        {
            "type": "object",
            "properties": {
                "quantity": {"type": "integer"},
                "unit_price": {"type": "number"},
                "total": {"type": "number", "maximum": 100},
            },
            "required": ["quantity", "unit_price", "total"],
            "x-rules": [{"kind": "arithmetic", "target": "total", "expr": "quantity * unit_price"}],
        }
    )
    record = {"quantity": 30, "unit_price": 10.0, "total": 5.0}
    before, after = apply_rules(schema.rules, record)
    assert before and not after and record["total"] == 300.0
    assert not schema.validator.is_valid(record)  # the fix broke `maximum`: the engine rejects it


@pytest.mark.parametrize(
    ("rules", "path", "message"),
    [
        ([{"kind": "magic"}], "$.x-rules[0]", "needs a 'kind'"),
        ([{"kind": "compare", "left": "a", "op": "=>", "right": "b"}], "$.x-rules[0].op", "'op' must be"),
        ([{"kind": "map", "from": "a", "to": "zz", "values": {}}], "$.x-rules[0]", "unknown field 'zz'"),
        ([{"kind": "arithmetic", "target": "a", "expr": "__import__('os')"}], "$.x-rules[0].expr", "only + - * /"),
        ([{"kind": "derived", "target": "a"}], "$.x-rules[0]", "needs 'from'"),
        ("nope", "$.x-rules", "must be a list"),
    ],
)
def test_malformed_rules_are_schema_errors(rules, path: str, message: str) -> None:
    with pytest.raises(SchemaError) as info:
        load_schema(
            {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}, "x-rules": rules}
        )
    assert info.value.path == path and message in info.value.problem


def test_examples_must_follow_the_rules() -> None:
    with pytest.raises(SchemaError, match=r"example breaks a rule") as info:
        load_schema(
            {
                "type": "object",
                "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
                "x-rules": [{"kind": "compare", "left": "a", "op": "<", "right": "b"}],
                "examples": [{"a": 3, "b": 1}],
            }
        )
    assert info.value.path == "$.examples[0]"


def test_rules_are_stated_in_the_prompt_and_planned_values_follow_them() -> None:
    import random

    from synth_gradio.engine.plan import Planner
    from synth_gradio.engine.prompts import build_prefix
    from synth_gradio.schema.templates import get_template

    schema = get_template("customer_data").schema
    prefix = build_prefix(schema, ["notes"], list(schema.examples), random.Random(1))
    assert "Rules every record follows:" in prefix and "phone starts with country" in prefix
    planner = Planner(schema, seed=5)
    for _ in range(200):
        fixed = planner.plan().fixed
        assert all(rule.check(fixed) is None for rule in schema.rules), fixed
