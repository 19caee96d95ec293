"""Orders and code forms a plain schema states in words: drawn records keep them."""

from __future__ import annotations

import re

from synth_gradio.engine.plan import Planner
from synth_gradio.engine.strategies import choose_all
from synth_gradio.schema.described import described_rules
from synth_gradio.schema.idforms import code_pattern, from_example, from_name
from synth_gradio.schema.model import load_schema

CLAIMS = {
    "title": "Insurance claim",
    "type": "object",
    "properties": {
        "claim_id": {"type": "string", "description": "claim reference like CLM-000123"},
        "incident_date": {"type": "string", "format": "date"},
        "filed_date": {"type": "string", "format": "date", "description": "when the claim was filed, after the incident"},
        "claimed_amount": {"type": "number", "minimum": 50, "maximum": 250000},
        "approved_amount": {"type": "number", "minimum": 0, "maximum": 250000,
                            "description": "amount approved in USD, at most the claimed amount"},
        "paid_date": {"type": "string", "format": "date", "description": "paid within 30 days of the filed date"},
        "invoice_number": {"type": "string", "maxLength": 9},
        "summary": {"type": "string", "description": "what happened, e.g. a burst pipe"},
    },
    "required": ["claim_id", "incident_date", "filed_date", "claimed_amount", "approved_amount", "paid_date",
                 "invoice_number", "summary"],
}  # fmt: skip


def test_orders_are_read_from_descriptions_and_kept_in_every_drawn_record() -> None:
    schema = load_schema(CLAIMS)
    planner = Planner(schema, seed=3)
    waits = []
    for _ in range(300):
        fixed = planner.plan().fixed
        assert fixed["incident_date"] <= fixed["filed_date"] <= fixed["paid_date"]
        assert fixed["approved_amount"] <= fixed["claimed_amount"]
        assert 0 <= (_day(fixed["paid_date"]) - _day(fixed["filed_date"])).days <= 30  # "within 30 days of"
        waits.append((_day(fixed["filed_date"]) - _day(fixed["incident_date"])).days)
    # "after the incident": days or weeks, at most a year (two free dates: three years apart on average)
    assert max(waits) <= 365 and sorted(waits)[150] <= 30


def _day(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)


def test_codes_take_the_example_s_form_or_the_name_s_and_are_drawn_in_code() -> None:
    schema = load_schema(CLAIMS)
    strategies = choose_all(schema)
    assert strategies["claim_id"] == "sample" and strategies["invoice_number"] == "sample"
    assert strategies["summary"] == "model"  # "a burst pipe" is words, not a code
    planner = Planner(schema, seed=5)
    ids = {planner.plan().fixed["claim_id"] for _ in range(200)}
    assert all(re.fullmatch(r"CLM-\d{6}", i) for i in ids) and len(ids) > 190
    invoice = planner.plan().fixed["invoice_number"]
    assert re.fullmatch(r"INV-\d{4,5}", invoice) and len(invoice) <= 9


def test_what_is_not_an_order_or_a_code_is_left_alone() -> None:
    schema = {
        "properties": {
            "discount": {"type": "number", "description": "never more than the price"},
            "price": {"type": "number"},
            "age": {"type": "integer", "description": "at least 18"},
            "start": {"type": "string", "format": "date", "description": "after the price"},
            "status": {"type": "string", "enum": ["a", "b"], "description": "at most the price"},
        }
    }
    rules = described_rules(schema, set())
    assert [(r["left"], r["right"]) for r in rules] == [("discount", "price")]
    assert described_rules(schema, {"discount"}) == []  # a declared rule on it wins
    assert from_example("AB-12cd") == "^AB\\-[0-9]{2}[a-z]{2}$"
    assert from_name("is_id") is None and from_name("notes") is None and from_name("phone_number") is None
    assert code_pattern("order_id", {"type": "string", "pattern": "^O[0-9]+$"}) is None
    assert code_pattern("order_id", {"type": "integer"}) is None
    assert code_pattern("order_id", {"type": "string", "maxLength": 5}) is None  # ORD- and 3 digits do not fit
