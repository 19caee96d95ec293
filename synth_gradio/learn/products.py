"""A column that is a product of powers of others, found exactly: an amount that is a quantity
times a price, an interaction column, a ratio, zeros included.

Why: a line on normal scores, a copula or a tree keeps the rank link of a product with each of
its factors but not the product itself, and any reader who multiplies two columns sees it. Found
on the training rows, a product is stored as its factors and whole or half powers, and computed
from the drawn factors (keep_laws.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

MIN_ROWS = 30  # rows (all values present) needed before a law is believed
FIT_ROWS = 5000  # rows a law is sought on; a law found there is checked on every row
PRODUCT_TOLERANCE = 1e-4  # largest relative error of a product (inputs are rounded), plus half its last decimal
PRODUCT_CANDIDATES = 8  # factors tried per column: the most correlated on the log scale
LOG_TOLERANCE = 1e-3  # largest log-scale residual of a candidate product on its positive rows


def last_decimal(spec: dict[str, Any]) -> float:
    places = spec.get("decimals")
    return 0.0 if places is None else 0.5 * 10.0 ** (-int(places))


def product(constant: float, terms: list[list[float]], numbers: dict[int, np.ndarray]) -> np.ndarray:
    """constant * prod(numbers[i] ** p): NaN where a factor is missing, or zero under a negative power."""
    out = np.full(len(next(iter(numbers.values()))), float(constant))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for i, p in terms:
            out = out * np.power(numbers[int(i)], float(p))
    return np.where(np.isfinite(out), out, np.nan)


def _strength(a: np.ndarray, b: np.ndarray) -> float:
    both = np.isfinite(a) & np.isfinite(b)
    if both.sum() < MIN_ROWS or np.std(a[both]) == 0 or np.std(b[both]) == 0:
        return 0.0
    return abs(float(np.corrcoef(a[both], b[both])[0, 1]))


def _log_line(
    target: np.ndarray, logs: dict[int, np.ndarray], group: list[int]
) -> tuple[np.ndarray, np.ndarray] | None:
    """Coefficients and residuals (NaN off the rows where all are positive) of a log-scale line."""
    rows = np.isfinite(target) & np.all([np.isfinite(logs[i]) for i in group], axis=0)
    if rows.sum() < MIN_ROWS:
        return None
    x = np.column_stack([np.ones(rows.sum())] + [logs[i][rows] for i in group])
    coef, *_ = np.linalg.lstsq(x, target[rows], rcond=None)
    residual = np.full(len(target), np.nan)
    residual[rows] = target[rows] - x @ coef
    return coef, residual


def _product_terms(y: np.ndarray, columns: dict[int, np.ndarray], others: list[int]) -> tuple[float, list[list[float]]]:
    """Up to three factors whose log-scale line is exact on the rows where all are positive.

    From each of the most correlated others, factors are added one at a time, each the one most
    correlated with what is left (a factor of small spread beside a large one is found second),
    and the search stops at the first exact line: collinear candidates (a product beside its own
    factors) never share one coefficient between them.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = {i: np.log(columns[i]) for i in others}
        target = np.log(y)
    ranked = sorted(others, key=lambda i: _strength(logs[i], target), reverse=True)[:PRODUCT_CANDIDATES]
    for first in ranked:
        group = [first]
        while True:
            fitted = _log_line(target, logs, group)
            if fitted is None:
                break
            coef, residual = fitted
            if np.nanmax(np.abs(residual)) <= LOG_TOLERANCE:
                return float(np.exp(coef[0])), [[i, float(c)] for i, c in zip(group, coef[1:], strict=True)]
            rest = [i for i in others if i not in group]
            if len(group) == 3 or not rest:
                break
            group.append(max(rest, key=lambda i: _strength(logs[i], residual)))
    return 0.0, []


def find_products(columns: dict[int, np.ndarray], specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
        constant, terms = _product_terms(sample[k], sample, [i for i in signs if i != k and i not in targets])
        if not terms or any(abs(p * 2 - round(p * 2)) > 1e-3 for _, p in terms):
            continue
        terms = [[i, round(p * 2) / 2] for i, p in terms if round(p * 2)]  # whole or halves: a law, not a fit
        y, fitted = columns[k], product(constant, terms, columns)
        if np.isnan(fitted).any() or np.any(np.abs(y - fitted) > _relative(y, specs[k])):
            continue
        out.append({"column": k, "constant": constant, "terms": terms})
        targets.add(k)
    return out[::-1]


def _relative(y: np.ndarray, spec: dict[str, Any]) -> np.ndarray:
    return PRODUCT_TOLERANCE * np.abs(y) + last_decimal(spec) + 1e-12
