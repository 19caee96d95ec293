"""The Template Builder's field table <-> JSON schema conversion, rules included."""

from __future__ import annotations

import json

import pytest

from synth_gradio.errors import SchemaError
from synth_gradio.schema.builder import rows_to_schema, schema_to_rows
from synth_gradio.schema.templates import builtin_names, get_template


@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_round_trips_through_the_field_table(name: str) -> None:
    schema = get_template(name).schema.json_schema
    rebuilt = rows_to_schema(schema_to_rows(schema), schema.get("title", ""), schema.get("description", ""))
    assert rebuilt["properties"] == schema["properties"]
    assert rebuilt["required"] == schema["required"]


def test_dotted_names_make_nested_objects_and_arrays_keep_their_bounds() -> None:
    schema = rows_to_schema(
        [
            {"name": "address.city", "type": "string", "required": True},
            {"name": "address.zip", "type": "string", "pattern": "^[0-9]{5}$", "required": False},
            {
                "name": "tags",
                "type": "array<string>",
                "enum": "a, b, c",
                "minItems": 2,
                "maxItems": 3,
                "uniqueItems": True,
            },
            {"name": "score", "type": "number", "minimum": "0.5", "nullable": True},
        ]
    )
    assert schema["properties"]["address"]["required"] == ["city"]
    assert schema["properties"]["tags"] == {
        "type": "array",
        "items": {"type": "string", "enum": ["a", "b", "c"]},
        "minItems": 2,
        "maxItems": 3,
        "uniqueItems": True,
    }
    assert schema["properties"]["score"]["type"] == ["number", "null"]


def test_bad_rows_name_the_row() -> None:
    with pytest.raises(SchemaError) as info:
        rows_to_schema([{"name": "a", "type": "text"}])
    assert info.value.path == "$.fields[0]"
    with pytest.raises(SchemaError, match="defined twice"):
        rows_to_schema([{"name": "a"}, {"name": "a"}])


def test_builder_keeps_rules_and_examples() -> None:
    from synth_gradio.ui.templates import compose, decompose

    template = get_template("customer_data").to_dict()
    text, message = compose(*decompose(json.dumps(template)))
    rebuilt = json.loads(text)
    assert message.startswith("✅")
    assert rebuilt["schema"]["x-rules"] == template["schema"]["x-rules"]
    assert rebuilt["examples"] == template["examples"]
