"""The Template Builder shows the prior an undeclared number is drawn from, as a proposal to edit or accept."""

from __future__ import annotations

import json

from synth_gradio.schema.model import load_schema
from synth_gradio.studio import suggest as suggestions
from synth_gradio.ui.distributions import form_values, prior_note, set_declaration, template_priors

TEMPLATE = {
    "name": "reviews",
    "schema": {
        "type": "object",
        "properties": {
            "helpful_votes": {"type": "integer", "minimum": 0},
            "rating": {"type": "integer", "minimum": 1, "maximum": 5},
            "price": {"type": "number", "minimum": 0, "x-distribution": {"kind": "lognormal", "median": 9, "sigma": 1}},
            "body": {"type": "string"},
        },
        "required": ["helpful_votes", "rating", "price", "body"],
    },
    "examples": [],
}


def test_the_builder_shows_each_prior_and_accepting_one_writes_a_real_declaration() -> None:
    text = json.dumps(TEMPLATE)
    priors = template_priors(text)
    assert set(priors) == {"helpful_votes", "rating"}  # price is declared: the user's declaration stands
    note = prior_note(text, "helpful_votes")
    assert "has no declaration" in note and "lognormal" in note
    assert prior_note(text, "price") == "" and prior_note(text, "body") == "" and prior_note("not json", "x") == ""
    form = form_values(priors["rating"])
    assert form[0] == "categorical" and form[-3].values.tolist()[-1] == ["5", 0.45]
    schema = load_schema(TEMPLATE["schema"])
    found = suggestions.Suggestions(distributions=priors)
    rows = suggestions.diff_rows(schema, found)
    assert [r["item"] for r in rows] == ["helpful_votes", "rating"] and rows[0]["now"] == "(nothing declared)"
    accepted = suggestions.apply(schema, found, ["rating"])
    assert accepted.json_schema["properties"]["rating"]["x-distribution"] == priors["rating"]
    assert "x-distribution" not in accepted.json_schema["properties"]["helpful_votes"]
    edited = json.loads(set_declaration(text, "helpful_votes", {**priors["helpful_votes"], "median": 2}))
    assert edited["schema"]["properties"]["helpful_votes"]["x-distribution"]["median"] == 2
    assert "helpful_votes" not in template_priors(json.dumps(edited))  # declared now: no prior any more


def test_editing_a_declaration_in_the_form_keeps_the_extras_it_cannot_show() -> None:
    """The form has no boxes for decimals, nulls or the clock: applying it had dropped them, so a
    clinic's weekday office hours vanished when its dates were edited."""
    schema = {
        "type": "object",
        "properties": {
            "starts_at": {
                "type": "string",
                "format": "date-time",
                "x-distribution": {
                    "kind": "uniform",
                    "low": "2025-01-01T00:00:00Z",
                    "high": "2025-06-30T00:00:00Z",
                    "hours": [8, 18],
                    "weekdays": [0, 1, 2, 3, 4],
                },
            }
        },
    }
    text = json.dumps({"name": "visits", "schema": schema, "examples": []})
    decl = {"kind": "uniform", "low": "2025-01-01T00:00:00Z", "high": "2025-12-31T00:00:00Z"}
    kept = json.loads(set_declaration(text, "starts_at", decl))["schema"]["properties"]["starts_at"]["x-distribution"]
    assert kept["high"].startswith("2025-12-31") and kept["hours"] == [8, 18] and kept["weekdays"] == [0, 1, 2, 3, 4]
