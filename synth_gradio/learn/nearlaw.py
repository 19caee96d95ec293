"""Near-laws: a number that a few other numbers all but determine, up to rounding or measurement.

Why: a diamond's depth in millimetres follows its width and its depth percentage, its width follows
its weight, a cell's area follows its radius, a total follows its parts: not exactly (laws.py keeps
what holds in every row), but within a percent. The sequential model draws a number from a line on
the earlier columns' normal scores plus a residual from a tree's leaf; the normal-score transform
bends a law that is straight in values or in logs, so the residual spreads several times wider than
the real one, and a classifier sees it. Here the line is fitted in values or in logs, on at most
MAX_INPUTS earlier columns (every one and pair, then a third), and kept when it leaves less than TIGHT of the column's
spread on rows it was not fitted on (R^2 >= 0.99 on a held-out half). The leaf residual is then
drawn around that line, in the same units, so its spread per leaf is the real one.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from synth_gradio.learn.marginals import Marginal

NEAR_ROWS = 200  # training rows before a near-law is looked for: fewer would fit noise
MAX_INPUTS = 3
TIGHT = 0.1  # held-out residual spread over the column's spread at most this
BETTER = 0.9  # more inputs are kept only where they cut the held-out spread by 10%
SEARCH_ROWS = 5000  # rows the search fits on (the kept line is refitted on all)


def _space(values: np.ndarray, log: bool) -> np.ndarray:
    """Values as a near-law reads them: in logs where it was fitted in logs."""
    return np.log(values) if log else values


def _spread(y: np.ndarray, x: np.ndarray, half: np.ndarray) -> float:
    """The residual spread on the other half of a line fitted on `half`, over y's own spread there."""
    design = np.column_stack([np.ones(len(y)), x])
    coef = np.linalg.lstsq(design[half], y[half], rcond=None)[0]
    rest = ~half
    scale = float(np.std(y[rest]))
    return float(np.std(y[rest] - design[rest] @ coef)) / scale if scale > 0 else np.inf


def _search(y: np.ndarray, candidates: dict[int, np.ndarray], half: np.ndarray) -> tuple[list[int], float]:
    """Every single input and pair, then the best pair's best third: the fewest inputs that come
    within BETTER of the tightest spread found (a greedy path alone misses a + 2b behind a*b)."""
    names = list(candidates)
    subsets = [[p] for p in names] + [list(pair) for pair in combinations(names, 2)]
    found = {tuple(c): _spread(y, np.column_stack([candidates[p] for p in c]), half) for c in subsets}
    pairs = [c for c in found if len(c) == 2]
    if pairs and MAX_INPUTS >= 3:
        best_pair = min(pairs, key=found.__getitem__)
        for p in names:
            if p not in best_pair:
                c = (*best_pair, p)
                found[c] = _spread(y, np.column_stack([candidates[q] for q in c]), half)
    if not found:
        return [], np.inf
    tightest = min(found.values())
    chosen = min((c for c in found if found[c] * BETTER <= tightest), key=lambda c: (len(c), found[c]))
    return list(chosen), found[chosen]


def find_near(y: np.ndarray, inputs: dict[int, np.ndarray], seed: int) -> dict[str, Any] | None:
    """The tightest near-law of y (NaN where unseen) on the earlier columns' values `inputs` (by
    position; no nulls), with the residual of every seen row, or None."""
    seen = np.flatnonzero(np.isfinite(y))
    if len(seen) < NEAR_ROWS or not inputs or np.unique(y[seen]).size < 3:
        return None
    rng = np.random.default_rng(seed)
    search = np.sort(rng.choice(seen, min(len(seen), SEARCH_ROWS), replace=False))
    half = rng.random(len(search)) < 0.5
    found: tuple[float, bool, list[int]] | None = None
    for log in (False, True):
        if log and np.any(y[seen] <= 0):
            continue
        candidates = {p: _space(v[search], log) for p, v in inputs.items() if not log or np.all(v[seen] > 0)}
        chosen, spread = _search(_space(y[search], log), candidates, half)
        if chosen and spread <= TIGHT and (found is None or spread < found[0]):
            found = (spread, log, chosen)
    if found is None:
        return None
    _, log, chosen = found
    design = np.column_stack([np.ones(len(seen)), *(_space(inputs[p][seen], log) for p in chosen)])
    target = _space(y[seen], log)
    coef = np.linalg.lstsq(design, target, rcond=None)[0]
    return {"inputs": chosen, "log": bool(log), "coef": coef.tolist(), "residual": target - design @ coef}


def near_line(near: dict[str, Any], values: list[np.ndarray]) -> np.ndarray:
    """The near-law's prediction from its inputs' values (in logs where it was fitted in logs)."""
    coef = np.asarray(near["coef"], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return coef[0] + sum(c * _space(v, near["log"]) for c, v in zip(coef[1:], values, strict=True))


def near_value(near: dict[str, Any], line: np.ndarray, residual: np.ndarray) -> np.ndarray:
    value = line + residual
    return np.exp(value) if near["log"] else value


def to_numbers(marginal: Marginal, u: np.ndarray) -> np.ndarray:
    """A number column's values at positions u, before rounding (a value set's own values)."""
    if "quantiles" in marginal.spec:
        return marginal.numbers(u)
    support = np.asarray(marginal.values, dtype=float)
    return support[np.minimum(np.searchsorted(marginal.cum, u, side="right"), len(support) - 1)]


def to_positions(marginal: Marginal, value: np.ndarray, middles: np.ndarray | None) -> np.ndarray:
    """Where values sit in u space: on the quantile grid, or the middle of the nearest value's interval."""
    if "quantiles" in marginal.spec or middles is None:
        u = np.interp(value, marginal.grid, marginal.levels)
    else:
        support = np.asarray(marginal.values, dtype=float)
        order = np.argsort(support)
        at = np.clip(np.searchsorted(support[order], value), 1, len(support) - 1)
        left, right = support[order][at - 1], support[order][at]
        u = middles[order[np.where(np.abs(value - left) <= np.abs(right - value), at - 1, at)]]
    return np.where(np.isfinite(u), u, 0.5)
