"""Storing and reading a model, repeatable draws, bad input, the holdout split and the copy guard."""

from __future__ import annotations

import ast
import copy
import json
import random
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from learn_helpers import row_keys, sklearn_table

import synth_gradio.learn
from synth_gradio.errors import InputError
from synth_gradio.learn import LearnedModel, fit_table, holdout_mask, split_reference


@pytest.fixture(scope="module")
def wine_model() -> LearnedModel:
    return fit_table(sklearn_table("wine"), seed=0)


def test_json_round_trip_gives_the_same_rows(wine_model: LearnedModel) -> None:
    stored = json.loads(json.dumps(wine_model.to_dict()))
    again = LearnedModel.from_dict(stored)
    assert again.sample(200, 11) == wine_model.sample(200, 11)
    assert again.sample(200, 11) != wine_model.sample(200, 12)
    assert again.columns == wine_model.columns
    assert json.loads(json.dumps(again.summary())) == again.summary()
    assert stored["version"] == 2 and "format" in stored


def test_sampler_draws_repeatably_per_record(wine_model: LearnedModel) -> None:
    first = wine_model.sampler(5)
    second = LearnedModel.from_dict(wine_model.to_dict()).sampler(5)
    rows = [first.next_row() for _ in range(600)]
    assert rows == [second.next_row() for _ in range(600)]
    a, b = random.Random(9), random.Random(9)
    one, two = wine_model.sampler(), wine_model.sampler()
    assert [one.next_row(a) for _ in range(300)] == [two.next_row(b) for _ in range(300)]
    assert len({json.dumps(r, sort_keys=True) for r in rows}) == 600


def test_stored_model_holds_no_reference_rows(wine_model: LearnedModel) -> None:
    for part in wine_model.to_dict()["parts"]:
        for spec in part["columns"]:
            if "quantiles" in spec:  # a grid of at most half the rows: interpolations, not the values
                assert len(spec["quantiles"]) <= max(2, part["rows"] // 2)
    rng = np.random.default_rng(0)
    real = pd.DataFrame(
        {"amount": rng.gamma(2, 50, 300).round(2), "note": [f"called on day {i} about it" for i in range(300)]}
    )
    stored = json.dumps(fit_table(real, seed=0).to_dict())
    assert "called on day" not in stored
    inner = sorted(real["amount"])[1:-1]  # all but the minimum and maximum, which the model keeps as its range
    assert sum(f"{v}" in stored for v in inner) < 0.2 * len(inner)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: "not a model",
        lambda d: {**d, "format": "something-else"},
        lambda d: {**d, "version": 99},
        lambda d: {k: v for k, v in d.items() if k != "parts"},
        lambda d: {**d, "copies": {"salt": "zz", "digests": "!!"}},
        lambda d: {**d, "parts": [{**d["parts"][0], "correlation": [[1.0]]}]},
        lambda d: {**d, "parts": [{**p, "weight": 5.0} for p in d["parts"]]},
        lambda d: {**d, "columns": d["columns"][:-1]},
    ],
)
def test_a_damaged_model_is_an_input_error(wine_model: LearnedModel, damage) -> None:
    with pytest.raises(InputError, match="stored model of this run cannot be read"):
        LearnedModel.from_dict(damage(copy.deepcopy(wine_model.to_dict())))


@pytest.mark.parametrize(
    ("frame", "columns", "named"),
    [
        (pd.DataFrame({"a": []}), None, "0 row"),
        (pd.DataFrame({"a": [1.5]}), None, "1 row"),
        (
            pd.DataFrame({"note": [f"free text number {i} here" for i in range(50)], "id": range(50)}),
            None,
            "'note'|note",
        ),
        (pd.DataFrame({"blank": [None] * 20, "code": [f"K{i}" for i in range(20)]}), None, "blank"),
        (pd.DataFrame({"a": [1.0, 2.0, 3.0]}), ["b"], "'b'"),
        ([1, 2, 3], None, "DataFrame"),
    ],
)
def test_bad_input_is_one_sentence_naming_the_problem(frame, columns, named: str) -> None:
    with pytest.raises(InputError, match=named):
        fit_table(frame, columns)


def test_holdout_split_is_decided_by_row_content() -> None:
    real = sklearn_table("breast_cancer")
    mask = holdout_mask(real)
    assert 0.15 < mask.mean() < 0.25
    shuffled = real.sample(frac=1.0, random_state=3)
    assert (pd.Series(holdout_mask(shuffled), index=shuffled.index).sort_index().to_numpy() == mask).all()
    doubled = pd.concat([real.head(50), real.head(50)])
    assert (holdout_mask(doubled)[:50] == holdout_mask(real.head(50))).all()  # a first copy splits as before
    same = pd.concat([real.head(1)] * 500)  # identical rows are different people: on both sides, 80/20
    assert 0.12 < holdout_mask(same).mean() < 0.28
    assert (holdout_mask(same.sample(frac=1.0, random_state=1)) == holdout_mask(same)).all()  # still by content
    train, held = split_reference(real)
    assert len(train) + len(held) == len(real) and not set(train.index) & set(held.index)
    summary = fit_table(real, seed=0).summary()
    assert (summary["training_rows"], summary["holdout_rows"]) == (len(train), len(held))
    subset = fit_table(real, ["mean radius", "target"], seed=0).summary()  # the split is still the whole table's
    assert (subset["training_rows"], subset["holdout_rows"]) == (len(train), len(held))


def test_no_sampled_row_copies_a_reference_row() -> None:
    real = sklearn_table("iris")  # one-decimal measurements: draws often hit a real flower exactly
    model = fit_table(real, seed=0)
    assert model.summary()["copy_share"] > 0
    rows = model.sample(3000, 4)
    assert not row_keys(pd.DataFrame(rows, columns=model.columns)) & row_keys(real)
    sampler = model.sampler(1)
    assert not row_keys(pd.DataFrame([sampler.next_row() for _ in range(1000)])) & row_keys(real)


def test_fit_and_sampling_speed_on_a_wide_table() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(10_000, 4))
    frame = pd.DataFrame({f"x{i}": np.round(base[:, i % 4] + rng.normal(0, 0.5, 10_000), 3) for i in range(12)})
    for i in range(6):
        frame[f"c{i}"] = np.where(base[:, i % 4] > 0.4, "high", np.where(base[:, i % 4] < -0.4, "low", "mid"))
    frame["day"] = pd.to_datetime((base[:, 0] * 100 + 19000).astype(int), unit="D").strftime("%Y-%m-%d")
    frame["n"] = (base[:, 1] * 5 + 50).round().astype(int)
    started = time.perf_counter()
    model = fit_table(frame, seed=0)
    assert time.perf_counter() - started < 20
    started = time.perf_counter()
    assert len(model.sample(5000, 0)) == 5000
    assert 5000 / (time.perf_counter() - started) > 1000


def test_the_package_imports_nothing_but_errors_and_the_table_reader_from_the_product() -> None:
    """The model must not depend on the engine, studio, storage, UI or backends (they depend on it);
    it may use synth_gradio.tables, the bottom layer that reads tables and compares keys."""
    package = Path(synth_gradio.learn.__file__).parent
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                if name.startswith("synth_gradio"):
                    allowed = name in ("synth_gradio.errors", "synth_gradio.tables")
                    assert allowed or name.startswith("synth_gradio.learn"), (module.name, name)


def test_a_row_whose_record_was_rejected_is_offered_again_a_few_times(wine_model: LearnedModel) -> None:
    """Rejected rows come back first, up to OFFERS (6) offers in all, so the rows the model finds hard
    to write for are not left out of the table; accepted rows never come back."""
    from synth_gradio.learn.model import OFFERS

    sampler = wine_model.sampler(3)
    first = row = sampler.next_row()
    for _ in range(OFFERS - 1):
        sampler.settle(row, accepted=False)
        row = sampler.next_row()
        assert row == first and row is not first
    sampler.settle(row, accepted=False)  # its last offer: let go
    fresh = sampler.next_row()
    assert fresh != first
    sampler.settle(fresh, accepted=True)
    assert sampler.next_row() != fresh
