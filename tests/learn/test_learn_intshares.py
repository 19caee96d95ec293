"""Whole numbers of a small table (ages, years) drawn at smoothed rates where their counts are noise,
and at their counted rates where the counts have real shape (heaped on round numbers, a spike)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synth_gradio.learn import fit_table, split_reference
from synth_gradio.learn.closeness import CloseCheck
from synth_gradio.learn.intshares import smoothed_counts, stand_in


def customers(rows: int = 600, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    segment = rng.choice(["retail", "business", "student"], rows, p=[0.6, 0.25, 0.15])
    income = np.round(rng.lognormal(10.5, 0.4, rows) * np.where(segment == "business", 1.8, 1.0), -2)
    return pd.DataFrame({"segment": segment, "income": income, "age": rng.integers(18, 80, rows)})


def test_noisy_counts_are_smoothed_and_real_shape_is_kept() -> None:
    rng = np.random.default_rng(0)
    ages = rng.integers(18, 80, 480).astype(float)
    assert smoothed_counts(ages) is not None
    heaped = np.where(rng.random(480) < 0.15, np.round(ages / 5) * 5, ages)  # ages given as round numbers
    spiked = np.where(rng.random(480) < 0.1, 30.0, ages)
    assert smoothed_counts(heaped) is None and smoothed_counts(spiked) is None
    assert smoothed_counts(rng.integers(18, 80, 5000).astype(float)) is None  # counts of 80 a value: precise
    assert smoothed_counts(ages + 0.5) is None and smoothed_counts(rng.integers(0, 5, 480).astype(float)) is None
    stood = stand_in(ages)
    assert len(stood) == len(ages) and stood.min() == ages.min() and stood.max() == ages.max()


def test_a_small_tables_ages_are_drawn_nearer_the_real_rates_and_no_closer_to_real_people() -> None:
    """480 training customers hold each age about 8 times; drawing each age at its counted rate drew
    the ages chance made common more often, and drawn customers sat at a real one's exact age and
    segment, within a few hundred of their income, more often than unseen customers do (the check
    failed even with the draws smoothed 8 grid steps)."""
    table = customers()
    train, held = split_reference(table)
    model = fit_table(table, seed=0, method="copula")
    drawn = pd.DataFrame(model.sample(20_000, 1))
    truth = np.full(62, 1 / 62)  # ages 18 to 79, equally likely
    counted = train["age"].value_counts(normalize=True).reindex(range(18, 80), fill_value=0).to_numpy()
    rates = drawn["age"].value_counts(normalize=True).reindex(range(18, 80), fill_value=0).to_numpy()
    assert np.abs(rates - truth).sum() < 0.75 * np.abs(counted - truth).sum()
    check = CloseCheck(model.to_dict()["parts"][0]["columns"], train, held, 0).check(drawn)
    assert check["passes"], check


def test_heaped_ages_keep_their_round_numbers() -> None:
    table = customers(1200)
    rng = np.random.default_rng(3)
    table["age"] = np.where(rng.random(len(table)) < 0.3, np.round(table["age"] / 5) * 5, table["age"]).astype(int)
    drawn = pd.DataFrame(fit_table(table, seed=0).sample(5000, 2))
    real = float(np.mean(table["age"] % 5 == 0))
    assert abs(float(np.mean(drawn["age"] % 5 == 0)) - real) < 0.05, real
