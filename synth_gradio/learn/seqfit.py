"""Fitting the sequential model (sequential.py draws from it), in two stages that a privacy refit shares.

Why two stages: the privacy check (fit.py) may refit with leaves twice and four times as big. What
does not depend on the leaf size, each column's positions in u space, its line on the earlier
columns and the residuals, is computed once (`SequentialFit`); only the trees and what their leaves
keep are grown again (`part`). The trees of different columns are independent once the positions
are known, so they are grown on a few threads: scikit-learn builds a tree without holding the GIL.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.laws import as_numbers
from synth_gradio.learn.leaves import leaf_counts, leaf_shares, leaf_sketch
from synth_gradio.learn.marginals import Marginal, outcomes
from synth_gradio.learn.nearlaw import MAX_LEVELS, find_near
from synth_gradio.learn.sequential import (
    CLASS_LIMIT,
    LEVELS,
    MAX_LEAVES,
    by_class,
    column_order,
    layout,
    linear_inputs,
    normal_scores,
    numeric,
)
from synth_gradio.learn.trees import Tree, grow

RIDGE = 1e-4  # ridge penalty per row on the normal scores of earlier columns
THREADS = 4  # trees grown at once, at most (and never more than the cores)


def _positions(marginal: Marginal, series: pd.Series, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Each training value's u (middle of its CDF interval, NaN if null or rare), a u drawn at random
    within that interval, and its code.

    The middle is what later columns condition on (as drawn values are); the random u is what this
    column's line is fitted to, so its normal score is the latent one: a line fitted to middles of a
    few-valued column would be cut into values a second time and weaken every link it has.
    """
    lo, hi = marginal.bounds(series)
    codes = marginal.codes(series) if "quantiles" not in marginal.spec else np.full(len(series), -1)
    return (lo + hi) / 2, lo + (hi - lo) * rng.random(len(lo)), codes


def _grouping(spec: dict[str, Any], codes: np.ndarray) -> bool:
    """Whether a category may add an amount per value to a near-law: a few values, none null or rare."""
    few = spec["kind"] in ("category", "boolean") and 2 <= len(spec.get("values", [])) <= MAX_LEVELS
    return few and "tail" not in spec and spec["null_share"] == 0 and bool(np.all(codes >= 0))


def _linear(inputs: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Ridge coefficients of z on the inputs (a light penalty keeps collinear columns stable)."""
    gram = inputs.T @ inputs
    penalty = RIDGE * len(z) * np.eye(len(gram))
    penalty[0, 0] = 0.0
    return np.linalg.solve(gram + penalty, inputs.T @ z)


class SequentialFit:
    """What every refit of one table shares: the column order, positions, lines and residuals."""

    def __init__(
        self, rows: pd.DataFrame, specs: list[dict[str, Any]], *, seed: int, first: list[int] | None = None
    ) -> None:
        first = list(first or [])
        for spec in specs:  # a category with many values: shares of the commonest and of the rest
            if spec["kind"] == "category" and len(spec["values"]) > CLASS_LIMIT:
                spec["tail"] = CLASS_LIMIT
        self.order = first + [i for i in column_order(specs) if i not in first]
        self.specs, self.seed, self.rows = specs, seed, len(rows)
        rng = np.random.default_rng(seed)
        self.features = np.full((len(rows), len(specs)), np.nan)
        self.columns: list[dict[str, Any]] = []
        values: dict[int, np.ndarray] = {}  # earlier numbers without nulls: a near-law's possible inputs
        groups: dict[int, np.ndarray] = {}  # earlier few-valued categories' codes: amounts it may add
        for position, index in enumerate(self.order):
            spec = specs[index]
            series = Marginal(spec).inner(rows[spec["name"]])  # a value apart is drawn as nulls are
            u, latent, codes = _positions(Marginal(spec), series, rng)
            column: dict[str, Any] = {"index": index, "seen": ~np.isnan(u), "codes": codes}
            if 0 < spec["null_share"] < 1:
                column["missing"] = series.isna().to_numpy().astype(int)
            number = as_numbers(spec, series) if numeric(spec) and outcomes(spec) >= 2 else None
            if outcomes(spec) >= 2 and column["seen"].sum() >= 2 and not by_class(spec):
                near = find_near(number, values, seed, groups) if number is not None else None
                if near is not None:
                    column["residual"], column["near"] = near.pop("residual"), near
                else:
                    self._line(column, position, latent)
            if number is not None and spec["null_share"] == 0:  # a few-valued one too (a route's distance)
                values[position] = number
            elif _grouping(spec, codes):
                groups[position] = codes
            elif number is not None and "atom" in spec:  # a value apart is no null to a law: a customer's
                values[position] = as_numbers(spec, rows[spec["name"]])  # total charges x months, 72 the cap
            self.features[:, position] = u
            self.columns.append(column)

    def _line(self, column: dict[str, Any], position: int, latent: np.ndarray) -> None:
        """The column's normal score on the earlier columns: coefficients, and the residual per seen row."""
        seen = column["seen"]
        layouts = [layout(self.specs[i]) for i in self.order[:position]]
        inputs = linear_inputs(self.features[seen, :position], layouts)
        z = normal_scores(latent[seen])
        beta = _linear(inputs, z)
        column["linear"], column["residual"] = beta, z - inputs @ beta

    def part(self, min_leaf: int, laws: dict[str, Any]) -> dict[str, Any]:
        """A stored sequential part with leaves of at least `min_leaf` training rows, keeping `laws`
        (laws.find_laws on the same rows)."""
        max_leaves = int(max(2, min(MAX_LEAVES, self.rows // max(1, min_leaf))))
        threads = max(1, min(THREADS, os.cpu_count() or 1))
        with ThreadPoolExecutor(threads) as pool:
            steps = list(pool.map(lambda p: self._step(p, min_leaf, max_leaves), range(len(self.order))))
        part = {"kind": "sequential", "rows": self.rows, "columns": self.specs, "min_leaf": int(min_leaf)}
        return {**part, "steps": steps, "smoothing": 0.0, "laws": laws, "sketch_levels": list(LEVELS)}

    def _step(self, position: int, min_leaf: int, max_leaves: int) -> dict[str, Any]:
        column = self.columns[position]
        spec = self.specs[column["index"]]
        x = self.features[:, :position]

        def grow_tree(x: np.ndarray, y: np.ndarray, classify: bool) -> Tree:
            return grow(x, y, classify=classify, min_leaf=min_leaf, max_leaves=max_leaves, seed=self.seed)

        step: dict[str, Any] = {"column": column["index"]}
        if "missing" in column:
            tree = grow_tree(x, column["missing"], True)
            share = np.array([1.0 - spec["null_share"], spec["null_share"]])
            shares = leaf_shares(tree.apply(x), column["missing"], tree.leaves, share)
            step["null"] = {"tree": tree.to_dict(), "share": shares[:, 1].tolist()}
        seen = column["seen"]
        if outcomes(spec) < 2 or seen.sum() < 2:
            return step
        if by_class(spec):
            codes = column["codes"][seen]
            tree = grow_tree(x[seen], np.minimum(codes, CLASS_LIMIT - 1), True)  # many values: the commonest
            step["tree"] = tree.to_dict()
            if "tail" in spec:
                step["counts"] = leaf_counts(tree.apply(x[seen]), codes, tree.leaves)
            else:
                prior = np.asarray(spec["probs"], float)
                step["shares"] = leaf_shares(tree.apply(x[seen]), codes, tree.leaves, prior).tolist()
            return step
        tree = grow_tree(x[seen], column["residual"], False)
        step["tree"] = tree.to_dict()
        if "near" in column:
            step["near"] = column["near"]
        else:
            step["linear"] = np.round(column["linear"], 8).tolist()
        step["sketch"] = leaf_sketch(tree.apply(x[seen]), column["residual"], tree.leaves).tolist()
        return step
