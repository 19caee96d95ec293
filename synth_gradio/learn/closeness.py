"""How close drawn rows sit to training rows, against how close unseen real rows sit to them.

Why: a model with small leaves can retrace real rows: each column drawn near the value of one
person, given the columns drawn near theirs before. Exact copies are caught by the digest guard
(privacy.py); near copies are caught here, at fit time, so the stored model is private by
construction rather than filtered against data it must not keep.

Distance, as the quality report and SDMetrics measure it: numbers and dates as |difference| over
the training range, a mismatch (0 or 1) for categories, 1 when exactly one side is null; a row's
distance is the mean over columns to its nearest training row. A drawn row is "too close" below
the 5th percentile of how close real rows sit to the training rows they are not: the holdout rows'
distances, and training rows' distances to the nearest other, different training row (how close
real people sit to each other). Both are unseen by the row they measure, and together they draw the
line through several times more rows than the holdout alone (a 5% line through 100 rows is itself
uncertain by about 2%, and a model let through on that margin sits closer than the holdout does).
A model passes when its share is no higher than 5%, within that line's remaining noise. Exact
copies (distance 0) are left out: the digest guard redraws them.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.marginals import Marginal, to_seconds

QUANTILE = 0.05
BASE_ROWS = (
    10_000  # training rows searched: a near-copy is only seen if its source row is searched (as quality/holdout.py)
)
PROBE_ROWS = 1500  # holdout rows measured, at most, and as many training rows to their nearest other
DRAWN_ROWS = 5000  # drawn rows measured: a 5% share of 1,500 is uncertain by 0.6 points, more than
# the margin, so a model as close as the holdout failed at random and its leaves were widened 64-fold
MARGIN = 0.005  # sampling noise allowed above the holdout's own share (or 5%, if that is lower) ...
Z = 1.64  # ... or this many standard errors of a 5% share measured on the unseen rows, if more


def scaled(spec: dict[str, Any], series: pd.Series) -> np.ndarray:
    """A column as numbers: over the training range for numbers and dates, value codes for categories."""
    if spec["kind"] in ("category", "boolean"):
        codes = Marginal(spec).codes(series).astype(float)
        unknown = np.flatnonzero((codes < 0) & series.notna().to_numpy())
        values = series.iloc[unknown].astype(str).tolist()  # a value the model does not keep (rare in
        codes[unknown] = [-1.0 - zlib.crc32(v.encode()) for v in values]  # training) matches itself only
        return np.where(series.isna().to_numpy(), np.nan, codes)
    if spec["kind"] == "datetime":
        numbers = to_seconds(series, spec["format"])
    else:
        numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    known = np.asarray(spec["quantiles"] if "quantiles" in spec else spec["values"], dtype=float)
    span = float(known.max() - known.min()) or 1.0
    return (numbers - known.min()) / span


def encode(specs: list[dict[str, Any]], frame: pd.DataFrame) -> np.ndarray:
    return np.column_stack([scaled(spec, frame[spec["name"]].reset_index(drop=True)) for spec in specs])


def nearest(base: np.ndarray, rows: np.ndarray, category: np.ndarray, *, others: bool = False) -> np.ndarray:
    """Each row's mean per-column distance to its nearest base row.

    Summed column by column over a (rows x base) block in float32: twenty passes over a 2-D array
    are several times faster than one pass over a 3-D one, and hold a thousandth of the memory;
    nulls are looked at only in the columns that have them. `others`: the nearest base row that
    differs (rows taken from the base are not their own nearest, nor is an identical row).
    """
    out = np.empty(len(rows))
    base = base.astype(np.float32)
    step = max(1, 4_000_000 // max(1, len(base)))
    base_nan = np.isnan(base)
    for start in range(0, len(rows), step):
        block = rows[start : start + step].astype(np.float32)
        block_nan = np.isnan(block)
        total = np.zeros((len(block), len(base)), dtype=np.float32)
        for j in range(base.shape[1]):
            a, b = block[:, j, None], base[None, :, j]
            diff = (a != b).astype(np.float32) if category[j] else np.abs(a - b)
            if block_nan[:, j].any() or base_nan[:, j].any():
                one_null = block_nan[:, j, None] ^ base_nan[None, :, j]
                both_null = block_nan[:, j, None] & base_nan[None, :, j]
                diff = np.where(one_null, np.float32(1), np.where(both_null, np.float32(0), diff))
            total += diff
        if others:
            total[total == 0] = np.inf
        out[start : start + step] = total.min(axis=1) / base.shape[1]
    return out


class CloseCheck:
    """The holdout's own distances to the training rows, measured once; `check` measures drawn rows."""

    def __init__(self, specs: list[dict[str, Any]], train: pd.DataFrame, holdout: pd.DataFrame, seed: int) -> None:
        rng = np.random.default_rng(seed)
        if len(train) > BASE_ROWS:
            train = train.iloc[np.sort(rng.choice(len(train), BASE_ROWS, replace=False))]
        if len(holdout) > PROBE_ROWS:
            holdout = holdout.iloc[np.sort(rng.choice(len(holdout), PROBE_ROWS, replace=False))]
        self.specs = specs
        self.category = np.array([spec["kind"] in ("category", "boolean") for spec in specs])
        self.base = encode(specs, train)
        self.held = nearest(self.base, encode(specs, holdout), self.category, others=True)
        probe = self.base[np.sort(rng.choice(len(self.base), min(PROBE_ROWS, len(self.base)), replace=False))]
        self.unseen = np.r_[self.held, nearest(self.base, probe, self.category, others=True)]
        self.unseen = self.unseen[np.isfinite(self.unseen)]
        self.line = float(np.quantile(self.unseen, QUANTILE))

    def check(self, drawn: pd.DataFrame) -> dict[str, Any]:
        """The drawn rows' too-close share beside the holdout's own, and whether the model passes."""
        near = nearest(self.base, encode(self.specs, drawn.head(DRAWN_ROWS)), self.category)
        near = near[near > 1e-12]
        drawn_share = float(np.mean(near < self.line)) if len(near) else 0.0
        held_share = float(np.mean(self.held < self.line))
        noise = Z * np.sqrt(QUANTILE * (1 - QUANTILE) / len(self.unseen))
        allowed = min(held_share, QUANTILE) + max(MARGIN, noise)
        return {
            "drawn": round(drawn_share, 4),
            "holdout": round(held_share, 4),
            "allowed": round(float(allowed), 4),
            "passes": bool(drawn_share <= allowed),
        }
