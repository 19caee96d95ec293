"""Detection benchmark: can a classifier tell learned rows from real ones, and at what privacy cost?

    python bench/detection.py [--tables wine,fair] [--methods copula,sequential,resample] [--rows 1000] [--seed 0]
    python bench/detection.py --tables bank,census,laptops,gems,bikes,housing,hr --methods auto
    python bench/detection.py --tables insurance,passengers,cars --methods auto

Development tables only (issue 22), and tables of our own making (own_tables.py: bank, census,
laptops, gems, bikes, housing, hr; more_tables.py: insurance, passengers, cars; named with --tables, shaped like common business tables
without being any): the real tables bundled with scikit-learn (wine, breast_cancer,
diabetes unscaled, iris) and with statsmodels (fair, randhie, anes96, star98, modechoice, grunfeld,
macrodata; statsmodels is a test/bench-only dependency). grunfeld (220 rows) and macrodata (203)
are below 300 rows; they are the only bundled statsmodels tables with a text category (grunfeld's
firm) or a time index (macrodata's year and quarter) and are kept for that. modechoice's `mode`
codes are given their documented names (air, train, bus, car) so one table has a string category.
macrodata_dated is macrodata with the first day of each quarter as a date column: its year and
quarter are parts of that date (learn/calendar.py), and `date_parts_agree` says in what share of
generated rows they match it.

Methods:
- copula: `synth_gradio.learn.fit_table(frame, method="copula")`;
- sequential: `fit_table(frame, method="sequential")` (trees, learn/sequential.py);
- auto: `fit_table(frame)`, the product's default (sequential from 1,000 training rows, else copula);
- resample: real training rows drawn with replacement: a reference point (it copies real rows).
fit_table takes the whole table and fits on its own training split, the one
`synth_gradio.learn.split_reference(frame)` returns; the rows it held out measure privacy.

One JSON line per table and method:
- detection_auc: ROC AUC of a gradient-boosting classifier telling the generated rows from all real
  rows (5-fold, quality/detection.py; 0.5: it cannot), and `telling`, what it found most telling;
- sdmetrics_quality: SDMetrics' QualityReport overall score against the whole table (metadata
  from dtypes: numbers with more than 10 values numerical, other columns categorical);
- close_to_real_share: the share of generated rows closer to a training row than the 5th percentile
  of holdout-to-training distances (quality/holdout.py), beside holdout_close_share, the holdout's
  own share by the same rule (the target: no higher than it);
- exact_copies: generated rows equal to a row of the table;
- fit_s and sample_rows_per_s: seconds to fit, and rows per second for drawing `--rows` rows.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

import pandas as pd
from sklearn import datasets

from synth_gradio.quality.detection import detection_report
from synth_gradio.quality.holdout import holdout_privacy

METHODS = ("copula", "sequential", "auto", "resample")


def sklearn_tables() -> dict[str, Callable[[], pd.DataFrame]]:
    return {
        "wine": lambda: datasets.load_wine(as_frame=True).frame,
        "breast_cancer": lambda: datasets.load_breast_cancer(as_frame=True).frame,
        "diabetes": lambda: datasets.load_diabetes(as_frame=True, scaled=False).frame,
        "iris": lambda: datasets.load_iris(as_frame=True).frame,
    }


def statsmodels_tables() -> dict[str, Callable[[], pd.DataFrame]]:
    import statsmodels.api as sm

    def load(name: str) -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return getattr(sm.datasets, name).load_pandas().data.reset_index(drop=True)

    def modechoice() -> pd.DataFrame:
        frame = load("modechoice")
        return frame.assign(mode=frame["mode"].map({1.0: "air", 2.0: "train", 3.0: "bus", 4.0: "car"}))

    def macrodata_dated() -> pd.DataFrame:  # the quarter's first day beside its year and quarter
        frame = load("macrodata")
        start = pd.PeriodIndex.from_fields(
            year=frame["year"].astype(int), quarter=frame["quarter"].astype(int), freq="Q"
        )
        frame.insert(0, "date", start.to_timestamp().strftime("%Y-%m-%d"))
        return frame

    names = ("fair", "randhie", "anes96", "star98", "grunfeld", "macrodata")
    return {**{n: (lambda n=n: load(n)) for n in names}, "modechoice": modechoice, "macrodata_dated": macrodata_dated}


def tables() -> dict[str, Callable[[], pd.DataFrame]]:
    """Package tables first (the default run), then our own (own_tables.py), named with --tables."""
    from own_tables import own_tables

    return {**sklearn_tables(), **statsmodels_tables(), **own_tables()}


def package_tables() -> list[str]:
    return [*sklearn_tables(), *statsmodels_tables()]


def fit(frame: pd.DataFrame, method: str, seed: int) -> Any:
    """A fitted model with .sample(n, seed), or a string saying why this method was skipped."""
    from synth_gradio.learn import fit_table

    return fit_table(frame, method=method, seed=seed)


class Resample:
    """Real training rows drawn with replacement: the reference point that copies real rows."""

    def __init__(self, train: pd.DataFrame) -> None:
        self.train = train

    def sample(self, n: int, seed: int) -> list[dict[str, Any]]:
        return self.train.sample(n, replace=True, random_state=seed).to_dict("records")


def sdmetrics_quality(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a FutureWarning on import: the single-table report is being renamed
        from sdmetrics.reports.single_table import QualityReport

    columns = {}
    for col in real.columns:
        numeric = pd.api.types.is_numeric_dtype(real[col]) and not pd.api.types.is_bool_dtype(real[col])
        columns[col] = {"sdtype": "numerical" if numeric and real[col].nunique() > 10 else "categorical"}
    report = QualityReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.generate(real, synthetic[list(real.columns)], {"columns": columns}, verbose=False)
    return round(float(report.get_score()), 4)


def date_parts_agree(rows: pd.DataFrame) -> float:
    date = pd.to_datetime(rows["date"])
    return round(float(((rows["year"] == date.dt.year) & (rows["quarter"] == date.dt.quarter)).mean()), 4)


def measure(name: str, frame: pd.DataFrame, method: str, rows: int, seed: int) -> dict[str, Any]:
    from synth_gradio.errors import InputError
    from synth_gradio.learn import split_reference

    frame.columns = [str(c) for c in frame.columns]
    out: dict[str, Any] = {"table": name, "method": method, "rows": len(frame), "columns": frame.shape[1]}
    train, holdout = split_reference(frame)
    started = time.perf_counter()
    try:
        model = Resample(train) if method == "resample" else fit(frame, method, seed)
    except InputError as exc:
        return {**out, "error": str(exc)}
    if isinstance(model, str):
        return {**out, "skipped": model}
    fitted = time.perf_counter()
    generated = pd.DataFrame(model.sample(rows, seed))
    sampled = time.perf_counter()
    columns = [c for c in frame.columns if c in generated.columns]
    generated = generated[columns]
    real = frame[columns]
    detection = detection_report(real, generated, seed=seed)
    privacy = holdout_privacy(real, train[columns], holdout[columns], generated, columns, seed=seed)
    own = holdout_privacy(real, train[columns], holdout[columns], holdout[columns], columns, seed=seed)
    return {
        **out,
        "detection_auc": detection["auc"],
        "sdmetrics_quality": sdmetrics_quality(real, generated),
        "close_to_real_share": privacy["rows_too_close_rate"],
        "holdout_close_share": own["rows_too_close_rate"],
        "exact_copies": privacy["exact_copies"],
        "fit_s": round(fitted - started, 2),
        "sample_rows_per_s": round(rows / max(sampled - fitted, 1e-9)),
        "telling": [t["sentence"] for t in detection["telling"][:2]],
        **({"date_parts_agree": date_parts_agree(generated)} if name == "macrodata_dated" else {}),
        "columns_generated": len(columns),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--tables",
        default=",".join(package_tables()),
        help=f"comma-separated; default: the package tables (own ones: {','.join(t for t in tables() if t not in package_tables())})",
    )
    ap.add_argument("--methods", default=",".join(METHODS), help=f"comma-separated from {', '.join(METHODS)}")
    ap.add_argument("--rows", type=int, default=1000, help="generated rows per table and method")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    known = tables()
    chosen = [t.strip() for t in args.tables.split(",") if t.strip()]
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [t for t in chosen if t not in known] + [m for m in methods if m not in METHODS]
    if unknown:
        ap.error(f"unknown table or method: {', '.join(unknown)}; tables: {', '.join(known)}")
    for name in chosen:
        frame = known[name]()
        for method in methods:
            print(json.dumps(measure(name, frame.copy(), method, args.rows, args.seed)), flush=True)


if __name__ == "__main__":
    main()
