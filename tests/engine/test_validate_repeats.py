"""Repeated items in a unique-items array are a model's slip, dropped rather than rejected."""

from __future__ import annotations

from synth_gradio.engine.validate import drop_repeats

TAGS = {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "minItems": 2}


def test_later_repeats_are_dropped_in_order() -> None:
    assert drop_repeats(["tent", "camping", "tent", "camping", "hiking"], TAGS) == ["tent", "camping", "hiking"]


def test_a_list_that_would_fall_below_min_items_or_allows_repeats_is_left_alone() -> None:
    assert drop_repeats(["tent", "tent"], TAGS) == ["tent", "tent"]
    assert drop_repeats(["a", "a", "b"], {**TAGS, "uniqueItems": False}) == ["a", "a", "b"]
    assert drop_repeats("tent", TAGS) == "tent"


def test_repeats_are_judged_as_json_values() -> None:
    assert drop_repeats(["a", 1, True, 1], TAGS) == ["a", 1, True]
