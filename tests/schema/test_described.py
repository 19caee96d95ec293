"""Orders and code forms a plain schema states in words: drawn records keep them."""

from __future__ import annotations

import re

from synth_gradio.engine.plan import Planner
from synth_gradio.engine.strategies import choose_all
from synth_gradio.schema.described import described_rules
from synth_gradio.schema.idforms import code_pattern, from_example
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
    # a filing (a step of handling) follows within days or weeks, not years as two free dates
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


def _pairs(props: dict) -> list[tuple]:
    return [
        (r["kind"], r.get("left", r.get("from")), r.get("right", r.get("to")), r.get("max"))
        for r in described_rules({"properties": props}, set())
    ]


DAY = {"type": "string", "format": "date"}
NUMBER = {"type": "number"}


def test_negations_time_words_between_numbers_and_unsafe_swaps_are_read_as_meant() -> None:
    assert _pairs({"claimed": NUMBER, "approved": {**NUMBER, "description": "cannot be more than the claimed"}}) == [
        ("compare", "approved", "claimed", None)
    ]
    assert _pairs({"claimed": NUMBER, "approved": {**NUMBER, "description": "must not be greater than the claimed"}})[0][1] == "approved"  # fmt: skip
    assert _pairs({"price": {**NUMBER, "description": "unit price before tax"}, "tax": NUMBER}) == []
    assert (
        _pairs({"price": NUMBER, "qty": {"type": "integer", "description": "at most the price"}}) == []
    )  # types differ
    bounded = {"claimed": {**NUMBER, "maximum": 100}, "approved": {**NUMBER, "maximum": 500, "description": "at most the claimed"}}  # fmt: skip
    assert _pairs(bounded) == []  # a swap would put 500 where 100 is the most
    assert _pairs({"order_date": DAY, "due_date": {**DAY, "description": "due 30 days after the order date"}}) == [
        ("gap", "order_date", "due_date", 30.0)
    ]
    assert _pairs({"order_date": DAY, "ship_date": {**DAY, "description": "not within 3 days of the order date"}}) == []
    assert _pairs({"pay_date": {**DAY, "description": "within 7 days of the due date"}, "due_date": DAY}) == []
    timed = {"type": "string", "format": "date-time", "description": "after the invoice date"}
    assert _pairs({"invoice_date": DAY, "paid_at": timed}) == []  # a swap would write a date into a date-time
    assert _pairs({"order_date": DAY, "ship_date": {**DAY, "description": "within 99999 days of the order date"}}) == []
    assert _pairs({"birth_date": DAY, "hire_date": {**DAY, "description": "after the birth date"}}) == [
        ("compare", "birth_date", "hire_date", None)  # an order, not a gap of days
    ]
    assert described_rules({"properties": {"discount": {**NUMBER, "description": "at most the price"}, "price": NUMBER}}, {"discount"}) == []  # fmt: skip


def test_what_is_not_a_code_is_left_to_the_model() -> None:
    text = {"type": "string"}
    assert from_example("AB-12cd") == "^AB\\-[0-9]{2}cd$"
    assert code_pattern("customer_id", text) == "^CST-[0-9]{7}$"
    assert code_pattern("subscription_id", text) == "^SBS-[0-9]{7}$"  # any other thing's reference
    assert code_pattern("video_id", text) == "^[A-Za-z0-9]{12}$"  # a platform's opaque key
    assert code_pattern("manager_id", text, ["employee_id", "manager_id"]) == "^EMP-[0-9]{7}$"  # one of them
    assert code_pattern("manager_id", text) is None and code_pattern("currency_id", text) is None
    for name, node in [
        ("summary", {**text, "description": "A summary, like 100-200 words"}),
        ("symptoms", {**text, "description": "issues like COVID19 symptoms"}),
        ("mobile_no", text), ("house_no", text), ("yes_no", text), ("email_id", text), ("parent_id", text),
        ("character_reference", text), ("session_id", {**text, "description": "UUID of the session"}),
        ("twitter_id", {**text, "description": "e.g. @jane_doe"}), ("batch_code", {**text, "description": "like 2024-03-15"}),
        ("order_id", {**text, "pattern": "^O[0-9]+$"}), ("order_id", {"type": "integer"}),
        ("order_id", {**text, "maxLength": 5}),  # ORD- and 3 digits do not fit
    ]:  # fmt: skip
        assert code_pattern(name, node) is None, name
    inferred = load_schema({**CLAIMS, "x-implied": False})  # a table's rows show their codes' form
    assert choose_all(inferred)["invoice_number"] == "model"


def test_dates_named_as_handling_steps_follow_the_step_before_by_days_not_years() -> None:
    order = {
        "type": "object",
        "properties": {
            "order_date": DAY,
            "status": {"type": "string", "enum": ["placed", "shipped", "delivered", "cancelled"]},
            "shipped_date": {**DAY, "type": ["string", "null"]},
            "delivered_date": {**DAY, "type": ["string", "null"]},
            "birth_date": DAY,
            "hire_date": DAY,
        },
        "required": ["order_date", "status", "shipped_date", "delivered_date", "birth_date", "hire_date"],
    }
    schema = load_schema(order)
    assert {r.describe() for r in schema.rules} == {
        "shipped_date is 0 to 365 days after order_date",
        "delivered_date is 0 to 365 days after shipped_date",  # after the shipment, not the order
    }  # a hire after a birth is only ordered by name (pairs.py), years apart
    planner = Planner(schema, seed=1)
    for _ in range(200):
        row = planner.plan().fixed
        assert (row["shipped_date"] is None) == (row["status"] in ("placed", "cancelled"))
        if row["shipped_date"]:
            assert 0 <= (_day(row["shipped_date"]) - _day(row["order_date"])).days <= 365
        if row["delivered_date"]:
            assert row["status"] == "delivered" and row["shipped_date"] <= row["delivered_date"]
