"""The bundled model writes text that agrees with its record, judged by an independent oracle (TextBlob).

TextBlob's pattern lexicon is a different sentiment model from the VADER lexicon the engine checks with,
so these tests do not grade the engine with its own ruler.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synth_gradio.engine.types import GenerationRequest
from synth_gradio.schema.model import load_schema

pytestmark = pytest.mark.model
SCHEMAS = Path(__file__).resolve().parents[2] / "bench" / "text_schemas"


def _run(studio, llama_backend, name: str, n: int, seed: int) -> tuple[list[dict], object]:
    schema = load_schema(json.loads((SCHEMAS / f"{name}.json").read_text()))
    last, records = None, []
    for last in studio.run(GenerationRequest(schema=schema, n=n, seed=seed), llama_backend):
        records.extend(last.accepted)
    return records, last


def test_review_text_agrees_with_its_rating_and_label_by_an_independent_oracle(studio, llama_backend) -> None:
    from textblob import TextBlob

    records, last = _run(studio, llama_backend, "reviews", 24, 11)
    assert last.status == "completed" and len(records) == 24, last.error
    polar = [r for r in records if r["rating"] != 3]
    agree = 0
    for r in polar:
        polarity = TextBlob(r["review_text"]).sentiment.polarity
        agree += polarity <= 0.1 if r["rating"] <= 2 else polarity >= -0.1
    assert agree >= 0.9 * len(polar), [(r["rating"], r["review_text"]) for r in polar]
    expected = {1: "negative", 2: "negative", 3: "neutral", 4: "positive", 5: "positive"}
    assert all(r["sentiment"] == expected[r["rating"]] for r in records)
    stored = studio.get_run(last.run_id)["quality"]
    assert stored["metrics"]["text"]["checked"] == 24 and stored["score"]["components"]["text"] >= 0.9


def test_a_short_tag_list_schema_completes_at_n_10(studio, llama_backend) -> None:
    records, last = _run(studio, llama_backend, "saas_tags", 10, 3)
    assert last.status == "completed" and len(records) == 10, last.error
    assert all(1 <= len(r["tags"]) <= 4 for r in records)
    # Short labels may repeat each other and the examples' ("trial", "sso"): nothing is rejected for it.
    assert not any(k.startswith("copied") for k in last.reject_counts)
