"""x-distribution checking at schema load: every bad declaration names its JSON path; warnings."""

from __future__ import annotations

import copy
import random
from collections import Counter
from typing import Any

import pytest

from synth_gradio.errors import SchemaError
from synth_gradio.schema.distributions import dependency_order, distribution_warnings
from synth_gradio.schema.distributions.math import mass, quantile_fn, truncated_quantile, truncated_stats
from synth_gradio.schema.model import load_schema
from synth_gradio.schema.sampling import group_draw

D = "x-distribution"
BASE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "level": {
            "type": "string",
            "enum": ["junior", "mid", "senior"],
            D: {"kind": "categorical", "weights": {"junior": 0.5, "mid": 0.3, "senior": 0.2}},
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
        "rating": {"type": "integer", "minimum": 1, "maximum": 5},
        "note": {"type": "string", "maxLength": 12},
        "remote": {"type": "boolean"},
        "hired": {"type": "string", "format": "date"},
        "bonus": {"type": ["number", "null"], "minimum": 0, "maximum": 1000},
        "debt": {"type": "integer", "minimum": -500, "maximum": 0},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["level", "salary", "rating", "note", "remote", "hired", "bonus", "debt", "tags"],
}
P = "$.properties"
S = f"{P}.salary.{D}"


def with_decl(field: str, decl: Any, **extra: Any) -> dict[str, Any]:
    raw = copy.deepcopy(BASE)
    raw["properties"][field][D] = decl
    raw["properties"][field].update(extra)
    return raw


SALARY = BASE["properties"]["salary"][D]
BAD = [
    (with_decl("salary", {**SALARY, "kind": "lognorm"}), f"{S}.kind", "did you mean 'lognormal'"),
    (with_decl("salary", {"median": 5}), S, "needs a 'kind'"),
    (with_decl("salary", {**SALARY, "medain": 5}), f"{S}.medain", "did you mean 'median'"),
    (with_decl("salary", {**SALARY, "std": 5}), f"{S}.std", "'std' is a parameter of normal, not of lognormal"),
    (with_decl("salary", {"kind": "lognormal", "median": 60000}), S, "needs 'sigma'"),
    (
        with_decl("level", {"kind": "categorical", "weights": {"junior": 1, "lead": 1}}),
        f"{P}.level.{D}.weights.lead",
        "not one of",
    ),
    (
        with_decl("level", {"kind": "categorical", "weights": {"junior": 0, "mid": 0}}),
        f"{P}.level.{D}.weights",
        "sum to 0",
    ),
    (
        with_decl("level", {"kind": "categorical", "weights": {"junior": -1, "mid": 2}}),
        f"{P}.level.{D}.weights.junior",
        ">= 0",
    ),
    (with_decl("level", {"kind": "categorical", "weights": []}), f"{P}.level.{D}.weights", "must be an object"),
    (with_decl("salary", {**SALARY, "sigma": -0.2}), f"{S}.sigma", "greater than 0"),
    (with_decl("salary", {**SALARY, "sigma": 0}), f"{S}.sigma", "greater than 0"),
    (with_decl("salary", {"kind": "normal", "mean": 60000, "std": -1}), f"{S}.std", "greater than 0"),
    (with_decl("rating", {"kind": "poisson", "lam": 0}), f"{P}.rating.{D}.lam", "greater than 0"),
    (with_decl("rating", {"kind": "exponential", "scale": -2}), f"{P}.rating.{D}.scale", "greater than 0"),
    (with_decl("salary", {**SALARY, "median": -5}), f"{S}.median", "greater than 0"),
    (with_decl("salary", {**SALARY, "by": "bonus"}), f"{S}.by", "not categorical"),
    (with_decl("salary", {**SALARY, "by": "levl"}), f"{S}.by", "did you mean 'level'"),
    (with_decl("salary", {**SALARY, "cases": {"lead": {"median": 1}}}), f"{S}.cases.lead", "not a value of 'level'"),
    (with_decl("salary", {**SALARY, "cases": {"senior": {"sigma": 0}}}), f"{S}.cases.senior.sigma", "greater than 0"),
    (with_decl("salary", {**SALARY, "cases": {"senior": {"median": 9e6}}}), f"{S}.cases.senior.median", "far outside"),
    (with_decl("salary", {**SALARY, "cases": {"senior": {"by": "x"}}}), f"{S}.cases.senior.by", "per case"),
    (with_decl("salary", {**SALARY, "cases": {"senior": {"kind": "poisson"}}}), f"{S}.cases.senior", "needs 'lam'"),
    (with_decl("salary", {"kind": "normal", "mean": 1e6, "std": 1000}), f"{S}.mean", "far outside"),
    (with_decl("salary", {"kind": "normal", "mean": 310000, "std": 1000}), f"{S}.mean", "one draw in a million"),
    (with_decl("salary", {"kind": "exponential", "scale": 10, "loc": 400000}), f"{S}.loc", "one draw in a million"),
    (with_decl("note", {"kind": "poisson", "lam": 3}), f"{P}.note.{D}.kind", "does not fit a string field"),
    (with_decl("remote", {"kind": "normal", "mean": 1, "std": 1}), f"{P}.remote.{D}.kind", "does not fit a boolean"),
    (with_decl("tags", {"kind": "categorical", "weights": {"a": 1}}), f"{P}.tags.{D}.kind", "array or object"),
    (with_decl("debt", {"kind": "lognormal", "median": 5, "sigma": 1}), f"{P}.debt.{D}.kind", "positive values"),
    (
        with_decl("note", {"kind": "categorical", "weights": {"far too long a note": 1}}),
        f"{P}.note.{D}.weights.far too long a note",
        "not allowed",
    ),
    (with_decl("rating", {"kind": "categorical", "weights": {"9": 1}}), f"{P}.rating.{D}.weights.9", "not allowed"),
    (with_decl("rating", {"kind": "categorical", "weights": {"x": 1}}), f"{P}.rating.{D}.weights.x", "JSON text"),
    (with_decl("rating", {"kind": "uniform", "decimals": 2}), f"{P}.rating.{D}.decimals", "number fields"),
    (with_decl("bonus", {"kind": "uniform", "decimals": -1}), f"{P}.bonus.{D}.decimals", "0 to 12"),
    (with_decl("rating", {"kind": "uniform", "nulls": 0.1}), f"{P}.rating.{D}.nulls", "allows null"),
    (with_decl("bonus", {"kind": "uniform", "nulls": 1.5}), f"{P}.bonus.{D}.nulls", "share"),
    (with_decl("rating", {"kind": "uniform", "low": 0}), f"{P}.rating.{D}.low", "below the field's lower bound"),
    (with_decl("rating", {"kind": "uniform", "high": 9}), f"{P}.rating.{D}.high", "above the field's upper bound"),
    (with_decl("rating", {"kind": "uniform", "low": 4, "high": 2}), f"{P}.rating.{D}.low", "above 'high'"),
    (with_decl("note", {"kind": "categorical", "weights": {"a": 1}, "cases": {}}), f"{P}.note.{D}.cases", "needs 'by'"),
    (with_decl("hired", {"kind": "uniform", "low": "2020-01-01"}), f"{P}.hired.{D}.kind", "ISO 'low' and 'high'"),
    (with_decl("hired", {"kind": "normal", "mean": "soon", "std": 30}), f"{P}.hired.{D}.mean", "not an ISO date"),
    (with_decl("hired", {"kind": "normal", "mean": 5, "std": 30}), f"{P}.hired.{D}.mean", "ISO date string"),
    (with_decl("hired", {"kind": "exponential", "scale": 3}), f"{P}.hired.{D}.kind", "does not fit a date"),
    (with_decl("rating", {"kind": "uniform"}, const=3), f"{P}.rating.{D}", "cannot be combined with 'const'"),
    ({"x": {"type": "number", D: {"kind": "uniform"}}}, f"{P}.x.{D}.kind", "needs 'low' and 'high'"),
    ({"x": {"type": "number", D: "normal"}}, f"{P}.x.{D}", "must be an object"),
]


@pytest.mark.parametrize(("raw", "path", "message"), BAD, ids=lambda v: v if isinstance(v, str) else None)
def test_bad_declarations_name_their_json_path(raw: dict, path: str, message: str) -> None:
    with pytest.raises(SchemaError) as info:
        load_schema(raw)
    assert info.value.path == path, str(info.value)
    assert message in info.value.problem


def test_a_cycle_names_the_fields_and_the_path() -> None:
    raw = {
        "type": "object",
        "properties": {
            "a": {"enum": ["x", "y"], D: {"kind": "categorical", "weights": {"x": 1}, "by": "b"}},
            "b": {"enum": ["p", "q"], D: {"kind": "categorical", "weights": {"p": 1}, "by": "a"}},
        },
    }
    with pytest.raises(SchemaError) as info:
        load_schema(raw)
    assert info.value.path == f"{P}.a.{D}.by"
    assert "a -> b -> a" in info.value.problem
    raw["properties"]["b"][D].pop("by")
    raw["properties"]["a"][D]["by"] = "a"
    with pytest.raises(SchemaError, match="a -> a"):
        load_schema(raw)


def test_nested_declarations_are_rejected_with_their_path() -> None:
    raw = {"o": {"type": "object", "properties": {"n": {"type": "integer", D: {"kind": "poisson", "lam": 2}}}}}
    with pytest.raises(SchemaError) as info:
        load_schema(raw)
    assert info.value.path == f"{P}.o.properties.n.{D}"


def test_the_contract_example_loads_and_orders_by_dependency() -> None:
    schema = load_schema(BASE)
    declared = schema.distributions
    assert list(declared) == ["level", "salary"]
    assert declared["salary"].group("senior").real["median"] == 90000
    assert declared["salary"].group("mid").real["median"] == 60000  # not listed: the base
    assert dependency_order(declared, ["salary", "level"]) == ["level", "salary"]
    assert schema.warnings == []


def test_by_accepts_booleans_categorical_declarations_and_free_text_weights() -> None:
    raw = {
        "type": "object",
        "properties": {
            "team": {"type": "string", D: {"kind": "categorical", "weights": {"core": 3, "ops": 1}}},
            "remote": {"type": "boolean", D: {"kind": "categorical", "weights": {"true": 1, "false": 3}}},
            "budget": {
                "type": "number",
                "minimum": 0,
                D: {"kind": "exponential", "scale": 100, "by": "team", "cases": {"ops": {"scale": 50}}},
            },
            "desk": {
                "type": "integer",
                "minimum": 0,
                "maximum": 3,
                D: {"kind": "poisson", "lam": 1, "by": "remote", "cases": {"true": {"kind": "constant", "value": 0}}},
            },
        },
        "required": ["team", "remote", "budget", "desk"],
    }
    schema = load_schema(raw)
    assert schema.distributions["desk"].group(True).values == (0,)
    assert schema.distributions["budget"].group("ops").real["scale"] == 50


def test_a_continuous_kind_over_a_numeric_enum_weights_each_value() -> None:
    schema = load_schema({"stars": {"enum": [1, 2, 3, 4, 5], D: {"kind": "normal", "mean": 4.8, "std": 0.7}}})
    group = schema.distributions["stars"].base
    assert group.values == (1, 2, 3, 4, 5)
    assert group.weights[4] > group.weights[3] > group.weights[0]
    with pytest.raises(SchemaError, match="no probability"):
        load_schema({"stars": {"enum": [1, 2], D: {"kind": "normal", "mean": 100, "std": 0.5}}})


def test_most_examples_contradicting_a_declaration_is_a_warning_naming_field_and_path() -> None:
    raw = copy.deepcopy(BASE)
    for name in ("rating", "note", "remote", "hired", "bonus", "debt", "tags"):
        raw["properties"].pop(name)
    raw["required"] = ["level", "salary"]
    raw["examples"] = [
        {"level": "junior", "salary": 250000},
        {"level": "mid", "salary": 280000},
        {"level": "senior", "salary": 90000},
    ]
    schema = load_schema(raw)
    assert len(schema.warnings) == 1
    warning = schema.warnings[0]
    assert "'salary'" in warning and "2 of 3" in warning and f"at {S}" in warning
    assert distribution_warnings(schema) == schema.warnings
    raw["examples"] = [{"level": "junior", "salary": 46000}, {"level": "senior", "salary": 250000}]
    assert load_schema(raw).warnings == []
    raw["properties"]["level"][D]["weights"] = {"junior": 1, "mid": 1}
    raw["examples"] = [{"level": "senior", "salary": 90000}]
    assert "'level'" in load_schema(raw).warnings[0] and "zero weight" in load_schema(raw).warnings[0]


def test_truncated_quantiles_stay_inside_and_put_no_spike_at_the_bound() -> None:
    rng = random.Random(0)
    for kind, p, a, b in [
        ("normal", {"mean": 0.0, "std": 1.0}, 1.5, 4.0),  # upper tail, reflected
        ("normal", {"mean": 0.0, "std": 1.0}, -9.0, -3.0),  # deep lower tail
        ("normal", {"mean": 0.0, "std": 1.0}, -1.0, 1.0),
        ("lognormal", {"median": 10.0, "sigma": 1.0}, 1.0, 12.0),
        ("exponential", {"scale": 5.0}, 2.0, 30.0),
        ("uniform", {"low": 0.0, "high": 10.0}, 0.0, 10.0),
    ]:
        q = quantile_fn(kind, p, a, b)
        xs = sorted(q(rng.random()) for _ in range(4000))
        assert all(a <= x <= b for x in xs)
        assert sum(x in (a, b) for x in xs) == 0
        median = truncated_quantile(kind, p, a, b, 0.5)
        assert abs(xs[2000] - median) < 0.05 * (b - a), (kind, xs[2000], median)
        assert q(0.0) == pytest.approx(a, abs=1e-6 * (b - a)) and q(1.0 - 1e-12) == pytest.approx(b, abs=1e-3 * (b - a))
    assert mass("poisson", {"lam": 3.0}, 0, float("inf")) == pytest.approx(1.0)
    assert truncated_stats("poisson", {"lam": 3.0}, 0, float("inf"))["mean"] == pytest.approx(3.0)


def test_stratified_draws_match_the_shares_closely_and_repeat_with_the_seed() -> None:
    schema = load_schema(BASE)
    draw = group_draw(schema.distributions["level"].base, schema.distributions["level"].space)
    rng = random.Random(4)
    values = [draw(rng) for _ in range(320)]
    counts = Counter(values)
    assert counts["junior"] == 160  # 0.5 is a stratum boundary: exact in every block of 32
    assert abs(counts["mid"] - 96) <= 3 and abs(counts["senior"] - 64) <= 3  # within one point
    again = group_draw(schema.distributions["level"].base, schema.distributions["level"].space)
    rng = random.Random(4)
    assert [again(rng) for _ in range(320)] == values
