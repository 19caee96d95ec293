"""A column that is a product of powers of others, found exactly: an amount that is a quantity
times a price, an interaction column, a ratio, zeros included, and a rate's complement as a factor
(a line's total is quantity x price x (1 - discount), a gross amount net x (1 + tax rate)).

Why: a line on normal scores, a copula or a tree keeps the rank link of a product with each of
its factors but not the product itself, and any reader who multiplies two columns sees it. Found
on the training rows, a product is stored as its factors and whole or half powers, and computed
from the drawn factors (keep_laws.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from synth_gradio.learn.sparse import exact_line

MIN_ROWS = 30  # rows (all values present) needed before a law is believed
FIT_ROWS = 5000  # rows a law is sought on; a law found there is checked on every row
PRODUCT_TOLERANCE = 1e-4  # largest relative error of a product (inputs are rounded), plus half its last decimal
RATES = 20  # values a rate may take (discount levels, tax rates)
LOG_TOLERANCE = 1e-3  # largest log-scale residual of a candidate product on its positive rows


def last_decimal(spec: dict[str, Any]) -> float:
    places = spec.get("decimals")
    return 0.0 if places is None else 0.5 * 10.0 ** (-int(places))


def product(
    constant: float,
    terms: list[list[float]],
    numbers: dict[int, np.ndarray],
    shifts: dict[str, list[float]] | None = None,
) -> np.ndarray:
    """constant * prod(factor_i ** p), factor_i = numbers[i], or a + b * numbers[i] where `shifts`
    holds [a, b] for i: NaN where a factor is missing, or zero under a negative power."""
    out = np.full(len(next(iter(numbers.values()))), float(constant))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for i, p in terms:
            a, b = (shifts or {}).get(str(int(i)), (0.0, 1.0))
            out = out * np.power(float(a) + float(b) * numbers[int(i)], float(p))
    return np.where(np.isfinite(out), out, np.nan)


def _shifted(values: np.ndarray) -> list[tuple[float, float]]:
    """The complements a rate may enter a product as: 1 - x and 1 + x for a share in [0, 1], the
    same over 100 for a percentage; none for other columns (one has no such law), nor for a column
    of many values (a discount or a tax rate takes a few; breast_cancer's 30 measures would triple
    the search)."""
    low, high = float(np.min(values)), float(np.max(values))
    if low < 0 or high <= 0 or high > 100 or len(np.unique(values)) > RATES:
        return []
    scale = 1.0 if high <= 1 else 0.01
    return [(1.0, -scale), (1.0, scale)] if high * scale < 1 else [(1.0, scale)]


def _product_terms(
    y: np.ndarray, columns: dict[int, np.ndarray], others: list[int]
) -> tuple[float, list[list[float]], dict[str, list[float]]]:
    """Up to three factors whose log-scale line is exact on the rows where all are positive; a
    rate's complement is a factor of its own, kept once per column."""
    keys: dict[Any, tuple[int, tuple[float, float] | None]] = {i: (i, None) for i in others}
    shifted = {(i, *ab): (i, ab) for i in others for ab in _shifted(columns[i])}
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = {key: np.log(columns[i]) for key, (i, _) in keys.items()}
        target = np.log(y)
        found = exact_line(target, logs, LOG_TOLERANCE, 3, MIN_ROWS)
        if found is None and shifted:  # plain factors first: a complement is as straight as its rate
            keys.update(shifted)  # over a short range and led the search away from a plain product
            logs.update({key: np.log(ab[0] + ab[1] * columns[i]) for key, (i, ab) in shifted.items()})
            found = exact_line(target, logs, LOG_TOLERANCE, 3, MIN_ROWS)
    if found is None:
        return 0.0, [], {}
    coef, group = found
    kept = [(keys[key], float(c)) for key, c in zip(group, coef[1:], strict=True) if abs(c) > 1e-3]
    if len({i for (i, _), _ in kept}) < len(kept):  # a column beside its own complement: no simple law
        return 0.0, [], {}
    shifts = {str(i): [ab[0], ab[1]] for (i, ab), _ in kept if ab is not None}
    return float(np.exp(coef[0])), [[i, c] for (i, _), c in kept], shifts


def find_products(columns: dict[int, np.ndarray], specs: list[dict[str, Any]], given: set[int]) -> list[dict[str, Any]]:
    """Columns equal to constant * prod(other ** p) in every training row (zeros included), p simple.

    Targets are sought from the last column back (a derived column usually follows its inputs),
    a target is never a later law's factor, and the laws are returned in the order they must be
    applied: a factor that is itself a product is computed before it is used.
    """
    full = [k for k in sorted(columns) if specs[k]["kind"] != "datetime" and not np.isnan(columns[k]).any()]
    signs = [k for k in full if np.all(columns[k] >= 0)]
    if len(signs) < 2 or len(columns[signs[0]]) < MIN_ROWS:
        return []
    rows = len(columns[signs[0]])
    take = np.linspace(0, rows - 1, min(rows, FIT_ROWS)).astype(int)
    sample = {k: columns[k][take] for k in signs}
    out: list[dict[str, Any]] = []
    targets: set[int] = set()
    for k in reversed(signs):
        if k in given:  # fixed before the draw, or computed as a total: a factor, never the product
            continue
        constant, terms, shifts = _product_terms(sample[k], sample, [i for i in signs if i != k and i not in targets])
        if not terms or any(abs(p * 2 - round(p * 2)) > 1e-3 for _, p in terms):
            continue
        terms = [[i, round(p * 2) / 2] for i, p in terms if round(p * 2)]  # whole or halves: a law, not a fit
        if not terms:
            continue
        shifts = {i: ab for i, ab in shifts.items() if any(int(i) == j for j, _ in terms)}
        constant = _simplest(columns[k], product(1.0, terms, columns, shifts), specs[k])
        if constant is None:
            continue
        out.append({"column": k, "constant": constant, "terms": terms, **({"shifts": shifts} if shifts else {})})
        targets.add(k)
    return out[::-1]


def _simplest(y: np.ndarray, factors: np.ndarray, spec: dict[str, Any]) -> float | None:
    """The constant with the fewest significant digits that makes y = constant * factors on every
    row (None if none does): fitted on logs it is 0.99997, and 1,099 x 1 came out as 1,098.97."""
    if np.isnan(factors).any():
        return None
    both = (factors > 0) & (y > 0)
    if not both.any():
        return None
    best = float(np.median(y[both] / factors[both]))
    for digits in range(1, 10):
        constant = float(f"{best:.{digits}g}")
        if not np.any(np.abs(y - constant * factors) > _relative(y, spec)):
            return constant
    return None


def _relative(y: np.ndarray, spec: dict[str, Any]) -> np.ndarray:
    return PRODUCT_TOLERANCE * np.abs(y) + last_decimal(spec) + 1e-12


def written_step(spec: dict[str, Any]) -> float:
    """The unit a column is written in (0: unrounded)."""
    if spec["kind"] == "datetime":
        return float(spec["resolution"])
    if "step" in spec:
        return float(spec["step"])
    if spec.get("integer"):
        return 1.0
    return 10.0 ** -int(spec["decimals"]) if spec.get("decimals") is not None else 0.0


def written_range(spec: dict[str, Any]) -> tuple[float, float]:
    """A computed column's observed range, widened by its last decimal (a value rounds into it)."""
    known = np.asarray(spec["quantiles"] if "quantiles" in spec else spec["values"], dtype=float)
    if "atom" in spec:  # a value apart (a log's floor beside a count's zero) is in range too
        known = np.append(known, float(spec["atom"]))
    slack = last_decimal(spec) + 1e-9 * float(np.abs(known).max())
    return float(known.min()) - slack, float(known.max()) + slack
