"""New keys and identifiers that look like the reference's: numbers, a prefix and digits, a code's shape.

Only the shape of a code is kept (which positions hold a capital, a small letter, a digit or a fixed
character), never a real value, and the codes drawn from it are unique: an entity's code in a
generated panel reads "QXB" where the real ones read "ABW", not "Country Code_1".
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.tables import CLASSES, code_shape, shape_size

SHAPE_ROOM = 20  # a shape must allow this many codes per real value, or a code would often repeat a real one


def key_format(series: pd.Series) -> dict[str, Any]:
    """How generated keys look: integers, the reference's letter prefix and digit width, the shape of
    a code (three capitals, two digits then a capital), or the column name and a number."""
    numbers = pd.to_numeric(series, errors="coerce") if pd.api.types.is_numeric_dtype(series) else None
    if numbers is not None and numbers.notna().all() and bool((numbers % 1 == 0).all()):
        return {"kind": "integer"}
    sample = [str(v) for v in series.dropna().head(1000)]
    parts = [re.fullmatch(r"(\D*?)(\d+)", v) for v in sample]
    if parts and all(parts):
        prefixes = {p.group(1) for p in parts if p}
        if len(prefixes) == 1:
            return {"kind": "text", "prefix": prefixes.pop(), "width": max(len(p.group(2)) for p in parts if p)}
    shape = code_shape(sample)
    if shape and shape_size(shape) >= SHAPE_ROOM * max(1, series.nunique()):
        return {"kind": "shape", "shape": shape}
    return {"kind": "text", "prefix": f"{series.name}_", "width": 1}


def new_keys(how: dict[str, Any], count: int) -> list[Any]:
    if how.get("kind") == "integer":
        return list(range(1, count + 1))
    if how.get("kind") == "shape":
        return shaped_codes(how["shape"], count)
    return [f"{how['prefix']}{str(i).zfill(int(how['width']))}" for i in range(1, count + 1)]


def shaped_codes(shape: str, count: int) -> list[str]:
    """`count` different codes of one shape, the same ones for the same count (keys are reproducible)."""
    rng = np.random.default_rng(count)
    out: dict[str, None] = {}
    while len(out) < count:
        columns = [rng.choice(list(CLASSES[c]), count) if c in CLASSES else np.full(count, c) for c in shape]
        for code in map("".join, zip(*columns, strict=True)):
            if len(out) < count:
                out[code] = None
    return list(out)
