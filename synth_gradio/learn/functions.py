"""A column that is a log, a square root or a reciprocal of another, shifted and scaled: a survey's
log(population + 0.1), an amount's log10, a side's square root of an area.

Why: a tree or a copula keeps the rank of such a column against its source but not the function,
so a drawn row pairs a population of 4 with the log of 5.1: in 41% of a survey's drawn rows the log
column was not the log of the population beside it, which any reader who recomputes it sees, and a
classifier does too. Totals and products of powers are found elsewhere (laws.py, products.py);
here the source is a single column, shifted, which a product of powers cannot be. Found on the
training rows where both have a value (one that keeps order: one value per source value, never turning back), stored
as the transform and two numbers, and computed from the drawn source (keep_laws.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from synth_gradio.learn.products import FIT_ROWS, MIN_ROWS, last_decimal

MIN_DISTINCT = 10  # a source with fewer values is a few levels, which the trees already keep exactly
TOLERANCE = 1e-6  # largest error of a computed value, relative to its size (plus half its last decimal)
LARGEST = 700.0  # a target beyond this is no log (its exponential overflows)

# name: (inverse, applied to the target; function, applied to the shifted source)
TRANSFORMS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]] = {
    "log": (np.exp, np.log),
    "log10": (lambda t: np.power(10.0, t), np.log10),
    "log2": (np.exp2, np.log2),
    "sqrt": (np.square, np.sqrt),
    "reciprocal": (lambda t: 1.0 / t, lambda y: 1.0 / y),
}


def compute(law: dict[str, Any], source: np.ndarray) -> np.ndarray:
    """The target from its source: function((source - shift) / scale), NaN where it is undefined."""
    function = TRANSFORMS[law["transform"]][1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = function((source - float(law["shift"])) / float(law["scale"]))
    return np.where(np.isfinite(out), out, np.nan)


def _monotone(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether b is a monotone function of a: one b per a, and b never turning back as a grows
    (a rounded log may give two close sources one value)."""
    order = np.argsort(a, kind="stable")
    step, same = np.diff(b[order]), np.diff(a[order]) == 0
    return bool(np.all(step[same] == 0) and (np.all(step >= 0) or np.all(step <= 0)))


def _fits(law: dict[str, Any], source: np.ndarray, target: np.ndarray, spec: dict[str, Any]) -> bool:
    """Whether the law gives every target within its rounding (TOLERANCE relative, half its last decimal)."""
    made = compute(law, source)
    tolerance = TOLERANCE * (np.abs(target) + 1.0) + last_decimal(spec)
    return bool(np.all(np.isfinite(made)) and np.all(np.abs(made - target) <= tolerance))


def _simplest(law: dict[str, Any], source: np.ndarray, target: np.ndarray, spec: dict[str, Any]) -> dict[str, Any]:
    """The law with its shift and scale written with the fewest significant digits that still fit:
    a fitted shift of 0.0999997 is the 0.1 the table was made with."""
    for digits in range(1, 13):
        short = {**law, "shift": float(f"{law['shift']:.{digits}g}"), "scale": float(f"{law['scale']:.{digits}g}")}
        if short["scale"] != 0 and _fits(short, source, target, spec):
            return short
    return law


def _law(source: np.ndarray, target: np.ndarray, spec: dict[str, Any]) -> dict[str, Any] | None:
    """The first transform with target = function((source - shift) / scale) on every row, or None.

    The shift is fitted as a line of the source on the inverse of the target, then tried as fitted,
    at zero and written shorter; the scale for each shift is the median ratio that makes it exact.
    A line alone missed a log written to four decimals, whose rounding its smallest sources magnify.
    """
    take = np.linspace(0, len(source) - 1, min(len(source), FIT_ROWS)).astype(int)
    for name, (inverse, _) in TRANSFORMS.items():
        if (name == "sqrt" and np.any(target < 0)) or (name == "reciprocal" and np.any(target == 0)):
            continue
        if name.startswith("log") and np.abs(target).max() > LARGEST / np.log(10.0):
            continue
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            inner = inverse(target)
        if not np.all(np.isfinite(inner)) or np.ptp(inner) == 0 or np.any(inner == 0):
            continue
        (fitted, _), *_ = np.linalg.lstsq(np.c_[np.ones(len(take)), inner[take]], source[take], rcond=None)
        for shift in dict.fromkeys([float(fitted), 0.0, *(float(f"{fitted:.{d}g}") for d in (1, 2, 3))]):
            scale = float(np.median((source - shift) / inner))
            law = {"transform": name, "shift": shift, "scale": scale}
            if scale != 0 and _fits(law, source, target, spec):
                return _simplest(law, source, target, spec)
    return None


def find_functions(
    columns: dict[int, np.ndarray], specs: list[dict[str, Any]], fixed: set[int]
) -> list[dict[str, Any]]:
    """[{"column": target, "source": k, "transform", "shift", "scale"}] for numbers (not dates)
    that another number gives through one transform on every training row where both have a value.

    A target is never `fixed` (given, or read or computed by another law) and never a source; a
    source is never a target, so each law reads a drawn value. A pair that is a straight line is a
    total (laws.py), found before this. Pairs are first compared on a sample (equal counts of
    values, then order), so a wide table costs a fraction of a second.
    """
    numbers = [k for k in sorted(columns) if specs[k]["kind"] != "datetime"]
    if not numbers or len(columns[numbers[0]]) < MIN_ROWS:
        return []
    take = np.linspace(0, len(columns[numbers[0]]) - 1, min(len(columns[numbers[0]]), FIT_ROWS)).astype(int)
    sample = {k: columns[k][take] for k in numbers}
    full = {k: not np.isnan(v).any() for k, v in sample.items()}
    distinct = {k: len(np.unique(v)) for k, v in sample.items()}
    out: list[dict[str, Any]] = []
    targets: set[int] = set()
    sources: set[int] = set()
    for k in reversed(numbers):  # a derived column usually follows its source
        if k in fixed or k in sources:
            continue
        for i in numbers:
            if i == k or i in targets or (full[i] and full[k] and distinct[i] < distinct[k]):
                continue
            if (law := _pair(columns[i], columns[k], sample[i], sample[k], specs[k])) is not None:
                out.append({"column": k, "source": i, **law})
                targets.add(k)
                sources.add(i)
                break
    return out


def _pair(
    source: np.ndarray, target: np.ndarray, few_source: np.ndarray, few_target: np.ndarray, spec: dict[str, Any]
) -> dict[str, Any] | None:
    """The law between two columns: found on the sample, then checked on every row (a monotone pair
    without a law, such as two running totals, costs the sample's search only)."""
    law = None
    for a, b in ((few_source, few_target), (source, target)):
        both = ~np.isnan(a) & ~np.isnan(b)
        if both.sum() < MIN_ROWS or len(np.unique(a[both])) < MIN_DISTINCT or not _monotone(a[both], b[both]):
            return None
        law = _law(a[both], b[both], spec) if law is None else law
        if law is None or not _fits(law, a[both], b[both], spec):
            return None
    return law
