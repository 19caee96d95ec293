"""A sequential conditional model: each column drawn from a tree on the columns drawn before it.

Why: a Gaussian copula keeps one correlation per pair of columns, so it blurs what a classifier
uses to tell generated rows from real ones: a price that depends on size differently per
category, a U-shaped link, a column that is nearly a function of another, missingness that
follows a category. A tree per column (synthpop's sequential CART, the long-standing strong
baseline for small tables) keeps those, and fits a 50,000-row table in seconds on two cores.

Privacy by construction: leaves hold at least `min_leaf` training rows, and a leaf never stores
rows. A number column's leaf keeps a sketch of at most SKETCH quantiles of its rank (u in [0, 1]),
and a draw interpolates between them, then maps u through the column's own marginal (a quantile
grid of interpolated points, learn/marginals.py): values are new, not donors' values. A category's
leaf keeps its value shares, mixed with the column's overall shares (PRIOR rows' worth), so a
small leaf never pins a rare combination. Rare values stay out, as in the marginals.

Every column lives in the same u space as in the copula: a training value is the middle of the
CDF interval it occupies (Marginal.bounds), nulls and dropped rare values are NaN, which the trees
route by a learned default branch.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from synth_gradio.learn.keep_laws import redraw_outside
from synth_gradio.learn.marginals import Marginal, outcomes
from synth_gradio.learn.nearlaw import near_line, near_value, to_numbers, to_positions
from synth_gradio.learn.products import written_step
from synth_gradio.learn.rules import RowRules
from synth_gradio.learn.trees import Tree

SKETCH = 17  # quantiles of the residual kept per leaf for a number column
# Their levels, finer in the tails: a draw is linear between two kept quantiles, and between the
# minimum and the 1/16 quantile (the even levels models stored before keep) it put 2.8% of draws
# below the 1% quantile; a bike table's first and last day came out 4 and 2.7 times as often as any.
LEVELS = (0.0, 0.005, 0.02, 0.05, 0.1, 0.175, 0.25, 0.375, 0.5, 0.625, 0.75, 0.825, 0.9, 0.95, 0.98, 0.995, 1.0)
EVEN = tuple(np.linspace(0.0, 1.0, SKETCH).tolist())
IQR_PER_SD = 1.349
MAX_SMOOTHING = 4.0
PRIOR = 0.5  # rows' worth of the column's overall shares mixed into each leaf's category shares
MAX_LEAVES = 512
FEW_VALUES = 10  # a boolean or number with at most this many values is drawn by its leaf's shares
CLASS_LIMIT = 64  # a number with more values is drawn by rank (a sketch); a category's tree splits on its
# CLASS_LIMIT - 1 commonest values and the rest together, its leaves count every value (models stored
# before drew such a category by rank too)
DIGITS = 6


def column_order(specs: list[dict[str, Any]]) -> list[int]:
    """Columns drawn by value shares first (fewest values first), then the others as given.

    A category drawn early splits the table into groups whose numbers the later trees model
    separately, which is where a copula's single correlation falls short.
    """
    discrete = [i for i, s in enumerate(specs) if by_class(s)]
    continuous = [i for i, s in enumerate(specs) if not by_class(s)]
    return sorted(discrete, key=lambda i: (outcomes(specs[i]), i)) + continuous


def by_class(spec: dict[str, Any]) -> bool:
    """Whether a column's leaves keep value shares rather than a line plus residuals over ranks.

    Shares: a category with up to CLASS_LIMIT values, or a boolean or number with up to FEW_VALUES
    (their joint cells are what a classifier checks, and a tree's shares keep them). A line: every
    other number and date, whose links to the other columns it keeps as a copula would.
    """
    if spec["kind"] == "category":
        return len(spec["values"]) <= CLASS_LIMIT or "tail" in spec
    return "values" in spec and len(spec["values"]) <= FEW_VALUES


def normal_scores(u: np.ndarray) -> np.ndarray:
    """Normal scores of positions (NaN stays NaN)."""
    return ndtri(np.clip(u, 1e-6, 1 - 1e-6))


def layout(spec: dict[str, Any]) -> np.ndarray | None:
    """How a column enters the line: its normal score (an empty array), one indicator per value but
    the first (the middles of their CDF intervals), or not at all (a category with many values)."""
    if spec["kind"] != "category":
        return np.empty(0)
    if len(spec["values"]) > CLASS_LIMIT:
        return None
    return middles(spec)[1:]


def middles(spec: dict[str, Any]) -> np.ndarray:
    """The middle of each stored value's CDF interval: where a value sits in u space."""
    edges = np.concatenate([[0.0], Marginal(spec).cum])
    return (edges[:-1] + edges[1:]) / 2


def linear_inputs(features: np.ndarray, layouts: list[np.ndarray | None]) -> np.ndarray:
    """An intercept, then per earlier column its normal score or value indicators (a null: zeros)."""
    columns = [np.ones((len(features), 1))]
    for i, how in enumerate(layouts):
        if how is None:
            continue
        if len(how) == 0:
            columns.append(np.nan_to_num(normal_scores(features[:, i]))[:, None])
        else:
            columns.append((np.abs(features[:, i, None] - how[None, :]) < 1e-9).astype(float))
    return np.hstack(columns)


def width(layouts: list[np.ndarray | None]) -> int:
    return 1 + sum(1 if len(how) == 0 else len(how) for how in layouts if how is not None)


class _Step:
    """The sampling side of one column's stored step."""

    def __init__(self, data: dict[str, Any], spec: dict[str, Any], smoothing: float, levels: np.ndarray) -> None:
        self.column = int(data["column"])
        self.smoothing = float(smoothing)
        self.levels = levels
        self.quartiles = np.searchsorted(levels, (0.25, 0.5, 0.75))  # where the sketch keeps them
        self.spec = spec
        self.marginal = Marginal(spec)
        self.null_tree = self.null_share = None
        if "null" in data:
            self.null_tree = Tree.from_dict(data["null"]["tree"])
            self.null_share = np.asarray(data["null"]["share"], dtype=float)
            _check_leaves(self.null_tree, self.null_share, spec)
        self.tree = Tree.from_dict(data["tree"]) if "tree" in data else None
        self.cum = self.sketch = self.near = None
        self.middles = middles(spec) if "values" in spec else None
        if "shares" in data or "counts" in data:
            shares = np.asarray(data["shares"], dtype=float) if "shares" in data else _from_counts(data, spec)
            if shares.ndim != 2 or shares.shape[1] != len(spec["values"]):
                raise ValueError(f"column {spec['name']} has leaf shares that do not match its values")
            cum = np.cumsum(shares, axis=1)
            self.cum = cum / cum[:, -1:]
            _check_leaves(self.tree, self.cum, spec)
        elif "sketch" in data:
            self.sketch = np.asarray(data["sketch"], dtype=float)
            self.near = data.get("near")  # a line in values or logs (nearlaw.py) rather than in normal scores
            self.beta = np.asarray(data["linear"], dtype=float) if self.near is None else None
            _check_leaves(self.tree, self.sketch, spec)

    def _smoothed(self, residual: np.ndarray, leaf: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A kernel around each draw (`smoothing` times the leaf's spread), shrunk to keep the spread."""
        lower, middle, upper = self.quartiles
        centre = self.sketch[leaf, middle]
        spread = (self.sketch[leaf, upper] - self.sketch[leaf, lower]) / IQR_PER_SD
        b = self.smoothing
        return centre + (residual - centre + b * spread * rng.standard_normal(len(leaf))) / np.sqrt(1 + b * b)

    def missing(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        rows = len(x)
        if self.null_tree is not None:
            return rng.random(rows) < self.null_share[self.null_tree.apply(x)]
        return np.full(rows, self.spec["null_share"] >= 1)

    def positions(self, x: np.ndarray, inputs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """u for each row: a line plus the leaf's residual, or the leaf's shares; the middle if constant."""
        rows = len(x)
        if self.tree is None:
            return np.full(rows, 0.5)
        leaf = self.tree.apply(x)
        v = rng.random(rows)
        if self.sketch is not None:
            at = np.interp(v, self.levels, np.arange(SKETCH, dtype=float))
            low = np.minimum(at.astype(int), SKETCH - 2)
            frac = at - low
            residual = self.sketch[leaf, low] * (1 - frac) + self.sketch[leaf, low + 1] * frac
            if self.smoothing > 0:
                residual = self._smoothed(residual, leaf, rng)
            if self.near is not None:  # `inputs` is the near-law's line
                return to_positions(self.marginal, near_value(self.near, inputs, residual), self.middles)
            u = ndtr(inputs @ self.beta + residual)
            if self.middles is None:
                return u
            code = np.minimum(np.searchsorted(self.marginal.cum, u, side="right"), len(self.middles) - 1)
            return self.middles[code]  # the middle of the value drawn
        # inverse CDF per row: each leaf's cumulative shares, offset by the leaf number, are one sorted array
        width = self.cum.shape[1]
        flat = (self.cum + np.arange(len(self.cum))[:, None]).ravel()
        code = np.searchsorted(flat, leaf + v * (1 - 1e-12), side="right") - leaf * width
        return self.middles[np.clip(code, 0, width - 1)]


def near_input(near: dict[str, Any], position: int, step: _Step, u: np.ndarray) -> np.ndarray:
    """A near-law's input at positions u: a category's value codes, or a number as it is written."""
    if str(position) in near.get("levels", {}):
        return np.minimum(np.searchsorted(step.marginal.cum, u, side="right"), len(step.marginal.values) - 1)
    return as_written(step, u)


def as_written(step: _Step, u: np.ndarray) -> np.ndarray:
    """A near-law's input at positions u, rounded as it is written (a day, a cent): the law was
    fitted on written values, and a ship date a day after its order date, read off the order's
    unrounded time, came out 0 or 2 days after it in 30% of rows once both were written as days."""
    numbers = to_numbers(step.marginal, u)
    if "atom" in step.spec:  # drawn where nulls are (marginals.find_atom), and no null to a law
        numbers = np.where(np.isnan(u), float(step.spec["atom"]), numbers)
    unit = written_step(step.spec)
    return np.round(numbers / unit) * unit if unit > 0 else numbers


def _from_counts(data: dict[str, Any], spec: dict[str, Any]) -> np.ndarray:
    """Leaf shares from sparse per-leaf value counts (a category with many values), mixed with the
    column's overall shares as `leaves.leaf_shares` mixes them."""
    counts = data["counts"]
    leaves = int(counts["leaves"])
    table = np.zeros((leaves, len(spec["values"])))
    leaf, code = np.asarray(counts["leaf"], dtype=int), np.asarray(counts["code"], dtype=int)
    if len(leaf) and (leaf.min() < 0 or leaf.max() >= leaves or code.min() < 0 or code.max() >= table.shape[1]):
        raise ValueError(f"column {spec['name']} has leaf counts outside its leaves or values")
    np.add.at(table, (leaf, code), np.asarray(counts["rows"], dtype=float))
    prior = np.asarray(spec["probs"], dtype=float)
    return (table + PRIOR * prior) / (table.sum(axis=1, keepdims=True) + PRIOR)


def numeric(spec: dict[str, Any]) -> bool:
    """A column of numbers (a grid or a set of values) or of dates on a grid (as seconds): what a
    near-law may tie (a first payment a few days after its account was opened)."""
    if spec["kind"] == "datetime":
        return "quantiles" in spec
    if spec["kind"] not in ("number", "discrete"):
        return False
    return "quantiles" in spec or all(isinstance(v, int | float) and not isinstance(v, bool) for v in spec["values"])


def _check_near(step: _Step, before: list[_Step]) -> None:
    near = step.near
    inputs = [int(p) for p in near["inputs"]] if isinstance(near, dict) and "inputs" in near else None
    levels = near.get("levels", {}) if isinstance(near, dict) else {}

    def width(p: int) -> int:  # a number is one column of the law, a category one per value past its first
        return int(levels[str(p)]) - 1 if str(p) in levels else 1

    def usable(p: int) -> bool:
        if not 0 <= p < len(before):
            return False
        if str(p) in levels:
            return by_class(before[p].spec) and len(before[p].spec.get("values", [])) == int(levels[str(p)])
        return numeric(before[p].spec)

    if (
        inputs is None
        or not numeric(step.spec)
        or not all(usable(p) for p in inputs)
        or len(near.get("coef", [])) != 1 + sum(width(p) for p in inputs)
    ):
        raise ValueError(f"column {step.spec['name']} has a near-law over columns it cannot be drawn from")


def _check_leaves(tree: Tree | None, payload: np.ndarray, spec: dict[str, Any]) -> None:
    if tree is None or len(payload) != tree.leaves or not np.all(np.isfinite(payload)):
        raise ValueError(f"column {spec['name']} has a tree whose leaves do not match what they store")


class SequentialPart:
    """Draws rows column by column in the stored order, each from its tree's leaf."""

    def __init__(self, data: dict[str, Any], names: list[str]) -> None:
        self.specs: list[dict[str, Any]] = list(data["columns"])
        if [spec["name"] for spec in self.specs] != names:
            raise ValueError("a part's columns differ from the model's")
        smoothing = float(data.get("smoothing", 0.0))
        if not 0 <= smoothing <= MAX_SMOOTHING:
            raise ValueError(f"a sequential part has smoothing {smoothing} outside [0, {MAX_SMOOTHING}]")
        levels = np.asarray(data.get("sketch_levels", EVEN), dtype=float)  # absent before: even levels
        if len(levels) != SKETCH or np.any(np.diff(levels) <= 0) or levels[0] != 0 or levels[-1] != 1:
            raise ValueError("a sequential part's sketch levels are not SKETCH rising levels from 0 to 1")
        self.steps = [_Step(step, self.specs[int(step["column"])], smoothing, levels) for step in data["steps"]]
        if sorted(step.column for step in self.steps) != list(range(len(self.specs))):
            raise ValueError("a sequential part does not draw every column once")
        self.rules = RowRules(dict(data.get("laws", {})), self.specs)
        by_column = {step.column: step for step in self.steps}
        self.marginals = [by_column[k].marginal for k in range(len(self.specs))]
        self.layouts = [layout(self.specs[step.column]) for step in self.steps]
        for position, step in enumerate(self.steps):
            if step.near is not None:
                _check_near(step, self.steps[:position])
            elif step.sketch is not None and len(step.beta) != width(self.layouts[:position]):
                raise ValueError(f"column {step.spec['name']} has a line over the wrong number of columns")
        # columns a near-law ties: a broken order between them is drawn again, not swapped (keep_laws.py)
        self.near_tied = {s.column for s in self.steps if s.near is not None} | {
            self.steps[int(p)].column for s in self.steps if s.near is not None for p in s.near["inputs"]
        }
        ranked = [s.column for s in self.steps if s.sketch is not None and s.column not in self.near_tied]
        self.mend_column = ranked[-1] if ranked else None  # the last number drawn by rank (model._mend)

    def draw(
        self,
        rows: int,
        rng: np.random.Generator,
        given: dict[int, pd.Series] | None = None,
        present: frozenset[int] = frozenset(),
    ) -> list[list[Any]]:
        """`rows` values of every column, in the model's column order (nulls as None).

        `given`: values of some columns (by index, `rows` each), kept as they are; the columns drawn
        after them in the stored order are conditioned on them. `present`: columns (by index) drawn
        as if their null tree had said "not null" (a state known to change, stays.py).
        """
        return redraw_outside(lambda n, known: self._draw(n, rng, known or {}, present), rows, given)

    def _draw(
        self, rows: int, rng: np.random.Generator, given: dict[int, pd.Series], present: frozenset[int]
    ) -> tuple[list[list[Any]], np.ndarray]:
        features = np.full((rows, len(self.steps)), np.nan)
        out: list[list[Any]] = [[] for _ in self.specs]
        positions: dict[int, np.ndarray] = {}
        calendar, dates = self.rules.calendar, None
        for position, step in enumerate(self.steps):
            if step.column in given:
                series = given[step.column].reset_index(drop=True)
                features[:, position] = positions[step.column] = step.marginal.positions(series)
                out[step.column] = [None if pd.isna(v) else v for v in series.tolist()]
                continue
            x = features[:, :position]
            missing = step.missing(x, rng) & (step.column not in present)
            if step.near is not None:
                numbers = [near_input(step.near, p, self.steps[p], features[:, p]) for p in step.near["inputs"]]
                inputs = near_line(step.near, numbers)
            else:
                inputs = linear_inputs(x, self.layouts[:position]) if step.sketch is not None else x
            u = step.positions(x, inputs, rng)
            values = step.marginal.decode(u)
            u[missing] = np.nan
            if step.column in calendar.columns:  # its date came first (calendar.dates_first)
                dates = dates or calendar.parts(out)
                out[step.column] = values
                values = calendar.write(step.column, out, dates)
                u = step.marginal.positions(pd.Series(values, dtype=object))
            features[:, position] = u
            positions[step.column] = u
            if missing.any():
                fill = step.spec.get("atom")  # a value apart, drawn where nulls are (marginals.find_atom)
                values = [fill if m else v for v, m in zip(values, missing.tolist(), strict=True)]
            out[step.column] = values
        return out, self.rules.keep(out, self.marginals, positions, set(given), rng, self.near_tied)
