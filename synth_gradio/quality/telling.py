"""Where a generated column differs from the real one, in words a user can check.

The values of both columns fall into the same buckets and the bucket whose share differs most is named:
- categories, booleans and numbers with a few standard values (at most DISCRETE_MAX distinct real
  values, each seen REPEATS times on average): one bucket per real value, one for values the real
  column never has (a filled-in discrete support), one for missing values;
- other numbers and dates: BINS ranges with equal counts over both columns pooled, so a range where
  generated rows pile up gets its own narrow bucket, and one for missing values.
When at least 99% of real values have d <= 4 decimals and most generated values have more, that is
said too (a uniform draw between 1.5 and 2.5 where the real column holds 1.5, 1.6, ...).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.quality.compare import _as_dates, _kind, category_text

BINS = 20  # continuous columns: 20 ranges of equal pooled counts
DISCRETE_MAX = 50  # a number with at most this many real values, each seen REPEATS times on average,
REPEATS = 5  # is compared value by value (a set of standard values, not a sample of a continuum)
CLEAR_DIFFERENCE = 0.03  # a share difference below this is not worth naming
FINER_SHARE = 0.5  # generated values more precise than the real ones are named from this share
MISSING, UNSEEN = "\x00missing", "\x00unseen"


def where_values_differ(column: str, real: pd.Series, synthetic: pd.Series) -> dict[str, Any]:
    """The category or value range whose share differs most between generated and real rows, as a
    sentence, and the total variation distance between the two columns over those ranges."""
    kind = _kind(real)
    if kind == "datetime":
        real_n, syn_n = _day_numbers(real), _day_numbers(synthetic)
    else:
        real_n, syn_n = pd.to_numeric(real, errors="coerce"), pd.to_numeric(synthetic, errors="coerce")
    numeric = kind != "categorical" and real_n.notna().sum() == real.notna().sum()
    distinct = real_n.nunique()
    if not numeric or (distinct <= DISCRETE_MAX and distinct * REPEATS <= real_n.notna().sum()):
        real_keys, syn_keys, labels = _discrete_keys(real, synthetic)
    else:
        real_keys, syn_keys, labels = _range_keys(real_n, syn_n, kind == "datetime")
    real_share = real_keys.value_counts(normalize=True)
    syn_share = syn_keys.value_counts(normalize=True)
    real_share, syn_share = real_share.align(syn_share, fill_value=0.0)
    difference = (syn_share - real_share).abs()
    key = difference.idxmax()
    where, s, r = labels.get(key, str(key)), float(syn_share[key]), float(real_share[key])
    sentence = f"{column!r} {where}: {_percent(s)} of generated rows, {_percent(r)} of real rows"
    if abs(s - r) < CLEAR_DIFFERENCE:
        sentence = f"{column!r} gives rows away together with other columns; no range of its own values differs much"
    finer = _finer(real_n, syn_n) if numeric and kind != "datetime" else None
    if finer is not None:
        sentence += f"; {_percent(finer[1])} of generated values have more decimals than the real column's {finer[0]}"
    return {
        "column": column,
        "where": where,
        "synthetic_share": round(s, 4),
        "real_share": round(r, 4),
        "total_variation": round(float(difference.sum() / 2), 4),
        "sentence": sentence + ".",
    }


def _finer(real: pd.Series, synthetic: pd.Series) -> tuple[int, float] | None:
    """(d, share of generated values with more than d decimals) when at least 99% of real values have at
    most d <= 4 decimals and at least FINER_SHARE of the generated ones have more."""
    values, generated = real.dropna().to_numpy(dtype=float), synthetic.dropna().to_numpy(dtype=float)
    if not len(values) or not len(generated):
        return None

    def over(x: np.ndarray, d: int) -> np.ndarray:
        return ~np.isclose(x, x.round(d), rtol=0, atol=1e-9)

    places = next((d for d in range(5) if over(values, d).mean() <= 0.01), None)
    if places is None:
        return None
    share = float(over(generated, places).mean())
    return (places, share) if share >= FINER_SHARE else None


def _day_numbers(series: pd.Series) -> pd.Series:
    dates = _as_dates(series)
    days = dates.to_numpy().astype("datetime64[ns]").astype("int64") / 86_400e9
    return pd.Series(days, index=series.index).where(dates.notna())


def _discrete_keys(real: pd.Series, synthetic: pd.Series) -> tuple[pd.Series, pd.Series, dict[str, str]]:
    real_keys = category_text(real).fillna(MISSING)
    syn_keys = category_text(synthetic).fillna(MISSING)
    seen = set(real_keys)
    syn_keys = syn_keys.where(syn_keys.isin(seen), UNSEEN)
    labels = {MISSING: "is missing", UNSEEN: f"takes a value the real column never has ({len(seen)} distinct)"}
    numeric = pd.api.types.is_numeric_dtype(real) and not pd.api.types.is_bool_dtype(real)
    for key in seen - {MISSING}:
        labels[key] = f"= {_number(float(key))}" if numeric else f"= {key!r}"
    return real_keys, syn_keys, labels


def _range_keys(real: pd.Series, synthetic: pd.Series, dates: bool) -> tuple[pd.Series, pd.Series, dict[str, str]]:
    pooled = pd.concat([real, synthetic]).dropna().to_numpy(dtype=float)
    edges = np.unique(np.quantile(pooled, np.linspace(0, 1, BINS + 1)))
    show = _date if dates else _number
    labels = {MISSING: "is missing"}
    for i in range(max(1, len(edges) - 1)):
        hi = edges[min(i + 1, len(edges) - 1)]
        labels[str(i)] = f"from {show(edges[i])} to {show(hi)}"

    def keys(values: pd.Series) -> pd.Series:
        index = np.clip(np.searchsorted(edges, values.to_numpy(dtype=float), side="right") - 1, 0, len(labels) - 2)
        return pd.Series(index.astype(str), index=values.index).where(values.notna(), MISSING)

    return keys(real), keys(synthetic), labels


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:.4g}"


def _date(days: float) -> str:
    return str((pd.Timestamp(0) + pd.Timedelta(days=float(days))).date())


def _percent(share: float) -> str:
    return "0%" if share == 0 else "<1%" if share < 0.005 else f"{share:.0%}"
