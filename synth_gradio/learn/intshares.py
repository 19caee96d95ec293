"""Whole-number columns of a small table drawn at smoothed rates, where their counts are noise.

Why: a column of ages or years in a few hundred rows holds each value a handful of times, and
those counts are mostly chance (an age 1.6 times as common as the next). A model that draws each
value at its counted rate draws the ages that chance made common more often, which are the ages
with more real people to sit near: on 480 customers, drawn rows sat within a few hundred of a real
customer's income, at their exact age and segment, 1.2 times as often as fresh customers did,
most of it from the ages' counts. Counts averaged over a few neighbouring values are a better
estimate of the real rates, where the column is smooth; where the counts stand out from their
neighbours by more than chance allows (ages heaped on round numbers, a price point, a spike at 0)
they are real and kept as counted.

The smoothed rates reach the marginal as a stand-in sample of as many rows (each value repeated
by its smoothed count, the smallest and largest kept), so everything after it is fitted as before.
"""

from __future__ import annotations

import numpy as np

MIN_VALUES = 15  # distinct values a column needs (fewer: each is a category-like level of its own)
MAX_LATTICE = 1000  # whole numbers between the smallest and largest, at most
DENSE = 0.6  # share of those whole numbers the column takes (sparser: its gaps are its shape)
SPARSE_COUNT = 40  # rows per value below which counts are noisy enough to smooth
WINDOW_ROWS = 30  # rows a smoothing window should hold
MAX_HALF = 5  # values either side of a value, at most
NOISE = 2.0  # mean squared standardised residual above which the counts show real shape ...
SPIKE = 5.0  # ... or a single value's, above which it is a real spike
ROUND = (5, 10)  # ... or round values' together (their summed residual over its spread) above HEAPED
HEAPED = 3.0


def _kernel(half: int) -> np.ndarray:
    weights = 1.0 - np.abs(np.arange(-half, half + 1)) / (half + 1)
    return weights / weights.sum()


def _smooth(counts: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    half = len(kernel) // 2
    padded = np.pad(counts, half, mode="reflect") if len(counts) > half else np.pad(counts, half, mode="edge")
    return np.convolve(padded, kernel, mode="valid")


def _heaped(lattice: np.ndarray, z: np.ndarray) -> bool:
    """Whether round values (multiples of 5 or 10: ages people give, years rounded) stand out together."""
    for base in ROUND:
        on = lattice % base == 0
        if on.sum() >= 3 and float(z[on].sum() / np.sqrt(on.sum())) > HEAPED:
            return True
    return False


def smoothed_counts(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The whole numbers from the smallest to the largest and their smoothed counts, or None where
    the column is not a dense, sparsely counted run of whole numbers or its counts have real shape."""
    if len(numbers) == 0 or not np.all(np.isfinite(numbers)) or np.any(numbers != np.round(numbers)):
        return None
    low, high = int(numbers.min()), int(numbers.max())
    lattice = np.arange(low, high + 1)
    values = np.unique(numbers)
    if len(values) < MIN_VALUES or len(lattice) > MAX_LATTICE or len(values) < DENSE * len(lattice):
        return None
    mean = len(numbers) / len(lattice)
    if mean >= SPARSE_COUNT:
        return None
    counts = np.bincount((numbers - low).astype(int), minlength=len(lattice)).astype(float)
    half = int(np.clip(np.ceil(WINDOW_ROWS / mean / 2), 1, MAX_HALF))
    kernel = _kernel(half)
    centre = kernel[half]
    others = (_smooth(counts, kernel) - centre * counts) / (1 - centre)  # each value's neighbours alone
    spread = np.sum(np.delete(kernel, half) ** 2) / (1 - centre) ** 2
    z = 2 * (np.sqrt(counts + 0.375) - np.sqrt(others + 0.375)) / np.sqrt(1 + spread)  # Anscombe: near N(0, 1)
    if float(np.mean(z**2)) > NOISE or float(np.max(np.abs(z))) > SPIKE or _heaped(lattice, z):
        return None
    return lattice, _smooth(counts, kernel)


def stand_in(numbers: np.ndarray) -> np.ndarray:
    """`numbers` as many values at smoothed rates (sorted), or as they are where not smoothed."""
    found = smoothed_counts(numbers)
    if found is None:
        return numbers
    lattice, smooth = found
    cum = np.cumsum(smooth) / smooth.sum()
    levels = (np.arange(len(numbers)) + 0.5) / len(numbers)
    out = lattice[np.minimum(np.searchsorted(cum, levels), len(lattice) - 1)].astype(float)
    out[0], out[-1] = lattice[0], lattice[-1]  # the observed range stays
    return out
