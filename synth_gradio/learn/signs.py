"""Signs and values of a number that a category fixes: a deposit is positive, a withdrawal
negative, a refund never positive, and a fee always 5.

Why: a tree's leaf and a copula's line mix categories whose numbers sit on either side of zero, and
a line over earlier columns (a previous balance) moves a draw across it. On a bank-like table of our
own, 6% of drawn deposits were negative and 5% of withdrawals positive, each a row no reader and no
classifier would take for real. A sign is forbidden for a category's value as combos.py forbids a
pair: no training row has it although, were sign and category unrelated, at least MIN_EXPECTED rows
would, and such absences would hold at least MIN_MASS of the rows (and no sign the column never
has is allowed anywhere). A drawn number that breaks it takes the opposite sign, or zero, where
that is allowed, so its category keeps its share; a row still breaking it after the laws (a number
a law computes, a zero) is drawn again (keep_laws.redraw_outside). A value of the category whose
rows all hold one number (`_pins`) sets it: a leaf needs a few dozen rows, and in a first step of
300 movements, 18 of them fees, 86% of drawn fees had other amounts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.combos import FIT_ROWS, KINDS, bookkeeping, never_seen
from synth_gradio.learn.marginals import Marginal

SIGNS = ("negative", "zero", "positive")
MAX_VALUES = 64  # a partner with more values is left out (its cells are mostly chance)
MIN_PIN, CHANCE = 10, 1e-3  # a partner's value fixes a number (_pins)
FEW_NUMBERS = 10  # a number partner with at most this many values (a star rating): one with more
# (modechoice's 19 terminal times) has a sparse table whose gaps are mostly chance


def sign_codes(values: Any) -> np.ndarray:
    """0, 1, 2 for a negative, zero and positive number; -1 for a null or a text."""
    numbers = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").to_numpy(dtype=float)
    return np.where(np.isnan(numbers), -1, np.sign(np.nan_to_num(numbers)) + 1).astype(int)


def find_signs(rows: pd.DataFrame, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{"column": number k, "partner": p, "never": [[sign, value of p], ...], "pins": [[value of p,
    number], ...]}] for each pair with a forbidden sign or a pinned value."""
    if len(rows) > FIT_ROWS:
        rows = rows.sample(FIT_ROWS, random_state=0)
    numbers = [k for k, s in enumerate(specs) if s["kind"] in ("number", "discrete") and not bookkeeping(s["name"])]
    partners = [
        k
        for k, s in enumerate(specs)
        if s["kind"] in KINDS
        and 1 < len(s.get("values", [])) <= (FEW_NUMBERS if s["kind"] == "discrete" else MAX_VALUES)
        and not bookkeeping(s["name"])
    ]
    out = []
    partner_codes = {p: Marginal(specs[p]).codes(rows[specs[p]["name"]]) for p in partners}
    for k in numbers:
        numbers_k = pd.to_numeric(rows[specs[k]["name"]], errors="coerce").to_numpy(dtype=float)
        signs = sign_codes(numbers_k)
        mixed = len(np.unique(signs[signs >= 0])) > 1  # a sign may then be forbidden somewhere
        for p in partners:
            if p == k:
                continue
            codes = partner_codes[p]
            values = specs[p]["values"]
            rule: dict[str, Any] = {
                "column": k,
                "partner": p,
                "never": [],
                "pins": _pins(numbers_k, codes, values, _integer(specs[k])),
            }
            never = never_seen(signs, codes, len(SIGNS), len(values)) if mixed else None
            if never is not None:
                never[np.bincount(signs[signs >= 0], minlength=len(SIGNS)) == 0] = True  # no row has it
                rule["never"] = [[SIGNS[i], values[j]] for i, j in zip(*np.nonzero(never), strict=True)]
            if rule["never"] or rule["pins"]:
                out.append(rule)
    return out


def _integer(spec: dict[str, Any]) -> bool:
    """Whether a number column is written as whole numbers (a pinned value is written the same way)."""
    if "values" in spec:
        return all(isinstance(v, int) and not isinstance(v, bool) for v in spec["values"])
    return bool(spec.get("integer"))


def _pins(numbers: np.ndarray, codes: np.ndarray, values: list[Any], integer: bool) -> list[list[Any]]:
    """[[value of the partner, the one number all its rows have], ...]: a fee of 5 beside amounts of
    every size. Kept where MIN_PIN rows or more agree and chance would rarely make them (the
    number's share among all rows, to the power of their count, at most CHANCE)."""
    seen = ~np.isnan(numbers) & (codes >= 0)
    if not seen.any():
        return []
    distinct, counts = np.unique(numbers[seen], return_counts=True)
    if len(distinct) < 2:
        return []
    share = dict(zip(distinct.tolist(), (counts / seen.sum()).tolist(), strict=True))
    out = []
    for code in np.unique(codes[seen]).tolist():
        mine = numbers[seen & (codes == code)]
        if len(mine) >= MIN_PIN and np.all(mine == mine[0]) and share[float(mine[0])] ** len(mine) <= CHANCE:
            number = float(mine[0])
            out.append([values[code], int(number) if integer else number])
    return out


class Signs:
    """The sampling side: `broken(out)` marks drawn rows whose number has a sign its partner forbids."""

    def __init__(self, found: list[dict[str, Any]], specs: list[dict[str, Any]]) -> None:
        self.items: list[tuple[int, int, Marginal, np.ndarray]] = []
        self.pins: list[tuple[int, int, Marginal, dict[int, Any]]] = []
        self.support: dict[int, set[float]] = {}
        for item in found:
            k, p = int(item["column"]), int(item["partner"])
            if not (0 <= k < len(specs) and 0 <= p < len(specs)) or "values" not in specs[p]:
                raise ValueError("a stored sign rule points at a column without values")
            marginal = Marginal(specs[p])
            allowed = np.ones((len(SIGNS), len(specs[p]["values"])), dtype=bool)
            pairs = list(item["never"])
            at = marginal.codes(pd.Series([v for _, v in pairs], dtype=object))
            sign = np.array([SIGNS.index(s) for s, _ in pairs], dtype=int)
            allowed[sign[at >= 0], at[at >= 0]] = False
            if pairs:  # a rule of pins alone forbids no sign: nothing to check per block
                self.items.append((k, p, marginal, allowed))
            if "values" in specs[k]:  # a set of values: a sign is mirrored only onto one of them
                self.support[k] = {float(v) for v in specs[k]["values"] if isinstance(v, int | float)}
            pinned = list(item.get("pins", []))  # absent in rules stored before pins
            code = marginal.codes(pd.Series([v for v, _ in pinned], dtype=object))
            pins = {int(c): n for c, (_, n) in zip(code.tolist(), pinned, strict=True) if c >= 0}
            if pins:
                self.pins.append((k, p, marginal, pins))

    @staticmethod
    def _broken(out: list[list[Any]], k: int, codes: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """Rows whose number `k` has a sign its partner's value (`codes`) forbids."""
        sign = sign_codes(out[k])
        seen = (sign >= 0) & (codes >= 0)
        bad = np.zeros(len(sign), dtype=bool)
        bad[seen] = ~allowed[sign[seen], codes[seen]]
        return bad

    def mend(self, out: list[list[Any]], given: set[int]) -> None:
        """In place, before the laws that compute from it: a drawn number of a forbidden sign takes the
        opposite sign where that is allowed (some row has it), else zero where that is (its category stays as drawn, so
        the categories keep their shares: redrawing such rows drew 2.9% fees where real rows have 5%)."""
        for k, p, marginal, pins in self.pins:
            if k not in given:
                codes = marginal.codes(pd.Series(out[p], dtype=object)).tolist()
                out[k] = [pins.get(c, v) if v is not None else v for c, v in zip(codes, out[k], strict=True)]
        for k, p, marginal, allowed in self.items:
            if k in given:
                continue
            codes = marginal.codes(pd.Series(out[p], dtype=object))
            for row in np.flatnonzero(self._broken(out, k, codes, allowed)).tolist():
                value = out[k][row]
                if value == 0 or (k in self.support and -float(value) not in self.support[k]):
                    continue  # no opposite (zero, or a value the column never takes): drawn again
                if allowed[0 if value > 0 else 2, codes[row]]:
                    out[k][row] = -value
                elif allowed[1, codes[row]]:
                    out[k][row] = type(value)(0)

    def broken(self, out: list[list[Any]], given: set[int]) -> np.ndarray:
        """Rows still breaking a rule after the laws (a number a law computes): drawn again."""
        rows = len(out[0]) if out else 0
        bad = np.zeros(rows, dtype=bool)
        for k, p, marginal, allowed in self.items:
            if not (k in given and p in given):  # else nothing drawn could mend it
                bad |= self._broken(out, k, marginal.codes(pd.Series(out[p], dtype=object)), allowed)
        return bad
