"""Steering hints: what a streamed record is kept from ending on, and which fields count as prose."""

from __future__ import annotations

from synth_gradio.engine.dedup import Deduplicator
from synth_gradio.engine.prose import prose_fields
from synth_gradio.engine.steer import make_view
from synth_gradio.engine.validate import placeholder_reason, placeholder_text
from synth_gradio.schema.model import load_schema

SCHEMA = load_schema(
    {
        "type": "object",
        "properties": {
            "title": {"type": "string", "maxLength": 60},
            "body": {"type": "string", "minLength": 20},
            "sku": {"type": "string", "unique": True},
            "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "mood": {"enum": ["calm", "busy"]},
        },
        "required": ["title", "body", "sku", "code", "mood"],
    }
)
SHOWN = [{"title": "Quiet mornings", "body": "A long text about quiet mornings in the city.", "sku": "AB-1"}]


def view(dedup: Deduplicator | None = None):
    fields = ["title", "body", "sku"]
    return make_view("prefix", SHOWN, SCHEMA, fields, {"title", "sku"}, dedup or Deduplicator(SCHEMA))


def test_ending_on_a_rejected_value_is_avoided_and_nothing_else() -> None:
    dedup = Deduplicator(SCHEMA)
    dedup.add({"sku": "ZZ-9"})
    avoid = view(dedup).avoid
    assert avoid("body", "A long text about quiet mornings in the city.")  # a copy of a shown example
    assert avoid("title", "Quiet mornings")  # identifying field: copies of 3+ characters count
    assert avoid("sku", "ZZ-9")  # a used value of a unique field
    assert avoid("title", "n/a") and avoid("body", "Sample 3") and avoid("body", "...")  # placeholders
    assert not avoid("body", "A long text about quiet mornings")  # only whole values count
    assert not avoid("body", "Tea")  # short free text may repeat
    assert not avoid("sku", "ZZ-8")
    assert not avoid("mood", "n/a")  # not a free field: the grammar decides


def test_echo_lists_each_prose_field_with_the_shown_text() -> None:
    echo = view().echo
    assert prose_fields(SCHEMA, ["title", "body", "sku", "code", "mood"]) == ["title", "body", "sku"]
    assert echo["body"] == ["A long text about quiet mornings in the city."]
    assert echo["title"] == ["Quiet mornings"] and echo["sku"] == []


def test_whole_value_placeholders_match_the_record_check() -> None:
    for value in ["n/a", "Customer 12", "  TBD ", "---", "title", "body"]:
        assert placeholder_text(value, "title", {"title", "body"})
        assert placeholder_reason({"title": value}, ["title"], SCHEMA.json_schema) == "placeholder value at $.title"
    assert not placeholder_text("Customer 12 called twice", "title", {"title"})
