"""The Gaussian copula: latent normal scores, their correlation, and stratified draws.

Each latent dimension (a column's value, or whether it is null) sees a reference value as the CDF
interval it occupies. Its score is the mean of a standard normal within that interval, so ties and
categories need no random jitter. Scores of a discrete variable are attenuated versions of the
latent normal (their variance `a` is below 1), and the Pearson correlation of two score columns is
close to rho * sqrt(a_i * a_j); dividing by that factor is the first-order polyserial/polychoric
correction, which keeps a binary column's association with the rest at its real strength.
Correlations use all rows where both dimensions are observed (nulls and dropped rare values are
left out pairwise); the matrix is then made positive definite.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from scipy.special import ndtri

from synth_gradio.learn.polychoric import Buckets, coarse_rho

EIGEN_FLOOR = 1e-4
MAX_RHO = 0.9999


def _pdf(z: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(z), np.exp(-0.5 * np.square(z)) / np.sqrt(2 * np.pi), 0.0)


def scores(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, float]:
    """Conditional-mean normal scores of CDF intervals (NaN stays NaN) and their variance `a`."""
    lo, hi = np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)
    width = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        wide = (_pdf(ndtri(lo)) - _pdf(ndtri(hi))) / width
        narrow = ndtri(np.clip((lo + hi) / 2, 1e-6, 1 - 1e-6))
    out = np.where(width > 1e-9, wide, narrow)
    out[np.isnan(lo)] = np.nan
    seen = out[~np.isnan(out)]
    spread = float(np.mean(np.square(seen))) if len(seen) else 0.0
    return out, spread


def pairwise_correlation(x: np.ndarray) -> np.ndarray:
    """Pearson correlations over the rows where both columns are observed (0 where undefined)."""
    seen = (~np.isnan(x)).astype(float)
    v = np.nan_to_num(x)
    count = seen.T @ seen
    sum_x = v.T @ seen  # [i, j]: sum of column i over rows where j is also seen
    sum_xx = np.square(v).T @ seen
    sum_xy = v.T @ v
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = sum_xy - sum_x * sum_x.T / count
        var_i = sum_xx - np.square(sum_x) / count
        corr = cov / np.sqrt(var_i * var_i.T)
    corr[~np.isfinite(corr) | (count < 3)] = 0.0
    np.fill_diagonal(corr, 1.0)
    return corr


def latent_correlation(x: np.ndarray, spread: np.ndarray, coarse: list[Buckets | None]) -> np.ndarray:
    """The copula's correlation matrix: attenuation-corrected, clipped and positive definite.

    `coarse[i]` holds the buckets of a coarse dimension (polychoric.buckets), None for a fine one;
    pairs of two coarse dimensions get the exact polychoric solution instead of the linear one.
    """
    observed = pairwise_correlation(x)
    scale = np.sqrt(np.outer(spread, spread))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.where(scale > 0, observed / scale, 0.0)
    corr = np.clip(corr, -MAX_RHO, MAX_RHO)
    for i, j in combinations(range(len(coarse)), 2):
        first, second = coarse[i], coarse[j]
        if first is not None and second is not None and observed[i, j] != 0:
            corr[i, j] = corr[j, i] = coarse_rho(first, second, observed[i, j] * scale[i, j])
    np.fill_diagonal(corr, 1.0)
    return positive_definite(corr)


def positive_definite(corr: np.ndarray) -> np.ndarray:
    """The nearest correlation matrix with eigenvalues at least EIGEN_FLOOR (unit diagonal kept)."""
    if len(corr) == 0:
        return corr
    sym = (corr + corr.T) / 2
    values, vectors = np.linalg.eigh(sym)
    fixed = (vectors * np.maximum(values, EIGEN_FLOOR)) @ vectors.T
    scale = np.sqrt(np.diag(fixed))
    fixed = fixed / np.outer(scale, scale)
    np.fill_diagonal(fixed, 1.0)
    return fixed


def factor(corr: np.ndarray) -> np.ndarray:
    """A matrix L with L @ L.T == corr (Cholesky, or the eigen square root if rounding broke it)."""
    if len(corr) == 0:
        return corr
    try:
        return np.linalg.cholesky(corr)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(corr)
        return vectors * np.sqrt(np.maximum(values, 0.0))


def category_order(
    codes: np.ndarray, count: int, numeric: np.ndarray, others: list[tuple[np.ndarray, int]]
) -> np.ndarray:
    """An order of a category's values along which the other columns change most (optimal scaling).

    `codes` gives each row's value index (-1 unknown); `numeric` holds continuous scores (NaN as 0);
    `others` are the codes and sizes of the other categories. Each value is described by its mean
    scores and its profile over the other categories (scaled as in correspondence analysis); the
    order is the first principal axis of those frequency-weighted descriptions, so a Gaussian
    copula, which can only express monotone links, sees the strongest one.
    """
    known = codes >= 0
    if count < 3 or (numeric.shape[1] == 0 and not others) or not known.any():
        return np.arange(count)
    weights = np.bincount(codes[known], minlength=count).astype(float)
    columns = [np.bincount(codes[known], numeric[known, d], count)[:, None] for d in range(numeric.shape[1])]
    for other, size in others:
        both = known & (other >= 0)
        table = np.bincount(codes[both] * size + other[both], minlength=count * size).reshape(count, size)
        share = np.maximum(table.sum(axis=0) / max(table.sum(), 1), 1e-12)
        columns.append(table / np.sqrt(share))
    means = np.hstack(columns) / np.maximum(weights, 1.0)[:, None]
    centre = np.average(means, axis=0, weights=np.maximum(weights, 1e-12))
    _, _, axes = np.linalg.svd((means - centre) * np.sqrt(weights)[:, None], full_matrices=False)
    return np.argsort(means @ axes[0], kind="stable")


def normals(lower: np.ndarray, rows: int, rng: np.random.Generator) -> np.ndarray:
    """rows x d correlated standard normals (L @ L.T is the copula's correlation)."""
    return rng.standard_normal((rows, lower.shape[0])) @ lower.T


def smooth(u: np.ndarray, width: float, rng: np.random.Generator) -> np.ndarray:
    """Uniforms moved by a normal kernel of `width` (reflected at 0 and 1, so no value piles up at
    the column's minimum or maximum): a draw between the grid's points rather than on them."""
    moved = np.mod(u + width * rng.standard_normal(len(u)), 2.0)  # reflected as often as it takes
    return np.clip(np.where(moved > 1, 2 - moved, moved), 1e-9, 1 - 1e-9)


def stratify(z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Uniforms with the rank order of `z` and evenly spread values: (rank - v) / len(z), v uniform.

    Within a block each 1/len(z) slice of the marginal is hit once, which removes most sampling
    noise from column shapes, while the rank order, and so the dependence, is that of the normals.
    """
    ranks = np.empty(len(z))
    ranks[np.argsort(z, kind="stable")] = np.arange(1, len(z) + 1)
    return (ranks - rng.random(len(z))) / max(len(z), 1)
