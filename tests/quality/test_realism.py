"""Realism score on sklearn's real tables: a column-by-column draw fails it (detection spots it), a learned
stand-in passes it, copies and near-copies cost privacy, and ML efficacy tells real rows from rows with a
shuffled target."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn import datasets

from synth_gradio.errors import InputError
from synth_gradio.quality.compare import column_shapes, pair_trends
from synth_gradio.quality.efficacy import ml_efficacy, pick_target
from synth_gradio.quality.holdout import split_holdout
from synth_gradio.quality.realism import WEIGHTS, realism_report

TABLES = {
    "wine": lambda: datasets.load_wine(as_frame=True).frame,
    "breast_cancer": lambda: datasets.load_breast_cancer(as_frame=True).frame,
    "diabetes": lambda: datasets.load_diabetes(as_frame=True, scaled=False).frame,
    "iris": lambda: datasets.load_iris(as_frame=True).frame,
}


def column_by_column(frame: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """What the engine does without a model: each column uniform in its range or over its categories."""
    rng = np.random.default_rng(seed)
    out = {}
    for col in frame.columns:
        values = frame[col]
        if values.nunique() <= 10:
            out[col] = rng.choice(values.unique(), n)
        else:
            out[col] = rng.uniform(values.min(), values.max(), n)
    return pd.DataFrame(out)


def copula(frame: pd.DataFrame, n: int, seed: int, avoid: pd.DataFrame | None = None) -> pd.DataFrame:
    """A learned stand-in: a Gaussian copula on ranks with interpolated marginals (new rows, not copies)."""
    rng = np.random.default_rng(seed)
    scores = stats.norm.ppf((frame.rank().to_numpy() - 0.5) / len(frame))
    draws = stats.norm.cdf(rng.multivariate_normal(np.zeros(frame.shape[1]), np.corrcoef(scores.T), 2 * n))
    out = {}
    for i, col in enumerate(frame.columns):
        ordered = np.sort(frame[col].to_numpy(dtype=float))
        if frame[col].nunique() <= 10:
            out[col] = ordered[np.minimum((draws[:, i] * len(ordered)).astype(int), len(ordered) - 1)]
        else:
            out[col] = np.interp(draws[:, i], (np.arange(len(ordered)) + 0.5) / len(ordered), ordered)
    rows = pd.DataFrame(out).round(6)
    avoid = (frame if avoid is None else avoid).astype(float).round(6).drop_duplicates()
    known = rows.round(6).merge(avoid, how="left", indicator=True)["_merge"] == "both"
    return rows[~known.to_numpy()].head(n).reset_index(drop=True)  # like a learned model: never a copy of `avoid`


@pytest.mark.parametrize("name", list(TABLES))
def test_score_separates_column_by_column_from_learned(name: str) -> None:
    frame = TABLES[name]()
    train, _ = split_holdout(frame)
    flat = realism_report(frame, column_by_column(train, 300, 0))
    learned = realism_report(frame, copula(train, 300, 0, avoid=frame))
    assert flat["score"] < 75, flat["pulled_down_by"]
    assert learned["score"] >= 85, learned["pulled_down_by"]
    assert learned["privacy"]["exact_copies"] == 0
    for report in (flat, learned):
        expected = 100 * sum(report["weights"][k] * v for k, v in report["components"].items())
        assert report["score"] == pytest.approx(expected, abs=0.06)
    assert flat["components"]["ml_efficacy"] < 0.3 < 0.5 < learned["components"]["ml_efficacy"]
    assert flat["detection"]["auc"] > 0.95 > 0.7 > learned["detection"]["auc"]
    detection = next(p for p in flat["penalties"] if p["component"] == "detection")
    assert detection["sentence"].startswith("A classifier tells generated rows from real ones with ROC AUC")
    assert detection["points"] >= 20 and detection["details"] and detection["details"][0].startswith("'")
    assert any(s.startswith("ML efficacy ratio is") for s in flat["pulled_down_by"])
    assert any(s.startswith("Column ") and "shaped unlike the reference" in s for s in flat["pulled_down_by"])


def test_exact_copies_cost_privacy_and_are_named() -> None:
    frame = TABLES["wine"]()
    train, _ = split_holdout(frame)
    clean = copula(train, 300, 1)
    copied = clean.copy()
    copied.iloc[:30] = train.iloc[:30].astype(float).to_numpy()  # 10% copies; 1.0 and 1 are the same value
    before, after = realism_report(frame, clean), realism_report(frame, copied)
    assert before["privacy"]["exact_copies"] == 0 and before["components"]["privacy"] > 0.9
    assert after["privacy"]["exact_copies"] == 30 and after["components"]["privacy"] == 0.0
    privacy = next(p for p in after["penalties"] if p["component"] == "privacy")
    assert privacy["points"] == pytest.approx(100 * WEIGHTS["privacy"])  # 10% copies cost the whole 20 points
    assert after["score"] <= before["score"] - 10  # copies look real to the classifier: detection gives some back
    assert "30 synthetic rows (10.0%) are exact copies of reference rows." in after["pulled_down_by"]


def test_near_copies_sit_too_close_to_training_rows() -> None:
    frame = TABLES["breast_cancer"]()
    train, _ = split_holdout(frame)
    rng = np.random.default_rng(2)
    rows = train.sample(300, random_state=2).reset_index(drop=True)
    features = rows.columns.drop("target")
    rows[features] = rows[features] * (1 + rng.normal(0, 0.001, (300, len(features))))  # perturbed, not copied
    report = realism_report(frame, rows)
    assert report["privacy"]["exact_copies"] == 0
    assert report["privacy"]["rows_too_close_rate"] > 0.5 and report["components"]["privacy"] < 0.5
    assert any("closer to a training row than 95% of real holdout rows" in s for s in report["pulled_down_by"])


@pytest.mark.parametrize("name", ["wine", "iris", "diabetes"])
def test_ml_efficacy_real_rows_near_one_shuffled_target_low(name: str) -> None:
    frame = TABLES[name]()
    train, holdout = split_holdout(frame)
    assert ml_efficacy(train, holdout, train.copy(), target="target")["ratio"] == 1.0
    real = ml_efficacy(train, holdout, train.sample(frac=0.9, random_state=0), target="target")
    assert real["ratio"] >= 0.85, real
    rng = np.random.default_rng(0)
    shuffled = train.assign(target=rng.permutation(train["target"].to_numpy()))
    low = ml_efficacy(train, holdout, shuffled, target="target")
    assert low["ratio"] < 0.3, low
    assert low["task"] == ("regression" if name == "diabetes" else "classification")


def test_default_target_and_deterministic_holdout() -> None:
    frame = TABLES["wine"]()
    assert pick_target(frame) == "target"
    unnamed = frame.rename(columns={"target": "cultivar"})
    assert pick_target(unnamed) == "cultivar"  # the last categorical column
    assert pick_target(frame.drop(columns="target")) == "proline"  # no categories: the last number
    train, holdout = split_holdout(frame)
    again, _ = split_holdout(frame.sample(frac=1, random_state=3))
    assert 0.1 < len(holdout) / len(frame) < 0.3 and len(train) + len(holdout) == len(frame)
    assert set(map(tuple, again.to_numpy())) == set(map(tuple, train.to_numpy()))  # by content, not order
    report = realism_report(unnamed, copula(train.rename(columns={"target": "cultivar"}), 200, 0))
    assert report["ml_efficacy"]["target"] == "cultivar" and report["ml_efficacy"]["target_chosen_automatically"]
    assert report["holdout"] == {"source": "split", "train_rows": len(train), "holdout_rows": len(holdout)}


def test_given_holdout_and_bad_input() -> None:
    frame = TABLES["iris"]()
    train, holdout = frame.iloc[::2].reset_index(drop=True), frame.iloc[1::2].reset_index(drop=True)
    report = realism_report(train, copula(train, 200, 0), holdout=holdout, target="petal width (cm)")
    assert report["holdout"]["source"] == "given" and report["ml_efficacy"]["task"] == "regression"
    with pytest.raises(InputError, match="target column 'species' is not in both tables"):
        realism_report(frame, frame, target="species")
    with pytest.raises(InputError, match="at least 10"):
        realism_report(frame.head(5), frame.head(5))


def test_correlation_similarity_matches_sdmetrics() -> None:
    sdmetrics = pytest.importorskip("sdmetrics.column_pairs")
    frame = TABLES["wine"]()
    syn = copula(frame, 200, 4)
    shapes = column_shapes(frame, syn, list(frame.columns))
    trends = {tuple(t["columns"]): t["score"] for t in pair_trends(frame, syn, shapes)}
    assert len(trends) == 13 * 12 // 2 + 0  # every numeric pair; target is the one categorical column
    for a, b in [("alcohol", "proline"), ("flavanoids", "total_phenols"), ("hue", "color_intensity")]:
        key = (a, b) if (a, b) in trends else (b, a)
        expected = sdmetrics.CorrelationSimilarity.compute(frame[list(key)], syn[list(key)])
        assert trends[key] == pytest.approx(expected, abs=1e-6)


def test_weights_are_documented_and_sum_to_one() -> None:
    import synth_gradio.quality.realism as realism

    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    for name, weight in WEIGHTS.items():
        assert f"{weight:.2f} * {name}" in realism.__doc__


def test_mixed_types_nulls_and_dates_give_a_json_report() -> None:
    rng = np.random.default_rng(8)
    n = 400
    plan = rng.choice(["free", "pro", "team"], n, p=[0.5, 0.3, 0.2])
    real = pd.DataFrame(
        {
            "plan": plan,
            "seats": np.where(plan == "free", 1, rng.integers(2, 50, n)),
            "mrr": np.where(plan == "free", 0.0, rng.lognormal(5, 0.5, n)).round(2),
            "active": rng.random(n) < 0.7,
            "signup": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
            "note": np.where(rng.random(n) < 0.2, None, rng.choice(["a", "b"], n)),
        }
    )
    generated = real.sample(300, random_state=1).reset_index(drop=True)
    generated["signup"] = (generated["signup"] + pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d")  # dates as text
    generated["mrr"] = generated["mrr"] * 1.01
    report = realism_report(real.assign(signup=real["signup"].astype(str)), generated, target="plan")
    json.dumps(report, allow_nan=False)
    assert report["fidelity"]["column_shapes"]["signup"]["kind"] == "datetime"
    assert report["ml_efficacy"]["task"] == "classification" and report["ml_efficacy"]["ratio"] > 0.8
    assert 0 <= report["score"] <= 100 and 0 <= report["components"]["privacy"] <= 1


def test_too_few_synthetic_rows_for_detection_leave_it_out_with_a_sentence() -> None:
    frame = TABLES["iris"]()
    train, _ = split_holdout(frame)
    report = realism_report(frame, copula(train, 6, 0))
    assert report["components"]["detection"] is None and report["weights"]["detection"] == 0.0
    assert sum(report["weights"].values()) == pytest.approx(1.0, abs=1e-3)
    assert (
        "Not scored: the synthetic table has 6 rows; a detection test needs at least 10 on each side."
        in (report["pulled_down_by"])
    )


def test_numbers_written_with_units_are_compared_as_numbers() -> None:
    """bmi written "32.1 kg/m2" and the target "$151,000" were categories to the report: a drawn
    32.2 kg/m2 counted as a different value, as far from 32.1 as from 45.0."""
    real = datasets.load_diabetes(as_frame=True, scaled=False).frame
    written = real.assign(
        bmi=real["bmi"].map(lambda v: f"{v:.1f} kg/m2"), target=real["target"].map(lambda v: f"${v:,.0f}")
    )
    rng = np.random.default_rng(0)
    near = real.sample(400, random_state=1).reset_index(drop=True)  # real rows, numbers nudged
    near = near.assign(bmi=near["bmi"] + rng.choice([-0.1, 0.1], len(near)), target=near["target"] + 1)
    drawn = near.assign(
        bmi=near["bmi"].map(lambda v: f"{v:.1f} kg/m2"), target=near["target"].map(lambda v: f"${v:,.0f}")
    )
    report = realism_report(written, drawn, seed=0)
    shapes = report["fidelity"]["column_shapes"]
    assert shapes["bmi"]["kind"] == shapes["target"]["kind"] == "numerical"
    assert shapes["bmi"]["score"] > 0.9 and shapes["target"]["score"] > 0.9


def test_an_unnamed_target_is_one_real_rows_can_predict_and_not_a_function_of_another_column() -> None:
    """macrodata's last category is the quarter, which nothing predicts; anes96's `logpopul` is the log
    of `popul`. The choice falls on a column real rows predict, neither trivially nor not at all."""
    import statsmodels.api as sm

    macro = sm.datasets.macrodata.load_pandas().data
    train, holdout = split_holdout(macro)
    assert pick_target(train) == "quarter"  # without a holdout: the column order, as before
    chosen = pick_target(train, holdout)
    assert chosen != "quarter" and ml_efficacy(train, holdout, train.copy())["real"]["skill"] >= 0.05
    anes = sm.datasets.anes96.load_pandas().data
    train, holdout = split_holdout(anes)
    assert pick_target(train, holdout) == "vote"
    assert pick_target(train.drop(columns="vote"), holdout.drop(columns="vote")) != "logpopul"


def test_the_real_baseline_has_as_many_rows_as_the_generated_set() -> None:
    """1,000 real rows of randhie's 16,000 predict `hlthf` with skill about .17, all of them .31: a
    generated set of 1,000 rows as good as real ones scored a ratio near .55 before."""
    import statsmodels.api as sm

    real = sm.datasets.randhie.load_pandas().data
    train, holdout = split_holdout(real)
    same_size = train.sample(1000, random_state=5)
    report = ml_efficacy(train, holdout, same_size, target="hlthf")
    assert report["rows"]["train"] == 1000 and report["real"]["skill"] < 0.27 and report["ratio"] > 0.6, report
