"""One column's marginal distribution: fitted from reference values, stored as JSON, sampled from uniforms.

Numbers and dates keep a quantile grid (at most 256 points, never more than half the rows, so
the stored points are interpolations rather than the rows' own values except the minimum and
maximum); categories, booleans and low-cardinality numbers keep their frequent values with their
probabilities. Every column maps a uniform u in (0, 1) to a value through its inverse CDF, and a
reference value to the CDF interval [lo, hi] it occupies, which is what the copula correlates.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.dategrid import find_grid, snap
from synth_gradio.learn.detect import Detected, plain, strftime
from synth_gradio.learn.intshares import stand_in
from synth_gradio.learn.quarters import is_quarterly, quarter_seconds, write_quarters
from synth_gradio.learn.zones import is_zoned, write_zoned, zoned_seconds

MAX_QUANTILES = 256
DISCRETE_COVER = 0.9  # a low-cardinality number stays discrete if its frequent values hold 90% of rows
DAY = 86400.0
DATES_KEPT = 1000  # a column of months or quarters (no days: a day's gaps and sums tie it to other dates)
# with at most this many distinct values, each frequent, keeps exactly those
STEPS = tuple(m * 10.0**k for k in range(-3, 10) for m in (1, 2, 2.5, 5))  # round steps a column may keep
STEPS_IN_RANGE = 20  # a step is kept when the range holds at least this many (fewer: the column is discrete)


def time_resolution(fmt: str, seconds: np.ndarray) -> float:
    """The step sampled times are rounded to: the format's finest unit, or the data's if coarser."""
    finest = 1.0 if "%S" in fmt else 60.0 if "%M" in fmt else DAY
    for step in (DAY, 3600.0, 60.0):
        if step > finest and len(seconds) and np.all(np.mod(seconds, step) == 0):
            return step
    return finest


def to_seconds(values: pd.Series, fmt: str) -> np.ndarray:
    """Seconds since the epoch (NaN for nulls) for date strings in `fmt` or pandas datetimes."""
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values
        if getattr(values.dt, "tz", None) is not None:
            stamps = values.dt.tz_convert("UTC").dt.tz_localize(None)
    elif is_zoned(fmt):  # with an offset or milliseconds: zones.py
        return zoned_seconds(values, fmt)
    elif is_quarterly(fmt):  # 1959Q1: quarters.py
        return quarter_seconds(values, fmt)
    else:
        stamps = pd.to_datetime(values, format=fmt.replace("%-", "%"), errors="coerce")
    out = stamps.to_numpy(dtype="datetime64[s]").astype("int64").astype(float)
    out[stamps.isna().to_numpy()] = np.nan
    return out


def format_seconds(seconds: np.ndarray, fmt: str) -> list[str]:
    """Date strings in the reference's own format (ISO forms take numpy's fast path)."""
    if is_zoned(fmt):
        return write_zoned(seconds, fmt)
    if is_quarterly(fmt):
        return write_quarters(seconds, fmt)
    stamps = seconds.astype("int64").astype("datetime64[s]")
    if fmt == "%Y-%m-%d":
        return np.datetime_as_string(stamps, unit="D").tolist()
    if fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        text = np.datetime_as_string(stamps, unit="s")
        return (np.char.replace(text, "T", " ") if " " in fmt else text).tolist()
    if "%-" in fmt:
        return [strftime(t, fmt) for t in pd.DatetimeIndex(stamps).to_pydatetime()]
    return pd.DatetimeIndex(stamps).strftime(fmt).tolist()


def number_out(values: np.ndarray, integer: bool, decimals: int | None) -> list[Any]:
    """Python numbers with the reference's precision: ints for integer columns, else rounded floats."""
    if integer:
        return np.round(values).astype("int64").tolist()
    return (values if decimals is None else np.round(values, decimals)).tolist()


COUNT_LATTICE = 0.6  # whole numbers with values on this share of the integers of their range are counts ...
COUNT_VALUES = 11  # ... when this many of their values are frequent
ATOM_SHARE = 0.05  # a number's commonest value held by this share of rows ...
ATOM_LEAD = 3.0  # ... and this many times the next commonest one's is a value apart (find_atom)
ATOM_OTHERS = 11  # ... in a column of more values than this (fewer are drawn by exact shares anyway)


def _discrete_or_number(spec: dict[str, Any], numbers: np.ndarray, rare: int) -> dict[str, Any]:
    counts = Counter(numbers.tolist())
    frequent = sorted(v for v, c in counts.items() if c >= rare)
    covered = sum(counts[v] for v in frequent)
    if frequent and covered >= DISCRETE_COVER * len(numbers) and not _count_with_tail(spec, frequent, counts):
        # The smallest and largest values stay, however rare: they are the column's observed range
        # (which an inferred schema states anyway), and a sample without them has a shorter range
        # than the real column, which shows in every histogram and in any binning over the range.
        frequent = sorted({*frequent, min(counts), max(counts)})
        covered = sum(counts[v] for v in frequent)
        keep = np.array(frequent)
        merged = Counter()
        for value, count in counts.items():
            merged[float(keep[np.argmin(np.abs(keep - value))])] += count
        spec["values"] = number_out(keep, spec["integer"], spec["decimals"])
        spec["probs"] = [merged[v] / len(numbers) for v in keep.tolist()]
        spec["rare_values"] = len(counts) - len(frequent)
        spec["rare_rows"] = len(numbers) - covered
        return spec
    spec["kind"] = "number"
    return stepped(_quantiles(spec, numbers), numbers)


def _count_with_tail(spec: dict[str, Any], frequent: list[float], counts: Counter) -> bool:
    """Whole numbers that fill their range, with rare values beyond it: a count with a long tail
    (flights per aircraft, items per order). Merged into the nearest kept value, the tail piled up
    on the largest frequent one: drawn counts stopped at 38 where 1% of real ones reached 75 to
    408, and a child table came out 15% short. Drawn as a number, each is still a whole number."""
    if not spec["integer"] or len(frequent) < COUNT_VALUES:
        return False
    low, high = frequent[0], frequent[-1]
    beyond = sum(c for v, c in counts.items() if v < low or v > high)
    return len(frequent) >= COUNT_LATTICE * (high - low + 1) and beyond > 0


def stepped(spec: dict[str, Any], numbers: np.ndarray) -> dict[str, Any]:
    """A number column whose values are all multiples of a round step coarser than its written unit
    (incomes in hundreds, prices in thousands, hours in quarters) keeps it: `step`, which drawn
    values are rounded to. Drawn between, 97% of a column of thousands ended in other digits."""
    unit = 1.0 if spec["integer"] else 10.0 ** -int(spec["decimals"]) if spec["decimals"] is not None else 0.0
    spread = float(numbers.max() - numbers.min()) if len(numbers) else 0.0
    for step in sorted(STEPS, reverse=True):
        if unit < step <= spread / STEPS_IN_RANGE and np.all(np.abs(numbers / step - np.round(numbers / step)) < 1e-6):
            spec["step"] = step
            break
    return spec


def _quantiles(spec: dict[str, Any], numbers: np.ndarray) -> dict[str, Any]:
    points = int(min(MAX_QUANTILES, max(2, len(numbers) // 2)))
    grid = np.quantile(numbers, np.linspace(0.0, 1.0, points))
    spec["quantiles"] = grid.tolist()
    return spec


def find_atom(numbers: np.ndarray) -> float | None:
    """A value that stands apart from the rest of a number column: 0 purchases beside a spread of
    counts, -1 for "never contacted" beside days. Drawn as one more value by rank, a tree's leaf
    smears it into its neighbours; held apart, it is drawn the way nulls are, by its own tree."""
    values, counts = np.unique(numbers, return_counts=True)
    if len(values) <= ATOM_OTHERS:
        return None
    first, second = np.sort(counts)[::-1][:2]
    if first < ATOM_SHARE * len(numbers) or first < ATOM_LEAD * second:
        return None
    return float(values[np.argmax(counts)])


def fit_marginal(name: str, series: pd.Series, detected: Detected, rare: int, smooth: bool = False) -> dict[str, Any]:
    """The stored marginal of one column, fitted on the training rows (nulls become `null_share`).
    `smooth`: whole numbers' noisy counts smoothed (intshares.py), for the copula, which draws each
    column from its marginal; a tree's leaf draws ranks of its own rows, which smoothed rates would
    move off the values its rows hold (a travel mode's own costs blurred into another's)."""
    nulls = int(series.isna().sum())
    spec: dict[str, Any] = {"name": name, "kind": detected.kind, "null_share": nulls / len(series)}
    spec.update(rare_values=0, rare_rows=0)
    values = series.dropna()
    spec["distinct"] = int(values.astype(str).nunique()) if len(values) else 0
    if detected.kind in ("number", "discrete"):
        spec.update(integer=detected.integer, decimals=detected.decimals)
        numbers = values.to_numpy(dtype=float)
        atom = find_atom(numbers) if nulls == 0 and len(numbers) else None
        if atom is not None:  # stored only where found, so models without one draw as they did
            spec["atom"] = number_out(np.array([atom]), detected.integer, detected.decimals)[0]
            spec["null_share"] = float(np.mean(numbers == atom))
            numbers = numbers[numbers != atom]
        numbers = stand_in(numbers) if detected.integer and smooth else numbers  # counts that are noise
        if detected.kind == "discrete":
            return _discrete_or_number(spec, numbers, rare)
        return stepped(_quantiles(spec, numbers), numbers)
    if detected.kind == "datetime":
        seconds = to_seconds(values, detected.date_format or "")
        spec.update(format=detected.date_format, resolution=time_resolution(detected.date_format or "", seconds))
        grid = find_grid(seconds, spec["resolution"])
        if grid is not None:  # stored only where found, so models without one stay as they were
            spec["date_grid"] = grid
        kept, counts = np.unique(seconds[np.isfinite(seconds)], return_counts=True)
        periods = not any(part in (detected.date_format or "%d") for part in ("%d", "%-d", "%H"))
        if periods and 2 <= len(kept) <= DATES_KEPT and counts.min() >= rare:  # a report's months, quarters
            spec["dates"] = kept.tolist()  # drawn between two, 2% of a table's months were ones it never had
        return _quantiles(spec, seconds)
    counts = Counter(plain(v) for v in values.tolist())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    kept = [(v, c) for v, c in ranked if c >= rare]
    total = sum(c for _, c in kept)
    spec["values"] = [v for v, _ in kept]
    spec["probs"] = [c / total for _, c in kept] if total else []
    spec["rare_values"] = len(ranked) - len(kept)
    spec["rare_rows"] = len(values) - total
    return spec


FORMAT_KEYS = ("name", "kind", "integer", "decimals", "format", "resolution", "date_grid", "dates", "step", "atom")


def part_marginal(spec: dict[str, Any], series: pd.Series) -> dict[str, Any]:
    """The marginal of a column within a segment of rows, over the whole table's frequent values.

    Values rare in the whole table stay out; a segment without values falls back to the whole
    table's distribution (its rows are then all null, or all rare).
    """
    out = {k: spec[k] for k in FORMAT_KEYS if k in spec}
    series = Marginal(spec).inner(series)
    out["null_share"] = float(series.isna().mean())
    values = series.dropna()
    if spec.get("integer") and len(values):  # counts that are noise, smoothed as fit_marginal does
        values = pd.Series(stand_in(values.to_numpy(float)))
    if "quantiles" in spec:
        if values.empty:
            out["quantiles"] = list(spec["quantiles"])
            return out
        return _quantiles(
            out, to_seconds(values, spec["format"]) if spec["kind"] == "datetime" else values.to_numpy(float)
        )
    codes = Marginal(spec).codes(values)
    counts = np.bincount(codes[codes >= 0], minlength=len(spec["values"])).astype(float)
    if counts.sum() == 0:
        counts = np.asarray(spec["probs"], dtype=float)
    keep = np.flatnonzero(counts > 0)
    out["values"] = [spec["values"][i] for i in keep]
    out["probs"] = (counts[keep] / counts[keep].sum()).tolist()
    return out


def outcomes(spec: dict[str, Any]) -> int:
    """How many different values the marginal can produce (1 means a constant)."""
    if "quantiles" in spec:
        return 1 if spec["quantiles"][0] == spec["quantiles"][-1] else 2
    return len(spec["values"])


def written_columns(specs: list[dict[str, Any]], frame: pd.DataFrame) -> dict[str, list[Any]]:
    """Reference values of the columns `specs` describe, written the way sampled values are."""
    return {spec["name"]: Marginal(spec).outputs(frame[spec["name"]]) for spec in specs if spec["name"] in frame}


def nearest_index(keep: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """Each number's nearest kept value (the lower one on a tie), by bisection where the kept values
    are sorted: the all-pairs distance it replaces took 0.7 s for 150,000 draws of 600 values."""
    if len(keep) < 2 or np.any(np.diff(keep) <= 0):
        return np.abs(numbers[:, None] - keep[None, :]).argmin(axis=1)
    high = np.clip(np.searchsorted(keep, numbers), 1, len(keep) - 1)
    low = high - 1
    return np.where(np.abs(numbers - keep[low]) <= np.abs(numbers - keep[high]), low, high)


class Marginal:
    """The sampling side of a stored marginal: uniforms to values, values to CDF intervals."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.kind = spec["kind"]
        if "quantiles" in spec:
            self.grid = np.asarray(spec["quantiles"], dtype=float)
            self.levels = np.linspace(0.0, 1.0, len(self.grid))
        else:
            self.values = list(spec["values"])
            self.cum = np.cumsum(np.asarray(spec["probs"], dtype=float))
            if len(self.cum) == 0 or len(self.cum) != len(self.values) or not self.cum[-1] > 0:
                raise ValueError(f"column {spec['name']} has no values or probabilities that do not match")
            self.cum = self.cum / self.cum[-1]
            self.cum[-1] = 1.0  # exactly, so no value's interval ends past 1 by rounding

    def inner(self, series: pd.Series) -> pd.Series:
        """The column as its model sees it: a value apart (`atom`, find_atom) is a null there."""
        if "atom" not in self.spec:
            return series
        return series.mask(pd.to_numeric(series, errors="coerce") == float(self.spec["atom"]))

    def finish(self, numbers: np.ndarray) -> list[Any]:
        """Numbers (seconds for dates) written as the column's values.

        A value apart (`atom`, find_atom) is written as it is: a cap such as 500,001 beside values in
        hundreds is not on their step, and rounding it once a law rewrote its row took it to
        500,000, so a capped column lost its 7% at the cap wherever an order tied it."""
        if "step" in self.spec:  # a column of round numbers (marginals.stepped)
            stepped = np.round(numbers / self.spec["step"]) * self.spec["step"]
            numbers = (
                np.where(numbers == float(self.spec["atom"]), numbers, stepped) if "atom" in self.spec else stepped
            )
        if self.kind == "datetime":
            step = self.spec["resolution"]
            numbers = np.round(numbers / step) * step
            if "date_grid" in self.spec:
                numbers = snap(numbers, self.spec["date_grid"], self.grid[0], self.grid[-1])
            return format_seconds(numbers, self.spec["format"])
        return number_out(numbers, self.spec["integer"], self.spec["decimals"])

    def numbers(self, u: np.ndarray) -> np.ndarray:
        """The inverse CDF of a number or date column before rounding and formatting; a date column of
        few frequent dates draws the nearest of them here, before laws tie dates (a due date is its
        invoice date plus the terms) and orders are checked, so `finish` moves no tied date apart."""
        numbers = np.interp(u, self.levels, self.grid)
        if "dates" not in self.spec:
            return numbers
        kept, known = np.asarray(self.spec["dates"], dtype=float), np.isfinite(numbers)
        return np.where(known, kept[nearest_index(kept, np.where(known, numbers, kept[0]))], numbers)

    def decode(self, u: np.ndarray) -> list[Any]:
        """Values for uniforms in (0, 1), by the inverse CDF."""
        if "quantiles" in self.spec:
            return self.finish(self.numbers(u))
        index = np.minimum(np.searchsorted(self.cum, u, side="right"), len(self.values) - 1)
        return [self.values[i] for i in index.tolist()]

    def outputs(self, series: pd.Series) -> list[Any]:
        """Reference values written the way sampled values are (None for nulls), for the copy check."""
        missing = series.isna().to_numpy()
        if self.kind in ("category", "boolean"):
            if len(set(map(type, series.dropna().tolist()))) > 1:  # factorize would take 1 and 1.0 as one
                return [None if m else plain(v) for v, m in zip(series.tolist(), missing, strict=True)]
            codes, uniques = pd.factorize(series)
            table = [plain(v) for v in uniques.tolist()] + [None]  # code -1: a null
            return [table[c] for c in codes.tolist()]
        if self.kind == "datetime":
            numbers = to_seconds(series, self.spec["format"])
        else:
            numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
        written = self.finish(np.nan_to_num(numbers))
        return [None if m else w for w, m in zip(written, missing, strict=True)]

    def bounds(self, series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Each training value's CDF interval [lo, hi]; NaN for nulls and for dropped rare values."""
        series = self.inner(series)
        lo = np.full(len(series), np.nan)
        hi = np.full(len(series), np.nan)
        present = series.notna().to_numpy()
        if "quantiles" in self.spec:
            numbers = to_seconds(series, self.spec["format"]) if self.kind == "datetime" else series.to_numpy(float)
            ranks = pd.Series(numbers[present])
            count = len(ranks)
            lo[present] = (ranks.rank(method="min").to_numpy() - 1) / count
            hi[present] = ranks.rank(method="max").to_numpy() / count
            return lo, hi
        edges = np.concatenate([[0.0], self.cum])
        index = self.codes(series)
        rows = np.flatnonzero(index >= 0)
        lo[rows], hi[rows] = edges[index[rows]], edges[index[rows] + 1]
        return lo, hi

    def positions(self, series: pd.Series) -> np.ndarray:
        """Where given values sit in u space under this marginal (NaN for nulls and unknown values).

        Unlike `bounds`, which ranks the training column itself, this reads the stored marginal, so
        a handful of values given at sampling time (a parent's columns) land where training put them.
        """
        series = self.inner(series)
        u = np.full(len(series), np.nan)
        present = series.notna().to_numpy()
        if "quantiles" in self.spec:
            numbers = (
                to_seconds(series, self.spec["format"])
                if self.kind == "datetime"
                else pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
            )
            u[present] = np.interp(numbers[present], self.grid, self.levels)
            return u
        edges = np.concatenate([[0.0], self.cum])
        index = self.codes(series)
        rows = np.flatnonzero(index >= 0)
        u[rows] = (edges[index[rows]] + edges[index[rows] + 1]) / 2
        return u

    def codes(self, series: pd.Series) -> np.ndarray:
        """Each value's index among the stored values (rare ones merged to the nearest); -1 if none."""
        series = self.inner(series)
        index = np.full(len(series), -1, dtype=int)
        present = series.notna().to_numpy()
        if self.kind == "discrete":
            index[present] = nearest_index(np.asarray(self.values, dtype=float), series.to_numpy(dtype=float)[present])
        else:
            lookup = {v: i for i, v in enumerate(self.values)}
            index[present] = [lookup.get(plain(v), -1) for v in series[present].tolist()]
        return index
