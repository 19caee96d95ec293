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

Where no line on numbers holds, a line that also adds an amount per value of few-valued categories
is sought (`_additive`): a monthly charge that is a base plus a price per add-on, internet type and
phone line. A tree's leaves cannot cut the rows into every combination of eight options, so the
charge spread 6 times the real one around its options' sum; with the categories' amounts, as wide.
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
MAX_LEVELS = 12  # values a category may have to add an amount per value to a near-law
MAX_BLOCKS = 12  # columns an additive near-law may rest on


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


def find_near(
    y: np.ndarray, inputs: dict[int, np.ndarray], seed: int, groups: dict[int, np.ndarray] | None = None
) -> dict[str, Any] | None:
    """The tightest near-law of y (NaN where unseen) on the earlier columns' values `inputs` (by
    position; no nulls), with the residual of every seen row, or None. `groups`: earlier few-valued
    categories' value codes (0..k-1, no nulls), tried where no line on numbers alone holds."""
    seen = np.flatnonzero(np.isfinite(y))
    if len(seen) < NEAR_ROWS or not (inputs or groups) or np.unique(y[seen]).size < 3:
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
    levels: dict[str, int] = {}
    if found is None and groups:
        found, levels = _additive(y, inputs, groups, search, half)
    if found is None:
        return None
    _, log, chosen = found
    near = {"inputs": chosen, "log": bool(log), **({"levels": levels} if levels else {})}
    design = _design(near, [groups[p][seen] if str(p) in levels else inputs[p][seen] for p in chosen])
    target = _space(y[seen], log)
    coef = np.linalg.lstsq(design, target, rcond=None)[0]
    return {**near, "coef": coef.tolist(), "residual": target - design @ coef}


def _one_hot(codes: np.ndarray, levels: int) -> np.ndarray:
    """Indicators of values 1..levels-1 (value 0 is the line's own base)."""
    return (np.asarray(codes)[:, None] == np.arange(1, levels)[None, :]).astype(float)


def _design(near: dict[str, Any], values: list[np.ndarray]) -> np.ndarray:
    """A near-law's design matrix: a constant, then each input as a number (in logs where the law is
    in logs) or, for a category, its values' indicators."""
    levels = near.get("levels", {})
    blocks = [np.ones((len(values[0]), 1))] if values else []
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, v in zip(near["inputs"], values, strict=True):
            k = levels.get(str(p))
            blocks.append(_one_hot(v, int(k)) if k else _space(np.asarray(v, dtype=float), near["log"])[:, None])
    return np.hstack(blocks)


def _additive(
    y: np.ndarray, inputs: dict[int, np.ndarray], groups: dict[int, np.ndarray], search: np.ndarray, half: np.ndarray
) -> tuple[tuple[float, bool, list[int]] | None, dict[str, int]]:
    """A line on numbers plus an amount per category value, chosen greedily (each column added while
    it cuts the held-out spread by 10%), if every candidate together holds within TIGHT at all."""
    counts = {p: int(codes.max()) + 1 for p, codes in groups.items()}
    for log in (False, True):
        if log and np.any(y[search] <= 0):
            continue
        target = _space(y[search], log)
        blocks = {p: _space(v[search], log)[:, None] for p, v in inputs.items() if not log or np.all(v[search] > 0)}
        blocks.update({p: _one_hot(codes[search], counts[p]) for p, codes in groups.items()})
        if _spread(target, np.hstack(list(blocks.values())), half) > TIGHT:
            continue  # not even every column together: no additive law (one cheap test for most columns)
        chosen: list[int] = []
        spread = np.inf
        while len(chosen) < MAX_BLOCKS:
            trials = {
                p: _spread(target, np.hstack([blocks[q] for q in [*chosen, p]]), half)
                for p in blocks
                if p not in chosen
            }
            best = min(trials, key=trials.__getitem__, default=None)
            if best is None or trials[best] > BETTER * spread:
                break
            chosen, spread = [*chosen, best], trials[best]
        if chosen and spread <= TIGHT and any(p in groups for p in chosen):
            return (spread, log, chosen), {str(p): counts[p] for p in chosen if p in groups}
    return None, {}


def near_line(near: dict[str, Any], values: list[np.ndarray]) -> np.ndarray:
    """The near-law's prediction from its inputs' values (in logs where it was fitted in logs; a
    category's value codes where it adds an amount per value)."""
    return _design(near, values) @ np.asarray(near["coef"], dtype=float)


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
