"""Durations written in parts, found and read on real tables: "2h 50m", "1 hr 5 min", "3d 4h".

A column of them is text to pandas, and was learned as a category: each value drawn only as it was
seen, with no value between and no link to the numbers it follows (a flight's duration against its
price, a film's running time against its genre). Read here as a number of its smallest unit (minutes
for "2h 50m") and written back in the reference's own form: its labels, its spacing, and whether a
part that is zero is written ("0h 34m") or left out ("34m", "5h").
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

SECONDS = {"d": 86_400, "h": 3_600, "m": 60, "s": 1}  # by a label's first letter
LABEL = r"(?:days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)"
PART = re.compile(rf"(\d+)(\s?)({LABEL})(?![a-zA-Z])", re.IGNORECASE)
WHOLE = re.compile(rf"^\s*\d+\s?{LABEL}(?:[\s,]*\d+\s?{LABEL})*\s*$", re.IGNORECASE)
SHARE = 0.99  # of values written as a duration
MIN_VALUES = 20
PROBE = 200


def _labels(text: pd.Series) -> dict[str, str]:
    """The commonest label written for each unit: {"h": "h", "m": "m"} or {"h": " hrs", ...}."""
    found: dict[str, dict[str, int]] = {}
    for value in text.head(2000):
        for _, space, label in PART.findall(value):
            written = found.setdefault(label[0].lower(), {})
            written[space + label] = written.get(space + label, 0) + 1
    return {unit: max(counts, key=counts.__getitem__) for unit, counts in found.items()}


def find_duration(values: pd.Series) -> dict[str, Any] | None:
    """How a column of durations is written, or None where it is not one (`values` without nulls)."""
    if len(values) < MIN_VALUES or not values.map(lambda v: isinstance(v, str)).all():
        return None
    probe = values.sample(min(len(values), PROBE), random_state=0)
    if probe.str.match(WHOLE).mean() < SHARE:
        return None
    text = values.astype(str)
    written = text.str.match(WHOLE)
    if written.mean() < SHARE:
        return None
    labels = _labels(text[written])
    if len(labels) < 2 and text[written].str.strip().str.match(r"^\d+\s?\w+$").all():
        return None  # one unit alone ("5 kg", "12 min") is a number with a unit (written.py)
    units = sorted(labels, key=SECONDS.__getitem__, reverse=True)
    zeros = bool(text[written].str.contains(r"(?<!\d)0\s?[a-zA-Z]").any())  # "0h 34m": zero parts written
    joint = ", " if text[written].str.contains(r"\d\s?[a-zA-Z]+,\s").any() else " "
    if not text[written].str.contains(r"[a-zA-Z]\s+\d").any() and not text[written].str.contains(",").any():
        joint = ""
    return {"kind": "duration", "units": units, "labels": labels, "zeros": zeros, "joint": joint}


def read_duration(series: pd.Series, how: dict[str, Any]) -> pd.Series:
    """A written duration as a number of its smallest unit (NaN for nulls and other text)."""
    smallest = SECONDS[how["units"][-1]]

    def one(value: Any) -> float:
        if not isinstance(value, str) or not WHOLE.match(value):
            return np.nan
        return sum(int(n) * SECONDS[label[0].lower()] for n, _, label in PART.findall(value)) / smallest

    return series.map(one).astype(float)


def write_duration(values: list[Any], how: dict[str, Any]) -> list[Any]:
    """Numbers of the smallest unit (none missing: learn/unitnum.write) written as the reference
    writes its durations."""
    smallest = SECONDS[how["units"][-1]]
    out: list[Any] = []
    for v in values:
        left = max(0, round(float(v))) * smallest
        parts = []
        for unit in how["units"]:
            count, left = divmod(left, SECONDS[unit])
            parts.append((int(count), how["labels"][unit]))
        kept = parts if how["zeros"] else [p for p in parts if p[0]] or parts[-1:]  # "0h 34m", or "34m"
        out.append(how["joint"].join(f"{n}{label}" for n, label in kept))
    return out
