"""Generated data against the user's reference data: column shapes, pair trends and privacy.

Column shapes follow SDMetrics' definitions exactly (a test checks agreement to 1e-6):
- KSComplement (numbers, dates): 1 - the two-sample Kolmogorov-Smirnov D statistic, on values
  rounded to 14 decimals, nulls dropped;
- TVComplement (categories): 1 - 0.5 * sum |f_synthetic - f_real| over the real categories, where
  synthetic-only categories join the real ones with a 1e-6 regularising count.
A categorical column whose values are nearly all distinct (an id, a code, a sentence) departs from
SDMetrics, which is told by its metadata to skip ids: new values never equal real ones, and should
not, so it is compared by its values' forms ("A999999") or, for texts, by their lengths. Times of
day ("22:05") are compared as times.
Pair trends: correlation similarity 1 - |r_real - r_syn| / 2 (Pearson) for numeric pairs, and
contingency similarity 1 - 0.5 * sum |p_real(a,b) - p_syn(a,b)| for categorical pairs.
Privacy: the share of generated rows that exactly copy a reference row, and each generated row's
distance to the closest reference row (numbers scaled by the reference range, categories 0/1).
"""

from __future__ import annotations

import sys
from collections import Counter
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.quality.reference import matching_columns

MAX_DECIMALS = sys.float_info.dig - 1
MAX_PAIRS = 45  # contingency tables cost the most; numeric pairs come from one correlation matrix
MAX_CATEGORIES = 50  # contingency tables of identifier-like columns say nothing and cost a lot
DCR_SAMPLE = 2000


def ks_complement(real: pd.Series, synthetic: pd.Series) -> float:
    real = pd.Series(real).dropna()
    synthetic = pd.Series(synthetic).dropna()
    if pd.api.types.is_datetime64_any_dtype(real):
        real, synthetic = pd.to_numeric(real), pd.to_numeric(synthetic)
    a = np.sort(real.astype(float).round(MAX_DECIMALS).to_numpy())
    b = np.sort(synthetic.astype(float).round(MAX_DECIMALS).to_numpy())
    if not len(a) or not len(b):
        return float("nan")
    points = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, points, side="right") / len(a)
    cdf_b = np.searchsorted(b, points, side="right") / len(b)
    return float(1 - np.max(np.abs(cdf_a - cdf_b)))


def tv_complement(real: pd.Series, synthetic: pd.Series) -> float:
    real_counts = Counter(pd.Series(real).dropna())
    syn_counts = Counter(pd.Series(synthetic).dropna())
    if not real_counts or not syn_counts:
        return float("nan")
    for value in syn_counts:
        if value not in real_counts:
            real_counts[value] += 1e-6
    syn_total, real_total = sum(syn_counts.values()), sum(real_counts.values())
    total_variation = sum(abs(syn_counts[v] / syn_total - real_counts[v] / real_total) for v in real_counts)
    return 1 - 0.5 * total_variation


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "categorical"
    if pd.api.types.is_numeric_dtype(series):
        return "numerical" if series.nunique() > 10 else "categorical"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    head = series.dropna().head(50).map(str)
    parsed = pd.to_datetime(head, errors="coerce", format="ISO8601")
    if len(parsed) and (parsed.notna().all() or head.str.fullmatch(TIME).all()):
        return "datetime"
    return "categorical"


TIME = r"\d{1,2}:\d{2}(:\d{2})?"  # a time of day, compared as a time ("22:05" is near "22:10")


def _as_dates(series: pd.Series) -> pd.Series:
    """Dates from ISO text, or times of day (on one day); numpy strings (a frame built in code) are
    made plain first, which pandas' parser needs (it raises TypeError on numpy.str_)."""
    text = series.map(lambda v: str(v) if isinstance(v, str) else v)
    times = text.dropna().astype(str)
    if len(times) and times.str.fullmatch(TIME).all():
        text = text.map(lambda v: f"2000-01-01T{'0' * (v[1] == ':')}{v}" if isinstance(v, str) else v)  # 6:05
    return pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True).dt.tz_localize(None)


CODE_SHARE = 0.9  # of a categorical column's values distinct: a code or a text, compared by its form
CODE_ROWS = 20


def _forms(series: pd.Series) -> pd.Series:
    """Each value's form: capitals as A, small letters as a, digits as 9 ("T100482" -> "A999999")."""
    text = series.dropna().astype(str)
    return (
        text.str.replace(r"[A-Z]", "A", regex=True)
        .str.replace(r"[a-z]", "a", regex=True)
        .str.replace(r"[0-9]", "9", regex=True)
    )


def _all_but_unique(series: pd.Series) -> bool:
    values = series.dropna()
    return len(values) >= CODE_ROWS and values.astype(str).nunique() >= CODE_SHARE * len(values)


def _unique_shape(real: pd.Series, syn: pd.Series) -> tuple[float, str]:
    """A column whose every value is new (an id, a code, a sentence) by its form or its length:
    new values never equal real ones, and should not, so their categories' shares say nothing."""
    text = real.dropna().astype(str)
    if text.str.contains(r"\s").mean() >= 0.5:  # words: a text, by its length
        lengths = [s.dropna().astype(str).str.len() for s in (real, syn)]
        return ks_complement(*lengths), "KSComplement (length)"
    return tv_complement(_forms(real), _forms(syn)), "TVComplement (form)"


def category_text(series: pd.Series) -> pd.Series:
    """Categories as text, nulls kept; an all-numeric column as floats so 1, 1.0 and "1" are one category."""
    numeric = pd.to_numeric(series, errors="coerce")
    if not pd.api.types.is_bool_dtype(series) and numeric.notna().sum() == series.notna().sum():
        return numeric.map(lambda v: repr(float(v))).where(numeric.notna())
    return series.astype(str).where(series.notna())


def _cells(series: pd.Series) -> pd.Series:
    return category_text(series).fillna("<null>")  # a missing value is a cell of its own


def column_shapes(reference: pd.DataFrame, generated: pd.DataFrame, columns: list[str]) -> dict[str, dict[str, Any]]:
    out = {}
    for col in columns:
        kind = _kind(reference[col])
        real, syn = reference[col], generated[col]
        if kind == "datetime":
            score, metric = ks_complement(_as_dates(real), _as_dates(syn)), "KSComplement"
        elif kind == "numerical":
            score, metric = (
                ks_complement(pd.to_numeric(real, errors="coerce"), pd.to_numeric(syn, errors="coerce")),
                "KSComplement",
            )
        elif _all_but_unique(real):
            score, metric = _unique_shape(real, syn)
        else:
            score, metric = tv_complement(category_text(real), category_text(syn)), "TVComplement"
        out[col] = {"kind": kind, "metric": metric, "score": round(score, 6) if score == score else None}
    return out


def _correlations(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Pearson correlations of all numeric pairs at once (pairwise complete, as Series.corr)."""
    return frame[columns].apply(pd.to_numeric, errors="coerce").astype(float).corr()


def pair_trends(
    reference: pd.DataFrame, generated: pd.DataFrame, shapes: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every numeric pair (one correlation matrix, cheap) and the first MAX_PAIRS categorical pairs."""
    out: list[dict[str, Any]] = []
    numeric = [c for c, s in shapes.items() if s["kind"] == "numerical"]
    real_corr = _correlations(reference, numeric) if len(numeric) > 1 else None
    syn_corr = _correlations(generated, numeric) if len(numeric) > 1 else None
    categorical_pairs = 0
    for a, b in combinations(shapes, 2):
        ka, kb = shapes[a]["kind"], shapes[b]["kind"]
        if ka == kb == "numerical" and real_corr is not None and syn_corr is not None:
            r_real, r_syn = real_corr.loc[a, b], syn_corr.loc[a, b]
            if pd.isna(r_real) or pd.isna(r_syn):
                continue
            out.append(
                {"columns": [a, b], "metric": "CorrelationSimilarity", "score": round(1 - abs(r_real - r_syn) / 2, 6)}
            )
        elif (
            ka == kb == "categorical"
            and categorical_pairs < MAX_PAIRS
            and max(reference[a].nunique(), reference[b].nunique()) <= MAX_CATEGORIES
        ):
            categorical_pairs += 1
            real = pd.crosstab(_cells(reference[a]), _cells(reference[b]), normalize=True)
            syn = pd.crosstab(_cells(generated[a]), _cells(generated[b]), normalize=True)
            real, syn = real.align(syn, fill_value=0)
            out.append(
                {
                    "columns": [a, b],
                    "metric": "ContingencySimilarity",
                    "score": round(float(1 - 0.5 * np.abs(real - syn).to_numpy().sum()), 6),
                }
            )
    return out


def _encode(
    reference: pd.DataFrame, generated: pd.DataFrame, columns: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numeric matrices for distance: numbers scaled by the reference range, categories as codes."""
    ref_cols, gen_cols, is_cat = [], [], []
    for col in columns:
        real = pd.to_numeric(reference[col], errors="coerce")
        if real.notna().mean() > 0.9 and not pd.api.types.is_bool_dtype(reference[col]):
            span = float(real.max() - real.min()) or 1.0
            ref_cols.append((real.fillna(real.median()) / span).to_numpy())
            gen_cols.append((pd.to_numeric(generated[col], errors="coerce").fillna(real.median()) / span).to_numpy())
            is_cat.append(False)
        else:
            cats = {v: i for i, v in enumerate(pd.concat([reference[col], generated[col]]).astype(str).unique())}
            ref_cols.append(reference[col].astype(str).map(cats).to_numpy(dtype=float))
            gen_cols.append(generated[col].astype(str).map(cats).to_numpy(dtype=float))
            is_cat.append(True)
    return np.column_stack(ref_cols), np.column_stack(gen_cols), np.asarray(is_cat)


def privacy(reference: pd.DataFrame, generated: pd.DataFrame, columns: list[str]) -> dict[str, Any]:
    ref_keys = set(reference[columns].astype(str).agg("\x1f".join, axis=1))
    gen_keys = generated[columns].astype(str).agg("\x1f".join, axis=1)
    copies = int(gen_keys.isin(ref_keys).sum())
    ref = reference.sample(min(len(reference), DCR_SAMPLE), random_state=0)
    gen = generated.sample(min(len(generated), DCR_SAMPLE), random_state=0)
    r, g, is_cat = _encode(ref, gen, columns)
    dcr = np.empty(len(g))
    for start in range(0, len(g), 256):
        block = g[start : start + 256]
        diff = np.abs(block[:, None, :] - r[None, :, :])
        diff[:, :, is_cat] = (diff[:, :, is_cat] > 0).astype(float)
        dcr[start : start + 256] = diff.mean(axis=2).min(axis=1)
    # Baseline: how close reference rows sit to each other (leave-one-out), to judge "too close".
    rr = np.abs(r[:500, None, :] - r[None, :, :])
    rr[:, :, is_cat] = (rr[:, :, is_cat] > 0).astype(float)
    rr = rr.mean(axis=2)
    np.fill_diagonal(rr[:, : min(500, len(r))], np.inf)
    baseline = float(np.quantile(rr.min(axis=1), 0.05)) if len(r) > 1 else 0.0
    flagged = int((dcr < baseline).sum()) if baseline > 0 else int((dcr == 0).sum())
    return {
        "exact_copies": copies,
        "exact_copy_rate": round(copies / max(1, len(generated)), 4),
        "dcr": {
            "min": round(float(dcr.min()), 4),
            "p5": round(float(np.quantile(dcr, 0.05)), 4),
            "median": round(float(np.median(dcr)), 4),
        },
        "too_close_threshold": round(baseline, 4),
        "rows_too_close": flagged,
        "rows_too_close_rate": round(flagged / max(1, len(gen)), 4),
    }


def fidelity(
    reference: pd.DataFrame, generated: pd.DataFrame, columns: list[str]
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], float, float]:
    """(column shapes, pair trends, mean shape score, mean pair score), as SDMetrics defines them."""
    shapes = column_shapes(reference, generated, columns)
    trends = pair_trends(reference, generated, shapes)
    shape_scores = [s["score"] for s in shapes.values() if s["score"] is not None]
    trend_scores = [t["score"] for t in trends]
    shape_mean = float(np.mean(shape_scores)) if shape_scores else 0.0
    trend_mean = float(np.mean(trend_scores)) if trend_scores else shape_mean
    return shapes, trends, shape_mean, trend_mean


def overall_similarity(shape_mean: float, trend_mean: float) -> dict[str, float]:
    """The similarity summary: mean column shape, mean pair trend, and their average on 0-100."""
    return {
        "column_shapes": round(shape_mean, 4),
        "column_pair_trends": round(trend_mean, 4),
        "score": round(100 * (shape_mean + trend_mean) / 2, 1),
    }


def compare_reference(reference: pd.DataFrame, generated: pd.DataFrame) -> dict[str, Any]:
    columns = matching_columns(reference, generated)
    missing = [c for c in reference.columns if c not in columns]
    shapes, trends, shape_mean, trend_mean = fidelity(reference, generated, columns)
    return {
        "columns": columns,
        "reference_only_columns": missing,
        "column_shapes": shapes,
        "column_pair_trends": trends,
        "overall": overall_similarity(shape_mean, trend_mean),
        "privacy": privacy(reference, generated, columns),
    }
