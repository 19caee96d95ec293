"""What each reference column is: a number, a category, a date, free text, an identifier or empty.

The kind decides how a column is modelled (or that it is not): free text goes to the language
model, identifiers to the schema's own generators, everything else into the joint model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.quarters import quarter_format
from synth_gradio.learn.zones import zoned_format

DISCRETE_LIMIT = 20  # a number column with at most this many distinct values keeps its exact values
SUPPORT_LIMIT = 1000  # with `wide_support`, up to this many distinct values, each repeated on average
SUPPORT_REPEAT = 4  # ... at least this often (pack sizes, price points, logs of a few incomes)
TEXT_SHARE = 0.5  # a string column with more distinct values than this share of rows is free text
TEXT_MIN_DISTINCT = 20
TEXT_WORDS = 5  # a string column averaging this many words, with many distinct values, is prose
MAX_DECIMALS = 10  # a measure in ten-thousandths written to 4 figures (1.087e-04) needs 8
FLOAT_PLACES = 6  # places up to which a value within 1e-9 of its rounding is written rounded
DECIMALS_SHARE = 0.99  # numbers are written with the decimals 99% of the reference values need
ID_NAME = re.compile(r"(^|[_\s.-])(id|key|uuid|guid|code)$|[a-z]Id$|^id[_\s]", re.IGNORECASE)
TOKEN = re.compile(r"^[\w.@:/+-]{1,64}$")
SPECIAL = re.compile(r"^[^@\s]+@[^@\s]+\.\w+$|^[0-9a-f]{8}-[0-9a-f]{4}-|^https?://", re.IGNORECASE)
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%d %b %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M",
    "%H:%M:%S",
    "%H:%M",
    "%b-%Y",  # months: a loan's issue month (Aug-2019), a statement period
    "%b-%y",
    "%b %Y",
    "%B %Y",
    "%Y-%m",
    "%m/%Y",
)


@dataclass(frozen=True)
class Detected:
    """A column's kind and the facts its model needs: decimals, integer-ness, a date format."""

    kind: str  # number | discrete | category | boolean | datetime | text | id | empty | nested
    integer: bool = False
    decimals: int | None = None
    date_format: str | None = None


def decimals_of(values: np.ndarray, share: float = 1.0) -> int | None:
    """The fewest decimals that write `share` of the values exactly (None: more than MAX_DECIMALS).

    A share below 1 ignores a stray float artefact such as 9.899999 among two-decimal values.
    """
    scale = np.maximum(1.0, np.abs(values))
    ulps = 4 * np.spacing(np.abs(values))
    for places in range(MAX_DECIMALS + 1):
        # past 6 places a float that only nears its rounding is not written so: a log is not "9 places"
        # (drawn logs rounded there fell beside the real ones, and a classifier told every row apart)
        tolerance = 1e-9 * scale if places <= FLOAT_PLACES else ulps
        if np.mean(np.abs(values - np.round(values, places)) <= tolerance) >= share:
            return places
    return None


def unpadded(fmt: str) -> str:
    """The format with day and month written without a leading zero ("%-d", as in 9-Sep-03)."""
    return fmt.replace("%d", "%-d").replace("%m", "%-m")


def strftime(stamp: datetime, fmt: str) -> str:
    """datetime.strftime that also understands "%-d" and "%-m" on every platform."""
    if "%-" not in fmt:
        return stamp.strftime(fmt)
    text = fmt.replace("{", "{{").replace("}", "}}").replace("%-d", "{d}").replace("%-m", "{m}")
    return stamp.strftime(text).format(d=stamp.day, m=stamp.month)


def date_format(values: pd.Series) -> str | None:
    """The format that reads and writes back every string, or None when it is not a date.

    Formats are strftime's, plus "%-d" / "%-m" for days and months written without a zero.
    """
    head = values.head(50).tolist()
    if not head or not all(isinstance(v, str) for v in head):
        return None
    for fmt in DATE_FORMATS:
        try:
            stamps = [datetime.strptime(v, fmt) for v in head]
        except ValueError:
            continue
        for out in dict.fromkeys((fmt, unpadded(fmt))):
            written = all(strftime(t, out) == v for t, v in zip(stamps, head, strict=True))
            if written and pd.to_datetime(values, format=fmt, errors="coerce").notna().all():
                return out
    return zoned_format(values) or quarter_format(values)  # "2024-07-02T20:25:45+02:00", "1959Q1"


def datetime_format(values: pd.Series) -> str:
    """ISO date for midnight-only timestamps, ISO date-time otherwise (UTC marked for aware ones)."""
    aware = getattr(values.dt, "tz", None) is not None
    if aware:
        return "%Y-%m-%dT%H:%M:%SZ"
    times = values.dt.hour * 3600 + values.dt.minute * 60 + values.dt.second
    return "%Y-%m-%d" if (times == 0).all() else "%Y-%m-%dT%H:%M:%S"


def _numeric(values: pd.Series, name: str, rows: int, wide_support: bool) -> Detected:
    array = values.to_numpy(dtype=float)
    integer = decimals_of(array) == 0
    places = decimals_of(array, DECIMALS_SHARE)
    distinct = len(np.unique(array))
    if integer and distinct == rows and rows >= 10:
        span = array.max() - array.min() + 1
        named = ID_NAME.search(name) and not name.lstrip("^").startswith("#")  # a count of children
        if named or (rows >= 20 and span <= 1.1 * rows + 1):  # "#n:readings.sensor_id" is no id
            return Detected("id")
    repeated = distinct <= SUPPORT_LIMIT and rows >= SUPPORT_REPEAT * distinct
    kind = "discrete" if distinct <= DISCRETE_LIMIT or (wide_support and repeated) else "number"
    return Detected(kind, integer=integer, decimals=places)


def _strings(values: pd.Series, rows: int) -> Detected:
    fmt = date_format(values)
    if fmt is not None:
        return Detected("datetime", date_format=fmt)
    text = values.astype(str)
    distinct = text.nunique()
    if distinct > TEXT_MIN_DISTINCT and text.head(50).map(lambda v: bool(SPECIAL.match(v))).all():
        return Detected("id")  # emails a customer's orders repeat are still a person's: never drawn as seen
    if distinct == rows and rows >= 10:
        tokens = text.map(lambda v: bool(TOKEN.match(v))).all()
        return Detected("id" if tokens else "text")
    if distinct > TEXT_MIN_DISTINCT and distinct > TEXT_SHARE * rows:
        special = text.head(50).map(lambda v: bool(SPECIAL.match(v))).all()
        return Detected("id" if special else "text")
    if distinct > TEXT_MIN_DISTINCT and text.str.count(" ").mean() >= TEXT_WORDS - 1:
        long = text[text.str.count(" ") >= TEXT_WORDS - 1]
        if long.nunique() > TEXT_SHARE * len(long):  # many repeated placeholders beside unique sentences
            return Detected("text")  # is still prose; names of five words, each repeated, are categories
    return Detected("category")


def _is_bool(values: pd.Series) -> bool:
    return pd.api.types.is_bool_dtype(values) or all(isinstance(v, bool | np.bool_) for v in values.head(200))


def _is_number(values: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(values):
        return not pd.api.types.is_complex_dtype(values)
    return all(isinstance(v, int | float | np.integer | np.floating) for v in values.head(200))


def detect(name: str, series: pd.Series, wide_support: bool = False) -> Detected:
    """The kind of one column, judged on its non-null values.

    `wide_support` lets a number column with many distinct values that each repeat be discrete
    (its values a set of standard ones; marginals.py keeps it discrete only when its frequent
    values cover 90% of rows), for models that can draw hundreds of values without cost.
    """
    values = series.dropna()
    if values.empty:
        return Detected("empty")
    rows = len(values)
    if any(isinstance(v, list | dict | tuple | set | bytes) for v in values.head(200)):
        return Detected("nested")
    if _is_bool(values):
        return Detected("boolean")
    if pd.api.types.is_datetime64_any_dtype(values):
        return Detected("datetime", date_format=datetime_format(values))
    if _is_number(values):
        return _numeric(values.astype(float), name, rows, wide_support)
    return _strings(values, rows)


def plain(value: Any) -> Any:
    """A JSON-serialisable Python scalar for a numpy or pandas one."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)
