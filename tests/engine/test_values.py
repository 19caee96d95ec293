from __future__ import annotations

import random

import pytest

from synth_gradio.engine.plan import Planner
from synth_gradio.engine.strategies import choose_all
from synth_gradio.engine.values import sample_value
from synth_gradio.schema.model import load_schema
from synth_gradio.schema.templates import builtin_names, get_template
from synth_gradio.schema.validation import compile_validator

NODES = [
    {"type": "string", "format": f} for f in ("email", "date", "date-time", "time", "uuid", "uri", "hostname", "ipv4")
] + [
    {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{5}$"},
    {"type": "string", "pattern": "[a-z]{2}[0-9]"},
    {"type": "integer", "minimum": -5, "maximum": 5},
    {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 3},
    {"type": "integer", "minimum": 10, "multipleOf": 5},
    {"type": "number", "minimum": 0.5, "maximum": 0.75},
    {"type": ["integer", "null"], "minimum": 1, "maximum": 2},
    {"type": "boolean"},
    {"enum": ["a", 1, None]},
    {"const": "fixed"},
    {
        "type": "array",
        "items": {"type": "string", "enum": ["x", "y", "z"]},
        "minItems": 2,
        "maxItems": 3,
        "uniqueItems": True,
    },
    {
        "type": "object",
        "properties": {"d": {"type": "string", "format": "date"}, "n": {"type": "integer"}},
        "required": ["d"],
    },
]


@pytest.mark.parametrize("node", NODES, ids=lambda n: str(n)[:50])
def test_code_drawn_values_satisfy_their_constraints(node: dict) -> None:
    validator = compile_validator(node)
    rng = random.Random(5)
    for _ in range(200):
        value = sample_value("field", node, rng)
        assert validator.is_valid(value), value


def test_strategies_spend_model_tokens_only_on_language() -> None:
    strategies = choose_all(get_template("customer_data").schema)
    assert strategies["notes"] == "model"
    assert strategies["first_name"] == "faker:first_name"
    assert strategies["email"] == "faker:email"
    assert strategies["customer_id"] == "sample"
    assert strategies["country"] == "sample"


def test_x_strategy_overrides_the_automatic_choice() -> None:
    schema = load_schema(
        {"name": {"type": "string", "x-strategy": "model"}, "age": {"type": "integer", "x-strategy": "model"}}
    )
    assert choose_all(schema) == {"name": "model", "age": "model"}


@pytest.mark.parametrize("name", builtin_names())
def test_planned_values_validate_and_unique_fields_do_not_repeat(name: str) -> None:
    schema = get_template(name).schema
    planner = Planner(schema, seed=11)
    seen: dict[str, set] = {}
    for _ in range(300):
        plan = planner.plan()
        for field, value in plan.fixed.items():
            node = schema.field(field).schema
            assert compile_validator(node).is_valid(value), (field, value)
            if schema.field(field).unique:
                assert value not in seen.setdefault(field, set())
                seen[field].add(value)


def test_same_seed_reproduces_the_plan_and_faker_follows_country() -> None:
    schema = load_schema(
        {"country": {"enum": ["DE", "JP"]}, "name": {"type": "string"}, "email": {"type": "string", "format": "email"}}
    )
    a = [Planner(schema, seed=3).plan().fixed for _ in range(1)]
    b = [Planner(schema, seed=3).plan().fixed for _ in range(1)]
    assert a == b
    planner = Planner(schema, seed=3)
    rows = [planner.plan().fixed for _ in range(50)]
    assert all(r["email"].isascii() for r in rows)
    german = [r["name"] for r in rows if r["country"] == "DE"]
    assert german and all(n.isascii() or any(c in n for c in "äöüßÄÖÜé") for n in german)


def test_nested_objects_are_drawn_in_code_with_faker_children() -> None:
    schema = load_schema(
        {
            "country": {"enum": ["DE"]},
            "customer": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "email": {"type": "string", "format": "email"},
                    "plan": {"enum": ["free", "pro"]},
                },
                "required": ["name", "email", "plan"],
            },
            "contacts": {
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "items": {"type": "object", "properties": {"phone": {"type": "string"}}, "required": ["phone"]},
            },
        }
    )
    planner = Planner(schema, seed=4)
    assert planner.strategies["customer"] == "sample" and planner.strategies["contacts"] == "sample"
    fixed = planner.plan().fixed
    assert schema.validator.is_valid(fixed)
    first = fixed["customer"]["name"].lower().split(" ", 1)[0]
    assert fixed["customer"]["email"].split("@")[0].replace("_", ".").startswith((first[:1], first))
    assert len(fixed["contacts"]) == 2 and all(c["phone"] for c in fixed["contacts"])


def test_enum_values_are_never_placeholders() -> None:
    from synth_gradio.engine.validate import placeholder_reason

    schema = {
        "properties": {
            "messages": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"from": {"enum": ["customer", "agent"]}, "text": {"type": "string"}},
                },
            }
        }
    }
    ok = {"messages": [{"from": "customer", "text": "My order never arrived."}]}
    assert placeholder_reason(ok, ["messages"], schema) is None
    bad = {"messages": [{"from": "customer", "text": "text (string) (0-120 chars): the message"}]}
    assert placeholder_reason(bad, ["messages"], schema) == "placeholder value at $.messages[0].text"


def test_echoed_field_names_are_placeholders() -> None:
    from synth_gradio.engine.validate import placeholder_reason

    schema = {
        "properties": {
            "user_id": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "bio": {"type": "string"},
        }
    }
    assert placeholder_reason({"tags": ["user_id 2, bio x"]}, ["tags"], schema) == "placeholder value at $.tags[0]"
    assert placeholder_reason({"tags": ["bio"]}, ["tags"], schema) == "placeholder value at $.tags[0]"
    assert placeholder_reason({"bio": "Writes a bio for every user he meets."}, ["bio"], schema) is None
