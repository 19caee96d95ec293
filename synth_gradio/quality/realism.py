"""A 0-100 realism score for a synthetic table against the real table it should resemble.

    score = 100 * (0.10 * column_shapes + 0.25 * column_pair_trends + 0.25 * detection
                   + 0.20 * privacy + 0.20 * ml_efficacy)

- column_shapes: mean KSComplement / TVComplement over columns, as SDMetrics defines them;
- column_pair_trends: mean correlation / contingency similarity over column pairs, as SDMetrics;
- detection: a classifier two-sample test (detection.py): a gradient-boosting classifier learns to
  tell synthetic rows from real ones; score = clip(2 * (1 - ROC AUC), 0, 1), 1 when it does no
  better than chance;
- privacy: exact copies of reference rows and distance to closest record against a real holdout
  (see holdout.py);
- ml_efficacy: skill of a model trained on synthetic rows over the same model trained on real rows,
  both tested on the holdout (see efficacy.py). When the target cannot be predicted even from real
  rows (or detection cannot run), that component's weight is shared out over the others in
  proportion to their weights.

Why these weights: fidelity (shapes, pairs, detection) is what "looks like my table" means and gets
60%. Column shapes are the easy part (each column drawn on its own from a fitted marginal matches
them) and get 10%. Pair trends (25%) see only one correlation per pair; detection (25%) is the
stricter test that sees everything else a generator can get wrong (interactions, non-monotone
links, functions of other columns, values between a column's standard values) and that a table
matching every marginal and every pairwise correlation can still fail. SDMetrics-style shapes and
pairs are nearly saturated (the product's copula scores 0.92-0.98 on SDMetrics' quality report on
most development tables, bench/detection.py) while detection still spots it at AUC 0.7-0.93 on
some of them, so detection weighs as much as pairs and more than shapes. ML efficacy (20%) is the use a table is made for. Privacy
guards against the other way to look real, copying, and gets 20% (10% exact copies cost about 20
points). On bench/realism.py's tables (wine, breast cancer, diabetes, iris; 300 rows) a
column-by-column draw scores 45-50 (58-65 before detection was added) and the product's learned
models or a copula stand-in 89-99: detection gives the first away at AUC 0.97-1.0 and tells the
second from real rows at AUC 0.28-0.65 (0.5: chance).

Without a holdout, the reference is split 80/20 by a hash of each row's content (holdout.py). When
the synthetic rows were learned from the whole reference, the holdout was seen too; pass a holdout
that the generator never saw for a strict measure. Detection compares the synthetic rows with all
real rows (reference and holdout together).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.quality.compare import fidelity, overall_similarity
from synth_gradio.quality.detection import detection_report
from synth_gradio.quality.efficacy import ml_efficacy
from synth_gradio.quality.holdout import holdout_privacy, split_holdout
from synth_gradio.quality.reference import matching_columns, numbers_read

WEIGHTS = {
    "column_shapes": 0.10,
    "column_pair_trends": 0.25,
    "detection": 0.25,
    "privacy": 0.20,
    "ml_efficacy": 0.20,
}
SHOWN_BELOW = 0.9  # columns and pairs under this similarity are named in pulled_down_by
SHOWN_MAX = 3


def realism_report(
    reference: pd.DataFrame,
    synthetic: pd.DataFrame,
    *,
    holdout: pd.DataFrame | None = None,
    target: str | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Fidelity, privacy and ML efficacy of `synthetic` against `reference`, with a 0-100 score and
    the sentences that say what pulled it down."""
    reference, synthetic, holdout = numbers_read(reference, synthetic, holdout)
    columns = matching_columns(reference, synthetic)
    if holdout is None:
        train, holdout_rows, source = *split_holdout(reference), "split"
    else:
        train, holdout_rows, source = reference, holdout, "given"
        missing = [str(c) for c in columns if c not in holdout.columns]
        if missing:
            raise InputError(f"the holdout lacks the columns {', '.join(missing[:12])}")
        if len(holdout) < 2:
            raise InputError(f"the holdout has {len(holdout)} rows; it needs at least 2")
    shapes, trends, shape_mean, trend_mean = fidelity(reference, synthetic, columns)
    privacy = holdout_privacy(reference, train, holdout_rows, synthetic, columns, seed=seed)
    efficacy = ml_efficacy(train, holdout_rows, synthetic, target=target, columns=columns, seed=seed)
    detection = _detection(reference if holdout is None else pd.concat([reference, holdout]), synthetic, columns, seed)
    components = {
        "column_shapes": round(shape_mean, 4),
        "column_pair_trends": round(trend_mean, 4),
        "detection": detection["score"],
        "privacy": privacy["score"],
        "ml_efficacy": efficacy["ratio"],
    }
    weights = effective_weights(components)
    score = 100 * sum(weights[k] * v for k, v in components.items() if v is not None)
    penalties = _penalties(components, weights, shapes, trends, privacy, efficacy, detection, reference, synthetic)
    return {
        "score": round(score, 1),
        "components": components,
        "weights": weights,
        "fidelity": {
            "column_shapes": shapes,
            "column_pair_trends": trends,
            "overall": overall_similarity(shape_mean, trend_mean),
        },
        "detection": detection,
        "privacy": privacy,
        "ml_efficacy": efficacy,
        "holdout": {"source": source, "train_rows": len(train), "holdout_rows": len(holdout_rows)},
        "columns": columns,
        "reference_only_columns": [c for c in reference.columns if c not in columns],
        "penalties": penalties,
        "pulled_down_by": [s for p in penalties for s in (p["sentence"], *p["details"])],
    }


def _detection(real: pd.DataFrame, synthetic: pd.DataFrame, columns: list[str], seed: int) -> dict[str, Any]:
    """The classifier two-sample test, or why it could not run (then it is left out of the score)."""
    try:
        return detection_report(real, synthetic, columns=columns, seed=seed)
    except InputError as exc:
        return {"auc": None, "score": None, "note": str(exc), "telling": []}


def effective_weights(components: dict[str, float | None]) -> dict[str, float]:
    """WEIGHTS, with the weight of any component that could not be measured shared out over the rest."""
    present = {k: w for k, w in WEIGHTS.items() if components.get(k) is not None}
    total = sum(present.values()) or 1.0
    return {k: round(present[k] / total, 4) if k in present else 0.0 for k in WEIGHTS}


def _penalties(
    components: dict[str, float | None],
    weights: dict[str, float],
    shapes: dict[str, dict[str, Any]],
    trends: list[dict[str, Any]],
    privacy: dict[str, Any],
    efficacy: dict[str, Any],
    detection: dict[str, Any],
    reference: pd.DataFrame,
    synthetic: pd.DataFrame,
) -> list[dict[str, Any]]:
    out = []
    for name, value in components.items():
        if value is None:
            continue
        points = round(100 * weights[name] * (1 - value), 1)
        if points < 0.1:
            continue
        if name == "detection":
            headline, details = detection["sentence"], [t["sentence"] for t in detection["telling"]]
        else:
            headline, details = _explain(name, value, shapes, trends, privacy, efficacy, reference, synthetic)
        out.append(
            {"component": name, "points": points, "sentence": f"{headline} ({points} points).", "details": details}
        )
    for name, part, value in (("ml_efficacy", efficacy, "ratio"), ("detection", detection, "score")):
        if part[value] is None and part.get("note"):
            out.append({"component": name, "points": 0.0, "sentence": f"Not scored: {part['note']}.", "details": []})
    return sorted(out, key=lambda p: -p["points"])


def _explain(
    name: str,
    value: float,
    shapes: dict[str, dict[str, Any]],
    trends: list[dict[str, Any]],
    privacy: dict[str, Any],
    efficacy: dict[str, Any],
    reference: pd.DataFrame,
    synthetic: pd.DataFrame,
) -> tuple[str, list[str]]:
    if name == "column_shapes":
        worst = sorted((s["score"], c, s["metric"]) for c, s in shapes.items() if s["score"] is not None)
        details = [
            f"Column {c!r} is shaped unlike the reference: {metric} {score:.2f}."
            for score, c, metric in worst[:SHOWN_MAX]
            if score < SHOWN_BELOW
        ]
        return f"Column shapes match the reference at {value:.2f}", details
    if name == "column_pair_trends":
        worst_pairs = sorted(trends, key=lambda t: t["score"])[:SHOWN_MAX]
        details = [_pair_sentence(t, reference, synthetic) for t in worst_pairs if t["score"] < SHOWN_BELOW]
        return f"Relationships between columns match at {value:.2f}", details
    if name == "privacy":
        details = []
        if privacy["exact_copies"]:
            details.append(
                f"{privacy['exact_copies']} synthetic rows ({privacy['exact_copy_rate']:.1%}) are exact copies "
                "of reference rows."
            )
        if privacy["rows_too_close_rate"] > privacy["expected_too_close_rate"]:
            details.append(
                f"{privacy['rows_too_close_rate']:.1%} of synthetic rows sit closer to a training row than 95% of "
                f"real holdout rows do (about 5% expected); median distance ratio {privacy['dcr_median_ratio']}."
            )
        return f"Privacy scores {value:.2f}", details
    real, syn = efficacy["real"]["skill"], efficacy["synthetic"]["skill"]
    detail = (
        f"A model trained on synthetic rows predicts {efficacy['target']!r} with skill {syn:.2f} "
        f"({efficacy['metric']}) against {real:.2f} when trained on real rows."
    )
    return f"ML efficacy ratio is {value:.2f}", [detail]


def _pair_sentence(trend: dict[str, Any], reference: pd.DataFrame, synthetic: pd.DataFrame) -> str:
    a, b = trend["columns"]
    if trend["metric"] == "CorrelationSimilarity":
        r_real = pd.to_numeric(reference[a], errors="coerce").corr(pd.to_numeric(reference[b], errors="coerce"))
        r_syn = pd.to_numeric(synthetic[a], errors="coerce").corr(pd.to_numeric(synthetic[b], errors="coerce"))
        return (
            f"The correlation of {a!r} and {b!r} is {r_syn:.2f} against {r_real:.2f} in the reference "
            f"(similarity {trend['score']:.2f})."
        )
    return f"{a!r} and {b!r} occur together unlike the reference (contingency similarity {trend['score']:.2f})."
