"""Laws kept in drawn rows: orders restored, totals and products computed from their parts, and
rows a computed value pushes out of its column's real range drawn again.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.bounds import broken, columns_of
from synth_gradio.learn.functions import compute
from synth_gradio.learn.marginals import Marginal
from synth_gradio.learn.products import product, written_range, written_step


def apply_laws(laws: dict[str, Any], numbers: dict[int, np.ndarray], steps: dict[int, float] | None = None) -> None:
    """Orders restored by swapping, then totals and products computed from their parts (in place).

    Orders come first because a swap may move a factor; no order involves a computed column. A
    computed value is rounded to its column's written `steps` at once, so a later law that reads it
    reads what a reader of the row would (a chain of unrounded totals drifts a whole unit). A
    computed column drawn null stays null: a law found where it has a value says nothing of where
    it has none (a state that changes is 1 - its previous value, and missing where it did not).
    """
    steps = steps or {}

    def written(k: int, values: np.ndarray) -> np.ndarray:
        step = steps.get(k)
        return np.round(values / step) * step if step else values

    for a, b in laws.get("orders", []):
        low, high = numbers[a], numbers[b]
        broken = low > high
        if broken.any():
            low[broken], high[broken] = high[broken].copy(), low[broken].copy()
    for law in laws.get("sums", []):
        total = np.full_like(numbers[law["column"]], float(law["constant"]))
        for i, c in law["terms"]:
            total = total + float(c) * numbers[int(i)]
        k = law["column"]
        numbers[k] = np.where(np.isnan(total) | np.isnan(numbers[k]), numbers[k], written(k, total))
    for law in laws.get("products", []):
        k = law["column"]
        made = product(law["constant"], law["terms"], numbers, law.get("shifts"))
        numbers[k] = np.where(np.isnan(made) | np.isnan(numbers[k]), numbers[k], written(k, made))
    for law in laws.get("functions", []):  # read a drawn source (never computed), after the rest
        k = law["column"]
        made = compute(law, numbers[law["source"]])
        numbers[k] = np.where(np.isnan(made) | np.isnan(numbers[k]), numbers[k], written(k, made))


def tied(laws: dict[str, Any]) -> set[int]:
    """Every column a law reads or writes."""
    out = {int(k) for pair in laws.get("orders", []) for k in pair}
    for law in laws.get("sums", []) + laws.get("products", []):
        out.update(int(k) for k in [law["column"], *(i for i, _ in law["terms"])])
    out.update(int(law[key]) for law in laws.get("functions", []) for key in ("column", "source"))
    return out


def keep_laws(
    laws: dict[str, Any],
    marginals: list[Marginal],
    out: list[list[Any]],
    positions: dict[int, np.ndarray],
    given: set[int],
    near: frozenset[int] | set[int] = frozenset(),
) -> np.ndarray:
    """Rewrite the drawn columns (`out`, values by column) that laws tie, in place, and say which
    rows had a law push a value outside its column's observed range, broke a bound (bounds.py), or
    broke an order between columns a near-law ties (`near`): the caller draws those again. Other
    broken orders are restored by a swap, which keeps each column's values (redrawing them would
    thin out the large values a loosely fitted model pairs with small ones); a swap of a near-law's
    value would break the law, and one with a given date (a parent's) would hand it to the drawn
    date: 13% of generated customers ordered on the very day they signed up (real: 4%). Numbers
    given (a previous step's) keep the swap: drawn again, a panel's investment lost its persistence
    (lag-1 .97 real, .83 drawn) where each year's investment stays below the last year's value.

    Numbers are the drawn values as written (dates: seconds from their drawn positions, NaN where
    null); a given column stays as given, even where a law ties it.
    """
    rows = len(out[0]) if out else 0
    outside = np.zeros(rows, dtype=bool)
    numbers = {}
    bounds = laws.get("bounds", [])
    for k in sorted(tied(laws) | columns_of(bounds)):
        if marginals[k].kind == "datetime":  # seconds, at the resolution the dates are written in
            step = float(marginals[k].spec["resolution"])
            numbers[k] = np.round(marginals[k].numbers(positions[k]) / step) * step
        else:  # as written, so a product of rounded factors is exactly what a reader recomputes
            numbers[k] = pd.to_numeric(pd.Series(out[k], dtype=object), errors="coerce").to_numpy(dtype=float)
    if not numbers:
        return outside
    with np.errstate(invalid="ignore"):
        for a, b in laws.get("orders", []):
            pair = {int(a), int(b)}
            dated = len(pair & given) == 1 and marginals[int(a)].kind == "datetime"
            if pair & near or dated:  # a swap with a given date would copy it to the second:
                outside |= numbers[int(a)] > numbers[int(b)]  # drawn again, swapped where that fails
    apply_laws(laws, numbers, {k: written_step(marginals[k].spec) for k in numbers})
    if bounds:
        outside |= broken(bounds, numbers)
    for law in laws.get("sums", []) + laws.get("products", []) + laws.get("functions", []):
        k = int(law["column"])
        low, high = written_range(marginals[k].spec)
        with np.errstate(invalid="ignore"):
            outside |= (numbers[k] < low) | (numbers[k] > high)
    rewritten = tied(laws)  # a bound's columns are read, never rewritten
    for k, values in numbers.items():
        if k in given or k not in rewritten:
            continue
        seen = ~np.isnan(values)
        written = marginals[k].finish(np.where(seen, values, 0.0))
        out[k] = [w if s else None for w, s in zip(written, seen.tolist(), strict=True)]
    return outside


def redraw_outside(draw: Any, rows: int, given: dict[int, Any] | None, tries: int = 8) -> list[list[Any]]:
    """`draw(rows, given) -> (columns, outside)` called again for the rows a law pushed out of range.

    Truncating the draw to rows whose computed columns stay in range is what the real rows do; a
    row still outside after `tries` keeps its computed values.
    """
    out, outside = draw(rows, given)
    for _ in range(tries):
        redo = np.flatnonzero(outside)
        if not len(redo):
            break
        again, still = draw(len(redo), {k: v.iloc[redo] for k, v in given.items()} if given else None)
        for column, values in zip(out, again, strict=True):
            for i, value in zip(redo.tolist(), values, strict=True):
                column[i] = value
        outside = np.zeros(rows, dtype=bool)
        outside[redo[still]] = True
    return out
