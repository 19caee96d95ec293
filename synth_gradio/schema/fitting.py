"""A column's marginal as an editable x-distribution, for schemas inferred from a file.

Categories get their observed shares as weights. Numbers and dates get the candidate kind that
fits best by the Kolmogorov-Smirnov distance (the largest gap between the data's empirical CDF and
the candidate's CDF): uniform, normal, for positive data lognormal and exponential, and poisson for
counts (whole numbers whose variance is near their mean). The
numbers are rounded to 3 significant digits so the user reads and edits "median 61200", not
61234.5678. The draws are truncated to the column's observed range, as the inferred bounds say.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.schema.distributions.math import cdf, poisson_table
from synth_gradio.schema.distributions.space import EPOCH, text_key

MAX_FIT_VALUES = 5000
_SIG = 3


def sig(x: float, digits: int = _SIG) -> int | float:
    """x rounded to `digits` significant digits; whole numbers come back as int."""
    if x == 0 or not math.isfinite(x):
        return 0
    value = round(x, digits - 1 - math.floor(math.log10(abs(x))))
    return int(value) if float(value).is_integer() else value


def categorical(values: pd.Series) -> dict[str, Any]:
    """Observed shares (of the non-null values), rounded to 3 decimals, never rounded to 0."""
    shares = values.value_counts(normalize=True)
    weights = {text_key(_plain(v)): max(0.001, round(float(s), 3)) for v, s in shares.items()}
    return {"kind": "categorical", "weights": dict(sorted(weights.items()))}


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _cdf_at(kind: str, p: dict[str, float], xs: np.ndarray) -> np.ndarray:
    if kind == "poisson":  # one table for all points instead of one per point
        values, cum = poisson_table(p["lam"], 0, float(xs.max()) + 1)
        return np.interp(np.floor(xs), values, cum, left=0.0, right=cum[-1]) if values else np.zeros(len(xs))
    return np.array([cdf(kind, p, x) for x in xs])


def _ks(data: np.ndarray, kind: str, p: dict[str, float], grid: bool) -> float:
    """Kolmogorov-Smirnov distance; on integer data the CDF is read at the cell edges."""
    n = len(data)
    lower = np.arange(n) / n
    upper = np.arange(1, n + 1) / n
    half = 0.5 if grid else 0.0
    below = _cdf_at(kind, p, data - half)
    above = _cdf_at(kind, p, data + half)
    return float(max(np.max(np.abs(upper - above)), np.max(np.abs(lower - below))))


def _candidates(data: np.ndarray, grid: bool) -> list[tuple[str, dict[str, float]]]:
    lo, hi = float(data.min()), float(data.max())
    out: list[tuple[str, dict[str, float]]] = [("uniform", {"low": lo, "high": hi})]
    std = float(data.std())
    if std > 0:
        out.append(("normal", {"mean": float(data.mean()), "std": std}))
    if lo > 0:
        logs = np.log(data)
        if float(logs.std()) > 0:
            out.append(("lognormal", {"median": float(np.exp(logs.mean())), "sigma": float(logs.std())}))
    if lo >= 0 and float(data.mean()) > lo:
        out.append(("exponential", {"scale": float(data.mean()) - lo, "loc": lo}))
    mean = float(data.mean())
    if grid and lo >= 0 and 0 < mean <= 1000 and 0.5 <= std * std / mean <= 2:  # counts
        out.append(("poisson", {"lam": mean}))
    return out


def best_fit(data: np.ndarray, grid: bool, seed: int = 0) -> tuple[str, dict[str, float]] | None:
    """The candidate kind with the smallest KS distance, with its (unrounded) parameters."""
    data = np.sort(data.astype(float))
    if len(data) < 2 or data[0] == data[-1]:
        return None
    if len(data) > MAX_FIT_VALUES:
        data = np.sort(np.random.default_rng(seed).choice(data, MAX_FIT_VALUES, replace=False))
    scored = [(_ks(data, kind, p, grid), i, kind, p) for i, (kind, p) in enumerate(_candidates(data, grid))]
    _, _, kind, p = min(scored)
    return kind, p


def numeric(values: pd.Series, integer: bool) -> dict[str, Any] | None:
    """A fitted kind for a numeric column; parameters rounded, uniform left to the field's bounds."""
    fit = best_fit(values.to_numpy(dtype=float), grid=integer)
    if fit is None:
        return None
    kind, p = fit
    out: dict[str, Any] = {"kind": kind}
    if kind != "uniform":
        out.update({k: sig(v) for k, v in p.items() if k != "loc"})
        if kind == "exponential" and p["loc"] != 0:
            out["loc"] = sig(p["loc"], 6)
    if not integer:
        out["decimals"] = _decimals(values)
    return out


def _decimals(values: pd.Series) -> int:
    """The fewest decimals (up to 6) that write 95% of the values exactly."""
    sample = values.head(2000).to_numpy(dtype=float)
    for d in range(7):
        if np.mean(np.abs(np.round(sample, d) - sample) < 1e-9) >= 0.95:
            return d
    return 6


def temporal(texts: pd.Series, fmt: str) -> dict[str, Any] | None:
    """Uniform or normal over time, with the observed first and last moment as low/high."""
    moments = pd.to_datetime(texts, utc=True, errors="coerce", format="ISO8601").dropna()
    if moments.empty:
        return None
    seconds = (moments.dt.tz_localize(None) - pd.Timestamp(EPOCH)).dt.total_seconds().to_numpy()
    unit = 86400.0 if fmt == "date" else 1.0
    fit = best_fit(seconds / unit, grid=fmt == "date")
    if fit is None:
        return None
    kind, p = fit
    if kind not in ("uniform", "normal"):
        kind, p = "normal", {"mean": float(np.mean(seconds / unit)), "std": float(np.std(seconds / unit))}
    show = _iso(fmt, unit)
    out: dict[str, Any] = {"kind": kind}
    if kind == "normal":
        out.update(mean=show(p["mean"]), std=sig(p["std"] * unit / 86400.0))
    out.update(low=show(float(seconds.min() / unit)), high=show(float(seconds.max() / unit)))
    return out


def _iso(fmt: str, unit: float):
    def show(x: float) -> str:
        moment = EPOCH + dt.timedelta(seconds=round(x * unit))
        return moment.date().isoformat() if fmt == "date" else moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    return show
