"""Exact laws the training rows keep, which lines and trees only come close to: an order (start <=
end) and a bound a swap cannot keep (bounds.py: years in a role <= years at the company), a total
of other columns, a product of powers of others (products.py), values that fix others
(depends.py), and pairs of values never seen together (combos.py).

Why: a classifier, and any reader, spots an end date before its start or a total that is not the
sum of its parts at once, even when each column's shape and every pairwise trend are right. Laws
are stored as column numbers and coefficients and kept in each drawn block (keep_laws.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.bounds import find_bounds
from synth_gradio.learn.calendar import find_calendar
from synth_gradio.learn.combos import find_combos
from synth_gradio.learn.depends import find_dependencies
from synth_gradio.learn.functions import find_functions
from synth_gradio.learn.marginals import to_seconds
from synth_gradio.learn.products import FIT_ROWS, MIN_ROWS, find_products, last_decimal
from synth_gradio.learn.signs import find_signs
from synth_gradio.learn.sparse import exact_line, line, strength

STRICT_SHARE = 0.5  # an order must be strict in at least this share of rows (not a column and its copy)
SUM_TOLERANCE = 1e-6  # largest residual of a total, as a share of its range (plus half its last decimal)
MAX_TERMS = 4


def numeric(spec: dict[str, Any]) -> bool:
    return spec["kind"] in ("number", "discrete", "datetime")


def as_numbers(spec: dict[str, Any], series: pd.Series) -> np.ndarray:
    if spec["kind"] == "datetime":
        return to_seconds(series, spec["format"])
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)


def find_orders(
    columns: dict[int, np.ndarray], specs: list[dict[str, Any]], given: set[int] = frozenset()
) -> list[list[int]]:
    """Pairs [a, b] of same-kind columns with a <= b in every training row that has both. A given
    column may be few-valued (a previous stay's length in days before the gap to the next), as it
    is never rewritten."""
    out = []
    keys = sorted(columns)
    for i in keys:
        for j in keys:
            free = [k for k in (i, j) if k not in given]
            if i == j or not free or any("quantiles" not in specs[k] for k in free):
                continue  # swapping values between a few-valued column and another would leave its values
            if (specs[i]["kind"] == "datetime") != (specs[j]["kind"] == "datetime"):
                continue
            a, b = columns[i], columns[j]
            both = ~np.isnan(a) & ~np.isnan(b)
            if both.sum() < MIN_ROWS or not np.all(a[both] <= b[both]):
                continue
            overlap = min(a[both].max(), b[both].max()) > max(a[both].min(), b[both].min())
            if overlap and np.mean(a[both] < b[both]) >= STRICT_SHARE:
                out.append([i, j])
    return out


def find_sums(columns: dict[int, np.ndarray], specs: list[dict[str, Any]], given: set[int]) -> list[dict[str, Any]]:
    """Columns that are an exact linear function of at most MAX_TERMS others (totals, unit changes,
    a due date 30 days after an invoice date, a step counter that is the previous step's value plus
    one), on the rows where all are present, in the order they are to be computed.

    A column with nulls takes part: a law over the previous step's values holds from the second
    step on, and a drawn row with a missing input keeps its drawn value. The rows a law covers must
    be at least half of its column's values. Of the columns a law ties, the one computed is the one
    whose inputs are least alike (an end date from a start and a duration, not a duration from two
    dates that move together, which any model draws a little apart); a given column (a parent's,
    the previous step's) is never computed, its value being fixed before the draw.
    """
    usable = sorted(columns)  # dates as seconds
    if len(usable) < 2 or len(columns[usable[0]]) < MIN_ROWS:
        return []
    rows = len(columns[usable[0]])
    take = np.linspace(0, rows - 1, min(rows, FIT_ROWS)).astype(int)
    sample = {k: columns[k][take] for k in usable}
    laws: dict[frozenset[int], None] = {}
    for k in usable:
        found = None if k in given else _line_of(k, sample, [i for i in usable if i != k], specs, MAX_TERMS)
        if found is not None:
            laws.setdefault(frozenset([k, *found[1]]))
    out: list[dict[str, Any]] = []
    inputs: set[int] = set()
    for members in sorted(laws, key=lambda m: (len(m), sorted(m))):
        computed = {law["column"] for law in out}
        free = [t for t in members if t not in given | computed | inputs and _dated(t, members, specs)]
        for t in sorted(free, key=lambda t: (_alike(sample, members - {t}), -t)):
            found = _line_of(t, sample, sorted(members - {t}), specs, len(members) - 1, fixed=True)
            if found is not None:
                coef, group = found
                out.append({"column": t, "constant": float(coef[0]), "terms": [[i, float(c)] for i, c in zip(group, coef[1:], strict=True)]})  # fmt: skip
                inputs.update(group)
                break
    return out


def _line_of(
    k: int,
    sample: dict[int, np.ndarray],
    others: list[int],
    specs: list[dict[str, Any]],
    most: int,
    fixed: bool = False,
) -> tuple[np.ndarray, list[int]] | None:
    """An exact line of column k on (`fixed`: all of) `others`, or None."""
    y = sample[k]
    present = int(np.isfinite(y).sum())
    if present < MIN_ROWS or not others or np.nanstd(y) == 0:
        return None
    tolerance = SUM_TOLERANCE * float(np.nanmax(y) - np.nanmin(y)) + last_decimal(specs[k])
    at_least = max(MIN_ROWS, present // 2)
    if not fixed:
        return exact_line(y, {i: sample[i] for i in others}, tolerance, most, at_least)
    fitted = line(y, sample, others, at_least)
    if fitted is None or np.nanmax(np.abs(fitted[1])) > tolerance or np.any(fitted[0][1:] == 0):
        return None
    return fitted[0], others


def _dated(target: int, members: frozenset[int], specs: list[dict[str, Any]]) -> bool:
    """Dates take part only as a date from a date (an end from a start and a duration): a number
    computed from dates, or a date from numbers alone, would tie a column to the calendar."""
    dates = {k for k in members if specs[k]["kind"] == "datetime"}
    return not dates or (target in dates and len(dates) > 1)


def _alike(sample: dict[int, np.ndarray], group: frozenset[int]) -> float:
    """The largest |correlation| between two of the columns (0 for one column)."""
    members = sorted(group)
    pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
    return max((strength(sample[a], sample[b], MIN_ROWS) for a, b in pairs), default=0.0)


def find_laws(rows: pd.DataFrame, specs: list[dict[str, Any]], given: list[int] | None = None) -> dict[str, Any]:
    """Every law the training rows keep; `given` columns (fixed before a draw) are never computed.

    Laws over every row come first (totals, then products), then totals over the rows where their
    columns are present (a step counter): age squared is age times age in every step, not the
    previous step's square plus twice its age plus one, which a first step could not keep.
    """
    fixed = set(given or [])
    columns = {k: as_numbers(spec, rows[spec["name"]]) for k, spec in enumerate(specs) if numeric(spec)}
    sums = find_sums({k: v for k, v in columns.items() if not np.isnan(v).any()}, specs, fixed)
    summed = {law["column"] for law in sums}
    products = find_products(columns, specs, fixed | summed)  # a total may be a factor, not a product
    made = {law["column"] for law in products}
    terms = {int(i) for law in sums for i, _ in law["terms"]}  # computed before any later total
    sums += find_sums({k: v for k, v in columns.items() if k not in summed | made}, specs, fixed | terms)
    computed = {law["column"] for law in sums} | made
    read = {int(i) for law in sums + products for i, _ in law["terms"]}  # computed before a function
    functions = find_functions(columns, specs, fixed | computed | read)
    computed |= {law["column"] for law in functions}
    orders = [
        pair for pair in find_orders(columns, specs, fixed) if not computed & set(pair)
    ]  # a swap would break them
    free = {k: v for k, v in columns.items() if k not in computed}
    determines = find_dependencies(rows, specs)
    return {
        "orders": orders,
        "bounds": find_bounds(free, specs, orders, fixed),
        "sums": sums,
        "products": products,
        "functions": functions,
        "determines": determines,
        "combos": find_combos(rows, specs, {frozenset((d["column"], d["partner"])) for d in determines}),
        "calendar": find_calendar(rows, specs, fixed | computed),
        "signs": find_signs(rows, specs),
    }


def check_laws(laws: dict[str, Any], specs: list[dict[str, Any]]) -> None:
    """A ValueError for a stored law that points at a column that is not a number."""
    pointed = [k for pair in laws.get("orders", []) for k in pair]
    pointed += [k for a, b, _ in laws.get("bounds", []) for k in (a, b)]
    for law in laws.get("sums", []) + laws.get("products", []):
        pointed += [int(law["column"])] + [int(i) for i, _ in law["terms"]]
    pointed += [int(k) for law in laws.get("functions", []) for k in (law["column"], law["source"])]
    if any(not 0 <= int(k) < len(specs) or not numeric(specs[int(k)]) for k in pointed):
        raise ValueError("a stored law points at a column that is not a number")
