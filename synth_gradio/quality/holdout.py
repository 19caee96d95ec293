"""Holdout split and privacy measured against real rows the generator should not know better than chance.

Distance to closest record (DCR): mean over columns of |difference| / training range for numbers and
0/1 for categories, to the nearest training row. Real unseen (holdout) rows give the baseline: a
synthetic row is "too close" when its DCR is below the 5th percentile of the holdout rows' DCRs.
Holdout rows fall below that line 5% of the time by construction, so a generator that neither copies
nor memorises does too; one that copies or lightly perturbs training rows falls below far more often.

Privacy score = min(copies part, closeness part), in [0, 1]:
- copies part = max(0, 1 - 10 * exact copy rate): 1% copied rows cost a tenth, 10% cost everything;
- closeness part = 1 - max(0, too-close share - 0.05) / 0.95: only the excess over chance counts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.quality.compare import _as_dates, _encode, _kind

HOLDOUT_MODULO = 5  # a row whose content hash is 0 mod 5 is held out: about 20%
BASELINE_QUANTILE = 0.05
COPY_PENALTY = 10.0
DCR_SAMPLE = 1000  # synthetic and holdout rows measured: enough to estimate a rate
DCR_BASE = 10_000  # training rows searched: a near-copy is only seen if its source row is searched
MIN_ROWS = 10


def split_holdout(reference: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """80/20 by a hash of each row's content: the same table always splits the same way, and a
    duplicated row lands on one side only. Tiny tables fall back to the lowest 20% of hashes."""
    if len(reference) < MIN_ROWS:
        raise InputError(f"the reference has {len(reference)} rows; a realism score needs at least {MIN_ROWS}")
    hashes = pd.util.hash_pandas_object(reference, index=False).to_numpy()
    held = hashes % HOLDOUT_MODULO == 0
    if not held.any() or held.all():
        order = np.argsort(hashes, kind="stable")
        held = np.zeros(len(reference), dtype=bool)
        held[order[: max(1, round(len(reference) / HOLDOUT_MODULO))]] = True
    return reference[~held].reset_index(drop=True), reference[held].reset_index(drop=True)


def row_keys(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """One text key per row; numbers normalised so 5, 5.0 and "5" from a CSV compare equal."""
    parts = []
    for col in columns:
        nums = pd.to_numeric(frame[col], errors="coerce")
        if nums.notna().sum() == frame[col].notna().sum() and not pd.api.types.is_bool_dtype(frame[col]):
            parts.append(nums.astype(float).round(9).map(repr))
        else:
            parts.append(frame[col].astype(str))
    return pd.concat(parts, axis=1).agg("\x1f".join, axis=1)


def nearest_distances(base: np.ndarray, rows: np.ndarray, is_cat: np.ndarray, *, others: bool = False) -> np.ndarray:
    """Each row's distance to its closest base row: numbers as float32 |differences|, categories as
    mismatches, in blocks that stay under ~32 MB per intermediate array."""
    numbers_base, numbers_rows = base[:, ~is_cat].astype(np.float32), rows[:, ~is_cat].astype(np.float32)
    codes_base, codes_rows = base[:, is_cat], rows[:, is_cat]
    out = np.empty(len(rows))
    step = max(1, int(8_000_000 // max(1, base.size)))
    for start in range(0, len(rows), step):
        block = slice(start, start + step)
        total = np.zeros((len(rows[block]), len(base)), dtype=np.float32)
        if numbers_base.shape[1]:
            total += np.abs(numbers_rows[block, None, :] - numbers_base[None, :, :]).sum(axis=2, dtype=np.float32)
        if codes_base.shape[1]:
            total += (codes_rows[block, None, :] != codes_base[None, :, :]).sum(axis=2)
        if others:  # the nearest row that differs: an identical real row is another person, not a near one
            total[total == 0] = np.inf
        out[block] = total.min(axis=1) / base.shape[1]
    return out


def _comparable(frames: list[pd.DataFrame], columns: list[str]) -> list[pd.DataFrame]:
    """Date columns (judged on the first frame) as day numbers, so a date one day off is near."""
    out = [f[columns].copy() for f in frames]
    for col in columns:
        if _kind(out[0][col]) != "datetime":
            continue
        for frame in out:
            dates = _as_dates(frame[col])
            days = dates.to_numpy().astype("datetime64[ns]").astype("int64") / 86_400e9
            frame[col] = pd.Series(days, index=frame.index).where(dates.notna())
    return out


def _sample(frame: pd.DataFrame, seed: int, limit: int = DCR_SAMPLE) -> pd.DataFrame:
    return frame.sample(limit, random_state=seed) if len(frame) > limit else frame


def holdout_privacy(
    reference: pd.DataFrame,
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    synthetic: pd.DataFrame,
    columns: list[str],
    seed: int = 0,
) -> dict[str, Any]:
    """Exact copies of reference rows, and DCR(synthetic -> train) against DCR(holdout -> train)."""
    copies = int(row_keys(synthetic, columns).isin(set(row_keys(reference, columns))).sum())
    copy_rate = copies / max(1, len(synthetic))
    samples = [_sample(train, seed, DCR_BASE), _sample(synthetic, seed), _sample(holdout, seed)]
    tr, syn, ho = _comparable(samples, columns)
    base, rest, is_cat = _encode(tr, pd.concat([syn, ho]), columns)
    dcr_syn = nearest_distances(base, rest[: len(syn)], is_cat)
    dcr_ho = nearest_distances(base, rest[len(syn) :], is_cat, others=True)  # a split may part identical rows
    dcr_ho = np.where(np.isfinite(dcr_ho), dcr_ho, 1.0)
    threshold = float(np.quantile(dcr_ho, BASELINE_QUANTILE))
    close = int((dcr_syn < threshold).sum())
    close_share = close / max(1, len(dcr_syn))
    closeness = 1 - max(0.0, close_share - BASELINE_QUANTILE) / (1 - BASELINE_QUANTILE)
    copies_part = max(0.0, 1 - COPY_PENALTY * copy_rate)
    median_ho = float(np.median(dcr_ho))
    return {
        "score": round(min(copies_part, closeness), 4),
        "exact_copies": copies,
        "exact_copy_rate": round(copy_rate, 4),
        "dcr_synthetic": _summary(dcr_syn),
        "dcr_holdout": _summary(dcr_ho),
        "dcr_median_ratio": round(float(np.median(dcr_syn)) / median_ho, 4) if median_ho > 0 else None,
        "too_close_threshold": round(threshold, 6),
        "rows_too_close": close,
        "rows_too_close_rate": round(close_share, 4),
        "expected_too_close_rate": BASELINE_QUANTILE,
        "rows_compared": {"synthetic": len(syn), "train": len(tr), "holdout": len(ho)},
    }


def _summary(dcr: np.ndarray) -> dict[str, float]:
    return {
        "min": round(float(dcr.min()), 6),
        "p5": round(float(np.quantile(dcr, 0.05)), 6),
        "median": round(float(np.median(dcr)), 6),
    }
