"""Train/validation/test splits that need no second copy of the data.

Each record's part is a pure function of its position and the seed, so a part can be written by
reading the records again and keeping its own, and the same seed always gives the same split.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from synth_gradio.errors import InputError

SPLITS = ("train", "validation", "test")


def parse_ratios(text: str) -> tuple[float, float, float]:
    """'0.8,0.1,0.1' -> (0.8, 0.1, 0.1); an InputError for anything that is not three ratios summing to 1."""
    try:
        parts = [float(p) for p in text.split(",")]
    except ValueError:
        raise InputError(f"split ratios look like 0.8,0.1,0.1; got {text!r}") from None
    if len(parts) != 3 or any(p < 0 for p in parts) or abs(sum(parts) - 1) > 1e-6:
        raise InputError(f"give three non-negative split ratios that add up to 1, got {text!r}")
    return parts[0], parts[1], parts[2]


def split_of(index: int, ratios: tuple[float, float, float], seed: int) -> str:
    """The same record always lands in the same part for a given seed (it is a pure function)."""
    u = random.Random(f"{seed}:{index}").random()
    return "train" if u < ratios[0] else "validation" if u < ratios[0] + ratios[1] else "test"


def split_records(
    records: Iterable[dict[str, Any]], part: str, ratios: tuple[float, float, float], seed: int
) -> Iterator[dict[str, Any]]:
    """The records of one part, streamed: positions count over all `records`, whatever their source."""
    for i, record in enumerate(records):
        if split_of(i, ratios, seed) == part:
            yield record


def split_path(out: str | Path, part: str) -> Path:
    """data.jsonl -> data.train.jsonl: the parts sit beside each other with the format's extension."""
    out = Path(out)
    return out.with_name(f"{out.stem}.{part}{out.suffix}")
