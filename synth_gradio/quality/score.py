"""A 0-100 quality score with its components, so a user sees why it is 83 and not 95.

    score = 100 * (0.35 * validity + 0.20 * uniqueness + 0.20 * diversity + 0.15 * coherence
                   + 0.10 * (1 - near_duplicate_share))

- validity: accepted records / candidates tried;
- uniqueness: 1 - exact duplicate candidates / candidates;
- diversity: mean normalized Shannon entropy over fields that vary;
- coherence: share of candidates that passed every rule before any fix (1 when there are no rules);
- near_duplicate_share: the largest share of records in a near-duplicate pair, over text fields.
When a reference dataset is compared, the report also shows its own similarity score beside this one.
"""

from __future__ import annotations

from typing import Any

from synth_gradio.quality.metrics import mean_diversity, near_duplicate_share

WEIGHTS = {"validity": 0.35, "uniqueness": 0.20, "diversity": 0.20, "coherence": 0.15, "originality": 0.10}


def quality_score(metrics: dict[str, Any]) -> dict[str, Any]:
    coherence = (metrics.get("coherence") or {}).get("pass_rate_before_fix")
    components = {
        "validity": metrics["validity_rate"],
        "uniqueness": 1 - metrics["duplicate_rate"],
        "diversity": mean_diversity(metrics),
        "coherence": 1.0 if coherence is None else coherence,
        "originality": 1 - near_duplicate_share(metrics),
    }
    score = 100 * sum(WEIGHTS[k] * v for k, v in components.items()) if metrics["records"] else 0.0
    return {"score": round(score, 1), "components": {k: round(v, 4) for k, v in components.items()}, "weights": WEIGHTS}
