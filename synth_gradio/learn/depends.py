"""A value that fixes others: a city its state, a product code its category, a job code the
department it belongs to (and a code and its name, both ways).

Why: the fine column is drawn after its coarser partners, by value shares or by rank, and a leaf
that mixes groups (or a category's prior shares) can pair a city with another state's name;
a classifier with enough rows sees it, and any reader does. Found on the training rows (in at
least AGREE of them the partner is the one their fine value usually has), stored as the partner's
value per fine value, and kept in every drawn row: a fine value that disagrees with its drawn
partners is drawn again among the values that agree, in proportion to their shares; where no
value agrees, the partners are set from the map.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.marginals import Marginal

AGREE = 0.995  # share of a fine column's rows whose partner is their value's usual one
FIT_ROWS = 20_000
KINDS = ("category", "discrete", "boolean")
NULL, RARE = -1, -2  # partner codes of a null and of a value the marginal does not keep


def _codes(marginal: Marginal, series: pd.Series) -> np.ndarray:
    codes = marginal.codes(series)
    return np.where(series.isna().to_numpy(), NULL, np.where(codes < 0, RARE, codes))


def _usual(fine: np.ndarray, partner: np.ndarray, values: int) -> np.ndarray | None:
    """Each fine value's usual partner code (RARE: no rows, or a rare partner), or None when fewer
    than AGREE of the rows have their value's usual partner. Whole columns only: single values that
    always come with one partner value abound in tables that repeat people (randhie's income
    figure fixes a family's every answer), and enforcing those pulls values from their rows."""
    seen = fine >= 0
    width = int(partner.max()) + 3
    counts = np.bincount(fine[seen] * width + partner[seen] + 2, minlength=values * width).reshape(values, width)
    if counts.max(axis=1).sum() < AGREE * seen.sum():
        return None
    usual = counts.argmax(axis=1) - 2
    return np.where(counts.sum(axis=1) > 0, usual, RARE)


def find_dependencies(rows: pd.DataFrame, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{"column": fine, "partner": k, "values": [fine value, ...], "fixed": [partner value, ...]}],
    values as written (a segment's marginal may order them differently). A partner has no more
    values than its fine column; of a one-to-one pair (a code and its name) the first column fixes
    the other, so fixing goes one way, from fine to coarse."""
    if len(rows) > FIT_ROWS:
        rows = rows.sample(FIT_ROWS, random_state=0)
    usable = [k for k, s in enumerate(specs) if s["kind"] in KINDS and "values" in s and len(s["values"]) > 1]
    codes = {k: _codes(Marginal(specs[k]), rows[specs[k]["name"]]) for k in usable}
    out = []
    for fine in usable:
        size = len(specs[fine]["values"])
        for other in usable:
            count = len(specs[other]["values"])
            if other == fine or count > size or (count == size and other < fine):
                continue
            usual = _usual(codes[fine], codes[other], size)
            fixed = np.flatnonzero(usual != RARE) if usual is not None else []
            if len(fixed) < 2 or len(np.unique(usual[fixed])) < 2:
                continue
            out.append(
                {
                    "column": fine,
                    "partner": other,
                    "values": [specs[fine]["values"][i] for i in fixed.tolist()],
                    "fixed": [None if c == NULL else specs[other]["values"][c] for c in usual[fixed].tolist()],
                }
            )
    return out


class Dependencies:
    """The sampling side: `keep(out, given, rng)` makes drawn rows follow the stored rules."""

    def __init__(self, found: list[dict[str, Any]], specs: list[dict[str, Any]]) -> None:
        self.specs = specs
        self.marginals: dict[int, Marginal] = {}  # built once: keep() runs on every drawn block
        by_fine: dict[int, dict[int, np.ndarray]] = {}
        for item in found:
            fine, partner = int(item["column"]), int(item["partner"])
            if any(not 0 <= k < len(specs) or "values" not in specs[k] for k in (fine, partner)) or len(
                item["values"]
            ) != len(item["fixed"]):
                raise ValueError("a stored rule between values points at columns that do not keep values")
            for k in (fine, partner):
                self.marginals.setdefault(k, Marginal(specs[k]))
            # codes in this part's marginals: RARE where a fine value fixes nothing (or is not kept)
            column = np.full(len(specs[fine]["values"]), RARE)
            at = self._codes(fine, list(item["values"]))
            column[at[at >= 0]] = self._codes(partner, list(item["fixed"]))[at >= 0]
            by_fine.setdefault(fine, {})[partner] = column
        order = sorted(by_fine, key=lambda k: len(specs[k]["values"]))  # coarse first: a fine column sees them final
        self.items = [
            (k, sorted(by_fine[k]), np.column_stack([by_fine[k][p] for p in sorted(by_fine[k])])) for k in order
        ]
        self.probs = {k: np.asarray(specs[k]["probs"], dtype=float) for k in by_fine}

    def _codes(self, k: int, values: list[Any]) -> np.ndarray:
        return _codes(self.marginals[k], pd.Series(values, dtype=object))

    def keep(self, out: list[list[Any]], given: set[int], rng: np.random.Generator) -> None:
        """Rewrite, in place, fine values that break a rule (or, where the fine value is given or no
        fine value fits, the partner values it fixes)."""
        for fine, partners, table in self.items:
            codes = self._codes(fine, out[fine])
            have = np.column_stack([self._codes(k, out[k]) for k in partners])
            expected = np.where((codes >= 0)[:, None], table[np.maximum(codes, 0)], RARE)
            probs = self.probs[fine]
            for row in np.flatnonzero(np.any((expected != RARE) & (expected != have), axis=1)).tolist():
                fits = np.all((table == RARE) | (table == have[row]), axis=1) * probs
                if fine not in given and fits.sum() > 0:
                    out[fine][row] = self.specs[fine]["values"][int(rng.choice(len(fits), p=fits / fits.sum()))]
                    continue
                for k, code in zip(partners, expected[row].tolist(), strict=True):
                    if k not in given and code != RARE:
                        out[k][row] = None if code == NULL else self.specs[k]["values"][code]
