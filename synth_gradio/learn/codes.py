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

from synth_gradio.learn.keys import name_words
from synth_gradio.learn.model import quotas
from synth_gradio.tables import CLASSES, code_shape, shape_size

WORDS = re.compile(r"[A-Za-z][A-Za-z.'&\- ]*")  # a name in words ("General Motors", "Cote d'Ivoire")
NAMED = {"company": "company", "firm": "company", "employer": "company"}  # fictional names only: a real
# country's name on a drawn series states a falsehood (Nigeria's fertility at 1.9 in 1960)
NAMED |= {"city": "city", "town": "city", "person": "name", "customer": "name", "patient": "name"}
MAX_LENGTHS = 4  # codes of up to this many lengths get a shape per length
SHAPE_ROOM = 20  # a shape must allow this many codes per real value, or a code would often repeat a real one


def key_format(series: pd.Series) -> dict[str, Any]:
    """How generated keys look: integers, the reference's letter prefix and digit width, the shape of
    a code (three capitals, two digits then a capital), or the column name and a number."""
    numbers = pd.to_numeric(series, errors="coerce") if pd.api.types.is_numeric_dtype(series) else None
    if numbers is not None and numbers.notna().all() and bool((numbers % 1 == 0).all()):
        return {"kind": "integer", **_numbering(numbers.astype("int64"))}
    sample = [str(v) for v in series.dropna().head(1000)]
    parts = [re.fullmatch(r"(\D*?)(\d+)", v) for v in sample]
    if parts and all(parts):
        prefixes = {p.group(1) for p in parts if p}
        if len(prefixes) == 1:
            prefix = prefixes.pop()
            width = max(len(p.group(2)) for p in parts if p)
            digits = series.dropna().astype(str).str.slice(len(prefix))
            numbering = _numbering(pd.to_numeric(digits, errors="coerce").dropna().astype("int64"))
            return {"kind": "text", "prefix": prefix, "width": width, **numbering}
    shape = code_shape(sample)
    if shape and shape_size(shape) >= SHAPE_ROOM * max(1, series.nunique()):
        return {"kind": "shape", "shape": shape}
    values = series.dropna().astype(str)
    shapes = _shapes_by_length(values.sample(min(len(values), 1000), random_state=0).tolist())
    if shapes and sum(shape_size(s) for s in shapes) >= SHAPE_ROOM * max(1, series.nunique()):
        return {"kind": "shapes", "shapes": list(shapes), "shares": list(shapes.values())}
    provider = _named_provider(str(series.name))
    if provider and sum(bool(WORDS.fullmatch(v)) for v in sample) >= 0.9 * len(sample):
        return {"kind": "faker", "provider": provider, "prefix": f"{series.name}_"}  # firms by firm names
    return {"kind": "text", "prefix": f"{series.name}_", "width": 1}


def _shapes_by_length(sample: list[str]) -> dict[str, float]:
    """A shape per length of code, with the share of codes of that length ("N999A" and "N9999A" for
    tail numbers of five and six characters), or nothing where a length has no shape. Without it,
    such keys were written as the column's name and a number ("tailnum_1363")."""
    lengths = pd.Series([len(v) for v in sample])
    shares = lengths.value_counts(normalize=True)
    if not 1 < len(shares) <= MAX_LENGTHS:
        return {}
    out: dict[str, float] = {}
    for length, share in shares.items():
        shape = code_shape([v for v in sample if len(v) == length])
        if shape is None:
            return {}
        out[shape] = float(share)
    return out


def _named_provider(name: str) -> str | None:
    words = set(name_words(name))
    return next((provider for word, provider in NAMED.items() if word in words), None)


def _faker_keys(how: dict[str, Any], count: int) -> list[str]:
    """`count` different values of a Faker provider (the same ones for the same count); past what it
    has, the column's name and a number."""
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(count)
    out: dict[str, None] = {}
    for _ in range(count * 3):
        if len(out) == count:
            break
        out[str(getattr(fake, how["provider"])())] = None
    numbered = (f"{how['prefix']}{i}" for i in range(1, count + 1))
    return [*out, *(next(numbered) for _ in range(count - len(out)))]


def _numbering(numbers: pd.Series) -> dict[str, int]:
    """Where the reference's key numbers start and how they run: a counter (1001, 1002, ... or 10,
    20, ...) goes on from its first number with its step; numbers spread over a range (48213, 90321)
    are drawn over the same range, or from its start over as many numbers as there are keys.
    Before, every key counted from 1, and a classifier told generated employees (1 to 1,000) from
    real ones (1,001 to 2,200) by the key alone."""
    unique = np.unique(numbers.to_numpy())
    if len(unique) < 2:
        return {"start": int(unique[0])} if len(unique) else {}
    gaps = np.diff(unique)
    step = max(1, int(np.median(gaps)))
    step = step if np.mean(gaps % step == 0) >= 0.9 else 1  # 10, 20, 30 run by tens; random ids by ones
    span = int(unique[-1] - unique[0]) // step + 1
    if span <= 1.5 * len(unique):
        return {"start": int(unique[0]), "step": step}
    return {"start": int(unique[0]), "step": step, "room": span}


def _numbers(how: dict[str, Any], count: int) -> list[int]:
    """`count` different key numbers as the reference's run (see _numbering); 1, 2, ... for models
    stored before; the same for the same count."""
    start, step = int(how.get("start", 1)), int(how.get("step", 1))
    if "room" not in how:
        return [start + step * i for i in range(count)]
    room = max(count, int(how["room"]))  # within the real range while it holds them
    picked = np.sort(np.random.default_rng(count).choice(room, count, replace=False))
    return [start + step * int(i) for i in picked]


def new_keys(how: dict[str, Any], count: int) -> list[Any]:
    if how.get("kind") == "integer":
        return _numbers(how, count)
    if how.get("kind") == "shape":
        return shaped_codes(how["shape"], count)
    if how.get("kind") == "shapes":  # one length each, so codes of two shapes never collide
        sizes = quotas(np.asarray(how["shares"], dtype=float), count, np.random.default_rng(count))
        codes = [code for shape, size in zip(how["shapes"], sizes, strict=True) for code in shaped_codes(shape, size)]
        return list(np.random.default_rng(count).permutation(np.array(codes, dtype=object)))
    if how.get("kind") == "faker":
        return _faker_keys(how, count)
    return [f"{how['prefix']}{str(i).zfill(int(how['width']))}" for i in _numbers(how, count)]


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
