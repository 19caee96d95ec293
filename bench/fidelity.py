"""Fidelity, privacy and speed of the learned table model on real tables that installed packages ship.

    python bench/fidelity.py [--rows 300] [--seed 0] [--only wine,iris]

Prints one JSON line per table: SDMetrics QualityReport (overall, Column Shapes, Column Pair
Trends) for 300 rows sampled from a model fitted on the table's training split, compared with the
whole reference table over the modelled columns; exact copies of reference rows; fit seconds and
sampling rows/s. Beside it, two baselines: column by column (each column uniform within its range
or over its categories, what the product did before) and shuffled real columns (each column drawn
independently from its real values: perfect shapes, no dependence); and, as the ceiling that
sampling noise allows, 300 real rows drawn with replacement (all copies, of course). A last line times a synthetic
10,000 x 20 mixed table (targets: fit < 60 s on 2 cores, sampling >= 1,000 rows/s).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

from synth_gradio.learn import fit_table
from synth_gradio.learn.detect import date_format

SITE = Path(np.__file__).resolve().parents[1]


def _sklearn(name: str) -> pd.DataFrame:
    from sklearn import datasets

    loader = getattr(datasets, f"load_{name}")
    frame = loader(as_frame=True, **({"scaled": False} if name == "diabetes" else {})).frame
    if name != "diabetes":  # a class label; diabetes' target is a number
        frame["target"] = frame["target"].map(lambda t: f"class_{t}")
    return frame


def tables() -> dict[str, pd.DataFrame]:
    """Real tables on disk: sklearn's bundled sets and demo CSVs that installed packages ship."""
    out = {name: _sklearn(name) for name in ("wine", "breast_cancer", "diabetes", "iris")}
    files = {
        "student_placements": SITE / "sdmetrics/demos/single_table/student_placements_real.csv",
        "titanic": SITE / "gradio/media_assets/data/titanic.csv",
        "stocks": SITE / "matplotlib/mpl-data/sample_data/Stocks.csv",
        "msft": SITE / "matplotlib/mpl-data/sample_data/msft.csv",
    }
    for name, path in files.items():
        if path.is_file():
            out[name] = pd.read_csv(path, comment="#")
    return out


def metadata(frame: pd.DataFrame) -> dict:
    columns = {}
    for name in frame.columns:
        values = frame[name].dropna()
        if pd.api.types.is_bool_dtype(values) or (len(values) and values.map(type).eq(bool).all()):
            columns[name] = {"sdtype": "boolean"}
        elif pd.api.types.is_numeric_dtype(values):
            columns[name] = {"sdtype": "numerical"}
        elif (fmt := date_format(values.astype(str))) is not None:
            columns[name] = {"sdtype": "datetime", "datetime_format": fmt.replace("%-", "%")}
        else:
            columns[name] = {"sdtype": "categorical"}
    return {"columns": columns}


def as_frame(rows: list[dict], like: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=list(like.columns))
    for name in like.columns:
        if pd.api.types.is_numeric_dtype(like[name]) and not pd.api.types.is_bool_dtype(like[name]):
            out[name] = pd.to_numeric(out[name], errors="coerce").astype(float)
    return out


def quality(real: pd.DataFrame, synthetic: pd.DataFrame) -> dict[str, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sdmetrics.reports.single_table import QualityReport

        report = QualityReport()
        report.generate(real, synthetic, metadata(real), verbose=False)
    props = report.get_properties().set_index("Property")["Score"]
    return {
        "overall": round(float(report.get_score()), 4),
        "shapes": round(float(props["Column Shapes"]), 4),
        "pairs": round(float(props.get("Column Pair Trends", float("nan"))), 4),
    }


def column_by_column(real: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """What the product did before: each column uniform in its range or over its categories."""
    out = {}
    for name in real.columns:
        values = real[name].dropna()
        kind = metadata(real[[name]])["columns"][name]["sdtype"]
        if kind == "numerical":
            drawn = rng.uniform(values.min(), values.max(), n)
            drawn = np.round(drawn) if (values % 1 == 0).all() else drawn
        elif kind == "datetime":
            fmt = metadata(real[[name]])["columns"][name]["datetime_format"]
            seconds = pd.to_datetime(values, format=fmt).astype("int64") // 10**9
            drawn = pd.to_datetime(rng.uniform(seconds.min(), seconds.max(), n), unit="s").strftime(fmt)
        else:
            drawn = rng.choice(values.unique(), n)
        column = pd.Series(drawn, dtype=object if kind != "numerical" else float)
        column[rng.random(n) < real[name].isna().mean()] = None
        out[name] = column
    return as_frame(pd.DataFrame(out).to_dict("records"), real)


def shuffled(real: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Each column drawn on its own from its real values: exact shapes, no pair trends."""
    return pd.DataFrame({c: real[c].to_numpy()[rng.integers(0, len(real), n)] for c in real.columns})


def _key(frame: pd.DataFrame) -> pd.Series:
    text = frame.apply(lambda col: col.map(lambda v: "" if pd.isna(v) else f"{float(v):.9g}" if _num(v) else str(v)))
    return text.agg("\x1f".join, axis=1)


def _num(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)


def exact_copies(real: pd.DataFrame, synthetic: pd.DataFrame) -> int:
    """Synthetic rows equal to some reference row on every compared column (checked independently)."""
    return int(_key(synthetic).isin(set(_key(real))).sum())


def bench_table(name: str, frame: pd.DataFrame, n: int, seed: int) -> dict:
    model = fit_table(frame, seed=seed)
    real = frame[model.columns]
    started = time.perf_counter()
    model.sample(10_000, seed + 1)
    rate = 10_000 / (time.perf_counter() - started)
    synthetic = as_frame(model.sample(n, seed), real)
    rng = np.random.default_rng(seed)
    summary = model.summary()
    return {
        "table": name,
        "rows": len(frame),
        "columns": frame.shape[1],
        "modelled": len(model.columns),
        "text_columns": model.text_columns,
        "id_columns": model.id_columns,
        "learned": quality(real, synthetic),
        "copies": exact_copies(real, synthetic),
        "fit_s": summary["fit_seconds"],
        "rows_per_s": round(rate),
        "copy_share_redrawn": summary["copy_share"],
        "column_by_column": quality(real, column_by_column(real, n, rng)),
        "shuffled_columns": quality(real, shuffled(real, n, rng)),
        "real_resample": quality(real, real.iloc[rng.integers(0, len(real), n)].reset_index(drop=True)),
    }


def synthetic_table(rows: int = 10_000, seed: int = 0) -> pd.DataFrame:
    """A 20-column mixed table: correlated numbers, integers, categories, dates, a boolean, nulls."""
    rng = np.random.default_rng(seed)
    base = rng.multivariate_normal(np.zeros(4), 0.5 * np.eye(4) + 0.5, rows)
    frame = {f"x{i}": np.round(np.exp(base[:, i % 4] + rng.normal(0, 0.5, rows)), 2) for i in range(8)}
    frame.update({f"n{i}": (base[:, i] * 10 + 40).round().astype(int) for i in range(4)})
    for i in range(4):
        cuts = np.quantile(base[:, i], [0.2, 0.5, 0.8])
        frame[f"c{i}"] = np.array(list("abcd"))[np.searchsorted(cuts, base[:, i] + rng.normal(0, 0.5, rows))]
    for i in range(2):
        days = (base[:, i] * 200 + 18000).astype(int)
        frame[f"d{i}"] = pd.to_datetime(days, unit="D").strftime("%Y-%m-%d")
    frame["flag"] = base[:, 3] > 0.3
    nullable = np.round(base[:, 2] * 3 + 10, 1)
    frame["maybe"] = np.where(base[:, 0] > 0.8, np.nan, nullable)
    return pd.DataFrame(frame)


def bench_speed(seed: int) -> dict:
    frame = synthetic_table(seed=seed)
    started = time.perf_counter()
    model = fit_table(frame, seed=seed)
    fit_s = time.perf_counter() - started
    started = time.perf_counter()
    model.sample(20_000, seed)
    batch = 20_000 / (time.perf_counter() - started)
    sampler, rng = model.sampler(seed), __import__("random").Random(seed)
    started = time.perf_counter()
    for _ in range(10_000):
        sampler.next_row(rng)
    single = 10_000 / (time.perf_counter() - started)
    size = len(json.dumps(model.to_dict()))
    return {
        "table": "synthetic_10000x20",
        "fit_s": round(fit_s, 3),
        "sample_rows_per_s": round(batch),
        "next_row_rows_per_s": round(single),
        "model_json_bytes": size,
        "cores": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    wanted = {w for w in args.only.split(",") if w}
    for name, frame in tables().items():
        if not wanted or name in wanted:
            print(json.dumps(bench_table(name, frame, args.rows, args.seed)), flush=True)
    if not wanted or "speed" in wanted:
        print(json.dumps(bench_speed(args.seed)), flush=True)


if __name__ == "__main__":
    main()
