"""Distribution math on the real line: CDFs, quantiles, densities and truncated samplers.

Pure functions of (kind, params) with params already converted to the real line (dates as day or
second counts). Draws go through precomputed quantile functions (inverse CDFs) built on `math`
and `statistics.NormalDist`, because they run once per field per record and must cost no more than
the plain uniform draw they replace. Truncation is exact, by inverse CDF over the mass inside the
bounds, never by clipping (which would pile probability onto the bounds).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from statistics import NormalDist
from typing import Any

INF = math.inf
_STD = NormalDist()
Quantile = Callable[[float], float]


def _phi(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def _phi_inv(u: float) -> float:
    return _STD.inv_cdf(min(max(u, 1e-300), 1.0 - 1e-16))


def cdf(kind: str, p: dict[str, float], x: float) -> float:
    """P(X <= x) for the untruncated distribution."""
    if kind == "normal":
        return _phi((x - p["mean"]) / p["std"])
    if kind == "lognormal":
        if x <= 0:
            return 0.0
        return 1.0 if x == INF else _phi((math.log(x) - math.log(p["median"])) / p["sigma"])
    if kind == "exponential":
        loc = p.get("loc", 0.0)
        return 0.0 if x <= loc else -math.expm1(-(x - loc) / p["scale"])
    if kind == "uniform":
        lo, hi = p["low"], p["high"]
        return 0.0 if x <= lo else 1.0 if x >= hi else (x - lo) / (hi - lo)
    if kind == "poisson":
        return poisson_mass(p["lam"], -INF, x)
    raise ValueError(kind)


def ppf(kind: str, p: dict[str, float], u: float) -> float:
    """The u-quantile of the untruncated distribution (continuous kinds)."""
    if kind == "normal":
        return p["mean"] + p["std"] * _phi_inv(u)
    if kind == "lognormal":
        return p["median"] * math.exp(p["sigma"] * _phi_inv(u))
    if kind == "exponential":
        return p.get("loc", 0.0) - p["scale"] * math.log1p(-min(u, 1.0 - 1e-16))
    if kind == "uniform":
        return p["low"] + u * (p["high"] - p["low"])
    raise ValueError(kind)


def pdf(kind: str, p: dict[str, float], x: float) -> float:
    """Density (probability for poisson) at x, for weighting the values of a numeric enum."""
    if kind == "normal":
        z = (x - p["mean"]) / p["std"]
        return math.exp(-0.5 * z * z) / p["std"]
    if kind == "lognormal":
        if x <= 0:
            return 0.0
        z = (math.log(x) - math.log(p["median"])) / p["sigma"]
        return math.exp(-0.5 * z * z) / (x * p["sigma"])
    if kind == "exponential":
        loc = p.get("loc", 0.0)
        return 0.0 if x < loc else math.exp(-(x - loc) / p["scale"]) / p["scale"]
    if kind == "uniform":
        return 1.0 if p["low"] <= x <= p["high"] else 0.0
    if kind == "poisson":
        n = round(x)
        return 0.0 if n < 0 or n != x else _poisson_pmf(p["lam"], n)
    raise ValueError(kind)


def mass(kind: str, p: dict[str, float], a: float, b: float, step: float | None = None) -> float:
    """Probability of [a, b]; for poisson only the integers there that are multiples of `step`."""
    if kind == "poisson":
        _, cum = poisson_table(p["lam"], a, b, step)
        return cum[-1] if cum else 0.0
    if kind == "uniform":
        return 1.0 if b > a or (b == a and p["low"] <= a <= p["high"]) else 0.0
    return max(0.0, cdf(kind, p, b) - cdf(kind, p, a))


def _poisson_pmf(lam: float, n: int) -> float:
    return math.exp(n * math.log(lam) - lam - math.lgamma(n + 1))


def poisson_table(lam: float, a: float, b: float, step: float | None = None) -> tuple[list[int], list[float]]:
    """Support and cumulative probabilities of a poisson truncated to [a, b] (negligible tails cut)."""
    spread = 13 * math.sqrt(lam) + 20
    lo = max(0, math.floor(lam - spread), math.ceil(a) if a > -INF else 0)
    hi = min(math.ceil(lam + spread), math.floor(b) if b < INF else math.ceil(lam + spread))
    values: list[int] = []
    cum: list[float] = []
    total = 0.0
    for n in range(lo, hi + 1):
        if step and step != 1 and abs(n / step - round(n / step)) > 1e-9:
            continue
        total += _poisson_pmf(lam, n)
        values.append(n)
        cum.append(total)
    return values, cum


def poisson_mass(lam: float, a: float, b: float) -> float:
    return mass("poisson", {"lam": lam}, a, b)


def _normal_quantile(mu: float, s: float, a: float, b: float) -> Quantile:
    """Inverse CDF of a normal truncated to [a, b]; upper tails are reflected to stay precise."""
    if a > mu:
        inner = _normal_quantile(mu, s, 2 * mu - b, 2 * mu - a)
        return lambda u: 2 * mu - inner(1.0 - u)
    fa = _phi((a - mu) / s)
    width = _phi((b - mu) / s) - fa
    inv = _STD.inv_cdf

    def quantile(u: float) -> float:
        v = fa + width * u
        x = mu + s * inv(v if 1e-300 < v < 1.0 else min(max(v, 1e-300), 1.0 - 1e-16))
        return a if x < a else b if x > b else x

    return quantile


def quantile_fn(kind: str, p: dict[str, float], a: float, b: float) -> Quantile:
    """u in [0, 1) -> the u-quantile of the distribution truncated to [a, b] (continuous kinds).

    Truncation by inverse CDF puts every draw inside [a, b] with the declared shape, and a
    stratified u (see schema/sampling.py) then makes small samples match the declaration closely.
    """
    if kind == "uniform":
        lo, hi = max(a, p["low"]), min(b, p["high"])
        width = hi - lo
        return lambda u: lo + width * u
    if kind == "normal":
        return _normal_quantile(p["mean"], p["std"], a, b)
    if kind == "lognormal":
        inner = _normal_quantile(
            math.log(p["median"]), p["sigma"], math.log(a) if a > 0 else -INF, math.log(b) if b < INF else INF
        )
        exp = math.exp
        return lambda u: exp(inner(u))
    if kind == "exponential":
        start = max(a, p.get("loc", 0.0))
        scale = p["scale"]
        span = -math.expm1(-(b - start) / scale) if b < INF else 1.0
        log1p = math.log1p
        return lambda u: start - scale * log1p(-span * u)
    raise ValueError(kind)


def discrete_quantile(values: list, weights: list[float]) -> Callable[[float], Any]:
    """u in [0, 1) -> a value, each with its weight's share of [0, 1) (bisection on cumulative shares)."""
    total = sum(weights)
    cum: list[float] = []
    running = 0.0
    for w in weights:
        running += w
        cum.append(running / total)
    if len(values) == 1:
        only = values[0]
        return lambda u: only
    last = len(values) - 1
    right = bisect.bisect_right

    def quantile(u: float) -> Any:
        i = right(cum, u)
        return values[i if i < last else last]

    return quantile


def truncated_quantile(
    kind: str, p: dict[str, float], a: float, b: float, q: float, step: float | None = None
) -> float:
    """The q-quantile of the distribution truncated to [a, b]."""
    if kind == "poisson":
        values, cum = poisson_table(p["lam"], a, b, step)
        return float(values[min(bisect.bisect_left(cum, q * cum[-1]), len(values) - 1)])
    if kind == "uniform":
        lo, hi = max(a, p["low"]), min(b, p["high"])
        return lo + q * (hi - lo)
    fa, fb = cdf(kind, p, a), cdf(kind, p, b)
    return min(max(ppf(kind, p, fa + q * (fb - fa)), a), b)


def truncated_stats(kind: str, p: dict[str, float], a: float, b: float, step: float | None = None) -> dict[str, float]:
    """Median and mean of the truncated distribution (the mean by a 2,000-point quantile average)."""
    if kind == "poisson":
        values, cum = poisson_table(p["lam"], a, b, step)
        probs = [c - (cum[i - 1] if i else 0.0) for i, c in enumerate(cum)]
        mean = sum(v * w for v, w in zip(values, probs, strict=True)) / cum[-1]
        return {"median": truncated_quantile(kind, p, a, b, 0.5, step), "mean": mean}
    n = 2000
    mean = sum(truncated_quantile(kind, p, a, b, (i + 0.5) / n) for i in range(n)) / n
    return {"median": truncated_quantile(kind, p, a, b, 0.5), "mean": mean}
