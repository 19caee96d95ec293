"""Scale benchmark (issue 22): fit seconds and sampling rate of a learned model on big references.

    python bench/scale.py [--rows 50000] [--big 1000000] [--seed 0] [--method auto]

Prints one JSON line per reference:
- a `--rows` x 20 mixed table (target: fit under 30 s on 2 cores, sampling at least 10,000 rows/s):
  8 skewed amounts, 3 integers, 6 categories of 2 to 40 values (some following the amounts), 2 dates,
  a boolean, nulls that follow a category; `fit_s`, `sample_rows_per_s` (20,000 rows in one call)
  and the seconds spent in the privacy check's refits, from the model's own notes;
- the same table at `--big` rows (accepted, subsampled for fitting with a note), with the peak
  resident memory of this process in MiB. `--big 0` skips it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

from synth_gradio.learn import fit_table

CARDINALITIES = (2, 3, 5, 8, 12, 40)


def mixed_table(rows: int, seed: int) -> pd.DataFrame:
    """20 columns with the structure real business tables have: skew, groups, links, nulls, dates."""
    rng = np.random.default_rng(seed)
    base = rng.multivariate_normal(np.zeros(4), 0.5 * np.eye(4) + 0.5, rows)
    frame: dict[str, object] = {}
    for i, size in enumerate(CARDINALITIES):
        score = base[:, i % 4] + rng.normal(0, 1.0, rows)
        cuts = np.quantile(score, np.linspace(0, 1, size + 1)[1:-1] ** 1.3)
        frame[f"c{i}"] = np.array([f"v{i}_{k}" for k in range(size)])[np.searchsorted(cuts, score)]
    group = pd.Series(frame["c2"]).str[-1].astype(int).to_numpy()
    for i in range(8):
        scale = 1.0 + 0.3 * group if i < 3 else 1.0
        frame[f"x{i}"] = np.round(np.exp(base[:, i % 4] * scale + rng.normal(0, 0.5, rows)) * 100, 2)
    frame.update({f"n{i}": (base[:, i] * 10 + 40).round().astype(int) for i in range(3)})
    for i in range(2):
        days = (base[:, i] * 200 + 18000).astype(int)
        frame[f"d{i}"] = pd.to_datetime(days, unit="D").strftime("%Y-%m-%d")
    frame["flag"] = base[:, 3] > 0.3
    out = pd.DataFrame(frame)
    out.loc[(group == 0) & (rng.random(rows) < 0.6), "x7"] = np.nan
    return out


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(frame: pd.DataFrame, seed: int, method: str) -> dict[str, object]:
    started = time.perf_counter()
    model = fit_table(frame, seed=seed, method=method)
    fit_s = time.perf_counter() - started
    started = time.perf_counter()
    rows = model.sample(20_000, seed)
    rate = len(rows) / (time.perf_counter() - started)
    summary = model.summary()
    return {
        "rows": len(frame),
        "columns": frame.shape[1],
        "method": summary.get("method"),
        "fit_s": round(fit_s, 2),
        "sample_rows_per_s": round(rate),
        "privacy": summary.get("closeness"),
        "notes": summary.get("notes", []),
        "peak_rss_mib": round(peak_mib()),
        "cores": os.cpu_count(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--big", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--method", default="auto")
    args = ap.parse_args()
    print(json.dumps(measure(mixed_table(args.rows, args.seed), args.seed, args.method)), flush=True)
    if args.big:
        print(json.dumps(measure(mixed_table(args.big, args.seed), args.seed, args.method)), flush=True)


if __name__ == "__main__":
    main()
