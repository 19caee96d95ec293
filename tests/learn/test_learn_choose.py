"""Below a thousand training rows "auto" fits both models and keeps the one a classifier tells from
the real rows less, unless its rows sit closer to real ones than unseen real rows do."""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from synth_gradio.learn import fit_table
from synth_gradio.learn.choose import told_apart


def macro_quarters() -> pd.DataFrame:
    """statsmodels' macrodata (203 quarters) with each quarter's first day: series that climb in
    steps and bends, which one correlation per pair of columns cannot hold."""
    frame = sm.datasets.macrodata.load_pandas().data
    days = pd.to_datetime({"year": frame["year"].astype(int), "month": frame["quarter"].astype(int) * 3 - 2, "day": 1})
    return frame.assign(date=days.dt.strftime("%Y-%m-%d"))


def travellers() -> pd.DataFrame:
    frame = sm.datasets.modechoice.load_pandas().data
    return frame.assign(mode=frame["mode"].map({1: "air", 2: "train", 3: "bus", 4: "car"}))


def test_the_classifier_sees_shuffled_columns_and_not_a_resample() -> None:
    real = travellers()
    rng = np.random.default_rng(0)
    shuffled = real.apply(lambda c: pd.Series(rng.permutation(c.to_numpy()), name=c.name))
    resampled = real.sample(len(real), replace=True, random_state=1)
    assert told_apart(real, shuffled, 0) > 0.75
    assert told_apart(real, resampled, 0) < 0.6


def test_auto_keeps_the_trees_where_the_copula_is_told_apart_and_says_why() -> None:
    real = macro_quarters()
    auto = fit_table(real, seed=0)
    copula = fit_table(real, seed=0, method="copula")
    assert auto.summary()["model"] != copula.summary()["model"]
    assert any("a classifier told its rows from the reference's" in note for note in auto.summary()["notes"])
    drawn = {name: pd.DataFrame(model.sample(len(real), 1)) for name, model in (("auto", auto), ("copula", copula))}
    assert told_apart(real, drawn["auto"], 1) < told_apart(real, drawn["copula"], 1) - 0.05


def test_trees_that_sit_closer_to_real_rows_than_unseen_ones_are_not_kept() -> None:
    """star98 (303 districts): trees are told apart less, but their rows sat closer to a real one
    than unseen real rows did (8% by the quality report's line, against 5%)."""
    real = sm.datasets.star98.load_pandas().data
    trees = fit_table(real, seed=0, method="sequential").summary()["closeness"]
    assert trees["passes"] and trees["drawn"] > trees["holdout"]
    auto = fit_table(real, seed=0).summary()
    assert auto["model"] == fit_table(real, seed=0, method="copula").summary()["model"]
    assert any("the sequential model's rows sat closer to a real row" in note for note in auto["notes"])
