from __future__ import annotations

import pytest

from synth_gradio.errors import SchemaError
from synth_gradio.schema.model import load_schema

BAD = [
    ("", "$", "empty"),
    ("{", "$", "invalid JSON at line 1"),
    ("[1, 2]", "$", "got array"),
    ("{}", "$", "empty"),
    ('{"type": "object", "properties": {}}', "$.properties", "non-empty"),
    ('{"type": "string"}', "$.type", "must have type 'object'"),
    ('{"a": {"type": "strng"}}', "$.properties.a.type", "did you mean 'string'"),
    ('{"a": {"type": 5}}', "$.properties.a.type", "type name"),
    ('{"a": {"type": ["string", "string"]}}', "$.properties.a.type", "twice"),
    ('{"a": {"type": "integer", "minimun": 1}}', "$.properties.a.minimun", "did you mean 'minimum'"),
    ('{"a": {"type": "string", "oneOf": []}}', "$.properties.a.oneOf", "unsupported keyword"),
    ('{"a": {"type": "string", "pattern": "[a-"}}', "$.properties.a.pattern", "invalid regular expression"),
    ('{"a": {"type": "string", "pattern": "(?=x)y"}}', "$.properties.a.pattern", "lookahead"),
    ('{"a": {"type": "string", "pattern": "(a)\\\\1"}}', "$.properties.a.pattern", "back-reference"),
    ('{"a": {"type": "string", "format": "phone"}}', "$.properties.a.format", "unsupported format"),
    ('{"a": {"type": "integer", "minimum": 9, "maximum": 1}}', "$.properties.a", "lower bound"),
    ('{"a": {"type": "string", "minLength": 5, "maxLength": 2}}', "$.properties.a", "greater than"),
    ('{"a": {"type": "string", "minLength": -1}}', "$.properties.a.minLength", "non-negative"),
    ('{"a": {"type": "integer", "maxLength": 3}}', "$.properties.a.maxLength", "does not apply"),
    ('{"a": {"type": "string", "enum": []}}', "$.properties.a.enum", "non-empty"),
    ('{"a": {"type": "string", "enum": ["x", 3]}}', "$.properties.a.enum[1]", "not of type"),
    ('{"a": {"type": "array"}}', "$.properties.a", "needs 'items'"),
    ('{"a": {"type": "array", "items": {"type": "nope"}}}', "$.properties.a.items.type", "unknown type"),
    (
        '{"a": {"type": "object", "properties": {"b": {"maximum": "x"}}}}',
        "$.properties.a.properties.b",
        "missing 'type'",
    ),
    ('{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"]}', "$.required[0]", "not defined"),
    ('{"a": 7}', "$.a", "field schema object"),
    ('{"a": {"type": "string", "x-strategy": "magic"}}', "$.properties.a.x-strategy", "unknown x-strategy"),
    (
        '{"type": "object", "properties": {"a": {"type": "integer"}}, "examples": [{"a": "x"}]}',
        "$.examples[0]",
        "does not match",
    ),
]


@pytest.mark.parametrize(("text", "path", "message"), BAD)
def test_bad_schemas_name_path_and_problem(text: str, path: str, message: str) -> None:
    with pytest.raises(SchemaError) as info:
        load_schema(text)
    assert info.value.path == path
    assert message in info.value.problem


def test_shorthand_is_normalized_with_every_field_required() -> None:
    schema = load_schema('{"name": {"type": "string"}, "age": "integer"}')
    assert schema.json_schema == {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
        "required": ["name", "age"],
    }
    assert [f.required for f in schema.fields] == [True, True]


def test_full_subset_is_accepted_and_validates() -> None:
    schema = load_schema(
        {
            "type": "object",
            "properties": {
                "id": {"type": "string", "format": "uuid", "unique": True},
                "nick": {"type": ["string", "null"], "maxLength": 10},
                "score": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
                "kind": {"const": "user"},
                "tags": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                    "maxItems": 3,
                    "uniqueItems": True,
                },
                "address": {
                    "type": "object",
                    "properties": {"zip": {"type": "string", "pattern": "^[0-9]{5}$"}},
                    "required": ["zip"],
                },
                "seen": {"type": "string", "format": "date-time"},
            },
            "required": ["id", "kind"],
        }
    )
    good = {
        "id": "123e4567-e89b-42d3-a456-426614174000",
        "nick": None,
        "score": 0.5,
        "kind": "user",
        "tags": ["a"],
        "address": {"zip": "12345"},
        "seen": "2024-01-02T03:04:05Z",
    }
    assert schema.validator.is_valid(good)
    assert not schema.validator.is_valid({**good, "tags": ["a", "a"]})
    assert not schema.validator.is_valid({**good, "seen": "yesterday"})
    assert not schema.validator.is_valid({**good, "address": {"zip": "1234"}})
    assert schema.field("id").unique


def test_array_of_records_schema_is_unwrapped() -> None:
    schema = load_schema({"type": "array", "items": {"type": "object", "properties": {"a": {"type": "integer"}}}})
    assert [f.name for f in schema.fields] == ["a"]


def test_a_backtracking_pattern_is_checked_in_bounded_time_and_named() -> None:
    """^(a|aa)+$ backtracks exponentially on 'aaa...!' with the standard re (tens of seconds at 40 letters):
    the check gives up after PATTERN_TIMEOUT_S and says which pattern to simplify."""
    from synth_gradio.schema.validation import compile_validator, first_error

    validator = compile_validator({"type": "object", "properties": {"s": {"type": "string", "pattern": "^(a|aa)+$"}}})
    problem = first_error(validator, {"s": "a" * 40 + "!"})
    assert problem is not None and "backtracks" in problem and "simplify it" in problem, problem
    assert first_error(validator, {"s": "aaaa"}) is None  # a plain match is unaffected
    assert "does not match" in first_error(validator, {"s": "b"})
