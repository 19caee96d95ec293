"""Shared helpers for the learn tests: real tables, a fidelity measure and the old column-by-column draw.

The fidelity measure follows SDMetrics' definitions (KS and TV complements for column shapes,
correlation similarity for numeric pairs, contingency similarity on shared bins for pairs with a
category) but runs in milliseconds; one test checks the real SDMetrics report as an oracle.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations

import numpy as np
import pandas as pd


@cache
def sklearn_table(name: str) -> pd.DataFrame:
    """One of sklearn's bundled real tables, with a class label as a string category."""
    from sklearn import datasets

    extra = {"scaled": False} if name == "diabetes" else {}
    frame = getattr(datasets, f"load_{name}")(as_frame=True, **extra).frame
    if name != "diabetes":
        frame["target"] = frame["target"].map(lambda t: f"class_{t}")
    return frame


def is_category(series: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)


def shape_score(real: pd.Series, synthetic: pd.Series) -> float:
    """KS complement for numbers, TV complement for categories (nulls left out)."""
    real, synthetic = real.dropna(), synthetic.dropna()
    if is_category(real):
        p = real.astype(str).value_counts(normalize=True)
        q = synthetic.astype(str).value_counts(normalize=True)
        return 1 - 0.5 * float(p.subtract(q, fill_value=0).abs().sum())
    a, b = np.sort(real.to_numpy(float)), np.sort(synthetic.to_numpy(float))
    grid = np.concatenate([a, b])
    gap = np.abs(np.searchsorted(a, grid, side="right") / len(a) - np.searchsorted(b, grid, side="right") / len(b))
    return float(1 - gap.max())


def _binned(real: pd.Series, synthetic: pd.Series) -> tuple[pd.Series, pd.Series]:
    if is_category(real):
        return real.astype(str), synthetic.astype(str)
    edges = np.unique(np.quantile(real.dropna().to_numpy(float), np.linspace(0, 1, 6)[1:-1]))
    return (
        pd.Series(np.searchsorted(edges, real.to_numpy(float))),
        pd.Series(np.searchsorted(edges, synthetic.to_numpy(float))),
    )


def pair_score(real: pd.DataFrame, synthetic: pd.DataFrame, a: str, b: str) -> float:
    """Correlation similarity for two numbers; contingency similarity on shared bins otherwise."""
    if not is_category(real[a]) and not is_category(real[b]):
        r = real[a].corr(real[b])
        s = synthetic[a].astype(float).corr(synthetic[b].astype(float))
        return 1 - abs(r - s) / 2
    ra, sa = _binned(real[a], synthetic[a])
    rb, sb = _binned(real[b], synthetic[b])
    p = pd.crosstab(ra.to_numpy(), rb.to_numpy(), normalize=True).stack()
    q = pd.crosstab(sa.to_numpy(), sb.to_numpy(), normalize=True).stack()
    return 1 - 0.5 * float(p.subtract(q, fill_value=0).abs().sum())


def fidelity(real: pd.DataFrame, synthetic: pd.DataFrame) -> dict[str, float]:
    """Mean column-shape score, mean pair score and their average, like SDMetrics' overall."""
    shapes = float(np.mean([shape_score(real[c], synthetic[c]) for c in real.columns]))
    pairs = float(np.mean([pair_score(real, synthetic, a, b) for a, b in combinations(real.columns, 2)]))
    return {"shapes": shapes, "pairs": pairs, "overall": (shapes + pairs) / 2}


def column_by_column(real: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """What the product did before learning: each column uniform in its range or over its categories."""
    rng = np.random.default_rng(seed)
    out = {}
    for name in real.columns:
        values = real[name].dropna()
        if is_category(values):
            out[name] = rng.choice(values.unique(), n)
        else:
            drawn = rng.uniform(values.min(), values.max(), n)
            out[name] = np.round(drawn) if (values % 1 == 0).all() else drawn
    return pd.DataFrame(out)


def as_frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Sampled records as a frame, numbers as floats (None becomes NaN)."""
    frame = pd.DataFrame(rows, columns=columns)
    for name in columns:
        if frame[name].map(lambda v: (isinstance(v, int | float) and not isinstance(v, bool)) or v is None).all():
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def row_keys(frame: pd.DataFrame) -> set[tuple]:
    """Rows as comparable tuples (numbers as floats, nulls as None), for independent copy checks."""

    def key(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, bool | np.bool_):
            return bool(v)
        if isinstance(v, int | float | np.integer | np.floating):
            return round(float(v), 9)
        return str(v)

    return {tuple(key(v) for v in row) for row in frame.itertuples(index=False, name=None)}
