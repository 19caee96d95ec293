"""When an entity's first step is learned apart from its later ones, and from which rows: the first
steps, and where entities are few and their series long, a few later steps of each that look alike.

Why: a first step learned apart (`apart`) is learned from one row per entity. With 40
sensors that is 40 rows for six sites and kinds, so a sensor's level was drawn far from its site's
(Oslo indoors at 28.6 degrees, real 20.0) and every later reading, which follows the one before,
kept the error. Where the first steps are drawn from the same distribution as the later ones (a
sensor switched on at any hour; not a wage in a first job, nor fertility in 1960), later steps tell
as much about a parent's level, so up to as many rows per entity as bring the total to FIRST_ROWS
are learned with the first steps, each with its entity's own first time.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

FIRST_ROWS = 500  # first steps (and later ones) from which an entity's first step is learned apart
FIRST_ENTITIES, LONG = 20, 8  # or from fewer first steps, where entities have this many steps on average
MAX_SHIFT = 0.25  # largest gap between first and later steps' means of a number, in its deviations
MAX_SHARE_GAP = 0.15  # largest total variation between first and later steps' shares of a category
MAX_TREND = 0.2  # largest within-entity correlation of a number with the step
NOISE = 2.0  # standard errors of a mean of the first steps allowed beside the gaps above
TEXT_SHARE = 0.5  # a column with more distinct values than this share of rows is text, not compared


def apart(firsts: int, later: int) -> bool:
    """Whether an entity's first step is learned apart from its later ones: where both are many, or
    where series are long, so the first steps are few among all and the later steps' model, whose
    rows then all have a previous step, may tie a value to the previous one in its own units
    (nearlaw.py, which takes no input with nulls). Hourly readings of 60 sensors of our own learned
    together had 8% of their steps jump by more than 6 degrees (real: 0.03%), and a reading and the
    one 24 hours on correlated .2 (real .98); apart, 0.02% and .8. A short family (a traveller's four modes)
    stays together: apart, its parent-child trends strayed twice as far."""
    return min(firsts, later) >= FIRST_ROWS or (
        firsts >= FIRST_ENTITIES and later >= max(FIRST_ROWS, (LONG - 1) * firsts)
    )


def first_rows(rows: pd.DataFrame, later: np.ndarray, entity: pd.Series, steps: np.ndarray, values: list[str], first: str, seed: int) -> pd.DataFrame:  # fmt: skip
    """The rows the first-step model learns from: `rows[~later]`, or those and some later ones (their
    `first` column set to their entity's first value) where first and later steps are alike."""
    firsts = rows[~later]
    if len(firsts) >= FIRST_ROWS or not later.any() or not alike(firsts[values], rows[later][values]):
        return firsts
    if trending(rows[values], entity.to_numpy(), steps):  # an age, a balance: later steps are older
        return firsts
    pooled = rows[later].copy()
    if first in rows:
        pooled[first] = rows[first].groupby(entity.to_numpy()).transform("first")[later].to_numpy()
    per = math.ceil(FIRST_ROWS / max(1, len(firsts))) - 1  # later rows per entity
    order = np.random.default_rng(seed).permutation(len(pooled))
    shuffled = entity.to_numpy()[later][order]
    rank = pd.Series(shuffled).groupby(shuffled).cumcount().to_numpy()
    taken = np.sort(order[rank < per])
    return pd.concat([firsts, pooled.iloc[taken]])


def trending(rows: pd.DataFrame, entity: np.ndarray, steps: np.ndarray) -> bool:
    """Whether a number moves with the step within entities (correlation beyond MAX_TREND once each
    entity's mean is taken out): an age in a ten-year panel shifts by 0.3 deviations between first
    and later steps, which their means alone let through."""
    step = pd.Series(steps, dtype=float)
    step = step - step.groupby(entity).transform("mean").to_numpy()
    for column in rows.columns:
        numbers = pd.to_numeric(rows[column], errors="coerce").reset_index(drop=True)
        if numbers.notna().mean() < 0.9 or numbers.nunique() < 3:
            continue
        moved = numbers - numbers.groupby(entity).transform("mean").to_numpy()
        both = moved.notna() & step.notna()
        if (
            both.sum() > 2
            and moved[both].std() > 0
            and abs(float(np.corrcoef(moved[both], step[both])[0, 1])) > MAX_TREND
        ):
            return True
    return False


def alike(first: pd.DataFrame, later: pd.DataFrame) -> bool:
    """Whether every compared column has first steps drawn like later ones: numbers within MAX_SHIFT
    deviations in mean, categories within MAX_SHARE_GAP in their shares, each plus the noise of a
    mean of that many first steps (NOISE / sqrt(first steps): 0.32 more from 40)."""
    noise = NOISE / np.sqrt(max(1, len(first)))
    for column in first.columns:
        a, b = first[column].dropna(), later[column].dropna()
        if len(a) < 2 or len(b) < 2:
            continue
        numbers_a, numbers_b = pd.to_numeric(a, errors="coerce"), pd.to_numeric(b, errors="coerce")
        if numbers_a.notna().all() and numbers_b.notna().all() and not pd.api.types.is_bool_dtype(b):
            spread = float(pd.concat([numbers_a, numbers_b]).std()) or 1.0
            if abs(float(numbers_a.mean()) - float(numbers_b.mean())) > (MAX_SHIFT + noise) * spread:
                return False
        elif b.nunique() <= TEXT_SHARE * len(b):  # free text is not compared
            shares_a = a.astype(str).value_counts(normalize=True)
            shares_b = b.astype(str).value_counts(normalize=True)
            if 0.5 * shares_a.sub(shares_b, fill_value=0).abs().sum() > MAX_SHARE_GAP + noise:
                return False
    return True
