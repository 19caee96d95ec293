"""Prose a real person would not write: cut at the cap, trailing junk, meta-text, JSON, emoji runs."""

from __future__ import annotations

import json

from fakes import FakeBackend

from synth_gradio.engine.prose import ProseField, reject_reason, tidy
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.schema.model import load_schema

SUBJECT = ProseField("subject", cap=60, min_length=5, emoji_ok=False, schema_text="")
BODY = ProseField("body", cap=400, min_length=20, emoji_ok=False, schema_text="")


def test_a_text_stopped_at_its_cap_ends_at_its_last_sentence_or_clause() -> None:
    assert tidy("we can update your mobile app to version 3.0.0, we can then ", SUBJECT) == (
        "we can update your mobile app to version 3.0.0"
    )
    cut = "The export fails. Every CSV I download from the dashboard has"
    assert tidy(cut[:60], SUBJECT) == "The export fails. Every CSV I download from the dashboard"
    assert tidy("Login loops back to the start page after the update. Please", SUBJECT) == (
        "Login loops back to the start page after the update."
    )
    # Below the cap the model ended the text itself: nothing is taken away.
    assert tidy("Invoice shows the wrong VAT rate for", SUBJECT) == "Invoice shows the wrong VAT rate for"
    # Never below the field's minimum.
    short = ProseField("subject", cap=20, min_length=18, emoji_ok=False, schema_text="")
    assert tidy("Refund the order now", short) == "Refund the order now"


def test_a_text_cut_inside_an_aside_loses_the_aside_not_its_balance() -> None:
    cut = "App not working after the update (may be due to an error in billing or in"[:60]
    assert tidy(cut, SUBJECT) == "App not working after the update"
    whole = "Crash on login (iOS 17) after the update, every single time I try"[:60]
    assert "(iOS 17)" in tidy(whole, SUBJECT)  # a closed aside stays


def test_trailing_symbol_junk_is_dropped_unless_the_schema_uses_emoji() -> None:
    text = "Please call me back about the refund (order 5521)} \U0001f680\U0001f91d"
    assert tidy(text, BODY) == "Please call me back about the refund (order 5521)"
    playful = ProseField("caption", cap=200, min_length=1, emoji_ok=True, schema_text="")
    assert tidy("Sunset at the pier \U0001f305", playful) == "Sunset at the pier \U0001f305"


def test_meta_text_json_and_emoji_runs_are_rejected_unless_the_schema_asks_for_them() -> None:
    assert "talks about itself" in reject_reason("This is a fake issue ticket for the app.", BODY)
    assert "talks about itself" in reject_reason("Sample ticket: the app is slow on login", BODY)
    assert "JSON" in reject_reason('The app is slow", "priority": "high', BODY)
    assert "emoji" in reject_reason("Love it \U0001f60d\U0001f60d so fast", BODY)
    for fine in ["I need the blood test results by Friday.", "For example, the CSV export drops the header row."]:
        assert reject_reason(fine, BODY) is None
    qa = ProseField("body", cap=400, min_length=1, emoji_ok=False, schema_text="a test ticket for the qa team")
    assert reject_reason("Test ticket: checkout button greyed out on Safari", qa) is None


def test_the_engine_tidies_and_rejects_prose_and_still_makes_exactly_n() -> None:
    schema = load_schema(
        {
            "title": "Support ticket",
            "type": "object",
            "properties": {
                "priority": {"enum": ["low", "high"]},
                "subject": {"type": "string", "minLength": 5, "maxLength": 40},
                "body": {"type": "string", "minLength": 10, "maxLength": 200},
            },
            "required": ["priority", "subject", "body"],
        }
    )
    texts = [
        {"subject": "Export to CSV fails. The file that I get", "body": "The export button does nothing at all."},
        {"subject": "Password reset mail never arrives", "body": "This is a fake issue ticket for testing."},
        {
            "subject": "App crashes on start",
            "body": "Since the update \U0001f62d\U0001f62d it closes at once.",
        },
        {"subject": "Wrong invoice total", "body": "Invoice 2291 adds VAT twice. Please fix it} \U0001f4b8"},
    ]
    results = list(
        generate(GenerationRequest(schema=schema, n=2, seed=3, batch_size=4), FakeBackend(map(json.dumps, texts)))
    )
    final, records = results[-1], [r for result in results for r in result.accepted]
    assert final.achieved == 2 and final.candidates == 4
    assert [r["subject"] for r in records] == ["Export to CSV fails.", "Wrong invoice total"]
    assert records[1]["body"] == "Invoice 2291 adds VAT twice. Please fix it"
    assert set(final.reject_counts) == {"off-register"} and final.reject_counts["off-register"] == 2


def test_control_characters_a_model_wrote_are_dropped_from_the_record() -> None:
    schema = load_schema(
        {
            "type": "object",
            "properties": {"code": {"type": "string"}, "body": {"type": "string", "minLength": 10}},
            "required": ["code", "body"],
        }
    )
    texts = [{"code": "A\x00B", "body": "We are waiting for your (e\x1b); Thank you."}]
    results = list(
        generate(GenerationRequest(schema=schema, n=1, seed=1, batch_size=1), FakeBackend(map(json.dumps, texts)))
    )
    record = next(r for x in results for r in x.accepted)
    assert record == {"code": "AB", "body": "We are waiting for your (e); Thank you."}


def test_a_length_the_description_states_replaces_ours_and_caps_the_grammar() -> None:
    from synth_gradio.engine.prompts import _field_line, grammar_schema
    from synth_gradio.engine.prose import stated_cap

    assert stated_cap("first person, 1-3 sentences") == 480 and stated_cap("a sentence or two") == 320
    assert stated_cap("up to 50 words") == 370 and stated_cap("written in sentences") is None
    assert stated_cap("at least 100 words") is None and stated_cap("at least 3 sentences") is None  # minimums
    assert stated_cap("open with a sentence on the chief complaint, then findings") is None
    assert stated_cap("in a sentence") == 160
    schema = load_schema(
        {
            "type": "object",
            "properties": {
                "statement": {"type": "string", "description": "the policyholder's own account, 1-3 sentences"},
                "note": {"type": "string", "description": "the adjuster's note"},
            },
        }
    )
    said, unsaid = (_field_line(f.name, f.schema) for f in schema.fields)
    assert "paragraph" not in said and "sentences)" not in said  # the description's words alone
    assert "(one or a few sentences)" in unsaid  # not "a paragraph or more", which a small model rambles on for
    grammar = grammar_schema(schema, ["statement", "note"])["properties"]
    assert grammar["statement"]["maxLength"] == 480 and grammar["note"]["maxLength"] == 500


def test_a_stated_length_never_undercuts_min_length_nor_lifts_max_length() -> None:
    from synth_gradio.engine.prompts import grammar_schema

    props = {
        "long": {"type": "string", "minLength": 200, "description": "one sentence on the complaint"},
        "capped": {"type": "string", "maxLength": 2000, "description": "1-2 sentences"},
    }
    grammar = grammar_schema(load_schema({"type": "object", "properties": props}), ["long", "capped"])["properties"]
    assert grammar["long"]["maxLength"] == 200 and grammar["long"]["minLength"] <= 200
    assert grammar["capped"]["maxLength"] == 320
