"""One Gaussian copula over a set of rows: the whole training table, or one segment of it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.copula import category_order, factor, latent_correlation, normals, scores, smooth, stratify
from synth_gradio.learn.keep_laws import redraw_outside
from synth_gradio.learn.marginals import Marginal, outcomes, part_marginal
from synth_gradio.learn.polychoric import Buckets, buckets
from synth_gradio.learn.rules import RowRules

MAX_SMOOTHING = 16.0  # grid steps


class _Latent:
    """Collects the latent dimensions of a part while they are assigned."""

    def __init__(self) -> None:
        self.scores: list[np.ndarray] = []
        self.spreads: list[float] = []
        self.coarse: list[Buckets | None] = []

    def add(self, lo: np.ndarray, hi: np.ndarray, coarse: bool = True) -> int:
        score, spread = scores(lo, hi)
        self.scores.append(score)
        self.spreads.append(spread)
        self.coarse.append(buckets(lo, hi) if coarse else None)
        return len(self.scores) - 1

    def matrix(self, rows: int) -> np.ndarray:
        return np.column_stack(self.scores) if self.scores else np.empty((rows, 0))


def _assign(specs: list[dict[str, Any]], rows: pd.DataFrame) -> _Latent:
    """Give each column its latent dimensions (value, null flag); categories come last, ordered."""
    latent = _Latent()
    late = []
    for spec in specs:
        series = Marginal(spec).inner(rows[spec["name"]])  # a value apart is drawn as nulls are
        spec["dim"] = spec["null_dim"] = None
        if 0 < spec["null_share"] < 1:
            missing = series.isna().to_numpy()
            p = spec["null_share"]
            spec["null_dim"] = latent.add(np.where(missing, 0.0, p), np.where(missing, p, 1.0))
        if outcomes(spec) < 2 or spec["null_share"] >= 1:
            continue
        if spec["kind"] in ("category", "boolean"):
            late.append(spec)
            continue
        spec["dim"] = latent.add(*Marginal(spec).bounds(series), coarse="quantiles" not in spec)
    _order_categories(late, rows, np.nan_to_num(latent.matrix(len(rows))))
    for spec in late:
        spec["dim"] = latent.add(*Marginal(spec).bounds(rows[spec["name"]]))
    return latent


def _order_categories(late: list[dict[str, Any]], rows: pd.DataFrame, numeric: np.ndarray) -> None:
    """Order each category's values against the numbers and the other categories (copula.category_order)."""
    codes = {id(spec): Marginal(spec).codes(rows[spec["name"]]) for spec in late}
    for spec in late:
        if len(spec["values"]) < 3:
            continue
        others = [(codes[id(o)], len(o["values"])) for o in late if o is not spec]
        order = category_order(codes[id(spec)], len(spec["values"]), numeric, others)
        spec["values"] = [spec["values"][i] for i in order]
        spec["probs"] = [spec["probs"][i] for i in order]


def fit_part(rows: pd.DataFrame, specs: list[dict[str, Any]]) -> tuple[dict[str, Any], np.ndarray]:
    """A stored part fitted on `rows`, and the rows' latent scores (rows x dims, NaN unobserved)."""
    part_specs = [part_marginal(spec, rows[spec["name"]]) for spec in specs]
    latent = _assign(part_specs, rows)
    matrix = latent.matrix(len(rows))
    dims = matrix.shape[1]
    corr = latent_correlation(matrix, np.asarray(latent.spreads), latent.coarse) if dims else np.empty((0, 0))
    part = {"rows": len(rows), "columns": part_specs, "dims": dims, "correlation": np.round(corr, 8).tolist()}
    return part, matrix


class Part:
    """The sampling side of a stored part."""

    def __init__(self, data: dict[str, Any], names: list[str]) -> None:
        self.specs: list[dict[str, Any]] = list(data["columns"])
        if [spec["name"] for spec in self.specs] != names:
            raise ValueError("a part's columns differ from the model's")
        dims = int(data["dims"])
        corr = np.asarray(data["correlation"], dtype=float).reshape(dims, dims)
        if not np.all(np.isfinite(corr)):
            raise ValueError("a correlation matrix has non-numbers")
        for spec in self.specs:
            for key in ("dim", "null_dim"):
                if spec[key] is not None and not 0 <= int(spec[key]) < dims:
                    raise ValueError(f"column {spec['name']} points outside its correlation matrix")
            if not 0 <= float(spec["null_share"]) <= 1:
                raise ValueError(f"column {spec['name']} has a null share outside [0, 1]")
        self.marginals = [Marginal(spec) for spec in self.specs]
        self.lower = factor(corr)
        self.rules = RowRules(dict(data.get("laws", {})), self.specs)  # parts stored before laws have none
        self.smoothing = float(data.get("smoothing", 0.0))  # and before privacy smoothing, none
        if not 0 <= self.smoothing <= MAX_SMOOTHING:
            raise ValueError(f"a copula part has smoothing {self.smoothing} outside [0, {MAX_SMOOTHING}]")

    def draw(self, rows: int, rng: np.random.Generator) -> list[list[Any]]:
        """`rows` values of every column, column by column (nulls as None), laws kept in range."""
        return redraw_outside(lambda n, _: self._draw(n, rng), rows, None)

    def _draw(self, rows: int, rng: np.random.Generator) -> tuple[list[list[Any]], np.ndarray]:
        z = normals(self.lower, rows, rng)
        middle = np.full(rows, 0.5)
        out = []
        positions = {}
        for spec, marginal in zip(self.specs, self.marginals, strict=True):
            missing = np.zeros(rows, dtype=bool)
            if spec["null_dim"] is not None:
                missing = stratify(z[:, spec["null_dim"]], rng) < spec["null_share"]
            elif spec["null_share"] >= 1:
                missing[:] = True
            u = middle.copy()
            if spec["dim"] is not None and (~missing).any():
                # ranks among the non-null rows only, so the non-null values keep the fitted marginal
                u[~missing] = stratify(z[~missing, spec["dim"]], rng)
                if self.smoothing and "quantiles" in spec:  # privacy (copriv.py): between the grid's points
                    u[~missing] = smooth(u[~missing], self.smoothing / len(marginal.grid), rng)
            values = marginal.decode(u)
            positions[len(out)] = np.where(missing, np.nan, u)
            if missing.any():
                fill = spec.get("atom")  # a value apart, drawn where nulls are (marginals.find_atom)
                values = [fill if m else v for v, m in zip(values, missing.tolist(), strict=True)]
            out.append(values)
        return out, self.rules.keep(out, self.marginals, positions, set(), rng)
