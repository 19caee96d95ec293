"""Exact latent correlation for a pair of coarse variables (categories, booleans, null flags).

For a continuous partner the first-order correction in copula.py is exact, but between two coarse
variables the link between the latent correlation rho and the covariance of their scores is
nonlinear (for two balanced binaries the correlation of scores is (2/pi) * arcsin(rho)); the linear
form there overshoots strong links and clips them to 1. Here the covariance of scores is computed
exactly from bivariate normal cell probabilities, and rho is found by root search: the polychoric
correlation, estimated from the same scores.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtr, ndtri, owens_t

LIMIT = 8.5  # a threshold beyond this many standard deviations is treated as infinite
MAX_BUCKETS = 40  # variables with more intervals than this count as continuous
EDGE_RHO = 0.9999

Buckets = tuple[np.ndarray, np.ndarray]  # normal-space edges, score mean of each bucket


def bvn_cdf(h: np.ndarray, k: np.ndarray, rho: float) -> np.ndarray:
    """P(X <= h, Y <= k) for standard normals with correlation rho (Owen's T formula, vectorised)."""
    h = np.clip(np.asarray(h, dtype=float), -LIMIT, LIMIT)
    k = np.clip(np.asarray(k, dtype=float), -LIMIT, LIMIT)
    h = np.where(h == 0.0, 1e-12, h)
    k = np.where(k == 0.0, 1e-12, k)
    root = np.sqrt(max(1.0 - rho * rho, 1e-16))
    a_h = (k - rho * h) / (h * root)
    a_k = (h - rho * k) / (k * root)
    beta = np.where(h * k > 0, 0.0, 0.5)
    return 0.5 * (ndtr(h) + ndtr(k)) - owens_t(h, a_h) - owens_t(k, a_k) - beta


def buckets(lo: np.ndarray, hi: np.ndarray) -> Buckets | None:
    """The normal-space edges and score means of a coarse variable, or None if it is continuous."""
    seen = ~np.isnan(lo)
    cuts = np.unique(np.clip(np.concatenate([lo[seen], hi[seen]]), 0.0, 1.0))
    if len(cuts) - 1 > MAX_BUCKETS or len(cuts) < 3:
        return None
    edges = ndtri(cuts)
    dens = np.exp(-0.5 * np.square(np.clip(edges, -LIMIT, LIMIT))) / np.sqrt(2 * np.pi)
    dens[~np.isfinite(edges)] = 0.0
    means = (dens[:-1] - dens[1:]) / np.diff(cuts)
    return edges, means


def score_covariance(first: Buckets, second: Buckets, rho: float) -> float:
    """E[m1(X) m2(Y)] for the two variables' bucket score means under latent correlation rho."""
    (e1, m1), (e2, m2) = first, second
    grid = bvn_cdf(e1[:, None], e2[None, :], rho)
    cells = grid[1:, 1:] - grid[:-1, 1:] - grid[1:, :-1] + grid[:-1, :-1]
    return float(m1 @ cells @ m2)


def coarse_rho(first: Buckets, second: Buckets, target: float) -> float:
    """The latent rho whose score covariance equals `target` (clipped to the reachable range)."""
    low = score_covariance(first, second, -EDGE_RHO)
    high = score_covariance(first, second, EDGE_RHO)
    if target <= low:
        return -EDGE_RHO
    if target >= high:
        return EDGE_RHO
    return float(brentq(lambda r: score_covariance(first, second, r) - target, -EDGE_RHO, EDGE_RHO, xtol=1e-5))
