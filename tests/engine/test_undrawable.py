"""Fields code has to fill: nested-repeat patterns are filled, impossible ones end as schema errors."""

from __future__ import annotations

import random
import re

import pytest
from fakes import FakeBackend

from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.engine.values import sample_value
from synth_gradio.errors import SchemaError
from synth_gradio.schema.model import load_schema
from synth_gradio.studio import Studio


def test_a_nested_repeat_pattern_within_max_length_is_filled() -> None:
    schema = load_schema(
        {
            "type": "object",
            "properties": {
                "a": {"type": "string", "pattern": "^(a+)+$", "maxLength": 30},
                "long": {"type": "string", "pattern": "^[a-z]+$", "minLength": 150},
            },
            "required": ["a", "long"],
        }
    )
    results = list(generate(GenerationRequest(schema=schema, n=20, seed=1, batch_size=10), FakeBackend([])))
    assert results[-1].status == "completed" and results[-1].achieved == 20, results[-1].error
    records = [r for res in results for r in res.accepted]
    assert all(re.fullmatch("a+", r["a"]) and len(r["a"]) <= 30 for r in records)
    assert all(len(r["long"]) >= 150 for r in records)


def test_a_field_code_cannot_fill_fails_the_run_with_a_schema_error_naming_it() -> None:
    # Loads (no pattern to check), but no e-mail address fits in 5 characters.
    schema = load_schema({"email": {"type": "string", "format": "email", "maxLength": 5}, "n": {"type": "integer"}})
    results = list(generate(GenerationRequest(schema=schema, n=5, seed=1), FakeBackend([])))
    final = results[-1]
    assert final.status == "failed" and final.achieved == 0
    assert "$.properties.email" in final.error and "cannot draw a value for 'email'" in final.error
    with pytest.raises(SchemaError) as caught:
        sample_value("code", {"type": "string", "x-strategy": "sample"}, random.Random(0))
    assert caught.value.path == "$.properties.code" and "x-strategy" in caught.value.problem


def test_the_studio_run_records_the_sentence(studio: Studio) -> None:
    schema = load_schema({"note": {"type": "string", "x-strategy": "sample"}})
    handle = studio.start(GenerationRequest(schema=schema, n=3, seed=1), backend=FakeBackend([]))
    final = list(handle.results)[-1]
    assert final.status == "failed" and "cannot draw a value for 'note'" in final.error
    assert "x-strategy" in final.error and "ValueError" not in final.error
    assert studio.get_run(final.run_id)["status"] == "failed"
