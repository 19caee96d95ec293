"""The copula's rows kept as far from real people as unseen real rows are (closeness.py's line).

Why: a copula's number columns are drawn through a grid of its training quantiles, and on a table
of a few hundred rows the grid is nearly the rows themselves: wine's and iris's drawn rows sat
closer to a training row than 95% of unseen real rows did 9% of the time, against about 6% for the
unseen rows. As the sequential model smooths its leaves (fit.py), the copula smooths its grid: each
drawn position moves by a normal kernel of a few grid steps, the narrowest that passes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.closeness import DRAWN_ROWS, CloseCheck
from synth_gradio.learn.parts import Part

SMOOTHING = (1.0, 2.0, 4.0, 8.0)  # kernel widths tried, in grid steps


def _probe(parts: list[dict[str, Any]], names: list[str], seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for part in parts:
        rows = max(1, round(float(part["weight"]) * DRAWN_ROWS))
        frames.append(pd.DataFrame(dict(zip(names, Part(part, names).draw(rows, rng), strict=True))))
    return pd.concat(frames, ignore_index=True)


def private_parts(
    parts: list[dict[str, Any]],
    specs: list[dict[str, Any]],
    train: pd.DataFrame,
    held: pd.DataFrame,
    seed: int,
    checked: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Sets each part's `smoothing` to the narrowest that passes (or the widest); the check (over the
    `checked` columns, default all) and a note."""
    names = [spec["name"] for spec in specs]
    closeness = CloseCheck(checked or specs, train, held, seed)
    found = closeness.check(_probe(parts, names, seed))
    tried = 0.0
    for width in SMOOTHING:
        if found["passes"]:
            break
        for part in parts:
            part["smoothing"] = width
        tried = width
        found = closeness.check(_probe(parts, names, seed))
    found["smoothing"] = tried
    if not found["passes"]:
        note = (
            f"{found['drawn']:.0%} of drawn rows sit closer to a training row than 95% of unseen real rows do "
            f"(the unseen rows themselves: {found['holdout']:.0%}), even with draws smoothed by {tried:g} grid "
            "steps; the table may be too small, or its rows too unique (one per firm and year), to hide them"
        )
    elif tried:
        note = f"draws are smoothed by {tried:g} grid steps, so that drawn rows sit no closer to real rows than unseen real rows do"
    else:
        note = ""
    return found, [note] if note else []
