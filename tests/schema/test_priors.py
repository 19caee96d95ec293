"""Priors for undeclared numbers: their shapes, their bounds, and that anything the user said wins."""

from __future__ import annotations

import collections
import math
import random
import statistics

import numpy as np
import pytest
from scipy import stats

from synth_gradio.engine.plan import Planner
from synth_gradio.engine.strategies import CODE_DRAWN
from synth_gradio.quality.plausibility import plausibility
from synth_gradio.schema.distributions import implied_priors, prior_for
from synth_gradio.schema.distributions.priors import family
from synth_gradio.schema.model import load_schema

N = 2000


def draws(props: dict, n: int = N, seed: int = 7, **planner) -> tuple[Planner, dict[str, list]]:
    schema = load_schema({"type": "object", "properties": props, "required": list(props)})
    p = Planner(schema, seed=seed, **planner)
    rows = [p.plan().fixed for _ in range(n)]
    return p, {name: [r.get(name) for r in rows] for name in props}


def test_votes_are_mostly_zero_with_a_long_tail() -> None:
    p, cols = draws({"helpful_votes": {"type": "integer", "minimum": 0}, "likes": {"type": "integer"}})
    assert p.strategies == {"helpful_votes": "prior", "likes": "prior"}
    for name in ("helpful_votes", "likes"):
        values = np.array(cols[name])
        assert all(isinstance(v, int) for v in cols[name]) and values.min() >= 0
        assert np.median(values) <= 1 and 0.45 <= np.mean(values == 0) <= 0.7, name
        assert values.max() >= 50 and np.quantile(values, 0.9) <= 10, name  # most small, a few far above


def test_a_one_to_five_rating_is_j_shaped() -> None:
    _, cols = draws({"rating": {"type": "integer", "minimum": 1, "maximum": 5}})
    shares = {v: c / N for v, c in collections.Counter(cols["rating"]).items()}
    assert set(shares) == {1, 2, 3, 4, 5}
    assert max(shares, key=shares.get) == 5
    for value, expected in {5: 0.45, 4: 0.22, 3: 0.10, 2: 0.08, 1: 0.15}.items():
        assert shares[value] == pytest.approx(expected, abs=0.02)
    assert shares[1] > shares[2] < shares[3] < shares[4] < shares[5]  # the J: a dip, then a climb


def test_other_rating_scales_keep_the_j_and_wide_scores_bunch_high() -> None:
    spec = prior_for("stars", {"type": "integer", "minimum": 1, "maximum": 10})
    weights = {int(k): w for k, w in spec["weights"].items()}
    assert sorted(weights) == list(range(1, 11)) and max(weights, key=weights.get) == 10
    assert weights[1] > min(weights.values()) and sum(weights.values()) == pytest.approx(1, abs=0.01)
    assert prior_for("rating", {"type": "integer"})["weights"]["5"] == 0.45  # no bounds: a 1-5 scale
    _, cols = draws({"credit_score": {"type": "integer", "minimum": 300, "maximum": 850}})
    assert 640 <= statistics.median(cols["credit_score"]) <= 730 and stats.skew(cols["credit_score"]) < 0


def test_money_is_right_skewed_and_passes_the_plausibility_checks() -> None:
    props = {
        "price": {"type": "number", "minimum": 0, "maximum": 10000},
        "order_total": {"type": "number", "minimum": 0},
        "salary": {"type": "integer", "minimum": 20000, "maximum": 300000},
        "seat_count": {"type": "integer", "minimum": 0, "maximum": 100000},
        "duration_seconds": {"type": "integer", "minimum": 0, "maximum": 100000},
        "age": {"type": "integer", "minimum": 0, "maximum": 120},
    }
    p, cols = draws(props)
    assert {name: p.strategies[name] for name in props} == dict.fromkeys(props, "prior")
    for name in ("price", "order_total", "salary"):
        assert stats.skew(cols[name]) > 0.3, name
        assert statistics.median(cols[name]) < statistics.mean(cols[name]), name
    report = plausibility(cols, props, {})
    assert report["failures"] == [] and report["score"] == 1.0
    rng = random.Random(1)
    flat = {"seat_count": [rng.randint(0, 100000) for _ in range(N)]}
    assert plausibility(flat, props, {})["failures"], "the check itself still catches flat counts"


def test_ages_quantities_and_durations() -> None:
    _, cols = draws(
        {
            "age": {"type": "integer", "minimum": 0, "maximum": 120},
            "quantity": {"type": "integer", "minimum": 0, "maximum": 500},
            "duration_minutes": {"type": "number", "minimum": 0},
            "child_age": {"type": "integer", "minimum": 0, "maximum": 17},
        }
    )
    ages = cols["age"]
    assert min(ages) >= 18 and max(ages) <= 90
    decades = collections.Counter(a // 10 * 10 for a in ages)
    assert decades.most_common(1)[0][0] in (30, 40) and 33 <= statistics.median(ages) <= 43
    quantities = cols["quantity"]
    assert min(quantities) >= 1 and sum(q <= 3 for q in quantities) / N >= 0.8
    minutes = cols["duration_minutes"]
    assert stats.skew(minutes) > 1 and 15 <= statistics.median(minutes) <= 25
    assert min(cols["child_age"]) >= 0 and max(cols["child_age"]) <= 17


BOUNDED = [
    ("votes", {"type": "integer", "minimum": 2, "maximum": 9}),
    ("votes", {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 3}),
    ("rating", {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 6}),
    ("rating", {"type": "number", "minimum": 0, "maximum": 10, "multipleOf": 0.5}),
    ("avg_rating", {"type": "number", "exclusiveMinimum": 1, "exclusiveMaximum": 5}),
    ("age", {"type": "integer", "minimum": 65, "maximum": 100}),
    ("age", {"type": "number", "exclusiveMinimum": 21}),
    ("price", {"type": "number", "minimum": 10, "maximum": 20}),
    ("price", {"type": "integer", "minimum": 1000, "multipleOf": 5}),
    ("price", {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}),
    ("quantity", {"type": "integer", "minimum": 5, "maximum": 8}),
    ("latency_ms", {"type": "integer", "minimum": 0, "maximum": 50}),
    ("tenure_years", {"type": "number", "minimum": 0.5, "maximum": 40}),
    ("views", {"type": "integer", "minimum": 0, "maximum": 2147483647, "x-type-bounds": ["maximum"]}),
    ("salary", {"type": ["integer", "null"], "minimum": 30000, "maximum": 30010}),
]


@pytest.mark.parametrize(("name", "node"), BOUNDED, ids=[f"{n}-{i}" for i, (n, _) in enumerate(BOUNDED)])
def test_draws_stay_inside_the_field_s_own_bounds(name: str, node: dict) -> None:
    p, cols = draws({name: node}, n=600)
    assert p.strategies[name] == "prior"
    values = [v for v in cols[name] if v is not None]
    lo = max(node.get("minimum", -math.inf), node.get("exclusiveMinimum", -math.inf))
    hi = min(node.get("maximum", math.inf), node.get("exclusiveMaximum", math.inf))
    assert all(lo <= v <= hi for v in values)
    assert "exclusiveMinimum" not in node or min(values) > node["exclusiveMinimum"]
    assert "exclusiveMaximum" not in node or max(values) < node["exclusiveMaximum"]
    if "integer" in node["type"]:
        assert all(isinstance(v, int) for v in values)
    if "multipleOf" in node:
        assert all(abs(v / node["multipleOf"] - round(v / node["multipleOf"])) < 1e-9 for v in values)
    assert len(set(values)) > 1
    if "null" in node["type"]:
        assert 0.05 <= cols[name].count(None) / 600 <= 0.15


def test_anything_the_user_said_wins() -> None:
    props = {
        "price": {"type": "number", "minimum": 0, "maximum": 100, "x-distribution": {"kind": "uniform"}},
        "rating": {"type": "integer", "enum": [1, 2, 3, 4, 5]},
        "votes": {"type": "integer", "minimum": 0, "x-strategy": "sample"},
        "likes": {"type": "integer", "minimum": 0, "x-strategy": "model"},
        "age": {"type": "integer", "const": 40},
        "order_count": {"type": "integer", "minimum": 0, "maximum": 100000, "unique": True},
        "amount": {"type": "number", "minimum": 0},
        "views": {"type": "integer", "minimum": 0, "x-sequence": True},
    }
    schema = load_schema({"type": "object", "properties": props, "required": list(props)})
    assert list(implied_priors(schema)) == ["amount"]
    p = Planner(schema, seed=3, row_fields={"amount"}, row_source=lambda rng: {"amount": 5.0})
    assert p.strategies == {
        "price": "distribution",
        "rating": "sample",
        "votes": "sample",
        "likes": "model",
        "age": "const",
        "order_count": "sample",
        "amount": "learned",
        "views": "sequence",
    }
    rows = [p.plan().fixed for _ in range(400)]
    assert stats.kstest([r["price"] for r in rows], "uniform", args=(0, 100)).pvalue > 0.01  # still the declaration
    assert {r["amount"] for r in rows} == {5.0}
    assert collections.Counter(r["rating"] for r in rows).most_common(1)[0][1] < 0.3 * 400  # the enum, untouched
    assert "prior" in CODE_DRAWN


def test_a_seeded_plan_is_reproducible_and_a_prior_is_an_ordinary_declaration() -> None:
    props = {
        "helpful_votes": {"type": "integer", "minimum": 0},
        "rating": {"type": "integer", "minimum": 1, "maximum": 5},
        "price": {"type": "number", "minimum": 0},
        "summary": {"type": "string", "x-strategy": "sample", "pattern": "^[a-z]{5}$"},
    }
    first, again, other = (draws(props, n=300, seed=s)[1] for s in (11, 11, 12))
    assert first == again and first != other
    schema = load_schema({"type": "object", "properties": props, "required": list(props)})
    priors = implied_priors(schema)
    assert set(priors) == {"helpful_votes", "rating", "price"}
    declared = {
        name: {**node, "x-distribution": priors[name]} if name in priors else node for name, node in props.items()
    }
    p, accepted = draws(declared, n=300, seed=11)
    assert p.strategies["price"] == "distribution" and accepted == first  # accepting it changes nothing drawn


@pytest.mark.parametrize(
    ("name", "description", "expected"),
    [
        ("helpfulVotes", "", "votes"),
        ("total_votes", "", "votes"),
        ("order_total", "", "money"),
        ("num_ratings", "", "count"),
        ("star_count", "", "count"),
        ("review_count", "", "count"),
        ("stars", "", "rating"),
        ("account_age_days", "", "duration"),
        ("unit_price", "", "money"),
        ("x1", "Number of helpful votes the review received", "votes"),
        ("n", "The customer's age", "age"),
        ("order_id", "", None),
        ("tax_rate", "", None),
        ("zip", "", None),
        ("discount", "Percentage off the list price", None),
        ("temperature", "", None),
    ],
)
def test_names_and_descriptions_pick_the_family(name: str, description: str, expected: str | None) -> None:
    assert family(name, description) == expected
