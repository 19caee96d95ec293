"""The x-distribution contract read from a JSON schema property, for checking generated values against it.

    "x-distribution": {"kind": "categorical"|"constant"|"uniform"|"normal"|"lognormal"|"poisson"|"exponential",
                       ...params, "by": "<other field>", "cases": {"<value as text>": {...overrides}}}

Params: categorical `weights` (value as text -> weight; values left out weigh 0), constant `value`,
uniform `low`/`high` (default: the field's bounds), normal `mean`/`std`, lognormal `median`/`sigma`,
poisson `lam`, exponential `scale` (and `loc`). Every continuous kind may narrow its truncation with
`low`/`high`. A case that sets its own `kind` replaces the base parameters. Every draw is truncated
to the field's bounds, so the reference law here is the truncated one; integers and dates are drawn
on a grid (rounded), so their truncation runs half a step past the outer values. Dates (format date
or date-time) are measured in days since 1970-01-01: ISO text for `low`, `high` and `mean`, days for
`std`. Only the schema dict is read here; the schema package validates declarations.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

KINDS = ("categorical", "constant", "uniform", "normal", "lognormal", "poisson", "exponential")
DATE_FORMATS = ("date", "date-time")
NS_PER_DAY = 86_400e9


def declaration(node: dict[str, Any]) -> dict[str, Any] | None:
    decl = node.get("x-distribution")
    return decl if isinstance(decl, dict) and decl.get("kind") in KINDS else None


def case_key(value: Any) -> str | None:
    """A value as the text used for `cases` and `weights` keys: strings as they are, others as JSON."""
    if value is None or isinstance(value, list | dict):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value)


def case_params(decl: dict[str, Any], key: str | None) -> dict[str, Any]:
    """The parameters for one case: overrides merged over the base, or replacing it when they set a kind."""
    base = {k: v for k, v in decl.items() if k not in ("by", "cases")}
    cases = decl.get("cases") if isinstance(decl.get("cases"), dict) else {}
    override = cases.get(key) if key is not None and isinstance(cases.get(key), dict) else {}
    if "kind" in override:
        return {**{k: base[k] for k in ("decimals", "nulls") if k in base}, **override}
    return {**base, **override}


def is_date(node: dict[str, Any]) -> bool:
    return node.get("format") in DATE_FORMATS


def iso_days(value: Any) -> float:
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_convert(None) if stamp.tzinfo else stamp
    return stamp.value / NS_PER_DAY


def day_text(days: float) -> str:
    return pd.Timestamp(int(days * NS_PER_DAY)).date().isoformat()


def numbers(values: list[Any], date: bool) -> np.ndarray:
    """The numeric values of a column (days for dates); nulls and unreadable values are left out."""
    if date:
        parsed = pd.to_datetime(pd.Series([v for v in values if isinstance(v, str)]), errors="coerce", utc=True)
        parsed = parsed.dropna().dt.tz_localize(None)
        return parsed.to_numpy().astype("datetime64[ns]").astype("int64") / NS_PER_DAY
    return np.asarray([v for v in values if isinstance(v, int | float) and not isinstance(v, bool)], dtype=float)


def bounds(node: dict[str, Any], params: dict[str, Any], date: bool) -> tuple[float, float]:
    """The field's minimum/maximum (exclusive ones too), narrowed by the declaration's low/high."""
    read = iso_days if date else float
    found = []
    for keys, limit in (
        (("minimum", "exclusiveMinimum", "formatMinimum"), -math.inf),
        (("maximum", "exclusiveMaximum", "formatMaximum"), math.inf),
    ):
        value = next((node[k] for k in keys if node.get(k) is not None), None)
        found.append(read(value) if value is not None else limit)
    lo, hi = found
    if params.get("low") is not None:
        lo = max(lo, read(params["low"]))
    if params.get("high") is not None:
        hi = min(hi, read(params["high"]))
    return lo, hi


class Truncated:
    """A scipy distribution truncated to [lo, hi]: its CDF, median and interquartile range."""

    def __init__(self, dist: Any, lo: float, hi: float, discrete: bool) -> None:
        self.dist, self.lo, self.hi, self.discrete = dist, lo, hi, discrete
        self.f_lo = float(dist.cdf(lo - 1 if discrete else lo)) if lo > -math.inf else 0.0
        self.mass = (float(dist.cdf(hi)) if hi < math.inf else 1.0) - self.f_lo

    def cdf(self, x: np.ndarray) -> np.ndarray:
        inside = np.clip(x, self.lo, self.hi)
        out = np.clip((self.dist.cdf(inside) - self.f_lo) / self.mass, 0.0, 1.0)
        return np.where(x < self.lo, 0.0, np.where(x >= self.hi, 1.0, out))

    def quantile(self, q: float) -> float:
        return float(self.dist.ppf(self.f_lo + q * self.mass))


def distribution(params: dict[str, Any], node: dict[str, Any]) -> Truncated | None:
    """The declared distribution for one case, or None when it cannot be built (missing or bad params)."""
    kind, date = params.get("kind"), is_date(node)
    try:
        lo, hi = bounds(node, params, date)

        def num(key: str) -> float:
            value = params[key]
            return iso_days(value) if date and isinstance(value, str) else float(value)

        if on_grid(node) and kind != "poisson":
            lo, hi = lo - 0.5, hi + 0.5  # drawn on the real line, rounded to whole numbers or days
        if kind == "uniform":
            dist: Any = stats.uniform(lo, hi - lo) if math.isfinite(lo) and math.isfinite(hi) and hi > lo else None
        elif kind == "normal":
            dist = stats.norm(num("mean"), float(params["std"]))
        elif kind == "lognormal":
            dist = stats.lognorm(s=float(params["sigma"]), scale=float(params["median"]))
        elif kind == "poisson":
            dist = stats.poisson(float(params["lam"]))
        elif kind == "exponential":
            dist = stats.expon(loc=float(params.get("loc", 0.0)), scale=float(params["scale"]))
        else:
            return None
    except (KeyError, TypeError, ValueError):
        return None
    if dist is None:
        return None
    truncated = Truncated(dist, lo, hi, discrete=kind == "poisson")
    return truncated if truncated.mass > 1e-9 else None


def on_grid(node: dict[str, Any]) -> bool:
    """Integers and dates take whole values: compare them with the declared law at +-0.5."""
    return node.get("type") == "integer" or node.get("format") == "date"


def ks_distance(values: np.ndarray, dist: Truncated, integers: bool) -> float:
    """Largest gap between the values' empirical CDF and the declared one, just below and at each value.
    Integer values drawn from a continuous law are compared with the CDF at +-0.5 (rounding)."""
    ordered = np.sort(values)
    points = np.unique(ordered)
    at = np.searchsorted(ordered, points, side="right") / len(ordered)
    below = np.searchsorted(ordered, points, side="left") / len(ordered)
    if dist.discrete:
        upper, lower = dist.cdf(points), dist.cdf(points - 1)
    elif integers:
        upper, lower = dist.cdf(points + 0.5), dist.cdf(points - 0.5)
    else:
        upper = lower = dist.cdf(points)
    return float(max(np.abs(at - upper).max(), np.abs(below - lower).max()))


def weights(params: dict[str, Any]) -> dict[str, float] | None:
    """Declared category weights normalised to 1 (a constant weighs 1), or None when they cannot be used."""
    if params.get("kind") == "constant":
        key = case_key(params.get("value"))
        return {key: 1.0} if key is not None else None
    raw = params.get("weights")
    if not isinstance(raw, dict):
        return None
    try:
        clean = {str(k): float(v) for k, v in raw.items() if float(v) >= 0}
    except (TypeError, ValueError):
        return None
    total = sum(clean.values())
    return {k: v / total for k, v in clean.items()} if total > 0 else None
