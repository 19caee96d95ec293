"""Which model a small table gets: both are fitted, and the one whose rows a classifier tells from
the reference less easily is kept, provided its rows sit no closer to real rows than unseen ones.

Why: below a thousand training rows neither model is better everywhere. On the development tables
the sequential trees were told apart less on a quarterly macro series (AUC .72 against the copula's
.86), a survey (.52 against .63) and travellers' choices (.68 against .78), where columns follow
each other in bends and steps a single correlation per pair cannot hold; the copula was told apart
less on a few hundred measurements of wine or tumours, where leaves of a handful of rows are noise.
A fixed rule by size picked the copula for all of them. Fitting both costs a second or two on such
a table; the measurement is the same kind the quality report shows (a classifier two-sample test).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.learn.closeness import QUANTILE

MARGIN = 0.03  # the sequential model must be told apart this much less (AUC) to be chosen
FOLDS = 3
MIN_ROWS = 60  # fewer reference rows: the classifier's AUC is noise, the copula stays
WIDER = 2  # leaf doublings the choice may ask for beyond the fit's own
UNIQUE = 0.5  # a text column with more distinct values than this share of rows is left out


def _features(real: pd.DataFrame, drawn: pd.DataFrame) -> np.ndarray:
    """Both tables as numbers: numeric columns as they are, others as codes over both tables' values."""
    columns = []
    for name in [c for c in real.columns if c in drawn.columns]:
        both = pd.concat([real[name], drawn[name]], ignore_index=True)
        numbers = pd.to_numeric(both, errors="coerce")
        if numbers.notna().sum() == both.notna().sum() and both.notna().any():
            columns.append(numbers.to_numpy(dtype=float))
        elif real[name].astype(str).nunique() <= UNIQUE * len(real):
            codes = pd.factorize(both.astype(str))[0].astype(float)
            columns.append(np.where(both.isna().to_numpy(), np.nan, codes))
    return np.column_stack(columns) if columns else np.empty((len(real) + len(drawn), 0))


def told_apart(real: pd.DataFrame, drawn: pd.DataFrame, seed: int) -> float:
    """Cross-validated ROC AUC of gradient-boosted trees telling drawn rows from real ones (0.5: they cannot)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    x = _features(real, drawn)
    if x.shape[1] == 0:
        return 0.5
    y = np.r_[np.zeros(len(real)), np.ones(len(drawn))]
    classifier = HistGradientBoostingClassifier(max_iter=100, random_state=seed)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
    return float(np.mean(cross_val_score(classifier, x, y, cv=folds, scoring="roc_auc")))


def choose_method(fit: Callable[..., Any], frame: pd.DataFrame, seed: int) -> Any:
    """The copula, or the sequential model where its drawn rows sit no closer to training rows than
    the held-out real rows do (closeness.py's share, without the noise its pass allows: on a survey
    of 300 rows trees that passed sat close 8% of the time by the quality report's line, the
    copula's rows 5.5%) and it is told apart at least MARGIN less; the kept model's notes say what
    was measured. `fit(method, **options)` fits the reference (options: min_leaf)."""
    copula = fit("copula")
    if len(frame) < MIN_ROWS:
        return copula
    try:
        trees = _private_trees(fit, len(frame))
    except InputError:
        return copula
    closeness = trees.summary().get("closeness") or {}
    if not _as_far(closeness):
        if closeness:  # the check allows its line's noise; a choice between two models need not
            copula.add_note(
                f"learned with the copula model: the sequential model's rows sat closer to a real row than 95% of "
                f"unseen real rows do {closeness['drawn']:.2%} of the time (the unseen rows: {closeness['holdout']:.2%})"
            )
        return copula
    real = frame.reset_index(drop=True)
    auc = {
        name: told_apart(real, pd.DataFrame(model.sample(len(real), seed + 1)), seed)
        for name, model in (("copula", copula), ("sequential", trees))
    }
    kept, other = ("sequential", "copula") if auc["sequential"] <= auc["copula"] - MARGIN else ("copula", "sequential")
    model = trees if kept == "sequential" else copula
    model.add_note(
        f"learned with the {kept} model: a classifier told its rows from the reference's with ROC AUC "
        f"{auc[kept]:.2f}, the {other} model's with {auc[other]:.2f} (0.5: it cannot)"
    )
    return model


def _as_far(closeness: dict[str, Any]) -> bool:
    """Whether drawn rows sit too close no more often than unseen real rows: their measured share, or
    the line's own 5% where more unseen rows drew it (a few hundred held-out rows put a survey's
    share at 4.2%, and trees at 4.4% were refused for a copula told apart far more easily)."""
    if not closeness.get("passes"):
        return False
    return closeness["drawn"] <= max(closeness["holdout"], QUANTILE)


def _private_trees(fit: Callable[..., Any], rows: int) -> Any:
    """The sequential model, its leaves doubled (up to WIDER times, to at most a quarter of the
    training rows, as the fit's own widening) while its rows pass the fit's noisy check but sit
    closer than `_as_far` allows: wider leaves were the copula's alternative."""
    trees = fit("sequential")
    first = (trees.summary().get("closeness") or {}).get("min_leaf")
    training = int(trees.summary().get("training_rows") or rows)
    for _ in range(WIDER):
        closeness = trees.summary().get("closeness") or {}
        leaf = 2 * int(closeness.get("min_leaf") or 0)
        if not closeness.get("passes") or _as_far(closeness) or not leaf or leaf > training // 4:
            break
        trees = fit("sequential", min_leaf=leaf)
    widened = (trees.summary().get("closeness") or {}).get("min_leaf")
    if first and widened and widened > first:
        trees.add_note(
            f"leaves were widened from {first} to {widened} training rows so that drawn rows sit no closer to real "
            "rows than unseen real rows do"
        )
    return trees
