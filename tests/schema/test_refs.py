"""$ref/$defs (Pydantic's model_json_schema), depth limits and unfillable patterns, refused or loaded."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum

import jsonschema
import pytest
from fakes import FakeBackend
from pydantic import BaseModel, Field

from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import SchemaError
from synth_gradio.schema.model import load_schema
from synth_gradio.schema.refs import MAX_DEPTH


class Color(StrEnum):
    red = "red"
    green = "green"
    blue = "blue"


class Address(BaseModel):
    street: str
    city: str
    zip_code: str = Field(pattern=r"^[0-9]{5}$")


class Item(BaseModel):
    sku: str = Field(pattern=r"^[A-Z]{3}-[0-9]{3}$")
    quantity: int = Field(ge=1, le=9)
    price: float = Field(ge=0, le=100)


class Order(BaseModel):
    """A web shop order."""

    order_id: int = Field(ge=1)
    customer_name: str
    email: str
    color: Color
    shipping: Address
    billing: Address | None = None
    items: list[Item] = Field(min_length=1, max_length=4)
    discount: int | None = Field(default=None, ge=0, le=50)
    tint: Color | None = None
    placed: dt.date


def test_a_pydantic_schema_with_nested_models_loads_and_its_records_validate_against_the_original() -> None:
    original = Order.model_json_schema()
    assert "$defs" in original and '"$ref"' in json.dumps(original) and '"anyOf"' in json.dumps(original)
    schema = load_schema(json.loads(json.dumps(original)))
    assert "$ref" not in json.dumps(schema.json_schema) and "$defs" not in schema.json_schema
    shipping = schema.field("shipping").schema
    assert shipping["properties"]["zip_code"]["pattern"] == "^[0-9]{5}$"
    assert schema.field("billing").schema["type"] == ["object", "null"]
    assert schema.field("tint").schema["enum"] == ["red", "green", "blue", None]
    assert schema.field("items").schema["items"]["required"] == ["sku", "quantity", "price"]

    backend = FakeBackend([])  # every field is drawn in code: the backend must never be asked
    results = list(generate(GenerationRequest(schema=schema, n=25, seed=7, batch_size=10), backend))
    assert results[-1].status == "completed" and results[-1].achieved == 25, results[-1].error
    assert backend.requests == []
    records = [r for res in results for r in res.accepted]
    checker = jsonschema.Draft202012Validator(original, format_checker=jsonschema.FormatChecker())
    for record in records:
        assert list(checker.iter_errors(record)) == []
        Order.model_validate(record)
    assert any(r.get("billing") is None for r in records) or any("billing" not in r for r in records)
    assert any(isinstance(r.get("billing"), dict) for r in records)


def test_definitions_json_pointers_and_described_references_resolve() -> None:
    schema = load_schema(
        {
            "definitions": {"money": {"type": "number", "minimum": 0}, "a/b": {"type": "integer"}},
            "type": "object",
            "properties": {
                "price": {"$ref": "#/definitions/money", "description": "list price"},
                "odd": {"$ref": "#/definitions/a~1b"},
                "copy": {"allOf": [{"$ref": "#/properties/price"}], "title": "Copy"},
            },
        }
    )
    assert schema.field("price").schema == {"type": "number", "minimum": 0, "description": "list price"}
    assert schema.field("odd").schema == {"type": "integer"}
    assert schema.field("copy").schema["minimum"] == 0 and schema.field("copy").schema["title"] == "Copy"


class Node(BaseModel):
    name: str
    children: list[Node] = []


@pytest.mark.parametrize(
    ("raw", "path", "problem"),
    [
        (Node.model_json_schema(), "$.properties.children.items.$ref", "recursive reference '#/$defs/Node'"),
        (
            {
                "type": "object",
                "properties": {"a": {"$ref": "#/$defs/B"}},
                "$defs": {"B": {"$ref": "#/$defs/A"}, "A": {"$ref": "#/$defs/B"}},
            },
            "$.properties.a.$ref",
            "recursive reference",
        ),
        (
            {"type": "object", "properties": {"a": {"$ref": "https://example.com/a.json"}}},
            "$.properties.a.$ref",
            "only references inside",
        ),
        (
            {"type": "object", "properties": {"a": {"$ref": "#/$defs/Missing"}}},
            "$.properties.a.$ref",
            "points at nothing",
        ),
        (
            {
                "type": "object",
                "properties": {"a": {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer"}]}},
            },
            "$.properties.a.anyOf",
            "Optional",
        ),
    ],
)
def test_unresolvable_references_are_schema_errors_with_the_path(raw: dict, path: str, problem: str) -> None:
    with pytest.raises(SchemaError) as caught:
        load_schema(raw)
    assert caught.value.path == path and problem in caught.value.problem


def nested(levels: int) -> dict:
    node: dict = {"type": "string"}
    for _ in range(levels):
        node = {"type": "object", "properties": {"a": node}, "required": ["a"]}
    return node


def test_a_schema_nested_200_levels_is_refused_at_validation_with_its_path() -> None:
    with pytest.raises(SchemaError) as caught:
        load_schema(nested(200))
    assert f"more than {MAX_DEPTH} levels" in caught.value.problem
    assert caught.value.path.startswith("$.properties.a.properties.a")
    with pytest.raises(SchemaError, match="nested too deeply"):
        load_schema("[" * 100_000 + "]" * 100_000)  # the text itself: no RecursionError traceback
    assert load_schema(nested(MAX_DEPTH)).field("a")  # the limit itself is allowed


def test_references_that_expand_exponentially_are_refused() -> None:
    defs = {"L0": {"type": "integer"}}
    for i in range(1, 12):
        defs[f"L{i}"] = {"type": "object", "properties": {f"x{j}": {"$ref": f"#/$defs/L{i - 1}"} for j in range(4)}}
    with pytest.raises(SchemaError, match="expands to more than"):
        load_schema({"$defs": defs, "type": "object", "properties": {"root": {"$ref": "#/$defs/L11"}}})


def test_a_pattern_no_value_of_the_allowed_length_matches_is_refused_when_loaded() -> None:
    with pytest.raises(SchemaError) as caught:
        load_schema(
            {"type": "object", "properties": {"code": {"type": "string", "pattern": "^[a-z]{40}$", "maxLength": 30}}}
        )
    assert caught.value.path == "$.properties.code.pattern"
    assert "at most 30 characters" in caught.value.problem and "widen" in caught.value.problem
    with pytest.raises(SchemaError) as nested_error:
        load_schema(
            {
                "type": "object",
                "properties": {
                    "tags": {"type": "array", "items": {"type": "string", "pattern": "^x{5,}$", "maxLength": 4}}
                },
            }
        )
    assert nested_error.value.path == "$.properties.tags.items.pattern"
