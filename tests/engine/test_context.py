"""What the model is shown of the drawn values: no opaque identifiers, dates for timestamps."""

from __future__ import annotations

from synth_gradio.engine.context import shown_values
from synth_gradio.engine.prompts import record_suffix
from synth_gradio.schema.model import load_schema

SCHEMA = load_schema(
    {
        "type": "object",
        "properties": {
            "booking_id": {"type": "string", "format": "uuid"},
            "iban": {"type": "string", "pattern": "^DE[0-9]{20}$"},
            "ref": {"type": "string", "pattern": "^R[0-9]{9}$", "description": "payment reference"},
            "code": {"type": "string", "pattern": "^[A-Z]-[0-9]{2}$"},
            "booked_at": {"type": "string", "format": "date-time"},
            "value_date": {"type": "string", "format": "date"},
            "amount": {"type": "number"},
            "category": {"enum": ["rent", "salary"]},
            "booking_text": {"type": "string", "description": "bank statement text quoting the ref"},
        },
        "x-rules": [{"kind": "compare", "left": "value_date", "op": ">=", "right": "booked_at"}],
    }
)
FIXED = {
    "booking_id": "f0e642f4-3328-4d08-8ded-3c9691eb79fa",
    "iban": "DE75650889957903289218",
    "ref": "R123456789",
    "code": "A-12",
    "booked_at": "2024-07-02T13:51:15Z",
    "value_date": "2024-07-03",
    "amount": 6.36,
    "category": "rent",
}


def test_opaque_identifiers_are_left_out_unless_a_model_field_names_them() -> None:
    shown = shown_values(SCHEMA, ["booking_text"], FIXED)
    assert "booking_id" not in shown and "iban" not in shown  # a UUID and a 20-digit number
    assert shown["ref"] == "R123456789"  # the text's description names it
    assert shown["code"] == "A-12" and shown["amount"] == 6.36 and shown["category"] == "rent"
    assert shown["booked_at"] == "2024-07-02"  # a timestamp is shown as its date
    assert shown["value_date"] == "2024-07-03"
    suffix = record_suffix(SCHEMA, ["booking_text"], FIXED)
    assert suffix.startswith("Given: {") and "f0e642f4" not in suffix and suffix.endswith("Record: ")


def test_values_a_rule_ties_to_a_model_field_are_shown_as_they_are() -> None:
    shown = shown_values(SCHEMA, ["value_date"], FIXED)
    assert shown["booked_at"] == "2024-07-02T13:51:15Z"  # value_date >= booked_at: the model needs it whole
    assert shown_values(SCHEMA, [], FIXED) == FIXED  # nothing for the model to write: nothing changes
