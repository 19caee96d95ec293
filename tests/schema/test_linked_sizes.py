"""A plain schema's sizes of one thing rise together: a flat's rooms, area and rent; a person's pay."""

from __future__ import annotations

import pandas as pd

from synth_gradio.engine.plan import Planner
from synth_gradio.schema.model import load_schema

FLAT = {
    "type": "object",
    "properties": {
        "bedrooms": {"type": "integer", "minimum": 0, "maximum": 5},
        "bathrooms": {"type": "number", "minimum": 1, "maximum": 4},
        "area_sqft": {"type": "integer", "minimum": 250, "maximum": 4000},
        "monthly_rent": {"type": "integer", "minimum": 500, "maximum": 15000},
        "rating": {"type": "integer", "minimum": 1, "maximum": 5},
        "notes": {"type": "string"},
    },
    "required": ["bedrooms", "bathrooms", "area_sqft", "monthly_rent", "rating"],
}


def _rows(schema: dict, n: int = 1500, seed: int = 4) -> pd.DataFrame:
    planner = Planner(load_schema(schema), seed=seed)
    return pd.DataFrame([planner.plan().fixed for _ in range(n)])


def test_a_flat_s_rooms_area_and_rent_rise_together_and_keep_their_own_shapes() -> None:
    rows = _rows(FLAT)
    corr = rows[["bedrooms", "bathrooms", "area_sqft", "monthly_rent", "rating"]].corr("spearman")
    assert corr.loc["bedrooms", "area_sqft"] > 0.5 and corr.loc["area_sqft", "monthly_rent"] > 0.4
    assert corr.loc["bedrooms", "monthly_rent"] > 0.35
    assert abs(corr.loc["rating", "monthly_rent"]) < 0.1  # a rating is no size
    assert (rows["bathrooms"] % 1 == 0).all()  # not 1.477 bathrooms
    area = rows["area_sqft"]
    assert 800 < area.median() < 1500 and area.mean() > area.median()  # skewed, near 1,100 square feet
    assert rows["monthly_rent"].between(500, 15000).all() and area.between(250, 4000).all()


def test_pay_rises_with_experience_but_a_basket_s_total_is_no_one_s_age() -> None:
    staff = {
        "type": "object",
        "properties": {
            "years_experience": {"type": "integer", "minimum": 0, "maximum": 40},
            "age": {"type": "integer"},
            "salary": {"type": "integer", "minimum": 20000, "maximum": 400000},
        },
        "required": ["years_experience", "age", "salary"],
    }
    corr = _rows(staff).corr("spearman")
    assert corr.loc["years_experience", "salary"] > 0.3 and corr.loc["age", "salary"] > 0.15
    shop = {
        "type": "object",
        "properties": {"age": {"type": "integer"}, "order_total": {"type": "number", "minimum": 0}},
        "required": ["age", "order_total"],
    }
    assert abs(_rows(shop).corr("spearman").loc["age", "order_total"]) < 0.1
    declared = {**FLAT, "properties": {**FLAT["properties"]}}
    declared["properties"]["area_sqft"] = {
        **FLAT["properties"]["area_sqft"],
        "x-distribution": {"kind": "uniform", "low": 250, "high": 4000},
    }
    corr = _rows(declared).corr("spearman")  # the user's own declaration is never linked
    assert abs(corr.loc["area_sqft", "monthly_rent"]) < 0.1 and corr.loc["bedrooms", "monthly_rent"] > 0.35
