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

from synth_gradio.learn.sparse import exact_line

MIN_ROWS = 30  # rows (all values present) needed before a law is believed
FIT_ROWS = 5000  # rows a law is sought on; a law found there is checked on every row
PRODUCT_TOLERANCE = 1e-4  # largest relative error of a product (inputs are rounded), plus half its last decimal
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


def _product_terms(y: np.ndarray, columns: dict[int, np.ndarray], others: list[int]) -> tuple[float, list[list[float]]]:
    """Up to three factors whose log-scale line is exact on the rows where all are positive."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = {i: np.log(columns[i]) for i in others}
        target = np.log(y)
    found = exact_line(target, logs, LOG_TOLERANCE, 3, MIN_ROWS)
    if found is None:
        return 0.0, []
    coef, group = found
    return float(np.exp(coef[0])), [[i, float(c)] for i, c in zip(group, coef[1:], strict=True)]


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
        constant, terms = _product_terms(sample[k], sample, [i for i in signs if i != k and i not in targets])
        if not terms or any(abs(p * 2 - round(p * 2)) > 1e-3 for _, p in terms):
            continue
        terms = [[i, round(p * 2) / 2] for i, p in terms if round(p * 2)]  # whole or halves: a law, not a fit
        if not terms:
            continue
        y, fitted = columns[k], product(constant, terms, columns)
        if np.isnan(fitted).any() or np.any(np.abs(y - fitted) > _relative(y, specs[k])):
            continue
        out.append({"column": k, "constant": constant, "terms": terms})
        targets.add(k)
    return out[::-1]


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
    slack = last_decimal(spec) + 1e-9 * float(np.abs(known).max())
    return float(known.min()) - slack, float(known.max()) + slack
