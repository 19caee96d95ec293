"""What a tree's leaf keeps of its training rows: value shares or a quantile sketch, never the rows."""

from __future__ import annotations

import numpy as np

from synth_gradio.learn.sequential import DIGITS, LEVELS, PRIOR, SKETCH


def leaf_shares(leaf: np.ndarray, codes: np.ndarray, leaves: int, prior: np.ndarray) -> np.ndarray:
    """Each leaf's value shares, mixed with the column's overall shares `prior` (PRIOR rows' worth),
    so a small leaf never pins a rare combination."""
    counts = np.zeros((leaves, len(prior)))
    np.add.at(counts, (leaf, codes), 1.0)
    shares = (counts + PRIOR * prior) / (counts.sum(axis=1, keepdims=True) + PRIOR)
    return np.round(shares, DIGITS)


def leaf_counts(leaf: np.ndarray, codes: np.ndarray, leaves: int) -> dict[str, list[int]]:
    """Each leaf's count of each value it holds, sparse (a category with hundreds of values would
    otherwise store leaves x values shares); sequential._from_counts mixes in the prior as above."""
    cells, rows = np.unique(np.c_[leaf, codes], axis=0, return_counts=True)
    return {"leaves": int(leaves), "leaf": cells[:, 0].tolist(), "code": cells[:, 1].tolist(), "rows": rows.tolist()}


def leaf_sketch(leaf: np.ndarray, r: np.ndarray, leaves: int) -> np.ndarray:
    """SKETCH quantiles (at sequential.LEVELS) of each leaf's residuals `r`: a draw interpolates
    between them, so it never returns a training row's own residual."""
    levels = np.asarray(LEVELS)
    sketch = np.zeros((leaves, SKETCH))
    order = np.lexsort((r, leaf))
    starts = np.searchsorted(leaf[order], np.arange(leaves + 1))
    for k in range(leaves):
        chunk = r[order[starts[k] : starts[k + 1]]]
        sketch[k] = np.quantile(chunk, levels) if len(chunk) else 0.0
    return np.round(sketch, DIGITS)
