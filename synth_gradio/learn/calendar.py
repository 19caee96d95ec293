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

from synth_gradio.learn.marginals import Marginal, to_seconds

AGREE = 0.999  # share of rows whose value is the one their part of the date usually has
EVIDENCE = 3  # rows per value of the part, at least: a date seen once per month fixes anything by month
MIN_ROWS = 20
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


def _mapping(part: np.ndarray, codes: np.ndarray) -> dict[int, int] | None:
    """Each value of the part's usual code, when at least AGREE of the rows have it, else None."""
    keys, inverse = np.unique(part.astype(np.int64), return_inverse=True)
    if len(keys) < 2 or len(part) < EVIDENCE * len(keys):
        return None
    width = int(codes.max()) + 2
    counts = np.bincount(inverse * width + codes + 1, minlength=len(keys) * width).reshape(len(keys), width)
    if counts.max(axis=1).sum() < AGREE * len(part):
        return None
    usual = counts.argmax(axis=1) - 1
    return {int(k): int(c) for k, c in zip(keys, usual, strict=True) if c >= 0}


def find_calendar(rows: pd.DataFrame, specs: list[dict[str, Any]], fixed: set[int]) -> list[dict[str, Any]]:
    """[{"date": d, "column": k, "part": name, "keys"/"values" or "offset"}] for columns a date fixes."""
    out = []
    dates = [d for d, spec in enumerate(specs) if spec["kind"] == "datetime"]
    for d in dates:
        parts, seen = date_parts(specs[d], rows[specs[d]["name"]])
        for k, spec in enumerate(specs):
            if k in fixed or k in dates or spec["kind"] not in KINDS or any(law["column"] == k for law in out):
                continue
            column = rows[spec["name"]][seen]
            if len(column) < MIN_ROWS or column.isna().any() or column.nunique() < 2:
                continue
            for name, part in parts.items():
                if "quantiles" in spec or spec["kind"] == "number":
                    shift = _offset(part[seen], pd.to_numeric(column, errors="coerce").to_numpy(dtype=float))
                    found = None if shift is None else {"offset": shift}
                else:
                    mapping = _mapping(part[seen], Marginal(spec).codes(column))
                    ok = mapping and len(set(mapping.values())) >= 2
                    found = (
                        {"keys": list(mapping), "values": [spec["values"][c] for c in mapping.values()]} if ok else None
                    )
                if found:
                    out.append({"date": d, "column": k, "part": name, **found})
                    break
    return out


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
        part = found[law["part"]]
        if "offset" in law:
            made = Marginal(self.specs[k]).finish(np.nan_to_num(part + float(law["offset"])))
            return [m if s else v for m, v, s in zip(made, out[k], seen.tolist(), strict=True)]
        table = dict(zip(law["keys"], law["values"], strict=True))
        keys = np.where(seen, part, -1).astype(np.int64).tolist()
        return [table.get(key, v) if s else v for key, v, s in zip(keys, out[k], seen.tolist(), strict=True)]

    def keep(self, out: list[list[Any]], given: set[int]) -> None:
        """Every column a date fixes, written from its date (in place); given columns stay."""
        if not self.laws:
            return
        parts = self.parts(out)
        for k in self.laws:
            if k not in given:
                out[k] = self.write(k, out, parts)
