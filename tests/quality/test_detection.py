"""Detection (a classifier two-sample test) on sklearn's real tables: real rows against other real rows
cannot be told apart, a column-by-column draw is spotted, and the column that gives rows away is named."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn import datasets
from sklearn.metrics import roc_auc_score

from synth_gradio.errors import InputError
from synth_gradio.quality.detection import _auc, detection_report, detection_score

TABLES = {
    "wine": lambda: datasets.load_wine(as_frame=True).frame,
    "breast_cancer": lambda: datasets.load_breast_cancer(as_frame=True).frame,
    "diabetes": lambda: datasets.load_diabetes(as_frame=True, scaled=False).frame,
}


def halves(frame: pd.DataFrame, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two disjoint random halves of the same real table."""
    order = np.random.default_rng(seed).permutation(len(frame))
    half = len(frame) // 2
    return frame.iloc[order[:half]].reset_index(drop=True), frame.iloc[order[half:]].reset_index(drop=True)


def column_by_column(frame: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            c: rng.choice(frame[c].unique(), n)
            if frame[c].nunique() <= 10
            else rng.uniform(frame[c].min(), frame[c].max(), n)
            for c in frame.columns
        }
    )


@pytest.mark.parametrize("name", list(TABLES))
def test_real_rows_against_other_real_rows_are_not_told_apart(name: str) -> None:
    real, other = halves(TABLES[name]())
    report = detection_report(real, other, seed=0)
    assert report["auc"] < 0.55, report["auc_folds"]
    assert report["score"] >= 0.9 and report["telling"] == []  # nothing gave the rows away: no column is named
    assert report["rows"] == {"real": min(len(real), len(other)), "synthetic": min(len(real), len(other))}
    assert len(report["auc_folds"]) == 5 and report["auc"] == pytest.approx(np.mean(report["auc_folds"]), abs=1e-3)


@pytest.mark.parametrize("name", list(TABLES))
def test_a_column_by_column_uniform_draw_is_spotted(name: str) -> None:
    frame = TABLES[name]()
    report = detection_report(frame, column_by_column(frame, 300, 1), seed=0)
    assert report["auc"] > 0.9 and report["score"] < 0.2
    assert len(report["telling"]) == 3
    for told in report["telling"]:  # shuffling one column may cost little when every column gives rows away
        assert told["importance"] >= 0.005 or told["total_variation"] >= 0.1
        assert told["sentence"].startswith(repr(told["column"])) and "of generated rows" in told["sentence"]
    if report["telling"][0]["importance"] >= 0.005:
        assert report["telling"][0]["column"] == next(iter(report["importance"]))  # most important first


def test_the_shifted_column_is_named_with_the_range_that_gives_it_away() -> None:
    real, other = halves(TABLES["breast_cancer"](), seed=3)
    other["mean texture"] = other["mean texture"] * 1.3
    report = detection_report(real, other, seed=0)
    assert report["auc"] > 0.85
    first = report["telling"][0]
    assert first["column"] == "mean texture" and first["importance"] > 0.2
    assert abs(first["synthetic_share"] - first["real_share"]) >= 0.05
    assert first["sentence"].startswith("'mean texture' from ") and "of generated rows" in first["sentence"]


def test_a_broken_relationship_is_named_on_a_statsmodels_table() -> None:
    sm = pytest.importorskip("statsmodels.api")
    real, other = halves(sm.datasets.fair.load_pandas().data)  # 6,366 survey answers, mostly small integers
    assert detection_report(real, other, seed=0)["auc"] < 0.55
    other["yrs_married"] = np.random.default_rng(0).permutation(other["yrs_married"].to_numpy())  # shape kept
    report = detection_report(real, other, seed=0)
    assert report["auc"] > 0.75
    assert [t["column"] for t in report["telling"]][:2] == ["yrs_married", "age"]  # married longer than alive
    assert report["telling"][0]["sentence"].startswith("'yrs_married' gives rows away together with other columns")


def test_values_between_a_columns_standard_values_are_named() -> None:
    real, other = halves(TABLES["diabetes"](), seed=1)
    other["sex"] = np.random.default_rng(0).uniform(1, 2, len(other)).round(2)  # 1 and 2 only, in reality
    report = detection_report(real, other, seed=0)
    first = report["telling"][0]
    assert first["column"] == "sex" and first["real_share"] == 0.0 and first["synthetic_share"] > 0.9
    assert "takes a value the real column never has (2 distinct)" in first["sentence"]


def test_resampled_real_rows_fall_below_chance_with_a_note_not_a_penalty() -> None:
    frame = TABLES["wine"]()
    report = detection_report(frame, frame.sample(300, replace=True, random_state=0).reset_index(drop=True))
    assert report["auc"] < 0.4 and report["score"] == 1.0 and report["telling"] == []
    assert report["note"].startswith("the classifier does worse than chance: generated rows sit next to")
    assert detection_report(*halves(frame))["note"] is None


def test_same_seed_same_report_and_the_score_is_linear_in_auc() -> None:
    frame = TABLES["wine"]()
    synthetic = column_by_column(frame, 200, 2)
    assert detection_report(frame, synthetic, seed=4) == detection_report(frame, synthetic, seed=4)
    assert [detection_score(a) for a in (0.3, 0.5, 0.6, 0.8, 1.0)] == [1.0, 1.0, 0.8, 0.4, 0.0]
    rng = np.random.default_rng(5)
    labels, scores = rng.integers(0, 2, 400), rng.integers(0, 6, 400).astype(float)  # ties as in leaf outputs
    assert _auc(labels, scores) == pytest.approx(roc_auc_score(labels, scores))


def test_dates_categories_nulls_and_text_give_a_json_report() -> None:
    frame = TABLES["wine"]().assign(
        cultivar=lambda f: f["target"].map({0: "barolo", 1: "grignolino", 2: "barbera"}),
        note=lambda f: [f"tasting note {i}" for i in range(len(f))],  # free text: left out
        bottled=lambda f: (pd.Timestamp("2020-01-01") + pd.to_timedelta(f["proline"] // 10, unit="D")).astype(str),
    )
    frame.loc[frame.index % 7 == 0, "hue"] = np.nan
    real, other = halves(frame, seed=2)
    other["bottled"] = (pd.to_datetime(other["bottled"]) + pd.Timedelta(days=400)).dt.strftime("%Y-%m-%d")
    report = detection_report(real, other, seed=0)
    json.dumps(report, allow_nan=False)
    assert report["columns_left_out"] == ["note"] and "cultivar" in report["columns_used"]
    first = report["telling"][0]
    assert first["column"] == "bottled" and first["sentence"].startswith("'bottled' from 20")


def test_bad_input_says_what_is_wrong_in_one_sentence() -> None:
    frame = TABLES["wine"]()
    with pytest.raises(InputError, match="the synthetic table has 0 rows; a detection test needs at least 10"):
        detection_report(frame, frame.iloc[:0])
    with pytest.raises(InputError, match="the reference columns do not match"):
        detection_report(frame, pd.DataFrame({"colour": ["red"] * 20}))
    with pytest.raises(InputError, match="columns not in both tables: colour"):
        detection_report(frame, frame, columns=["alcohol", "colour"])
    ids = pd.DataFrame({"id": [f"row-{i}" for i in range(200)]})
    with pytest.raises(InputError, match="no column can be compared for detection: id are free text or identifiers"):
        detection_report(ids, pd.DataFrame({"id": [f"new-{i}" for i in range(200)]}))
