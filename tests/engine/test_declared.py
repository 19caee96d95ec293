"""Declared distributions drawn through the real Planner and engine.generate, tested statistically."""

from __future__ import annotations

import json
import random
import statistics
from collections import Counter, defaultdict
from typing import Any

from fakes import FakeBackend

from synth_gradio.engine.plan import Planner
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.schema.distributions.math import truncated_quantile
from synth_gradio.schema.model import Schema, load_schema
from synth_gradio.schema.sampling import expected

D = "x-distribution"
HR = {
    "type": "object",
    "properties": {
        "employee_id": {"type": "string", "format": "uuid"},
        "level": {
            "enum": ["junior", "mid", "senior"],
            D: {"kind": "categorical", "weights": {"junior": 0.5, "mid": 0.3, "senior": 0.2}},
        },
        "department": {
            "enum": ["eng", "sales", "ops"],
            D: {"kind": "categorical", "weights": {"eng": 6, "sales": 3, "ops": 1}},
        },
        "salary": {
            "type": "integer",
            "minimum": 20000,
            "maximum": 300000,
            D: {
                "kind": "lognormal",
                "median": 60000,
                "sigma": 0.2,
                "by": "level",
                "cases": {"junior": {"median": 45000}, "senior": {"median": 90000}},
            },
        },
        "tenure": {
            "type": "number",
            "minimum": 0,
            "maximum": 40,
            D: {"kind": "normal", "mean": 6, "std": 2, "decimals": 1, "by": "level", "cases": {"senior": {"mean": 12}}},
        },
        "hired": {
            "type": "string",
            "format": "date",
            D: {"kind": "uniform", "low": "2020-01-01", "high": "2024-12-31"},
        },
    },
    "required": ["employee_id", "level", "department", "salary", "tenure", "hired"],
}
SENTIMENT = {
    "1": {"weights": {"negative": 0.9, "neutral": 0.1}},
    "2": {"weights": {"negative": 0.7, "neutral": 0.3}},
    "4": {"weights": {"positive": 0.8, "neutral": 0.2}},
    "5": {"weights": {"positive": 0.95, "neutral": 0.05}},
}
REVIEWS = {
    "type": "object",
    "properties": {
        "review_id": {"type": "string", "format": "uuid"},
        "rating": {
            "enum": [1, 2, 3, 4, 5],
            D: {"kind": "categorical", "weights": {"1": 0.1, "2": 0.1, "3": 0.2, "4": 0.3, "5": 0.3}},
        },
        "sentiment": {
            "enum": ["negative", "neutral", "positive"],
            D: {
                "kind": "categorical",
                "weights": {"negative": 0.2, "neutral": 0.6, "positive": 0.2},
                "by": "rating",
                "cases": SENTIMENT,
            },
        },
        "posted": {
            "type": "string",
            "format": "date-time",
            D: {"kind": "normal", "mean": "2024-06-01T12:00:00Z", "std": 30, "low": "2024-03-01", "high": "2024-09-01"},
        },
    },
    "required": ["review_id", "rating", "sentiment", "posted"],
}


def draw(schema: Schema, n: int = 600, seed: int = 7) -> list[dict[str, Any]]:
    planner = Planner(schema, seed=seed)
    return [planner.plan().fixed for _ in range(n)]


def assert_declared_holds(schema: Schema, records: list[dict[str, Any]]) -> None:
    """Every group's median and mean within 10%, shares within 5 points, values inside, no spikes."""
    for name, d in schema.distributions.items():
        groups: dict[str, list[Any]] = defaultdict(list)
        for r in records:
            groups[json.dumps(r.get(d.by)) if d.by else "all"].append(r[name])
        for key, values in groups.items():
            group = d.group(json.loads(key)) if d.by else d.base
            want = expected(d, group)
            if "weights" in want:
                counts = Counter(json.dumps(v) if not isinstance(v, str) else v for v in values)
                for value, share in want["weights"].items():
                    # 5 points; a small conditional group also gets 3 binomial standard errors.
                    slack = max(0.05, 3 * (share * (1 - share) / len(values)) ** 0.5)
                    assert abs(counts[value] / len(values) - share) <= slack, (name, key, value)
                continue
            reals = [d.space.to_real(v) for v in values]
            median, mean = statistics.median(reals), statistics.fmean(reals)
            # Dates have no natural zero: 10% of the central 80% spread instead of 10% of the value.
            spread = truncated_quantile(group.kind, group.real, group.lo, group.hi, 0.9)
            spread -= truncated_quantile(group.kind, group.real, group.lo, group.hi, 0.1)
            scale = spread if d.space.temporal else max(abs(want["median"]), 1.0)
            assert abs(median - want["median"]) <= 0.1 * scale, (name, key, median, want)
            assert abs(mean - want["mean"]) <= 0.1 * scale, (name, key, mean, want)
            lo, hi = group.lo, group.hi
            assert all(lo <= x <= hi for x in reals), (name, key)
            at_bounds = sum(x in (min(reals), max(reals)) for x in reals) if d.space.kind == "number" else 0
            assert at_bounds <= max(4, 0.02 * len(reals)), (name, key)
    assert all(schema.validator.is_valid(r) for r in records)


def test_hr_groups_follow_their_declared_medians_means_and_weights() -> None:
    schema = load_schema(HR)
    records = draw(schema)
    assert_declared_holds(schema, records)
    by_level = defaultdict(list)
    for r in records:
        by_level[r["level"]].append(r["salary"])
    for level, median in (("junior", 45000), ("mid", 60000), ("senior", 90000)):
        assert abs(statistics.median(by_level[level]) / median - 1) < 0.1
    shares = Counter(r["level"] for r in records)
    assert abs(shares["junior"] / len(records) - 0.5) < 0.05 and abs(shares["senior"] / len(records) - 0.2) < 0.05
    assert all("2020-01-01" <= r["hired"] <= "2024-12-31" for r in records)


def test_sentiment_follows_rating_and_dates_stay_inside_their_iso_bounds() -> None:
    schema = load_schema(REVIEWS)
    records = draw(schema)
    assert_declared_holds(schema, records)
    low = [r["sentiment"] for r in records if r["rating"] == 1]
    high = [r["sentiment"] for r in records if r["rating"] == 5]
    assert "positive" not in low and "negative" not in high
    assert abs(high.count("positive") / len(high) - 0.95) < 0.05
    assert all("2024-03-01T00:00:00Z" <= r["posted"] <= "2024-09-01T00:00:00Z" for r in records)


def test_no_spike_at_the_bounds_when_the_distribution_presses_against_them() -> None:
    schema = load_schema(
        {
            "wait": {"type": "integer", "minimum": 0, "maximum": 20, D: {"kind": "normal", "mean": 18, "std": 6}},
            "load": {"type": "number", "minimum": 0, "maximum": 1, D: {"kind": "normal", "mean": 0.95, "std": 0.2}},
        }
    )
    records = draw(schema, 2000)
    waits = Counter(r["wait"] for r in records)
    assert waits[20] < waits[19] * 1.5  # the last integer keeps its own cell: no pile-up
    loads = [r["load"] for r in records]
    assert all(0 <= x <= 1 for x in loads) and sum(x == 1 for x in loads) <= 0.01 * len(loads)


def test_the_same_seed_gives_the_same_records() -> None:
    schema = load_schema(HR)
    assert draw(schema, 50, seed=3) == draw(schema, 50, seed=3)
    assert draw(schema, 50, seed=3) != draw(schema, 50, seed=4)


def test_generate_honours_declared_distributions_and_records_the_strategy() -> None:
    schema = load_schema(HR)
    results = list(generate(GenerationRequest(schema=schema, n=400, seed=5, batch_size=100), FakeBackend([])))
    records = [r for res in results for r in res.accepted]
    assert results[-1].status == "completed" and len(records) == 400
    assert results[-1].strategies["salary"] == "distribution" and results[-1].strategies["employee_id"] == "sample"
    assert_declared_holds(schema, records)


def test_a_model_field_with_a_distribution_is_drawn_first_and_given_to_the_model() -> None:
    raw = {
        "type": "object",
        "properties": {
            "mood": {"enum": ["calm", "busy"], "x-strategy": "model"},
            "visitors": {
                "type": "integer",
                "minimum": 0,
                "x-strategy": "model",
                D: {"kind": "poisson", "lam": 40, "by": "mood", "cases": {"busy": {"lam": 400}}},
            },
            "summary": {"type": "string", "minLength": 5, "description": "a sentence about the day"},
        },
        "required": ["mood", "visitors", "summary"],
    }
    schema = load_schema(raw)
    texts = [json.dumps({"summary": f"A day with story number {i}."}) for i in range(40)]
    backend = FakeBackend(texts)
    results = list(generate(GenerationRequest(schema=schema, n=20, seed=2, batch_size=4), backend))
    records = [r for res in results for r in res.accepted]
    assert results[-1].strategies == {"mood": "sample", "visitors": "distribution", "summary": "model"}
    assert len(records) == 20
    assert all('"visitors": ' in s and '"mood": ' in s for req in backend.requests for s in req.suffixes)
    busy = [r["visitors"] for r in records if r["mood"] == "busy"]
    calm = [r["visitors"] for r in records if r["mood"] == "calm"]
    assert busy and calm and min(busy) > max(calm)


def test_rules_still_apply_after_the_draw() -> None:
    raw = json.loads(json.dumps(HR))
    raw["x-rules"] = [
        {
            "kind": "conditional",
            "if": {"field": "level", "equals": "junior"},
            "then": {"field": "salary", "maximum": 50000},
            "fix": "clamp",
        }
    ]
    records = draw(load_schema(raw), 300)
    assert all(r["salary"] <= 50000 for r in records if r["level"] == "junior")


class Source:
    """A stand-in for a learned joint model: department and badge drawn together."""

    def __init__(self) -> None:
        self.row_fields = {"department", "badge"}
        self.calls = 0

    def __call__(self, rng: random.Random) -> dict[str, Any]:
        self.calls += 1
        dept = rng.choice(["eng", "ops"])
        return {"department": dept, "badge": rng.randint(1, 40), "not_a_field": 1}


ROWS = {
    "type": "object",
    "properties": {
        "department": {"enum": ["eng", "sales", "ops"]},
        "badge": {"type": "integer", "minimum": 1, "maximum": 1000, "unique": True},
        "budget": {
            "type": "integer",
            "minimum": 0,
            "maximum": 10**6,
            D: {"kind": "normal", "mean": 1000, "std": 10, "by": "department", "cases": {"ops": {"mean": 5000}}},
        },
        "floor": {"type": "integer", "minimum": 1, "maximum": 9},
    },
    "required": ["department", "badge", "budget", "floor"],
}


def test_a_row_source_fixes_its_fields_and_conditions_the_declared_ones() -> None:
    schema = load_schema(ROWS)
    source = Source()
    planner = Planner(schema, seed=1, row_source=source)
    assert planner.row_fields == {"department", "badge"}
    assert planner.strategies == {
        "department": "learned",
        "badge": "learned",
        "budget": "distribution",
        "floor": "prior",  # a building floor: mostly low (measures.py)
    }
    records = [planner.plan().fixed for _ in range(35)]
    assert all("not_a_field" not in r and set(r) == {"department", "badge", "budget", "floor"} for r in records)
    assert {r["department"] for r in records} == {"eng", "ops"}  # never "sales": the source's values are kept
    assert all((r["budget"] > 4000) == (r["department"] == "ops") for r in records)
    badges = [r["badge"] for r in records]
    assert len(set(badges)) == len(badges) and source.calls > len(records)  # repeats were redrawn


def test_row_fields_can_be_given_or_found_from_a_probe_row() -> None:
    schema = load_schema(ROWS)

    def plain(rng: random.Random) -> dict[str, Any]:
        return {"department": "ops", "floor": rng.randint(1, 9)}

    assert Planner(schema, seed=1, row_source=plain).row_fields == {"department", "floor"}
    given = Planner(schema, seed=1, row_source=plain, row_fields={"floor"})
    assert given.strategies["department"] == "sample" and given.strategies["floor"] == "learned"
    fixed = given.plan().fixed
    assert fixed["department"] in ("eng", "sales", "ops") and 1 <= fixed["floor"] <= 9
    a = [Planner(schema, seed=9, row_source=plain).plan().fixed for _ in range(2)]
    assert a[0] == a[1]
    assert Planner(schema, seed=1).row_fields == set()
