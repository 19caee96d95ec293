"""Steering hints: what a streamed record is kept from ending on, and which fields count as prose."""

from __future__ import annotations

from synth_gradio.engine.dedup import Deduplicator
from synth_gradio.engine.prose import prose_fields
from synth_gradio.engine.steer import OVERUSE_EVERY, Overuse, make_view
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


def test_a_value_is_not_ended_open_or_on_a_joining_mark() -> None:
    avoid = view().avoid
    assert avoid("title", "Galaxy S10 (128 GB") and avoid("title", "Smith &") and avoid("title", "Acme,")
    assert avoid("title", '\\"Deluxe edition')  # a straight quote, escaped inside the JSON string
    assert avoid("body", "It broke after a week (the hinge")
    assert not avoid("title", "Galaxy S10 (128 GB)") and not avoid("title", "O'Brien & Sons")


def test_prose_that_would_nearly_repeat_an_accepted_text_writes_on() -> None:
    dedup = Deduplicator(SCHEMA, prose=["body"])
    dedup.add({"title": "A", "body": "This is really great!", "sku": "AB-2"})
    avoid = view(dedup).avoid
    assert avoid("body", "This is really great!")
    assert avoid("body", "this is really great")
    assert not avoid("body", "This is really great! The timer works even offline.")
    assert not avoid("title", "This is really great!")  # a title may repeat


def test_words_a_short_field_keeps_repeating_are_steered_away_from() -> None:
    overuse = Overuse(["product"], wording="the product's name as listed in the shop")
    names = ["Samsung Galaxy S10", "Samsung Galaxy Tab", "Kindle Paperwhite", "Samsung Galaxy Buds",
             "Samsung TV", "Shop Vac 3000", "Shop Light", "Shop Stool"]  # fmt: skip
    for name in names[: OVERUSE_EVERY - 1]:
        overuse.add({"product": name})
    assert overuse.words == {}  # updated every OVERUSE_EVERY records
    overuse.add({"product": names[OVERUSE_EVERY - 1]})
    words = dict(overuse.words["product"])
    assert set(words) == {"samsung"} and words["samsung"] < 0  # "shop" is the schema's own word
    assert "galaxy" not in words  # 3 of 8: below the floor of 4


def test_a_type_word_or_another_fields_name_is_a_placeholder() -> None:
    names = {"company", "title", "location"}
    for value in ["(String),", "String,", "[string]", "The company", "the company,", "A title"]:
        assert placeholder_text(value, "title", names), value
    for value in ["The Company Store", "The Manager", "Senior Data Engineer", "Model 3"]:
        assert not placeholder_text(value, "title", names), value
    assert placeholder_reason({"title": "iPhone (String)"}, ["title"], SCHEMA.json_schema)
