"""Columns that are a part of a date: its year, month, quarter, weekday, hour, day, or a name of one.

Why: a table with a date often also writes what the date implies (a year, a month number, "Monday",
a weekend flag, a season, a quarter "Q3"), and every reader checks those against the date at once.
Trees draw them as any category, so a month only mostly matched its date and a weekday seldom did
(a leaf holds rows from many days). Found on the training rows, where one part of the date fixes
the column's value in all but a few rows (AGREE), each is stored as the value per part (or, for a
number, the part plus a constant), and written from the drawn date in every drawn row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.detect import plain
from synth_gradio.learn.marginals import Marginal, to_seconds

AGREE = 0.999  # share of rows whose value is the one their part of the date usually has
EVIDENCE = 3  # rows per value of the part, at least: a date seen once per month fixes anything by month
MIN_ROWS = 20
MAX_VALUES = 400  # values a column a date fixes may have (a day of the year has 366)
DEFAULT_SHARE = 0.9  # of rows one value must hold to be what a part value never seen gets
KINDS = ("category", "discrete", "boolean", "number")
PARTS = {  # coarse first: the first part that fixes a column is the one kept
    "year": lambda t: t.year,
    "quarter": lambda t: t.quarter,
    "month": lambda t: t.month,
    "weekday": lambda t: t.dayofweek,
    "hour": lambda t: t.hour,
    "month_of_year": lambda t: t.year * 12 + t.month,
    "week": lambda t: t.isocalendar().week.astype("Float64").to_numpy(dtype=float, na_value=np.nan),
    "day": lambda t: t.day,
    "day_of_year": lambda t: t.dayofyear,
    "minute": lambda t: t.minute,
    "date": lambda t: t.to_numpy().astype("datetime64[D]").astype(np.int64),  # a holiday: the day itself
}


def date_parts(spec: dict[str, Any], values: pd.Series | list[Any]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every part of the dates (as numbers; NaN where there is no date) and where a date is present."""
    stamps = pd.DatetimeIndex(pd.to_datetime(to_seconds(pd.Series(values, dtype=object), spec["format"]), unit="s"))
    seen = ~stamps.isna()
    return {name: np.asarray(part(stamps), dtype=float) for name, part in PARTS.items()}, np.asarray(seen)


def _offset(part: np.ndarray, numbers: np.ndarray) -> float | None:
    """The constant c with number = part + c in every row, or None."""
    shift = numbers - part
    return float(shift[0]) if len(shift) and np.all(np.abs(shift - shift[0]) < 1e-9) else None


def _keyed(parts: dict[str, np.ndarray], seen: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each part's distinct values over the rows with a date, and each row's index among them (once
    per date column: every column it may fix is read against the same rows)."""
    return {name: np.unique(part[seen].astype(np.int64), return_inverse=True) for name, part in parts.items()}


def _mapping(keys: np.ndarray, inverse: np.ndarray, codes: np.ndarray) -> dict[int, int] | None:
    """Each value of the part's usual code, when at least AGREE of the rows have it, else None."""
    if len(keys) < 2 or len(inverse) < EVIDENCE * len(keys):
        return None
    width = int(codes.max()) + 2
    counts = np.bincount(inverse * width + codes + 1, minlength=len(keys) * width).reshape(len(keys), width)
    if counts.max(axis=1).sum() < AGREE * len(inverse):
        return None
    usual = counts.argmax(axis=1) - 1
    return {int(k): int(c) for k, c in zip(keys, usual, strict=True) if c >= 0}


def _first_part(keyed: dict[str, tuple[np.ndarray, np.ndarray]], codes: np.ndarray, value: Any) -> dict | None:
    """The law of the coarsest part of the date that fixes these value codes (two values or more),
    with `value(code)` for what they are written as. A part value never seen gets the commonest value
    where one holds most rows (a day the training rows missed is no holiday); else it keeps the drawn
    one (a day's weather drawn as weather is, not all sunny)."""
    for name, (keys, inverse) in keyed.items():
        mapping = _mapping(keys, inverse, codes)
        if mapping and len(set(mapping.values())) >= 2:
            counts = np.bincount(codes[codes >= 0])
            law = {"part": name, "keys": list(mapping), "values": [value(c) for c in mapping.values()]}
            common = counts.max() >= DEFAULT_SHARE * counts.sum()
            return {**law, "default": value(int(counts.argmax()))} if common else law
    return None


def _usable(column: pd.Series) -> bool:
    """Enough rows, no nulls, and a few values (a measurement with a value per row is no part of a date)."""
    return len(column) >= MIN_ROWS and not column.isna().any() and 2 <= column.nunique() <= MAX_VALUES


def find_calendar(rows: pd.DataFrame, specs: list[dict[str, Any]], fixed: set[int]) -> list[dict[str, Any]]:
    """[{"date": d, "column": k, "part": name, "keys"/"values" or "offset"}] for columns a date fixes."""
    out: list[dict[str, Any]] = []
    dates = [d for d, spec in enumerate(specs) if spec["kind"] == "datetime"]
    for d in dates:
        parts, seen = date_parts(specs[d], rows[specs[d]["name"]])
        keyed = _keyed(parts, seen)
        for k, spec in enumerate(specs):
            column = rows[spec["name"]][seen]
            taken = k in fixed or k in dates or any(law["column"] == k for law in out)
            if taken or spec["kind"] not in KINDS or not _usable(column):
                continue
            if "quantiles" in spec or spec["kind"] == "number":  # a number: the part plus a constant
                numbers = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
                shifts = ((name, _offset(part[seen], numbers)) for name, part in parts.items())
                name, shift = next(((n, c) for n, c in shifts if c is not None), (None, None))
                if name is not None:
                    out.append({"date": d, "column": k, "part": name, "offset": shift})
                continue
            found = _first_part(keyed, Marginal(spec).codes(column), lambda c, spec=spec: spec["values"][c])
            if found is not None:
                out.append({"date": d, "column": k, **found})
    return out


def written(law: dict[str, Any], part: np.ndarray, seen: np.ndarray, current: list[Any], finish: Any) -> list[Any]:
    """A column's values as a part of its date fixes them; rows without a date (or with a part
    value never seen) keep `current`. `finish` writes numbers for an offset law."""
    if "offset" in law:
        made = finish(np.nan_to_num(part + float(law["offset"])))
        return [m if s else v for m, v, s in zip(made, current, seen.tolist(), strict=True)]
    table = dict(zip(law["keys"], law["values"], strict=True))
    keys = np.where(seen, part, -1).astype(np.int64).tolist()
    unseen = "default" in law  # laws stored before it keep the drawn value for a part value never seen
    return [
        table.get(key, law["default"] if unseen else v) if s else v
        for key, v, s in zip(keys, current, seen.tolist(), strict=True)
    ]


def order_parts(frame: pd.DataFrame, order: str, how: dict[str, Any], columns: list[str]) -> list[dict[str, Any]]:
    """Laws, by column name, for a sequence's own columns that its order date fixes (the date is
    written from the steps' gaps, after the row is drawn, so these are written from it then)."""
    if how.get("kind") != "datetime":
        return []
    parts, seen = date_parts(how, frame[order])
    keyed, out = _keyed(parts, seen), []
    for column in columns:
        values = frame[column][seen]
        if not _usable(values):
            continue
        codes, uniques = pd.factorize(values)
        found = _first_part(keyed, codes, lambda c, uniques=uniques: plain(uniques[c]))
        if found is not None:
            out.append({"column": column, **found})
    return out


def write_order_parts(laws: list[dict[str, Any]], how: dict[str, Any], rows: pd.DataFrame, order: str) -> None:
    """`order_parts`' columns written from the drawn order dates, in place."""
    if not laws or rows.empty:
        return
    parts, seen = date_parts(how, rows[order])
    for law in laws:
        if law["column"] in rows.columns:
            rows[law["column"]] = written(law, parts[law["part"]], seen, rows[law["column"]].tolist(), None)


def calendar_notes(found: list[dict[str, Any]], specs: list[dict[str, Any]]) -> list[str]:
    """One sentence per date whose parts are written from it."""
    fixed: dict[int, list[str]] = {}
    for law in found:
        fixed.setdefault(int(law["date"]), []).append(
            f"{specs[int(law['column'])]['name']} (its {law['part'].replace('_', ' ')})"
        )
    return [f"{', '.join(parts)} follow {specs[d]['name']} in every drawn row" for d, parts in fixed.items()]


def dates_first(found: list[dict[str, Any]], given: list[int]) -> list[int]:
    """The order a sequential model starts with: given columns, then dates and the parts they fix,
    so every later column is drawn knowing the month and weekday its row's date has."""
    dates = sorted({int(law["date"]) for law in found} - set(given))
    parts = [int(law["column"]) for law in found if int(law["date"]) in dates and int(law["column"]) not in given]
    return [*given, *dates, *parts]


class Calendar:
    """The sampling side: `write(k, out)` gives column k's values from its date where one was drawn."""

    def __init__(self, found: list[dict[str, Any]], specs: list[dict[str, Any]]) -> None:
        self.specs = specs
        self.laws: dict[int, dict[str, Any]] = {}
        for law in found:
            d, k = int(law["date"]), int(law["column"])
            if not (0 <= d < len(specs) and 0 <= k < len(specs)) or specs[d]["kind"] != "datetime":
                raise ValueError("a stored date part points at a column that is not a date")
            if law.get("part") not in PARTS or len(law.get("keys", [])) != len(law.get("values", [])):
                raise ValueError(f"column {specs[k]['name']} has a stored date part that cannot be read")
            self.laws[k] = law
        self.columns = set(self.laws)

    def dates(self) -> set[int]:
        return {int(law["date"]) for law in self.laws.values()}

    def parts(self, out: list[list[Any]]) -> dict[int, tuple[dict[str, np.ndarray], np.ndarray]]:
        """Each drawn date column's parts, read once for all the columns it fixes."""
        return {d: date_parts(self.specs[d], out[d]) for d in self.dates() if len(out[d])}

    def write(self, k: int, out: list[list[Any]], parts: dict[int, Any]) -> list[Any]:
        """Column k as its date fixes it (a row without a date, or with a part never seen, keeps its value)."""
        law = self.laws[k]
        if int(law["date"]) not in parts:  # its date is drawn later (a model stored before)
            return list(out[k])
        found, seen = parts[int(law["date"])]
        finish = Marginal(self.specs[k]).finish if "offset" in law else None
        return written(law, found[law["part"]], seen, out[k], finish)

    def keep(self, out: list[list[Any]], given: set[int]) -> None:
        """Every column a date fixes, written from its date (in place); given columns stay."""
        if not self.laws:
            return
        parts = self.parts(out)
        for k in self.laws:
            if k not in given:
                out[k] = self.write(k, out, parts)
