"""One table from one flat file (CSV, Parquet, JSON/JSONL), with the sentences every reader shares."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.tables.shapes import arrays_as_lists

READERS = (".csv", ".parquet", ".jsonl", ".json", ".xlsx")
# What pandas and its engines raise for a file that is not the table its suffix promises.
ERRORS = (ValueError, pd.errors.ParserError, OSError, KeyError, UnicodeDecodeError)
TEXT = (".csv", ".json", ".jsonl")
DELIMITERS = ",;\t|"  # a CSV's separator, sniffed: Excel in much of Europe writes ";" and 3,14
SNIFF_BYTES = 65536
DECIMAL_COMMA = re.compile(r"^\s*-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?\s*$")


def checked(path: Path, frame: pd.DataFrame, what: str = "") -> pd.DataFrame:
    """The frame, or an error when it has no rows or no columns (a table the learners cannot use)."""
    if frame.empty or not len(frame.columns):
        raise InputError(f"the reference file {path.name}{what} has no rows")
    return frame


def exists(path: Path) -> None:
    """Missing and zero-byte files get their own sentence before any parser sees them."""
    if not path.exists():
        raise InputError(f"reference file not found: {path}")
    if path.is_file() and path.stat().st_size == 0:
        raise InputError(f"the reference file {path.name} is empty")


def first_line(exc: BaseException) -> str:
    """The first line of a library's message: enough to say why, short enough for one sentence."""
    lines = str(exc).splitlines()
    return lines[0] if lines else type(exc).__name__


def _text_encoding(path: Path) -> str | None:
    """UTF-16 for a file with its byte-order mark; an error for binary data (a picture renamed .csv)."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in head:
        kind = path.suffix[1:].upper()
        raise InputError(f"{path.name} is not a table: it holds binary data, not {kind} text")
    return None


def dialect(path: Path, encoding: str | None) -> dict[str, Any]:
    """A CSV's separator, where the first lines show one other than a comma (Excel in much of Europe
    writes ";"): read with commas alone, a European export was one column of text."""
    with path.open("r", encoding=encoding or "utf-8", errors="replace", newline="") as fh:
        lines = fh.read(SNIFF_BYTES).splitlines()[:50]
    try:
        sep = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        return {}
    return {} if sep == "," or not lines or sep not in lines[0] else {"sep": sep}


def _exact_number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def decimal_commas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns whose every value is a number written with a decimal comma ("1.234,56", "3,5",
    "12") as numbers, column by column: one such field does not make a point elsewhere a thousands
    mark (2.75 in the next column stays 2.75)."""
    out = {}
    for name in frame.columns:
        values = frame[name].dropna()
        if frame[name].dtype != object or values.empty or not values.map(lambda v: isinstance(v, str)).all():
            continue
        if values.str.match(DECIMAL_COMMA).all() and values.str.contains(",").any():
            plain = frame[name].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
            out[name] = plain.str.strip().map(_exact_number, na_action="ignore").astype(float)  # as Python reads it
    return frame.assign(**out) if out else frame


def _zeros_kept(path: Path, frame: pd.DataFrame, encoding: str | None, how: dict[str, Any]) -> pd.DataFrame:
    """Number columns with a leading zero in the file (zip codes, account numbers: 02134) read as the
    text they are; pandas made 2134 of them, which no reader of the table would write."""
    numeric = [
        c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]
    if not numeric or frame.columns.has_duplicates:
        return frame
    try:
        text = pd.read_csv(path, encoding=encoding, usecols=numeric, dtype=str, **how)
    except ERRORS:
        return frame
    zeros = [c for c in numeric if text[c].str.match(r"^0\d").any()]
    return frame.assign(**{c: text[c] for c in zeros}) if zeros else frame


# pandas' default CSV parser reads "-2.3025850929940455" one unit in the last place off, so a real
# value and the same value computed again (log(0.1)) differ: a quarter of a column then failed the
# shape check (KS .75) and a classifier could split the two. Every number is read as Python reads it.
EXACT = {"float_precision": "round_trip"}


def read_file(path: Path) -> pd.DataFrame:
    """A CSV (latin-1 when not UTF-8), Parquet or JSON/JSONL file as one table."""
    suffix = path.suffix.lower()
    encoding = _text_encoding(path) if suffix in TEXT else None
    try:
        if suffix == ".csv":
            try:
                how = dialect(path, encoding)
                frame = _zeros_kept(path, pd.read_csv(path, encoding=encoding, **how, **EXACT), encoding, how)
            except UnicodeDecodeError:
                how = dialect(path, "latin-1")
                frame = _zeros_kept(path, pd.read_csv(path, encoding="latin-1", **how, **EXACT), "latin-1", how)
            frame = decimal_commas(frame) if how else frame
        elif suffix == ".parquet":
            frame = arrays_as_lists(pd.read_parquet(path))
        else:
            frame = pd.read_json(
                path,
                lines=suffix == ".jsonl",
                convert_dates=False,
                dtype=False,
                encoding=encoding or "utf-8",
                precise_float=True,
            )
    except ERRORS as exc:
        raise InputError(f"cannot read {path.name} as {suffix[1:].upper()}: {first_line(exc)}") from None
    return checked(path, frame)
