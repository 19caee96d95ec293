"""Pairs of values two category columns never take together: a sales role in the HR department,
a gaming laptop's netbook screen, a clinic's paediatric ward for a pensioner.

Why: where one value fixes the other (depends.py) the pair is kept already, but most such links are
many-to-many ("Manager" is a role of two departments, each department has several roles). A
tree's leaf holds at least a few dozen training rows so that drawn rows sit no closer to real
ones than unseen real rows do, and a small department shares a leaf with a large one; the copula
keeps one correlation per pair. Both then draw combinations no real row has: on an HR-like table
of our own, 81 of 148 drawn HR-department rows had a sales role. A combination is forbidden when
no training row has it although, were the two columns unrelated, at least MIN_EXPECTED rows would;
a pair of columns is kept when such combinations would hold at least MIN_MASS of the rows, and
then every absent combination an unrelated pair would fill at least KEPT_EXPECTED times is
forbidden (a small department's absent roles, expected 4.9 times each, are as telling).
Drawn rows that break a kept pair have the column with more values drawn again among the values
that fit every kept partner, in proportion to its shares (a number column, a scale or a code of at
most MAX_NUMBERS values, moves to the nearest value that fits).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.codeforms import FORM
from synth_gradio.learn.marginals import Marginal
from synth_gradio.learn.presence import HAS

MIN_EXPECTED = 5.0  # rows an unrelated pair would put in a combination before its absence counts
MIN_MASS = 0.01  # share of rows an unrelated pair would put in absent combinations
KEPT_EXPECTED = 1.0  # in a kept pair, an absent combination this likely is forbidden too
Z_ABSENT = 8.0  # standard deviations by which a pair's empty combinations exceed chance, together
FAINT_EXPECTED = 0.1  # ... and then an empty combination this likely is forbidden, of a fine value
VALUE_EXPECTED = 1.0  # whose empty combinations together would hold this many rows (chance: e^-1 = 37%).
# Fine columns of numbers (a waiting time by party size) are left to the rule above: with their faint
# gaps forbidden, the travel-choice set's parent-child trend gap went from .099 to .146
FIT_ROWS = 20_000
KINDS = ("category", "discrete", "boolean")
MAX_NUMBERS = 20  # a discrete number column takes part with at most this many values (a scale, a code)


def find_combos(rows: pd.DataFrame, specs: list[dict[str, Any]], skip: set[frozenset[int]]) -> list[dict[str, Any]]:
    """[{"column": k, "partner": p, "never": [[value of k, value of p], ...]}] for each kept pair,
    values as written; k is the column with more values (drawn again when a row breaks the pair).
    Pairs in `skip` (one value fixes the other: depends.py) are left to their own rule."""
    if len(rows) > FIT_ROWS:
        rows = rows.sample(FIT_ROWS, random_state=0)
    usable = [
        k
        for k, s in enumerate(specs)
        if s["kind"] in KINDS and 1 < len(s.get("values", [])) <= _most(s) and not bookkeeping(s["name"])
    ]
    codes = {k: Marginal(specs[k]).codes(rows[specs[k]["name"]]) for k in usable}
    out = []
    for at, a in enumerate(usable):
        for b in usable[at + 1 :]:
            if frozenset((a, b)) in skip:
                continue
            fine, coarse = (b, a) if len(specs[b]["values"]) >= len(specs[a]["values"]) else (a, b)
            sizes = len(specs[fine]["values"]), len(specs[coarse]["values"])
            never = never_seen(codes[fine], codes[coarse], *sizes, faint=specs[fine]["kind"] == "category")
            if never is None:
                continue
            fine_values, coarse_values = specs[fine]["values"], specs[coarse]["values"]
            pairs = [[fine_values[i], coarse_values[j]] for i, j in zip(*np.nonzero(never), strict=True)]
            out.append({"column": fine, "partner": coarse, "never": pairs})
    return out


def bookkeeping(name: str) -> bool:
    """A related table's own columns (a count of children, a step's number: related.py), also as a
    parent's column in its children ('^#n:...'): the plan draws and uses them, and a count moved to
    fit a category moved the orders' amounts' lag-1 gap on the shop set from .09 to .105."""
    return name.startswith(("#", "^#")) and not name.startswith((FORM, HAS))  # a code's form is content


def _most(spec: dict[str, Any]) -> float:
    """How many values a column may have to take part. A number column of many values (randhie's
    log payments: 451) has a sparse table with each other column whose gaps are mostly chance:
    with them kept, detection AUC on randhie rose from .68 to .71-.73 over two seeds."""
    return MAX_NUMBERS if spec["kind"] == "discrete" else float("inf")


def never_seen(
    fine: np.ndarray, coarse: np.ndarray, rows_of: int, cols_of: int, *, faint: bool = False
) -> np.ndarray | None:
    """The fine-by-coarse table of combinations that count as absent, or None when they would hold
    under MIN_MASS of the rows (codes below 0, nulls and values not kept, are left out); `faint`
    (a fine column of categories) also looks at gaps too faint to count alone."""
    seen = (fine >= 0) & (coarse >= 0)
    total = int(seen.sum())
    if total == 0:
        return None
    counts = np.bincount(fine[seen] * cols_of + coarse[seen], minlength=rows_of * cols_of).reshape(rows_of, cols_of)
    expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / total
    empty = counts == 0
    never = np.zeros_like(empty)
    if expected[empty & (expected >= MIN_EXPECTED)].sum() >= MIN_MASS * total:
        never |= empty & (expected >= KEPT_EXPECTED)
    if faint and _gaps_together(counts, expected, total):  # ... in the fine values whose own gaps tell
        telling = (expected * empty).sum(axis=1) >= VALUE_EXPECTED
        never |= empty & (expected >= FAINT_EXPECTED) & telling[:, None]
    return never if never.any() else None


def _gaps_together(counts: np.ndarray, expected: np.ndarray, total: int) -> bool:
    """Whether the absent combinations, each too faint to count alone, are together far more than
    an unrelated pair leaves empty (Poisson: a cell expected e times is empty with chance exp(-e)).
    A review's 32 wordings by 5 ratings: each wording 8 to 15 times, so no empty cell was expected
    5 times, yet the empty ones would have held 184 rows where chance leaves 35 (z 26); a rating
    of 2 drew 'Love this kettle, would buy again' in 1 row of 5. A wording by product: z -0.6."""
    absent = float(expected[counts == 0].sum())
    chance = np.exp(-expected)
    mean = float(np.sum(expected * chance))
    spread = float(np.sqrt(np.sum(expected**2 * chance * (1 - chance))))
    return absent >= MIN_MASS * total and absent - mean >= Z_ABSENT * max(spread, 1.0)


class Combos:
    """The sampling side: `keep(out, given, rng)` draws again the values of rows that break a pair."""

    def __init__(self, found: list[dict[str, Any]], specs: list[dict[str, Any]]) -> None:
        self.specs = specs
        self.marginals: dict[int, Marginal] = {}
        fits: dict[int, dict[int, np.ndarray]] = {}  # fine column -> partner -> allowed[partner code, fine code]
        for item in found:
            fine, partner = int(item["column"]), int(item["partner"])
            if any(not 0 <= k < len(specs) or "values" not in specs[k] for k in (fine, partner)):
                raise ValueError("a stored pair of values never seen together points at a column without values")
            for k in (fine, partner):
                self.marginals.setdefault(k, Marginal(specs[k]))
            allowed = np.ones((len(specs[partner]["values"]), len(specs[fine]["values"])), dtype=bool)
            pairs = list(item["never"])
            f = self._codes(fine, [p[0] for p in pairs])
            c = self._codes(partner, [p[1] for p in pairs])
            ok = (f >= 0) & (c >= 0)
            allowed[c[ok], f[ok]] = False
            fits.setdefault(fine, {})[partner] = allowed
        self.items = [(k, fits[k]) for k in sorted(fits)]
        self.probs = {k: np.asarray(specs[k]["probs"], dtype=float) for k in fits}

    def _codes(self, k: int, values: list[Any]) -> np.ndarray:
        return self.marginals[k].codes(pd.Series(values, dtype=object))

    def keep(self, out: list[list[Any]], given: set[int], rng: np.random.Generator) -> None:
        """Rewrite, in place, fine values that no kept partner allows (a given fine value stays)."""
        codes: dict[int, np.ndarray] = {}

        def code(k: int) -> np.ndarray:
            if k not in codes:
                codes[k] = self._codes(k, out[k])
            return codes[k]

        for fine, partners in self.items:
            if fine in given:
                continue
            mine = code(fine)
            fit = np.ones((len(mine), len(self.probs[fine])), dtype=bool)
            for partner, allowed in partners.items():
                have = code(partner)
                fit &= np.where((have >= 0)[:, None], allowed[np.maximum(have, 0)], True)
            broken = (mine >= 0) & ~fit[np.arange(len(mine)), np.maximum(mine, 0)]
            weights = fit[broken] * self.probs[fine]
            totals = weights.sum(axis=1)
            rows, weights, totals = np.flatnonzero(broken)[totals > 0], weights[totals > 0], totals[totals > 0]
            if not len(rows):
                continue
            values = self.specs[fine]["values"]
            if self.specs[fine]["kind"] == "discrete":  # a number moves to the nearest value that fits
                gap = np.abs(
                    np.asarray(values, dtype=float)[None, :] - np.asarray(values, dtype=float)[mine[rows]][:, None]
                )
                picks = np.where(weights > 0, gap, np.inf).argmin(axis=1)
            else:
                cum = np.cumsum(weights, axis=1) / totals[:, None]
                picks = np.minimum((cum < rng.random(len(rows))[:, None]).sum(axis=1), weights.shape[1] - 1)
            for row, pick in zip(rows.tolist(), picks.tolist(), strict=True):
                out[fine][row] = values[pick]
            mine[rows] = picks  # a code is the value's index: a later column's partner reads it as drawn
