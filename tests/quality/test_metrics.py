from __future__ import annotations

import math
from collections import Counter

import pytest

from synth_gradio.quality.metrics import field_stats, run_metrics, shannon_normalized, simpson
from synth_gradio.quality.neardup import near_duplicate_pairs
from synth_gradio.quality.score import WEIGHTS, quality_score


def test_simpson_and_shannon_by_hand() -> None:
    counts = Counter({"a": 2, "b": 1, "c": 1})  # p = 1/2, 1/4, 1/4
    assert simpson(counts) == pytest.approx(1 - (0.25 + 0.0625 + 0.0625))
    h = -(0.5 * math.log(0.5) + 2 * 0.25 * math.log(0.25))
    assert shannon_normalized(counts) == pytest.approx(h / math.log(3))
    assert simpson(Counter({"x": 5})) == 0 and shannon_normalized(Counter({"x": 5})) == 0
    assert shannon_normalized(Counter({"x": 3, "y": 3})) == pytest.approx(1.0)


def test_field_stats_coverage_quantiles_and_nulls() -> None:
    stats = field_stats(["red", "red", "blue", None], {"enum": ["red", "blue", "green", "black"]})
    assert stats["distinct"] == 2 and stats["null_rate"] == 0.25 and stats["enum_coverage"] == 0.5
    nums = field_stats(list(range(1, 101)))
    assert nums["numeric"]["quantiles"]["p50"] == pytest.approx(50.5)
    assert nums["numeric"]["min"] == 1 and nums["numeric"]["max"] == 100


def test_near_duplicates_found_exactly() -> None:
    texts = [
        "The quick brown fox jumps over the lazy dog near the river bank",
        "The quick brown fox jumps over the lazy dog near the river bank!",
        "A completely different sentence about invoices and shipping dates",
        "Totally unrelated words: astronomy, volcanoes and a tiny teapot",
    ]
    pairs = near_duplicate_pairs(texts, threshold=0.8)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert pairs[0][2] > 0.9


def test_near_duplicates_scale_to_ten_thousand() -> None:
    import random
    import time

    rng = random.Random(3)
    words = ["alpha", "bravo", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima", "mike"]
    texts = [" ".join(rng.choice(words) for _ in range(12)) + f" {i}" for i in range(10_000)]
    texts[5000] = texts[10] + "."
    started = time.perf_counter()
    pairs = near_duplicate_pairs(texts)
    assert (10, 5000) in {(i, j) for i, j, _ in pairs}
    assert time.perf_counter() - started < 60  # a sanity bound, not a speed target (see bench/quality.py)


def test_score_shows_its_components() -> None:
    records = [{"name": f"Person number {i}", "tier": ["a", "b"][i % 2]} for i in range(10)]
    run = {
        "candidates": 20,
        "reject_counts": {"duplicate record": 5},
        "schema": {"properties": {"name": {"type": "string"}, "tier": {"enum": ["a", "b"]}}},
    }
    metrics = run_metrics(records, run, coherence={"checked": 20, "passed_before_fix": 15, "passed_after_fix": 20})
    score = quality_score(metrics)
    assert score["components"]["validity"] == 0.5 and score["components"]["uniqueness"] == 0.75
    assert score["components"]["coherence"] == 0.75
    expected = 100 * sum(WEIGHTS[k] * v for k, v in score["components"].items())
    assert score["score"] == pytest.approx(expected, abs=0.05)
