"""A 0-100 quality score with its components, so a user sees why it is 83 and not 95.

Preliminary formula (a later release adds coherence and reference similarity):
    score = 100 * (0.5 * validity_rate + 0.3 * (1 - duplicate_rate) + 0.2 * mean_distinct_share)
"""

from __future__ import annotations

from typing import Any

from synth_gradio.quality.metrics import mean_distinct_share

WEIGHTS = {"validity": 0.5, "uniqueness": 0.3, "diversity": 0.2}


def quality_score(metrics: dict[str, Any]) -> dict[str, Any]:
    components = {
        "validity": metrics["validity_rate"],
        "uniqueness": 1 - metrics["duplicate_rate"],
        "diversity": mean_distinct_share(metrics),
    }
    score = 100 * sum(WEIGHTS[k] * v for k, v in components.items()) if metrics["records"] else 0.0
    return {"score": round(score, 1), "components": {k: round(v, 4) for k, v in components.items()}, "weights": WEIGHTS}
