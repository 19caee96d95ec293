"""An ending's date follows the status: none while the relationship goes on, always once it ended."""

from __future__ import annotations

from collections import Counter

from synth_gradio.engine.plan import Planner
from synth_gradio.schema.endings import ending_fields
from synth_gradio.schema.model import load_schema


def _schema(status: list[str], end: str = "termination_date", required: bool = True) -> dict:
    props = {
        "hire_date": {"type": "string", "format": "date"},
        "employment_status": {"type": "string", "enum": status},
        end: {"type": ["string", "null"] if required else "string", "format": "date"},
    }
    names = list(props) if required else ["hire_date", "employment_status"]
    return {"title": "Employee", "type": "object", "properties": props, "required": names}


def test_an_ongoing_status_has_no_ending_date_and_an_ended_one_always_has_one() -> None:
    for end, required in (("termination_date", True), ("cancelled_at", False)):
        statuses = ["pending", "active", "on leave", "terminated"]  # pending: not ended either
        planner = Planner(load_schema(_schema(statuses, end, required)), seed=2)
        seen = Counter(
            (p["employment_status"], p.get(end) is not None) for p in (planner.plan().fixed for _ in range(600))
        )
        assert set(seen) == {("active", False), ("on leave", False), ("pending", False), ("terminated", True)}
        later = [planner.plan().fixed for _ in range(200)]
        if end == "termination_date":  # still in order after its hire
            assert all(p["hire_date"] <= p[end] for p in later if p.get(end))


def test_statuses_without_both_kinds_and_dates_that_are_no_ending_are_left_alone() -> None:
    assert ending_fields(_schema(["active", "suspended"])) == {}  # nothing ended
    for scheduled in ("expiration_date", "end_date", "lease_end_date"):  # may lie ahead while it goes on
        assert ending_fields(_schema(["active", "cancelled", "expired"], scheduled)) == {}, scheduled
    told = _schema(["active", "cancelled"], "end_date")
    told["properties"]["end_date"]["description"] = "set when the subscription ended"
    assert set(ending_fields(told)["fields"]) == {"end_date"}
    assert ending_fields(_schema(["pending", "terminated"])) == {}  # nothing that goes on
    planned = _schema(["active", "terminated"], "expected_end_date")
    assert ending_fields(planned) == {}
    declared = _schema(["active", "terminated"])
    declared["properties"]["termination_date"]["x-distribution"] = {"kind": "uniform"}
    assert ending_fields(declared) == {}
    assert ending_fields(_schema(["active", "terminated"]), taken={"termination_date"}) == {}


def test_the_reason_for_an_ending_is_left_empty_while_the_status_goes_on() -> None:
    schema = _schema(["active", "paused", "cancelled"], "end_date")
    schema["properties"]["cancellation_reason"] = {"type": ["string", "null"], "description": "in their words"}
    schema["required"].append("cancellation_reason")
    planner = Planner(load_schema(schema), seed=4)
    assert planner.strategies["cancellation_reason"] == "model"
    plans = [planner.plan() for _ in range(300)]
    assert all(("cancellation_reason" in p.empty) == (p.fixed["employment_status"] != "cancelled") for p in plans)
    assert {p.fixed["employment_status"] for p in plans} == {"active", "paused", "cancelled"}
