"""How often rows repeat one another in a real table of a given size, so a learned run keeps that rate.

A table of a few categories and small counts (visits per year, a plan and a region) repeats its rows:
1,000 rows drawn from a 20,000-row health panel hold 14% exact repeats. A run that refuses every
repeat draws its commoner combinations too rarely, which a classifier notices. The fit stores the
expected share of repeats in n of the reference rows, for n on a log grid (no rows and
no counts of any one combination), and a run of n records lets that many repeats through.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

GRID = (10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000)
MIN_SHARE = 0.005  # a curve that stays below this everywhere is not stored


def repeat_curve(columns: Sequence[Sequence[Any]]) -> list[list[float]]:
    """[[n, share], ...]: the expected share of n rows drawn without replacement from these N rows
    that repeat an earlier one, 1 - E[distinct] / n with E[distinct] = sum over combinations seen
    c times of 1 - (1 - n/N)^c; held at n = N beyond (what a larger table repeats is not known);
    [] when rows hardly ever repeat."""
    if not columns or not len(columns[0]):
        return []
    return curve_from_counts(Counter(zip(*columns, strict=True)).values())


def curve_from_counts(seen: Iterable[int]) -> list[list[float]]:
    """`repeat_curve` from how many rows hold each combination (a fit counts them once for its guard too)."""
    counts = np.fromiter(seen, dtype=float)
    total = counts.sum()
    if not total:
        return []
    curve = []
    for n in GRID:
        drawn = min(float(n), total)
        distinct = float(np.sum(1 - (1 - drawn / total) ** counts))
        curve.append([n, round(float(max(0.0, 1 - distinct / drawn)), 4)])
    return curve if any(share >= MIN_SHARE for _, share in curve) else []


def repeat_share(curve: Sequence[Sequence[float]], n: int) -> float:
    """The share of repeats expected in n rows, read off the curve (linear in log n; ends held)."""
    if not curve or n <= 1:
        return 0.0
    xs = [math.log(point[0]) for point in curve]
    ys = [float(point[1]) for point in curve]
    return max(0.0, float(np.interp(math.log(n), xs, ys)))
