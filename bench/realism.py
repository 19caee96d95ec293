"""Realism score calibration: a column-by-column draw against a learned stand-in on sklearn's real tables.

    python bench/realism.py [--rows 300] [--seed 0]

Per table it prints the realism score of four synthetic sets (target: column-by-column < 75,
learned >= 85), their components, the detection ROC AUC (0.5: a classifier cannot tell the rows
from real ones) and the seconds the report took; then the seconds for a 10,000 x 20 reference.
The synthetic sets:
- column_by_column: each column drawn on its own, uniform within its min/max or over its categories
  (what the engine does without a learned model);
- stand_in_copula: a Gaussian copula on ranks fitted to the training split, sampled with interpolated
  marginals, so its rows are new (no bootstrap, no copies): a stand-in for a learned model;
- synth_gradio_learn: the product's learned model (synth_gradio.learn.fit_table, its default
  method), measured on the rows its own holdout split kept out;
- shuffled: every real column shuffled independently (perfect shapes, no relationships), for scale.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd
from scipy import stats
from sklearn import datasets

from synth_gradio.quality.holdout import split_holdout
from synth_gradio.quality.realism import realism_report


def tables() -> dict[str, pd.DataFrame]:
    return {
        "wine": datasets.load_wine(as_frame=True).frame,
        "breast_cancer": datasets.load_breast_cancer(as_frame=True).frame,
        "diabetes": datasets.load_diabetes(as_frame=True, scaled=False).frame,
        "iris": datasets.load_iris(as_frame=True).frame,
    }


def column_by_column(frame: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    out = {}
    for col in frame.columns:
        values = frame[col].dropna()
        if values.nunique() <= 10 or not pd.api.types.is_numeric_dtype(values):
            out[col] = rng.choice(values.unique(), n)
        else:
            draw = rng.uniform(values.min(), values.max(), n)
            out[col] = draw.round() if (values % 1 == 0).all() else draw
    return pd.DataFrame(out)


def decimals(values: pd.Series) -> int:
    """The fewest decimals (up to 6) that represent every value: learned values keep the data's precision."""
    return next((d for d in range(7) if np.allclose(values, values.round(d), rtol=0, atol=1e-9)), 6)


def copula(frame: pd.DataFrame, n: int, seed: int, avoid: pd.DataFrame | None = None) -> pd.DataFrame:
    """Normal scores of ranks, their correlation, then each column's quantile function; columns with
    few values keep their values, the others are interpolated between neighbouring real values."""
    rng = np.random.default_rng(seed)
    scores = stats.norm.ppf((frame.rank(method="average").to_numpy() - 0.5) / len(frame))
    draws = stats.norm.cdf(rng.multivariate_normal(np.zeros(frame.shape[1]), np.corrcoef(scores.T), 2 * n))
    out = {}
    for i, col in enumerate(frame.columns):
        ordered = np.sort(frame[col].to_numpy(dtype=float))
        grid = (np.arange(len(ordered)) + 0.5) / len(ordered)
        if frame[col].nunique() <= 10:
            out[col] = ordered[np.minimum((draws[:, i] * len(ordered)).astype(int), len(ordered) - 1)]
        else:
            out[col] = np.interp(draws[:, i], grid, ordered).round(decimals(frame[col]))
    rows = pd.DataFrame(out)
    avoid = (frame if avoid is None else avoid).astype(float).round(6).drop_duplicates()
    known = rows.round(6).merge(avoid, how="left", indicator=True)["_merge"] == "both"
    return rows[~known.to_numpy()].head(n).reset_index(drop=True)  # like a learned model: never a copy of `avoid`


def shuffled(frame: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({c: rng.choice(frame[c].to_numpy(), n) for c in frame.columns})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    for name, frame in tables().items():
        train, _ = split_holdout(frame)
        row: dict[str, object] = {"table": name, "rows": len(frame), "columns": frame.shape[1]}
        from synth_gradio.learn import fit_table, split_reference

        model = fit_table(frame, seed=args.seed)  # the product's learned model, fitted on its own split
        runs = {
            "column_by_column": column_by_column(train, args.rows, args.seed),
            "stand_in_copula": copula(train, args.rows, args.seed, avoid=frame),
            "synth_gradio_learn": pd.DataFrame(model.sample(args.rows, args.seed)),
            "shuffled": shuffled(train, args.rows, args.seed),
        }
        learn_train, learn_holdout = split_reference(frame)
        for label, synthetic in runs.items():
            started = time.perf_counter()
            if label == "synth_gradio_learn":  # measured on the rows the model never saw
                report = realism_report(learn_train, synthetic, holdout=learn_holdout, seed=args.seed)
            else:
                report = realism_report(frame, synthetic, seed=args.seed)
            row[label] = {
                "score": report["score"],
                **{k: v for k, v in report["components"].items()},
                "detection_auc": report["detection"]["auc"],
                "seconds": round(time.perf_counter() - started, 2),
            }
        row["target"] = report["ml_efficacy"]["target"]
        print(json.dumps(row))
    print(json.dumps({"cost_10000x20_s": large_table_seconds(args.seed)}))


def large_table_seconds(seed: int) -> float:
    """Seconds for one report on a 10,000-row x 20-column reference with 2,000 synthetic rows."""
    rng = np.random.default_rng(seed)
    values = rng.multivariate_normal(np.zeros(16), np.full((16, 16), 0.3) + 0.7 * np.eye(16), 10_000)
    frame = pd.DataFrame(values, columns=[f"x{i}" for i in range(16)])
    for i in range(4):
        frame[f"c{i}"] = np.where(values[:, i] > 0, "high", "low")
    synthetic = column_by_column(frame, 2000, seed)
    started = time.perf_counter()
    realism_report(frame, synthetic, seed=seed)
    return round(time.perf_counter() - started, 2)


if __name__ == "__main__":
    main()
