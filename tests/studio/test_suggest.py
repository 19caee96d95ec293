"""Suggested distributions and rules: validated, shown as a diff, accepted field by field."""

from __future__ import annotations

import json

import pytest
from fakes import FakeBackend

from synth_gradio.backends.base import Completion
from synth_gradio.schema.model import load_schema
from synth_gradio.studio import suggest

SCHEMA = load_schema(
    {
        "type": "object",
        "properties": {
            "level": {"type": "string", "enum": ["junior", "senior"]},
            "salary": {"type": "integer", "minimum": 20000, "maximum": 300000},
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
        },
        "required": ["level", "salary", "start", "end"],
    }
)
ANSWER = {
    "distributions": {
        "level": {"kind": "categorical", "weights": {"junior": 0.7, "senior": 0.3}},
        "salary": {"kind": "lognormal", "median": 55000, "sigma": -1},  # broken: negative sigma
        "bonus": {"kind": "normal", "mean": 1, "std": 1},  # broken: no such field
    },
    "rules": [
        {"kind": "compare", "left": "start", "op": "<=", "right": "end"},
        {"kind": "compare", "left": "start", "op": "<=", "right": "nowhere"},  # broken: unknown field
    ],
}


def test_good_proposals_are_kept_and_broken_ones_dropped_with_reasons(studio) -> None:
    found = studio.suggest(SCHEMA, FakeBackend([json.dumps(ANSWER)]))
    assert list(found.distributions) == ["level"]
    assert found.rules == [ANSWER["rules"][0]]
    reasons = "\n".join(found.dropped)
    assert "salary" in reasons and "sigma" in reasons
    assert "$.properties.bonus.x-distribution" in reasons
    assert "rule 2" in reasons and "nowhere" in reasons
    rows = suggest.diff_rows(SCHEMA, found)
    assert [r["item"] for r in rows] == ["level", "rule 1"] and rows[0]["now"] == "(nothing declared)"
    only_level = suggest.apply(SCHEMA, found, ["level"])
    assert only_level.json_schema["properties"]["level"]["x-distribution"]["weights"]["junior"] == 0.7
    assert "x-rules" not in only_level.json_schema
    both = suggest.apply(SCHEMA, found)
    assert both.json_schema["x-rules"] == [ANSWER["rules"][0]]


@pytest.mark.parametrize("text", ["not json at all", "[1, 2]", json.dumps({"distributions": {"x": 1}, "rules": 3})])
def test_unparseable_answers_mean_no_usable_suggestions(studio, text) -> None:
    found = studio.suggest(SCHEMA, FakeBackend([text]))
    assert not found.usable
    assert found.message().startswith("no usable suggestions")
    assert "larger model" in found.message()


def test_a_backend_error_is_raised_as_a_sentence(studio) -> None:
    from synth_gradio.errors import BackendAuthError

    failing = Completion(text="", finish_reason="error", error=BackendAuthError("the API key was rejected (401)"))
    with pytest.raises(BackendAuthError, match="API key was rejected"):
        studio.suggest(SCHEMA, FakeBackend([failing]))


@pytest.mark.model
def test_the_bundled_model_fails_gracefully(studio, llama_backend) -> None:
    found = studio.suggest(SCHEMA, llama_backend, seed=3)
    # Whatever the 270M model proposes, only valid proposals survive, and nothing raises.
    for name, spec in found.distributions.items():
        trial = json.loads(json.dumps(SCHEMA.json_schema))
        trial["properties"][name]["x-distribution"] = spec
        load_schema(trial)
    if not found.usable:
        assert "no usable suggestions" in found.message()
