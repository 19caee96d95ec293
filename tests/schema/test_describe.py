"""Describe in words: a sentence becomes a valid draft schema with the fields a reader expects."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from synth_gradio.errors import InputError
from synth_gradio.schema.describe import draft_schema
from synth_gradio.schema.describe_input import MAX_DESCRIPTION
from synth_gradio.schema.friendly import friendly_rows, rules_in_words
from synth_gradio.schema.model import load_schema

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))


def _valid(text: str) -> dict:
    draft = draft_schema(text)
    load_schema(json.dumps(draft.schema))  # the same checks a user's own schema gets
    return draft


def test_the_twenty_bench_descriptions_are_valid_and_hold_what_a_reader_expects() -> None:
    from describe import CASES

    found = expected = 0
    for text, fields in CASES:
        names = set(_valid(text).schema["properties"])
        found += sum(1 for alts in fields if alts & names)
        expected += len(fields)
    assert found / expected >= 0.8


def test_industry_values_voice_and_count_come_from_the_sentence() -> None:
    draft = _valid("500 customer complaints for a telecom company")
    props = draft.schema["properties"]
    assert draft.n == 500
    assert "network coverage" in props["category"]["enum"]  # a telecom's topics, not generic ones
    assert "customer's complaint to a telecom company" in props["message"]["description"]
    assert props["complaint_id"]["unique"] is True
    assert _valid("Bank transactions, 2k rows").n == 2000
    assert _valid("1,000 employees").n == 1000


def test_listed_fields_replace_the_usual_ones_and_unknown_ones_are_typed_from_their_words() -> None:
    props = _valid("patients of a dental clinic with their age, blood type and next appointment date").schema[
        "properties"
    ]
    assert set(props) == {"patient_id", "full_name", "age", "blood_type", "next_appointment_date"}
    assert props["next_appointment_date"]["format"] == "date"
    props = _valid("leads including company, email, deal value and whether they were contacted").schema["properties"]
    assert props["contacted"]["type"] == "boolean" and props["email"]["format"] == "email"


def test_dependencies_and_rules_are_kept_only_when_their_fields_are_there() -> None:
    full = _valid("employees with their level and salary").schema
    assert full["properties"]["salary"]["x-distribution"]["by"] == "level"  # pay rises with level
    assert "managers earn at least 60k" in rules_in_words(full)
    alone = _valid("employees with name, email and salary").schema
    assert "by" not in alone["properties"]["salary"]["x-distribution"] and "x-rules" not in alone
    orders = _valid("orders with quantity, unit price and total").schema
    assert rules_in_words(orders) == ["total is quantity times unit price"]


def test_an_unknown_kind_of_record_gets_general_fields_and_says_so() -> None:
    draft = _valid("300 gym memberships")
    assert draft.schema["title"] == "Gym membership" and draft.n == 300
    assert any("not a kind of record the drafter knows" in note for note in draft.notes)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Describe the records you need"),
        ("   ", "Describe the records you need"),
        ("x" * (MAX_DESCRIPTION + 1), "keep it under"),
        ("Datos de clientes de un banco con nombre y correo", "reads English"),
        ("顧客のデータを作ってください", "reads English"),
        ("write me a poem about cats", "does not describe records"),
        ("hello", "No kind of record was recognised"),
    ],
)
def test_bad_descriptions_get_one_sentence_that_says_what_to_write(text: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        draft_schema(text)


def test_friendly_rows_name_kinds_people_use() -> None:
    schema = _valid("1,000 employees of a bank with name, email, department, level and salary").schema
    kinds = {row[0]: row[1] for row in friendly_rows(schema)}
    assert kinds == {
        "employee_id": "identifier",
        "full_name": "person name",
        "email": "email",
        "department": "category",
        "level": "category",
        "salary": "amount of money",
    }
    settings = {row[0]: row[2] for row in friendly_rows(schema)}
    assert "junior 30%" in settings["level"] and "depends on level" in settings["salary"]
