"""A 0-100 quality score with its components, so a user sees why it is 83 and not 95, and what pulled it down.

    score = 100 * (0.20 * validity + 0.10 * uniqueness + 0.10 * diversity + 0.15 * coherence
                   + 0.10 * originality + 0.20 * adherence + 0.15 * plausibility)

- validity: accepted records / candidates tried;
- uniqueness: 1 - exact duplicate candidates / candidates;
- diversity: mean normalized Shannon entropy over fields that vary;
- coherence: share of candidates that passed every declared rule before any fix (1 when there are no rules);
- originality: 1 - the largest share of records in a near-duplicate pair, over text fields;
- adherence: how well declared distributions (x-distribution) held (adherence.py; 1 when none declared).
  With coherence it makes up adherence to what the schema declares: 35% of the score;
- plausibility: checks that can fail without declarations or a reference (plausibility.py);
- text: the share of records whose model-written text agrees with its record (labels, ratings), is in
  the voice its description implies and carries no junk (the lowest of the three, textcheck.py), and
  the mean verdict of the LLM judge when one judged the run. It is not added with a weight: it caps
  the score at 100 x text. A run whose texts disagree with their labels in half of the records is not
  a 90-point run however valid it is; one with no checkable text has text = 1.

Why these weights: validity, uniqueness and diversity are what the engine already guarantees, so they
were 75% of a score that said 99.7 for every run; they now weigh 40%. Declared rules and distributions
(35%) and plausibility (15%) are what a run can actually get wrong, so a run that is valid but
flat-uniform and ignores its declared distributions falls to about 70, and one that declares nothing
and trips no plausibility check keeps about today's score.
When a reference dataset is compared, realism.py gives its own score beside this one.
"""

from __future__ import annotations

from typing import Any

from synth_gradio.quality.metrics import mean_diversity, near_duplicate_share

WEIGHTS = {
    "validity": 0.20,
    "uniqueness": 0.10,
    "diversity": 0.10,
    "coherence": 0.15,
    "originality": 0.10,
    "adherence": 0.20,
    "plausibility": 0.15,
    "text": 0.0,  # caps the score instead (see the module docstring)
}
SHOWN_BELOW = 0.5  # fields with less diversity than this are named
MIN_POINTS = 0.5  # smaller losses are noise, not worth a sentence


def quality_score(metrics: dict[str, Any]) -> dict[str, Any]:
    """The score, its components and weights, and the sentences that say what cost points."""
    coherence = (metrics.get("coherence") or {}).get("pass_rate_before_fix")
    adherence = (metrics.get("adherence") or {}).get("score")
    plausibility = (metrics.get("plausibility") or {}).get("score")
    components = {
        "validity": metrics["validity_rate"],
        "uniqueness": 1 - metrics["duplicate_rate"],
        "diversity": mean_diversity(metrics),
        "coherence": 1.0 if coherence is None else coherence,
        "originality": 1 - near_duplicate_share(metrics),
        "adherence": 1.0 if adherence is None else adherence,
        "plausibility": 1.0 if plausibility is None else plausibility,
        "text": text_component(metrics),
    }
    weighted = 100 * sum(WEIGHTS[k] * v for k, v in components.items()) if metrics["records"] else 0.0
    score = min(weighted, 100 * components["text"])
    penalties = []
    if metrics["records"]:
        for name, value in components.items():
            points = round(100 * WEIGHTS[name] * (1 - value), 1) if name != "text" else round(weighted - score, 1)
            if points >= MIN_POINTS:
                headline, details = _explain(name, value, metrics)
                penalties.append(
                    {
                        "component": name,
                        "points": points,
                        "sentence": f"{headline} ({points} points).",
                        "details": details,
                    }
                )
        penalties.sort(key=lambda p: -p["points"])
    return {
        "score": round(score, 1),
        "components": {k: round(v, 4) for k, v in components.items()},
        "weights": WEIGHTS,
        "penalties": penalties,
        "pulled_down_by": [s for p in penalties for s in (p["sentence"], *p["details"])],
    }


def text_component(metrics: dict[str, Any]) -> float:
    """The lowest of text agreement (textcheck.text_agreement) and the judge's mean verdict; 1 when
    neither applies."""
    parts = [(metrics.get("text") or {}).get("score"), (metrics.get("judge") or {}).get("mean_score")]
    present = [float(p) for p in parts if p is not None]
    return min(present) if present else 1.0


def _explain(name: str, value: float, metrics: dict[str, Any]) -> tuple[str, list[str]]:
    if name == "validity":
        reasons = sorted((metrics.get("reject_counts") or {}).items(), key=lambda kv: -kv[1])[:3]
        details = [f"Rejected {n} candidates: {reason}." for reason, n in reasons]
        return f"{1 - value:.1%} of candidates were rejected (validity {value:.1%})", details
    if name == "uniqueness":
        return f"{1 - value:.1%} of candidates were exact duplicates", []
    if name == "diversity":
        low = sorted((f["shannon_norm"], n) for n, f in metrics["fields"].items() if f["count"] and f["distinct"] > 1)
        details = [f"{n} varies little (normalized entropy {s:.2f})." for s, n in low[:3] if s < SHOWN_BELOW]
        return f"Values vary less than they could (mean normalized entropy {value:.2f})", details
    if name == "coherence":
        return f"Declared rules held before fixes in {value:.1%} of checked records", []
    if name == "originality":
        worst = max((v["records_share"], n) for n, v in (metrics.get("near_duplicates") or {}).items())
        return f"{worst[0]:.1%} of records have a near-duplicate text in {worst[1]}", []
    if name == "adherence":
        return f"Declared distributions held at {value:.2f}", list(metrics["adherence"]["sentences"])
    if name == "text":
        details = list((metrics.get("text") or {}).get("sentences") or [])
        judge = metrics.get("judge") or {}
        if judge.get("mean_score") is not None:
            details.append(
                f"The judge's mean verdict is {judge['mean_score']:.2f} over {judge.get('checked', 0)} records."
            )
        return (
            f"Model-written text holds up in {value:.1%} of records, which caps the score at {100 * value:.0f}",
            details,
        )
    return f"Plausibility checks score {value:.2f}", list(metrics["plausibility"]["sentences"])
