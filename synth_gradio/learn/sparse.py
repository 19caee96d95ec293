"""The fewest columns whose straight line gives another exactly: how totals and products are found.

Why greedy and sparse: a table often holds a law beside its own parts (a total beside its
subtotals, a product beside its factors, a step counter beside the year), so the columns are
collinear and one least-squares fit over all of them spreads a law's coefficient over several
columns. Starting from each of the most correlated columns and adding, one at a time, the column
most correlated with what is left, the first exact line found is the simplest one.
"""

from __future__ import annotations

import numpy as np

STARTS = 8  # columns a search starts from: the most correlated with the target


def strength(a: np.ndarray, b: np.ndarray, min_rows: int) -> float:
    """|correlation| over the rows where both are finite (0 with too few rows or no spread)."""
    both = np.isfinite(a) & np.isfinite(b)
    if both.sum() < min_rows or np.std(a[both]) == 0 or np.std(b[both]) == 0:
        return 0.0
    return abs(float(np.corrcoef(a[both], b[both])[0, 1]))


def line(
    target: np.ndarray, inputs: dict[int, np.ndarray], group: list[int], min_rows: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """Intercept and coefficients of target on the group, and residuals (NaN where any is not finite)."""
    rows = np.isfinite(target) & np.all([np.isfinite(inputs[i]) for i in group], axis=0)
    if rows.sum() < min_rows:
        return None
    x = np.column_stack([np.ones(rows.sum())] + [inputs[i][rows] for i in group])
    coef, *_ = np.linalg.lstsq(x, target[rows], rcond=None)
    residual = np.full(len(target), np.nan)
    residual[rows] = target[rows] - x @ coef
    return coef, residual


def exact_line(
    target: np.ndarray, inputs: dict[int, np.ndarray], tolerance: float, most: int, min_rows: int
) -> tuple[np.ndarray, list[int]] | None:
    """(intercept and coefficients, columns) of the first line within `tolerance` of every target
    value it covers, on at most `most` columns and at least `min_rows` rows; None if there is none."""
    if not _possible(target, inputs, tolerance, min_rows):
        return None
    ranked = sorted(inputs, key=lambda i: strength(inputs[i], target, min_rows), reverse=True)[:STARTS]
    for first in ranked:
        group = [first]
        while True:
            fitted = line(target, inputs, group, min_rows)
            if fitted is None:
                break
            coef, residual = fitted
            if np.nanmax(np.abs(residual)) <= tolerance:
                return coef, group
            rest = [i for i in inputs if i not in group]
            if len(group) == most or not rest:
                break
            group.append(max(rest, key=lambda i: strength(inputs[i], residual, min_rows)))
    return None


def _possible(target: np.ndarray, inputs: dict[int, np.ndarray], tolerance: float, min_rows: int) -> bool:
    """False when even the line on all inputs misses, on the rows where all are finite: no line on
    fewer of them can be exact there. Most tables have no law, and this one fit says so."""
    group = list(inputs)
    rows = np.isfinite(target) & np.all([np.isfinite(inputs[i]) for i in group], axis=0)
    if rows.sum() < max(min_rows, 2 * (len(group) + 1)):
        return True  # too few complete rows to tell; the search decides
    fitted = line(target, inputs, group, min_rows)
    return fitted is None or bool(np.nanmax(np.abs(fitted[1])) <= tolerance)
