"""The shape of a code: which positions hold a capital, a small letter, a digit or a fixed character.

Shared by learning (new keys that look like the real ones) and schema inference (a pattern for a
column of codes), so both read a code the same way.
"""

from __future__ import annotations

import re
import string
from itertools import groupby

import numpy as np
import pandas as pd

CODE = re.compile(r"[A-Za-z0-9._/-]{1,16}")
CLASSES = {"A": string.ascii_uppercase, "a": string.ascii_lowercase, "9": string.digits}
CLASSES["X"] = string.ascii_uppercase + string.digits  # a capital or a digit ("B6" beside "UA")
CLASSES["#"] = string.digits[1:]  # a number's first digit, never 0 there in FIXED values or more (N1757Z)
REGEX = {"A": "[A-Z]", "a": "[a-z]", "9": "[0-9]", "X": "[A-Z0-9]", "#": "[1-9]"}
FIXED = 20  # values that must share a letter at a position before it is read as fixed there


def code_shape(values: list[str]) -> str | None:
    """The shape every value shares ("AAA", "AA-9999", "N999AA", "AX" for "UA" and "B6"), or None: a class or the same character
    at each position (a letter too, given FIXED values), one length, no spaces (words and names are not codes)."""
    if not values or any(not CODE.fullmatch(v) for v in values) or len({len(v) for v in values}) != 1:
        return None
    shape = []
    for chars in zip(*values, strict=True):
        if len(values) >= FIXED and len(set(chars)) == 1 and chars[0] not in CLASSES:
            shape.append(chars[0])  # a letter every value has there (the N of US tail numbers) stays
            continue
        classes = {"A" if c.isupper() else "a" if c.islower() else "9" if c.isdigit() else c for c in chars}
        classes = {"X"} if classes == {"A", "9"} else classes
        if len(classes) != 1:
            return None
        leading = classes == {"9"} and "0" not in chars and not (shape and (shape[-1] == "#" or shape[-1].isdigit()))
        shape.append("#" if leading and len(values) >= FIXED else classes.pop())  # a class, or the one character
    return "".join(shape) if any(c in CLASSES for c in shape) else None


def shape_size(shape: str) -> int:
    return int(np.prod([len(CLASSES[c]) for c in shape if c in CLASSES], dtype=float))


def shape_pattern(shape: str) -> str:
    """A JSON Schema pattern for codes of this shape ("AA-9999" -> ^[A-Z]{2}-[0-9]{4}$)."""
    runs = [(c, len(list(group))) for c, group in groupby(shape)]
    body = "".join((REGEX.get(c) or _literal(c)) + (f"{{{n}}}" if n > 1 else "") for c, n in runs)
    return f"^{body}$"


def _literal(text: str) -> str:
    return "".join("\\" + c if c in ".^$*+?()[]{}|\\" else c for c in text)


def codes_pattern(values: pd.Series) -> str | None:
    """A pattern every value of a column of codes matches: one prefix and digits (SKU-00012, INV1001),
    or a shape with a digit in it (AB-1234) or of a few capitals (ABW); None for anything else
    (words, names, e-mail addresses: a word of five small letters is no code)."""
    sample = [str(v) for v in values.head(1000)]
    parts = [re.fullmatch(r"(\D*?)(\d+)", v) for v in sample]
    pattern = None
    if parts and all(parts) and len({p.group(1) for p in parts if p}) == 1 and CODE.fullmatch(sample[0]):
        widths = sorted(len(p.group(2)) for p in parts if p)
        span = f"{{{widths[0]}}}" if widths[0] == widths[-1] else f"{{{widths[0]},{widths[-1]}}}"
        pattern = f"^{_literal(parts[0].group(1))}[0-9]{span}$" if parts[0] else None
    shape = code_shape(sample) if pattern is None else None
    if shape and ("9" in shape or (len(shape) <= 4 and "a" not in shape)):
        pattern = shape_pattern(shape)
    if pattern is None or not values.astype(str).str.fullmatch(pattern[1:-1]).all():
        return None
    return pattern


def holds_nested(column: pd.Series) -> bool:
    """Whether a column holds lists or objects (JSON Lines arrays and objects, Parquet lists and
    structs as read_file gives them): such a column is no key, order or plain value."""
    return column.dtype == object and bool(column.map(lambda v: isinstance(v, (list, dict))).any())


def arrays_as_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """Parquet's lists, which pandas reads as numpy arrays, as Python lists, as JSON Lines gives them."""
    for name in frame.columns:
        if frame[name].dtype == object and frame[name].map(lambda v: isinstance(v, np.ndarray)).any():
            frame[name] = frame[name].map(lambda v: v.tolist() if isinstance(v, np.ndarray) else v)
    return frame
