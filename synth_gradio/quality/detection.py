"""Detection: can a classifier tell generated rows from real ones? (a classifier two-sample test)

Equal numbers of real and generated rows (the larger side subsampled, each side capped at MAX_ROWS)
are labelled 0 and 1; sklearn's HistGradientBoostingClassifier learns to separate them under 5-fold
stratified cross-validation and the ROC AUC on the held-out folds is averaged. Numbers stay numbers,
dates become numbers, categories become category codes (native categorical splits), nulls stay NaN,
and free text or identifier-like columns (mostly distinct strings) are left out: their values would
give away every row without saying anything about the table (efficacy.encode_features).

AUC 0.5 means the classifier cannot tell the rows apart; 1.0 means every generated row is spotted.
What gave the rows away: each column is shuffled in turn within the held-out fold and the fall in
AUC is its importance (permutation importance). When many columns each give the rows away, shuffling
any one of them costs little; then (AUC >= ALONE_AUC) the columns whose own values differ most (total
variation distance) fill the list. For the most telling columns the report names the value range
(or category) whose share differs most between generated and real rows (telling.py). Below AUC
TELLING_AUC no column is named: the rows were not told apart and the importances are noise.

    score = clip(2 * (1 - AUC), 0, 1)

1 - AUC is the chance that the classifier ranks a random (real, generated) pair the wrong way round;
chance level is 0.5. The score is that rate over chance: 1 when the classifier does no better than
a coin (AUC <= 0.5; AUC below 0.5 is not extra realism), 0 when it ranks every pair right, linear
in between, so AUC 0.6 gives 0.8 and AUC 0.8 gives 0.4. An AUC well below 0.5 (under BELOW_CHANCE)
is not noise either: it comes when generated rows sit next to particular real rows (as resampled
real rows do), so the classifier, having learned those real rows, calls their generated neighbours
real and vice versa; the report says so in `note` and privacy (holdout.py) measures it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from synth_gradio.errors import InputError
from synth_gradio.quality.efficacy import encode_features
from synth_gradio.quality.reference import matching_columns
from synth_gradio.quality.telling import where_values_differ

FOLDS = 5
MAX_ROWS = 5000  # per side: enough to see a 1-2% difference, fast on 2 cores
MIN_ROWS = 10  # per side: two rows of each class in every fold
MAX_CATEGORIES = 255  # HistGradientBoosting's limit for native categorical features
TELLING_MIN = 0.005  # a column whose shuffling costs less AUC than this gave nothing away
TELLING_AUC = 0.55  # below this the rows were not told apart: no column is named (its importance is noise)
SHOWN = 3
BELOW_CHANCE = 0.4  # real rows against other real rows stay above this (0.40-0.57 on sklearn's small tables)
BELOW_CHANCE_NOTE = (
    "the classifier does worse than chance: generated rows sit next to particular real rows, so a model that learned "
    "those rows calls their generated neighbours real (see privacy for how close)"
)
ALONE_AUC = 0.6  # when no single column matters and rows are still told apart, name columns by their
ALONE_DISTANCE = 0.1  # own difference (total variation over ranges or categories) from this much


def detection_score(auc: float) -> float:
    """1 at AUC <= 0.5 (no better than chance), 0 at AUC 1, linear between (see the module docstring)."""
    return round(float(np.clip(2 * (1 - auc), 0.0, 1.0)), 4)


def detection_report(
    real: pd.DataFrame, synthetic: pd.DataFrame, columns: list[str] | None = None, seed: int = 0
) -> dict[str, Any]:
    """ROC AUC of a classifier telling `synthetic` rows from `real` ones, its 0-1 score, the columns
    that gave the rows away and where their values differ most."""
    columns = _columns(real, synthetic, columns)
    for name, frame in (("real", real), ("synthetic", synthetic)):
        if len(frame) < MIN_ROWS:
            raise InputError(
                f"the {name} table has {len(frame)} rows; a detection test needs at least {MIN_ROWS} on each side"
            )
    n = min(len(real), len(synthetic), MAX_ROWS)
    rng = np.random.default_rng(seed)
    real_rows, syn_rows = _subsample(real, n, rng), _subsample(synthetic, n, rng)
    (x_real, x_syn), used, codes = encode_features([real_rows, syn_rows], columns)
    if not used:
        raise InputError(
            f"no column can be compared for detection: {', '.join(map(str, columns[:12]))} are free text or identifiers"
        )
    x, y = np.vstack([x_real, x_syn]), np.r_[np.zeros(n), np.ones(n)]
    categorical = [bool(c and np.nanmax(x[:, i], initial=0) < MAX_CATEGORIES) for i, c in enumerate(codes)]
    aucs, drops = _cross_validate(x, y, categorical, seed)
    auc = float(np.mean(aucs))
    importance = {col: round(float(d), 4) for col, d in zip(used, drops, strict=True)}
    ranked = sorted(importance, key=lambda c: -importance[c])
    named = [c for c in ranked[:SHOWN] if importance[c] >= TELLING_MIN] if auc >= TELLING_AUC else []
    if auc >= ALONE_AUC and len(named) < SHOWN:  # many columns each give rows away: shuffling one costs nothing
        alone = {c: where_values_differ(c, real_rows[c], syn_rows[c]) for c in used if c not in named}
        by_distance = sorted(alone, key=lambda c: -alone[c]["total_variation"])
        named += [c for c in by_distance if alone[c]["total_variation"] >= ALONE_DISTANCE][: SHOWN - len(named)]
    telling = [{"importance": importance[c], **where_values_differ(c, real_rows[c], syn_rows[c])} for c in named]
    return {
        "auc": round(auc, 4),
        "auc_folds": [round(a, 4) for a in aucs],
        "score": detection_score(auc),
        "model": "HistGradientBoostingClassifier",
        "folds": FOLDS,
        "rows": {"real": n, "synthetic": n},
        "columns_used": used,
        "columns_left_out": [c for c in columns if c not in used],
        "importance": {c: importance[c] for c in ranked},
        "telling": telling,
        "sentence": (
            f"A classifier tells generated rows from real ones with ROC AUC {auc:.2f} (0.5: it cannot; 1: every row)"
        ),
        "note": BELOW_CHANCE_NOTE if auc < BELOW_CHANCE else None,
    }


def _columns(real: pd.DataFrame, synthetic: pd.DataFrame, columns: list[str] | None) -> list[str]:
    if columns is None:
        return matching_columns(real, synthetic)
    missing = [str(c) for c in columns if c not in real.columns or c not in synthetic.columns]
    if missing:
        raise InputError(f"columns not in both tables: {', '.join(missing[:12])}")
    if not columns:
        raise InputError("no columns given to compare")
    return list(columns)


def _subsample(frame: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    picked = np.sort(rng.choice(len(frame), n, replace=False)) if len(frame) > n else np.arange(len(frame))
    return frame.iloc[picked].reset_index(drop=True)


def _cross_validate(x: np.ndarray, y: np.ndarray, categorical: list[bool], seed: int) -> tuple[list[float], np.ndarray]:
    """AUC per held-out fold, and the mean fall in AUC when each column is shuffled within the fold."""
    rng = np.random.default_rng(seed + 1)
    aucs, drops = [], np.zeros(x.shape[1])
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    model = HistGradientBoostingClassifier(
        random_state=seed, early_stopping=False, categorical_features=np.asarray(categorical)
    )
    with threadpool_limits(limits=1):  # on a busy 2-core machine OpenMP threads cost 10x more than they give
        for train, test in folds.split(x, y):
            model.fit(x[train], y[train])
            held = x[test]
            stacked = np.tile(held, (x.shape[1] + 1, 1))  # the fold as it is, then once per shuffled column
            for j in range(x.shape[1]):
                rows = slice((j + 1) * len(held), (j + 2) * len(held))
                stacked[rows, j] = rng.permutation(held[:, j])
            scores = model.predict_proba(stacked)[:, 1].reshape(x.shape[1] + 1, len(held))
            fold = [_auc(y[test], s) for s in scores]
            aucs.append(fold[0])
            drops += fold[0] - np.asarray(fold[1:])
    return aucs, drops / FOLDS


def _auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """ROC AUC from ranks (Mann-Whitney U), ties counted half: the same as sklearn's roc_auc_score."""
    ranks = rankdata(scores)
    positives = labels == 1
    n1, n0 = int(positives.sum()), int((~positives).sum())
    return float((ranks[positives].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))
