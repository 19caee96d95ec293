"""Whether to split the table into segments by one category, each with its own copula.

One Gaussian copula can only link columns monotonically and with one correlation everywhere.
Real tables often hold groups (a class label, a product line) whose members differ in the shape
of every column and in how columns move together; a categorical column with three or more
values cannot express that through a single interval order. When one low-cardinality column
explains a large share of the other columns' variation (correlation ratio eta squared), and each
of its values has enough training rows, the model becomes a mixture: one copula per value,
weighted by the value's frequency. This is the "conditional copula" of the segment column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.marginals import Marginal

MAX_SEGMENTS = 6
MIN_SEGMENT_ROWS = 30  # a segment needs this many training rows to get its own marginals
MIN_ETA = 0.2  # mean share of the other columns' variance that the segment explains


def eta_squared(codes: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Per latent dimension, the share of its variance between the groups of `codes` (NaN ignored)."""
    frame = pd.DataFrame(matrix)
    frame["_g"] = codes
    total = frame.drop(columns="_g").var(ddof=0)
    means = frame.groupby("_g").transform("mean")
    within = (frame.drop(columns="_g") - means).pow(2).mean()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = 1.0 - (within / total).to_numpy()
    return np.nan_to_num(share, nan=0.0)


def choose_segment(
    specs: list[dict[str, Any]], part: dict[str, Any], rows: pd.DataFrame, matrix: np.ndarray
) -> tuple[str, np.ndarray] | None:
    """(column, each row's value index) of the best segment column, or None to keep one copula.

    `part` and `matrix` are the whole-table fit and its latent scores, used to measure eta squared.
    """
    best: tuple[float, str, np.ndarray] | None = None
    dims = {spec["name"]: (spec["dim"], spec["null_dim"]) for spec in part["columns"]}
    for spec in specs:
        if spec["kind"] not in ("category", "boolean", "discrete") or spec["null_share"] > 0:
            continue
        if not 2 <= len(spec["values"]) <= MAX_SEGMENTS or (spec["rare_rows"] and spec["kind"] != "discrete"):
            continue
        codes = Marginal(spec).codes(rows[spec["name"]])
        if (codes < 0).any() or np.bincount(codes, minlength=len(spec["values"])).min() < MIN_SEGMENT_ROWS:
            continue
        own = [d for d in dims[spec["name"]] if d is not None]
        others = [d for d in range(matrix.shape[1]) if d not in own]
        if not others:
            continue
        score = float(np.mean(eta_squared(codes, matrix[:, others])))
        if score >= MIN_ETA and (best is None or score > best[0]):
            best = (score, spec["name"], codes)
    return None if best is None else (best[1], best[2])
