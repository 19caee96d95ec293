"""A record's status agrees with its dates and amounts: open tickets have no resolution date yet."""

from __future__ import annotations

from synth_gradio.engine.plan import Planner
from synth_gradio.schema.model import load_schema
from synth_gradio.schema.stages import stage_fields

TICKET = {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": ["open", "in progress", "resolved", "closed"]},
        "created_at": {"type": "string", "format": "date-time"},
        "resolved_at": {"type": ["string", "null"], "format": "date-time"},
        "closed_at": {"type": "string", "format": "date-time"},
        "priority": {"type": "string", "enum": ["low", "high"]},
    },
    "required": ["status", "created_at", "resolved_at", "priority"],
}
CLAIM = {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": ["open", "approved", "partially approved", "denied"]},
        "claimed_amount": {"type": "number", "minimum": 50, "maximum": 5000},
        "approved_amount": {"type": "number", "minimum": 0, "maximum": 5000},
        "paid_date": {"type": "string", "format": "date"},
    },
    "required": ["status", "claimed_amount", "approved_amount", "paid_date"],
}


def _plans(schema: dict, n: int = 200) -> list[dict]:
    planner = Planner(load_schema(schema), seed=2)
    return [planner.plan().fixed for _ in range(n)]


def test_an_open_ticket_has_no_resolution_yet_and_a_closed_one_has() -> None:
    rows = _plans(TICKET)
    for row in rows:
        finished = row["status"] in ("resolved", "closed")
        assert (row["resolved_at"] is not None) == finished  # nullable: null until resolved
        assert finished or "closed_at" not in row  # optional and never null: left out until finished
        if row["resolved_at"] is not None:
            assert row["created_at"] <= row["resolved_at"]
    assert {row["status"] for row in rows} == {"open", "in progress", "resolved", "closed"}  # never changed


def test_a_denied_or_open_claim_was_approved_for_nothing_and_a_required_date_stays() -> None:
    for row in _plans(CLAIM):
        if row["status"] in ("denied", "open"):
            assert row["approved_amount"] == 0
        else:
            assert row["approved_amount"] > 0
        assert row["paid_date"]  # required and never null: nothing fits, so it is left as drawn


def test_what_names_no_stage_is_left_alone() -> None:
    plain = {"properties": {"status": {"enum": ["gold", "silver"]}, "closed_at": {"type": "string", "format": "date"}}}
    assert stage_fields(plain) == {}
    assert stage_fields({**TICKET, "x-implied": False}) == {}  # a table's rows show their own lifecycle
    levels = stage_fields(CLAIM)["levels"]
    assert levels == {"open": 0, "approved": 2, "partially approved": 2, "denied": "refused"}


def test_only_event_dates_and_past_amounts_are_governed_and_parallel_steps_stay_apart() -> None:
    day = {"type": ["string", "null"], "format": "date"}
    order = {
        "properties": {
            "order_status": {"enum": ["pending", "paid", "shipped", "delivered", "rejected"]},
            "status": {"enum": ["pending", "paid", "shipped", "delivered", "rejected"]},
            "payment_due_date": day, "expected_delivery_date": day, "shipping_cost": {"type": "number"},
            "assigned_to": {"type": "integer"}, "approval_limit": {"type": "number"},
            "paid_amount": {"type": "number", "exclusiveMinimum": 0},
            "shipped_date": day, "delivered_date": day, "closed_at": day,
        }
    }  # fmt: skip
    found = stage_fields(order)
    assert found["status"] == "status"  # a plain "status" before order_status
    assert set(found["events"]) == {"shipped_date", "delivered_date", "closed_at", "paid_amount"}
    assert found["events"]["paid_amount"][1] == "absent"  # 0 is not above an exclusive minimum of 0: left out
    schema = load_schema({**order, "type": "object", "required": ["status", "shipped_date", "closed_at"]})
    planner = Planner(schema, seed=3)
    for _ in range(200):
        row = planner.plan().fixed
        if row["status"] == "paid":
            assert row["shipped_date"] is None  # paid is not shipped
        if row["status"] == "rejected":
            assert row["shipped_date"] is None and row["closed_at"] is not None  # a refusal still closes


def test_a_stageless_status_value_or_a_declared_rule_leaves_dates_as_drawn() -> None:
    account = {
        "properties": {
            "status": {"enum": ["active", "suspended", "closed"]},
            "closed_date": {"type": ["string", "null"], "format": "date"},
        }
    }
    assert stage_fields(account) == {}
    tied = {
        "type": "object",
        **TICKET,
        "x-rules": [{"kind": "compare", "left": "created_at", "op": "<=", "right": "resolved_at"}],
    }
    assert set(Planner(load_schema(tied), seed=1).stages["events"]) == {"closed_at"}  # resolved_at: the rule's


def test_granting_statuses_reach_their_own_track_and_any_approval() -> None:
    from synth_gradio.schema.stages import settle_stages

    day = {"type": ["string", "null"], "format": "date"}
    statuses = ["pending", "paid", "approved", "in transit", "returned", "denied", "on the moon"]
    props = {"status": {"enum": statuses}, "payment_date": day, "decision_date": day, "shipped_date": day}
    found = stage_fields({"properties": props})
    kept = {}
    for status in statuses:
        row = {"status": status, "payment_date": "d", "decision_date": "d", "shipped_date": "d"}
        settle_stages(row, found)
        kept[status] = {k for k, v in row.items() if v == "d"}
    assert kept["pending"] == set()
    assert kept["paid"] == {"payment_date", "decision_date"}  # paid, not yet shipped; a decision was made
    assert kept["approved"] == {"decision_date"}
    assert kept["in transit"] == {"shipped_date", "decision_date"}
    assert kept["returned"] == {"payment_date", "decision_date", "shipped_date"}  # paid and shipped first
    assert kept["denied"] == {"decision_date"}  # a refusal is a decision
    assert kept["on the moon"] == {"payment_date", "decision_date", "shipped_date"}  # names no stage: as drawn
