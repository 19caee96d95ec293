"""Years of a working life fit inside the life."""

from __future__ import annotations

import pandas as pd

from synth_gradio.engine.plan import Planner
from synth_gradio.schema.lifespan import life_pairs
from synth_gradio.schema.model import load_schema


def _schema(years: str = "employment_years", minimum: int = 0) -> dict:
    props = {
        "applicant_age": {"type": "integer", "minimum": 18, "maximum": 80},
        years: {"type": "integer", "minimum": minimum, "maximum": 50},
        "annual_income": {"type": "number", "minimum": 0},
    }
    return {"title": "Loan", "type": "object", "properties": props, "required": list(props)}


def test_no_one_has_worked_longer_than_their_age_allows() -> None:
    for name in ("employment_years", "years_experience", "tenure"):
        planner = Planner(load_schema(_schema(name)), seed=4)
        rows = pd.DataFrame([planner.plan().fixed for _ in range(1500)])
        assert (rows[name] <= rows["applicant_age"] - 16).all(), name
        assert rows[name].max() >= 20 and rows[name].min() == 0  # the spread is kept where the age allows it


def test_ages_of_things_and_declared_or_model_fields_are_left_alone() -> None:
    props = _schema()["properties"]
    assert life_pairs(props, {"applicant_age", "employment_years"}) == [("applicant_age", "employment_years", 0.0)]
    assert life_pairs(props, {"applicant_age"}) == []  # the years are the model's or a rule's
    renamed = {"account_age_days": props["applicant_age"], "employment_years": props["employment_years"]}
    assert life_pairs(renamed, set(renamed)) == []


def test_storage_bounds_steps_and_months_are_respected() -> None:
    sql = _schema("years_of_service", -128)
    sql["properties"]["years_of_service"]["x-type-bounds"] = ["minimum", "maximum"]  # a TINYINT's
    planner = Planner(load_schema(sql), seed=2)
    assert planner.lives == [("applicant_age", "years_of_service", 0.0)]
    assert min(planner.plan().fixed["years_of_service"] for _ in range(1500)) >= 0
    stepped = _schema()
    stepped["properties"]["employment_years"]["multipleOf"] = 5
    assert Planner(load_schema(stepped), seed=2).lives == []  # a redraw would leave its step
    assert (
        life_pairs(
            {"customer_age": {"type": "integer"}, "tenure_months": {"type": "integer"}},
            {"customer_age", "tenure_months"},
        )
        == []
    )
