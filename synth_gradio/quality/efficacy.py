"""ML efficacy: does a model trained on synthetic rows predict a real column as well as one trained on real rows?

The same small model (sklearn HistGradientBoosting, fixed seed) is trained twice, on the synthetic rows
and on as many real training rows (all of them when there are fewer), and both are tested on the real
holdout rows. Skill is chance-adjusted so that a model that learned nothing scores 0 whatever the
class balance:
- classification (categories, booleans, numbers with at most 10 values): balanced accuracy adjusted
  for chance (0 = chance, 1 = perfect); accuracy and macro F1 are reported beside it;
- regression (other numbers, dates): R^2 (0 = predicting the mean).
ratio = synthetic skill / real skill, clipped to [0, 1]. When real rows themselves give a skill under
MIN_SKILL, the column cannot be predicted from the others and the ratio is None (left out of scores).
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, r2_score
from threadpoolctl import threadpool_limits

from synth_gradio.errors import InputError
from synth_gradio.quality.compare import _as_dates, _kind, category_text

MIN_SKILL = 0.05
TARGET_NAMES = {"target", "label", "class", "y", "outcome", "churn", "churned", "default", "fraud", "survived"}
MAX_TARGET_CLASSES = 50
MIN_CLASS_SHARE = 0.05  # a chosen class target's rarest class holds at least this share of rows
MIN_PICK_ROWS = 100  # fewer training rows: the choice is left to the column order
PICK_ROWS = 3000  # real rows (training and holdout) used to compare the candidate targets
MIN_MATCHED = 500  # from this many generated rows the real baseline is trained on as many real rows
MAX_SKILL = 0.98  # from this real skill a candidate is a function of the other columns, not a target


def _usable_target(frame: pd.DataFrame, col: str) -> bool:
    values = frame[col].dropna()
    return values.nunique() > 1 and (_kind(frame[col]) != "categorical" or values.nunique() <= MAX_TARGET_CLASSES)


def pick_target(frame: pd.DataFrame, holdout: pd.DataFrame | None = None, seed: int = 0) -> str:
    """A target-like name (target, label, class...); else, with `holdout`, the first of a few candidates
    (the last two categorical columns whose rarest class holds MIN_CLASS_SHARE of rows, then the last
    two numeric ones) that real rows predict with skill from MIN_SKILL up to MAX_SKILL: a column
    nothing predicts (a quarter of a year) or a 1.5% class left the ratio meaningless, and a function
    of another column (a log of it) measures only that law; else the last categorical column, else
    the last numeric."""
    columns = [c for c in frame.columns if _usable_target(frame, c)]
    if not columns:
        raise InputError("no column varies enough to be predicted for ML efficacy")
    named = [c for c in columns if re.sub(r"[^a-z]", "", str(c).lower()) in TARGET_NAMES]
    if named:
        return named[-1]
    by_kind = {kind: [c for c in columns if _kind(frame[c]) == kind] for kind in ("categorical", "numerical")}
    if holdout is not None and len(frame) >= MIN_PICK_ROWS:
        balanced = [c for c in by_kind["categorical"] if _rarest_share(frame[c]) >= MIN_CLASS_SHARE]
        for column in [*balanced[-2:][::-1], *by_kind["numerical"][-2:][::-1]]:
            if MIN_SKILL <= _real_skill(frame, holdout, column, seed) < MAX_SKILL:
                return column
    for kind in ("categorical", "numerical"):
        if by_kind[kind]:
            return by_kind[kind][-1]
    return columns[-1]


def _rarest_share(values: pd.Series) -> float:
    shares = category_text(values).value_counts(normalize=True)
    return float(shares.min()) if len(shares) else 0.0


def _real_skill(train: pd.DataFrame, holdout: pd.DataFrame, target: str, seed: int) -> float:
    """How well real rows (at most PICK_ROWS of them) predict `target` on the holdout."""
    train = train.sample(min(len(train), PICK_ROWS), random_state=seed)
    holdout = holdout.sample(min(len(holdout), PICK_ROWS), random_state=seed)
    task = "regression" if _kind(train[target]) in ("numerical", "datetime") else "classification"
    features = [c for c in train.columns if c != target]
    x_train, x_test = _features([train, holdout], features)
    y_train, m_train = _target_values(train, target, task)
    y_test, m_test = _target_values(holdout, target, task)
    if m_train.sum() < 2 or m_test.sum() < 2:
        return float("-inf")
    predicted = _fit_predict(task, x_train[m_train], y_train[m_train], x_test[m_test], seed)
    return float(_skill(task, y_test[m_test], predicted)["skill"])


def encode_features(frames: list[pd.DataFrame], columns: list[str]) -> tuple[list[np.ndarray], list[str], list[bool]]:
    """Numbers as floats, dates as nanoseconds, categories as ordinal codes over all frames; NaN stays NaN.
    Identifier-like text (mostly distinct values) is dropped: its codes mean nothing.
    Returns (one matrix per frame, the columns kept, which of them are category codes)."""
    joined = pd.concat([f[columns] for f in frames], ignore_index=True)
    encoded, codes_of = {}, []
    for col in columns:
        kind = _kind(joined[col])
        if kind == "numerical" or (pd.api.types.is_numeric_dtype(joined[col]) and kind != "datetime"):
            encoded[col] = pd.to_numeric(joined[col], errors="coerce").astype(float)
        elif kind == "datetime":
            dates = _as_dates(joined[col])
            encoded[col] = pd.Series(dates.to_numpy().astype("datetime64[ns]").astype("int64"), dtype=float).where(
                dates.notna().to_numpy()
            )
        elif joined[col].nunique() <= max(50, 0.5 * joined[col].notna().sum()):
            text = joined[col].astype(str).where(joined[col].notna())
            codes, _ = pd.factorize(text, sort=True)
            encoded[col] = pd.Series(codes, dtype=float).where(codes >= 0)
            codes_of.append(col)
    matrix = pd.DataFrame(encoded).to_numpy(dtype=float) if encoded else np.zeros((len(joined), 0))
    bounds = np.cumsum([0] + [len(f) for f in frames])
    kept = list(encoded)
    return [matrix[bounds[i] : bounds[i + 1]] for i in range(len(frames))], kept, [c in codes_of for c in kept]


def _features(frames: list[pd.DataFrame], columns: list[str]) -> list[np.ndarray]:
    matrices, kept, _ = encode_features(frames, columns)
    return matrices if kept else [np.zeros((len(f), 1)) for f in frames]


def _fit_predict(task: str, x: np.ndarray, y: np.ndarray, x_test: np.ndarray, seed: int) -> np.ndarray:
    leaf = max(2, min(20, len(x) // 20))
    if task == "classification":
        if len(set(y)) < 2:
            return np.full(len(x_test), y[0] if len(y) else "")
        model: Any = HistGradientBoostingClassifier(random_state=seed, min_samples_leaf=leaf, early_stopping=False)
    else:
        model = HistGradientBoostingRegressor(random_state=seed, min_samples_leaf=leaf, early_stopping=False)
    with threadpool_limits(limits=1 if len(x) < 20_000 else None):  # small fits: threads only add contention
        model.fit(x, y)
        return model.predict(x_test)


def _skill(task: str, y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if task == "classification":
            return {
                "skill": round(float(balanced_accuracy_score(y_true, y_pred, adjusted=True)), 4),
                "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
                "f1_macro": round(float(f1_score(y_true, y_pred, average="macro")), 4),
            }
        return {"skill": round(float(r2_score(y_true, y_pred)), 4)}


def _target_values(frame: pd.DataFrame, target: str, task: str) -> tuple[np.ndarray, np.ndarray]:
    """Target values and the mask of rows that have one."""
    if task == "classification":
        y = category_text(frame[target])  # 1 and 1.0 are the same class
        return y.to_numpy(dtype=object), y.notna().to_numpy()
    if _kind(frame[target]) == "datetime":
        dates = _as_dates(frame[target])
        y = pd.Series(dates.to_numpy().astype("datetime64[ns]").astype("int64"), dtype=float).where(dates.notna())
    else:
        y = pd.to_numeric(frame[target], errors="coerce").astype(float)
    return y.to_numpy(), y.notna().to_numpy()


def ml_efficacy(
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    synthetic: pd.DataFrame,
    target: str | None = None,
    columns: list[str] | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Skill of the model trained on synthetic rows beside the same model trained on real rows."""
    columns = list(columns or [c for c in synthetic.columns if c in train.columns])
    chosen = target is None
    target = target if target is not None else pick_target(train[columns], holdout[columns], seed)
    if target not in columns:
        raise InputError(f"the target column {target!r} is not in both tables; columns: {', '.join(map(str, columns))}")
    task = "regression" if _kind(train[target]) in ("numerical", "datetime") else "classification"
    features = [c for c in columns if c != target]
    # As many real rows as generated ones: 1,000 real rows of a 16,000-row table predict less than all
    # of them, and the ratio should measure what the rows are worth, not how many were asked for. A
    # sample that learned nothing gives way to all real rows.
    matched = train.sample(len(synthetic), random_state=seed) if len(train) > len(synthetic) >= MIN_MATCHED else train
    out: dict[str, Any] = {"target": target, "target_chosen_automatically": chosen, "task": task}
    out["model"] = "HistGradientBoostingClassifier" if task == "classification" else "HistGradientBoostingRegressor"
    out["metric"] = "balanced accuracy adjusted for chance" if task == "classification" else "R^2"
    for real_rows in [matched, train] if matched is not train else [train]:
        x_train, x_syn, x_test = _features([real_rows, synthetic, holdout], features)  # codes over the same frames
        y_train, m_train = _target_values(real_rows, target, task)
        y_syn, m_syn = _target_values(synthetic, target, task)
        y_test, m_test = _target_values(holdout, target, task)
        if m_test.sum() < 2 or m_train.sum() < 2 or m_syn.sum() < 2:
            return {**out, "real": None, "synthetic": None, "ratio": None, "note": "too few rows with a target value"}
        real = _skill(
            task, y_test[m_test], _fit_predict(task, x_train[m_train], y_train[m_train], x_test[m_test], seed)
        )
        if real["skill"] >= MIN_SKILL:
            break
    syn = _skill(task, y_test[m_test], _fit_predict(task, x_syn[m_syn], y_syn[m_syn], x_test[m_test], seed))
    ratio = None
    note = None
    if real["skill"] >= MIN_SKILL:
        ratio = round(float(np.clip(syn["skill"] / real["skill"], 0.0, 1.0)), 4)
    else:
        note = f"{target!r} cannot be predicted from the other columns even with real rows (skill {real['skill']})"
    return {
        **out,
        "real": real,
        "synthetic": syn,
        "ratio": ratio,
        "note": note,
        "rows": {"train": int(m_train.sum()), "synthetic": int(m_syn.sum()), "test": int(m_test.sum())},
    }
