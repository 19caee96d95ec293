"""Ordered tiers: pay rises with seniority and price with the plan, each field keeping its own spread."""

from __future__ import annotations

import statistics

from synth_gradio.engine.plan import Planner
from synth_gradio.schema.distributions.tiers import tier_order, tier_prior
from synth_gradio.schema.model import load_schema


def _schema(level: dict, money: str = "annual_salary") -> dict:
    props = {"level": level, money: {"type": "number", "minimum": 0}, "note": {"type": "string"}}
    return {"title": "Row", "type": "object", "properties": props, "required": list(props)}


def test_ladders_are_read_from_enum_values_in_any_order_and_wording() -> None:
    assert tier_order({"enum": ["Senior Engineer", "Junior Engineer", "Lead Engineer", "Mid-level Engineer"]})[0] == [
        "Junior Engineer",
        "Mid-level Engineer",
        "Senior Engineer",
        "Lead Engineer",
    ]
    assert tier_order({"enum": ["enterprise", "basic", "pro"]})[0] == ["basic", "pro", "enterprise"]
    assert tier_order({"enum": ["Master's degree", "High school", "Bachelor's degree", "PhD"]})[0][0] == "High school"
    prior = tier_prior({"enum": ["gold", "bronze", "silver", "platinum"]}, "loyalty_tier")
    assert list(prior["weights"]) == ["bronze", "silver", "gold", "platinum"]
    assert list(prior["weights"].values()) == sorted(prior["weights"].values(), reverse=True)  # fewer at the top


def test_enums_that_are_no_ladder_or_are_declared_are_left_alone() -> None:
    assert tier_order({"enum": ["open", "pending", "closed"]}) is None
    assert tier_order({"enum": ["basic", "premium"]}) is None  # two values: too easily another choice
    assert tier_order({"enum": ["junior", "senior", "contractor"]}) is None  # one value off the ladder
    assert tier_order({"enum": ["small", "medium", "large"], "x-strategy": "model"}, "company_size") is None
    assert tier_order({"enum": ["S", "M", "L", "XL"]}, "t_shirt_size") is None  # a shirt is no company's size
    assert tier_order({"enum": ["Black", "Silver", "Gold"]}, "color") is None  # colours, not a loyalty tier
    assert tier_order({"enum": ["Silver", "Gold", "Platinum"]}, "color") is None
    assert tier_order({"enum": ["Account Executive", "Sales Manager", "Director"]}, "title") is None
    assert tier_order({"enum": ["junior", "mid", "senior"], "x-distribution": {"kind": "categorical"}}) is None


def test_pay_rises_with_seniority_and_price_with_the_plan() -> None:
    for level, money, order in (
        (
            ["director", "junior", "senior", "mid", "lead"],
            "annual_salary",
            ["junior", "mid", "senior", "lead", "director"],
        ),
        (["pro", "enterprise", "basic"], "monthly_price", ["basic", "pro", "enterprise"]),
    ):
        planner = Planner(load_schema(_schema({"type": "string", "enum": level}, money)), seed=3)
        assert planner.strategies["level"] == "prior" and planner.links["level"] > 0
        plans = [planner.plan().fixed for _ in range(3000)]
        medians = [statistics.median(p[money] for p in plans if p["level"] == v) for v in order]
        assert medians == sorted(medians) and medians[-1] > 1.5 * medians[0]
        shares = [sum(p["level"] == v for p in plans) / len(plans) for v in order]
        assert shares[0] > shares[-1] > 0.05


def test_a_ladder_alone_is_drawn_without_a_size_to_follow() -> None:
    schema = {
        "title": "T",
        "type": "object",
        "properties": {"company_size": {"type": "string", "enum": ["S", "M", "L", "XL"]}},
        "required": ["company_size"],
    }
    planner = Planner(load_schema(schema), seed=1)
    assert planner.links == {} and planner.strategies["company_size"] == "prior"
    drawn = {planner.plan().fixed["company_size"] for _ in range(200)}
    assert drawn == {"S", "M", "L", "XL"}
