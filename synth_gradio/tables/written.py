"""Numbers written with a unit or a currency, found and read on real tables: "$1,234.50", "12.5%",
"1.37kg", "8 GB", "(91.47)" for a negative; and durations in parts, "2h 50m" (durations.py).

A column of them is text to pandas. Learning reads it as the numbers it holds and writes drawn
numbers back the same way (learn/unitnum.py); the quality report compares it as numbers, so a
drawn weight of 1.38kg is near a real 1.37kg rather than a different category.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.tables.durations import find_duration, read_duration

# sign, prefix (a currency: up to 3 characters), digits (with thousands commas), decimals, suffix: a
# short unit of a word or two that starts with neither a digit nor a separator (so "x1080", "-01-31",
# ":30" and "@example.com" are no units) and may hold digits after ("kg/m2")
PATTERN = re.compile(
    r"^\s*(-?)([^\d\s.,+\-@_#/]{0,3})\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(\s?(?:/\d{1,3}|[^\d\s.,:/+x@_#-][^\s@_#]{0,7}(?:\s[^\s@_#]{1,6})?)?)\s*$"
)  # a rating's "/5" is a unit too
SHARE = 0.99  # of values with the commonest prefix and suffix
MIN_VALUES = 20
CODES = 20  # distinct values up to which a column of letters and a number is a set of labels
PROBE = 200
MARKERS = {"-", "--", "\u2013", "\u2014", "n/a", "na", "none", "null", "unknown", "?", "tbd", ""}
MAX_MARKED = 0.05  # of values that may say "no value" in a column of written numbers
MAX_WORDS = 0.25  # of values that may be one phrase instead ("Varies with device", "NEW")
MULTIPLIERS = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12}  # "8.7k", "19M", "1.2 GB"
UNIT = "#unit:"  # the column a number's unit is learned in, where a column has several ("kmpl", "km/kg")
MAX_LABELS = 4
LABEL_SHARE = 0.01  # of values each unit is written with, at least
LABEL_NUMBERS = 20  # distinct numbers at least: fewer, with several units, are labels ("128GB SSD")


def _marked(values: pd.Series, phrase: str | None = None) -> pd.Series:
    """Values that say "no value" ("-", "n/a", "unknown", or the column's own `phrase`), which
    pandas keeps as text."""
    text = values.astype(str).str.strip()
    return text.str.lower().isin(MARKERS) | (text == phrase if phrase else False)


def _phrase(values: pd.Series) -> str | None:
    """The one phrase a column of written numbers has instead of a number in some rows ("Varies with
    device", "NEW"), where every other value is a number or a marker."""
    text = values.astype(str).str.strip()
    rest = text[~_signed(text).str.match(PATTERN) & ~text.str.lower().isin(MARKERS)]
    if rest.nunique() != 1 or len(rest) > MAX_WORDS * len(text) or not re.search(r"[A-Za-z]", rest.iloc[0]):
        return None
    return str(rest.iloc[0])


def _labelled(parts: pd.DataFrame, prefix: str) -> dict[str, Any] | None:
    """Numbers each written with one of a few units that are no multiples of one another ("23.4
    kmpl" beside "17.30 km/kg", "90 min" beside "2 Seasons"): {"per_unit": {unit: decimals}, "ranges":
    {unit: [lowest, highest]}}, or None."""
    suffix = parts[4]
    shares = suffix.value_counts(normalize=True)
    numbers = parts[2] + parts[3]
    if (parts[1] == prefix).mean() < SHARE or not 2 <= len(shares) <= MAX_LABELS or shares.min() < LABEL_SHARE:
        return None
    if not all(re.search(r"[A-Za-z]", unit) for unit in shares.index) or numbers.nunique() < LABEL_NUMBERS:
        return None
    places = parts[3].str.len().clip(lower=1) - 1
    values = pd.to_numeric(numbers.str.replace(",", "", regex=False), errors="coerce")
    return {
        "per_unit": {str(unit): int(places[suffix == unit].mode().iloc[0]) for unit in shares.index},
        "ranges": {
            str(unit): [float(values[suffix == unit].min()), float(values[suffix == unit].max())]
            for unit in shares.index
        },
    }


def _scaled(parts: pd.DataFrame) -> dict[str, Any] | None:
    """Numbers written with a multiplier before one unit ("8.7k" and "19M", "800 KB" and "1.2 MB"):
    {"unit", "space", "multipliers": {letter: [factor, decimals]}}, or None."""
    suffix = parts[4].str.strip()
    letter, unit = suffix.str[:1], suffix.str[1:]
    scaled = letter.isin(list(MULTIPLIERS))
    if scaled.mean() < SHARE or unit.nunique() != 1 or letter[scaled].nunique() < 2:
        return None
    places = parts[3].str.len().clip(lower=1) - 1
    multipliers = {}
    for mark in letter[scaled].unique():
        mine = places[letter == mark]
        multipliers[str(mark)] = [MULTIPLIERS[mark], int(mine.mode().iloc[0])]
    space = " " if parts[4].str.startswith(" ").mean() > 0.5 else ""
    return {"unit": str(unit.iloc[0]), "space": space, "multipliers": multipliers}


PARENS = re.compile(r"^\s*\((.*)\)\s*$")  # an accountant's negative: (1,234.50)


def _signed(text: pd.Series) -> pd.Series:
    """Values with an accountant's parentheses read as a minus sign: "(91.47)" as "-91.47"."""
    return text.str.replace(PARENS, r"-\1", regex=True)


def _parts(values: pd.Series) -> pd.DataFrame | None:
    text = _signed(values.astype(str))
    found = text.str.extract(PATTERN)
    return None if found[2].isna().any() else found.fillna("")


def find_units(frame: pd.DataFrame, skip: set[str]) -> dict[str, dict[str, Any]]:
    """{column: {"prefix", "suffix", "thousands", "decimals"}} for text columns of written numbers."""
    out = {}
    for name in frame.columns:
        values = frame[name].dropna()
        if name in skip or frame[name].dtype != object or len(values) < MIN_VALUES:
            continue
        probe = values.sample(min(len(values), PROBE), random_state=0)
        if (duration := find_duration(values)) is not None:  # "2h 50m": durations.py
            out[str(name)] = duration
            continue
        if not probe.map(lambda v: isinstance(v, str)).all():
            continue
        if _parts(probe[~_marked(probe, _phrase(probe))]) is None:
            continue  # most text columns fail on a few hundred values, before the whole column is read
        phrase = _phrase(values)  # the probe may hold none of its rows
        marked = _marked(values, phrase)
        if not values.map(lambda v: isinstance(v, str)).all() or marked.mean() > (MAX_WORDS if phrase else MAX_MARKED):
            continue
        blank = values[marked].value_counts().index[0] if marked.any() and not frame[name].isna().any() else None
        values = values[~marked]
        parts = _parts(values)
        if parts is None or parts[2].str.match(r"0\d").any():  # a code with leading zeros is no number
            continue
        pairs = pd.Series(list(zip(parts[1], parts[4], strict=True)), dtype=object).value_counts()
        prefix, suffix = pairs.index[0]
        thousands = bool(parts[2].str.contains(",").any())
        scaled = _scaled(parts) if (parts[1] == prefix).mean() >= SHARE else None
        scaled = scaled or (_labelled(parts, prefix) if pairs.iloc[0] < SHARE * len(values) else None)
        if scaled is not None:  # "8.7k" beside "19M": one unit, several multipliers; or several units
            out[str(name)] = {"prefix": prefix, "suffix": "", "thousands": thousands, "decimals": None, **scaled}
            if blank is not None:
                out[str(name)]["null"] = blank
            continue
        parentheses = bool(values.astype(str).str.match(PARENS).any())
        written = prefix or suffix.strip() or thousands or parentheses or marked.any()
        if pairs.iloc[0] < SHARE * len(values) or not written:
            continue  # several units (GB and TB), or plain numbers the detection already reads (plain
            # numbers with " " or "n/a" for a missing one are text to pandas: read here)
        labelled = (prefix + suffix).strip().isalpha()
        if prefix.strip().isalpha() and values.nunique() <= CODES:
            continue  # "Q1".."Q4", "occ3": a handful of labels that hold a number, not amounts
        if labelled and values.nunique() == len(values) and (parts[3] == "").all():
            continue  # "INV1001", "A123": identifiers, each once, which the schema writes anew
        places = parts[3].str.len().clip(lower=1) - 1
        decimals = int(places.iloc[0]) if (places == places.iloc[0]).all() else None
        out[str(name)] = {"prefix": prefix, "suffix": suffix, "thousands": thousands, "decimals": decimals}
        whole = places[parts[3].str.fullmatch(r"(\.0*)?")]  # how whole numbers are written: 2, 2.0
        if decimals is None and len(whole) and whole.mode().iloc[0] > 0:  # stored only where 2.0
            out[str(name)]["whole"] = int(whole.mode().iloc[0])
        if blank is not None:  # "-" for a missing value, written back for one
            out[str(name)]["null"] = blank
        if parentheses:  # negatives in parentheses, written back so
            out[str(name)]["negative"] = "parentheses"
    for name, how in out.items():
        padding = _padding(frame[name].dropna())
        if how.get("suffix", "").endswith(padding.get("trail", "\0")):  # "$1,200 ": its suffix is the space
            padding.pop("trail")
        how.update(padding)
    return out


def _padding(values: pd.Series) -> dict[str, str]:
    """The spaces every value starts or ends with (" 36 months"), so that they are written back:
    without them a schema's values (" 36 months", " 60 months") rejected every drawn row."""
    text = values.astype(str)
    out = {}
    for key, pattern in (("lead", r"^(\s+)"), ("trail", r"(\s+)$")):
        found = text.str.extract(pattern)[0]
        if found.notna().all() and found.nunique() == 1:
            out[key] = str(found.iloc[0])
    return out


def read_written(series: pd.Series, how: dict[str, Any] | None = None) -> pd.Series:
    """The numbers a written column holds (NaN for nulls and for values that are not written numbers);
    `how`, as find_units found it, is needed for a duration and for multipliers ("19M")."""
    if how is not None and how.get("kind") == "duration":
        return read_duration(series, how)
    parts = _signed(series.astype(str)).str.extract(PATTERN)
    digits = parts[2].str.replace(",", "", regex=False) + parts[3].fillna("")
    numbers = pd.to_numeric(digits, errors="coerce")
    numbers[parts[0] == "-"] *= -1
    if how is not None and "multipliers" in how:
        factors = {mark: factor for mark, (factor, _) in how["multipliers"].items()}
        numbers = numbers * parts[4].fillna("").str.strip().str[:1].map(factors).fillna(1.0)
    return numbers.where(series.notna(), np.nan).astype(float)


def read_columns(frame: pd.DataFrame, units: dict[str, dict[str, Any]], labels: bool = False) -> pd.DataFrame:
    """`frame` with those of the columns find_units found that it has read as the numbers they are
    written as; `labels`: a column of several units gets its unit in a column beside (UNIT + name)."""
    present = [c for c in units if c in frame.columns]
    if not present:
        return frame
    out = frame.assign(**{c: read_written(frame[c], units[c]) for c in present})
    for name in present:
        if labels and "per_unit" in units[name]:
            unit = _signed(frame[name].astype(str)).str.extract(PATTERN)[4]
            out.insert(list(out.columns).index(name) + 1, UNIT + name, unit.where(out[name].notna()))
    return out
