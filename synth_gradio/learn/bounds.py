"""Bounds between two columns of one kind that a swap cannot keep: a <= b + c in every training row,
with c at most 0 (years in the current role never above years at the company; working years at
least 18 below age; a ship date at least a day after the order date).

Why: laws.find_orders keeps a <= b by swapping the two values, which keeps each column's values
only where both columns are drawn from quantiles. A few-valued column would be handed values it
never takes, and a swap cannot keep a gap (18 years of working age). A drawn row that breaks a
bound is drawn again instead, which is what the real rows are: the same draw, truncated where the
bound holds. The sequential model breaks such a bound in one or two rows of a hundred; a reader
of an HR table sees every one of them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

MIN_ROWS = 30  # rows with both values before a bound is believed
AT_ROWS = 5  # ... and at least this many rows
AT_BOUND = 0.01  # share of rows whose difference is the bound exactly: one extreme row makes no bound
TIGHTER = 0.05  # a swapped pair's gap is kept where it is wider than this share of b's range
EDGE, AT_EDGE = 0.01, 0.005  # columns of apart ranges: this share of rows within this share of the
# difference's range from its largest value make a floor (a normal tail: one row in a thousand)


def find_bounds(
    columns: dict[int, np.ndarray], specs: list[dict[str, Any]], swapped: list[list[int]], given: set[int]
) -> list[list[float]]:
    """[a, b, c]: a <= b + c (c <= 0) in every training row that has both, for pairs whose ranges
    overlap and whose difference is c in at least AT_BOUND of the rows and AT_ROWS rows (the bound is where rows stop,
    as years in a role stop at years at the company, not one extreme pair of measurements); a pair that `swapped` keeps gets a bound only where its gap is wide (a swap then keeps
    a <= b, the redraw the gap; a gap of a day between two dates is left to the swap). Two `given` columns (fixed before the
    draw) get none: drawing the row again cannot mend them."""
    kept = {(int(a), int(b)) for a, b in swapped}
    out: list[list[float]] = []
    keys = sorted(columns)
    for i in keys:
        for j in keys:
            if i == j or {i, j} <= given or (specs[i]["kind"] == "datetime") != (specs[j]["kind"] == "datetime"):
                continue
            a, b = columns[i], columns[j]
            both = ~np.isnan(a) & ~np.isnan(b)
            if both.sum() < MIN_ROWS:
                continue
            a, b = a[both], b[both]
            gap = float(np.max(a - b))
            overlap = min(a.max(), b.max()) > max(a.min(), b.min())
            if gap > 0 or np.all(a == b):
                continue
            if overlap:
                at = int(np.sum(np.abs(a - b - gap) <= 1e-9 * (1 + np.abs(b))))
                if at < max(AT_ROWS, AT_BOUND * len(a)):
                    continue  # the largest difference of two measurements, met by one row
            elif not _floor(a - b, gap, float(a.max() - b.min()), float(np.ptp(b))):
                continue
            if (i, j) not in kept or -gap > TIGHTER * float(np.ptp(b)):
                out.append([i, j, gap])
    return out


def _floor(difference: np.ndarray, gap: float, ranges: float, spread: float) -> bool:
    """Whether columns of apart ranges keep a gap the ranges do not (a birth date at least 21 years
    before a hire date, where the latest birth and the earliest hire are 8 years apart), with rows
    crowding its edge as they crowd a rule's: a smooth tail thins out to one extreme row instead.
    Without it, one generated employee in a hundred was hired at 16 or 17."""
    if ranges - gap <= TIGHTER * spread:
        return False  # the ranges alone keep it
    near = int(np.sum(difference >= gap - EDGE * float(np.ptp(difference))))
    return near >= max(AT_ROWS, AT_EDGE * len(difference))


def columns_of(bounds: list[list[float]]) -> set[int]:
    return {int(k) for a, b, _ in bounds for k in (a, b)}


def broken(bounds: list[list[float]], numbers: dict[int, np.ndarray]) -> np.ndarray | None:
    """Rows that break a bound (a null breaks none), or None when there are no bounds."""
    out = None
    with np.errstate(invalid="ignore"):
        for a, b, gap in bounds:
            now = numbers[int(a)] > numbers[int(b)] + float(gap) + 1e-9 * (1 + np.abs(numbers[int(b)]))
            out = now if out is None else out | now
    return out
