"""Duplicates: exact records, unique fields, and near-duplicate prose within a run (engine/dedup.py)."""

from __future__ import annotations

import json

from synth_gradio.engine.dedup import Deduplicator
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.quality.neardup import WordIndex, word_grams
from synth_gradio.schema.model import load_schema
from tests.fakes import FakeBackend

APP = {
    "title": "App store comment",
    "type": "object",
    "properties": {
        "app_name": {"type": "string", "maxLength": 40, "description": "the app's name"},
        "platform": {"type": "string", "enum": ["iOS", "Android"]},
        "comment": {"type": "string", "minLength": 5, "maxLength": 400, "description": "the user's comment"},
    },
    "required": ["app_name", "platform", "comment"],
}


def test_word_grams_see_the_same_words_whatever_the_case_and_punctuation() -> None:
    assert word_grams("This is really great!") == word_grams("this is REALLY great")
    assert word_grams("Great app") == {("great", "app")}  # under three words: one gram
    index = WordIndex()
    index.add("This is really great!")
    index.add("The app crashes every time I open the camera.")
    assert index.closest("this is really great!!", 0.6) == (1.0, "This is really great!")
    assert index.closest("The app crashes every time I open the camera on my tablet.", 0.6)[0] >= 0.6
    assert index.closest("This is really great! I use it every morning to plan my runs.", 0.6) == (0.0, None)


def test_prose_that_nearly_repeats_an_accepted_text_is_rejected_and_names_may_repeat() -> None:
    dedup = Deduplicator(load_schema(APP), prose=["comment"])
    dedup.add({"app_name": "Strava", "platform": "iOS", "comment": "This is really great!"})
    assert dedup.check({"app_name": "Komoot", "platform": "iOS", "comment": "This is really great!!"}).startswith(
        "near-duplicate: $.comment"
    )
    assert dedup.check({"app_name": "Strava", "platform": "iOS", "comment": "Maps load slowly on the train."}) is None


def test_a_run_rejects_near_duplicate_comments_and_still_makes_exactly_n() -> None:
    schema = load_schema(APP)
    texts = [
        {"app_name": "Strava", "comment": "This is really great!"},
        {"app_name": "Komoot", "comment": "This is really great!!"},  # the same praise again
        {"app_name": "Runkeeper", "comment": "this is really great"},
        {"app_name": "Komoot", "comment": "Routes sync to my watch in seconds, but the map legend is tiny."},
        {"app_name": "Runkeeper", "comment": "Keeps logging me out after the last update; I lost two rides."},
    ]
    backend = FakeBackend([json.dumps(t) for t in texts])
    results = list(generate(GenerationRequest(schema=schema, n=3, seed=3, batch_size=5), backend))
    records = [r for res in results for r in res.accepted]
    assert results[-1].status == "completed" and len(records) == 3
    assert results[-1].reject_counts["near-duplicate"] == 2


def test_short_label_lists_and_short_fields_may_repeat() -> None:
    schema = load_schema(
        {
            "type": "object",
            "properties": {
                "city": {"type": "string", "maxLength": 40, "x-strategy": "model"},
                "tags": {"type": "array", "items": {"type": "string", "maxLength": 16}, "maxItems": 3},
                "notes": {"type": "string", "minLength": 10, "maxLength": 300},
            },
            "required": ["city", "tags", "notes"],
        }
    )
    notes = [
        "Renewal is due in March; they want SSO first.",
        "Asked for invoices in euros and a second admin seat.",
        "Trial converted last week after a call with the owner.",
        "Moving the EU team over once the security review passes.",
    ]
    texts = [json.dumps({"city": "Leeds", "tags": ["trial", "sso"], "notes": n}) for n in notes]
    results = list(generate(GenerationRequest(schema=schema, n=4, seed=1, batch_size=4), FakeBackend(texts)))
    assert results[-1].status == "completed" and not results[-1].reject_counts


def test_a_cut_label_in_a_short_list_is_junk_and_short_labels_still_pass() -> None:
    schema = load_schema(
        {
            "type": "object",
            "properties": {"tags": {"type": "array", "items": {"type": "string", "maxLength": 16}, "maxItems": 4}},
            "required": ["tags"],
        }
    )
    lists = [["full version of"], ["premium (4"], ["enterprise", "sso"], ["trial"], ["support", "AT&T"]]
    backend = FakeBackend([json.dumps({"tags": t}) for t in lists])
    results = list(generate(GenerationRequest(schema=schema, n=3, seed=1, batch_size=4), backend))
    assert results[-1].status == "completed"
    assert [r["tags"] for res in results for r in res.accepted] == [
        ["enterprise", "sso"],
        ["trial"],
        ["support", "AT&T"],
    ]
    assert results[-1].reject_counts == {"junk": 2}


def test_a_stuck_string_inside_a_lists_objects_is_junk() -> None:
    """An order's product name "Espresso Grinder (3 Pack) (2 Pack) (2 Pack (1 Pack)" had passed:
    only lists of plain strings were read."""
    item = {"type": "object", "properties": {"product": {"type": "string", "maxLength": 80}}, "required": ["product"]}
    schema = load_schema(
        {"type": "object", "properties": {"items": {"type": "array", "items": item}}, "required": ["items"]}
    )
    orders = [
        [{"product": "Espresso Grinder (3 Pack) (2 Pack) (2 Pack (1 Pack)"}],
        [{"product": "Balloons (3 Pack) (1 Pack) (2 Pack)"}],
        [{"product": "180518948870434750000000"}],  # a digit run is no product
        [{"product": "Black Coffee Tea"}, {"product": "Espresso"}, {"product": "black coffee tea"}],  # listed twice
        [{"product": "Espresso Grinder"}, {"product": "Linen Sheets (8 pack)"}],
        [{"product": "Pond Fountain (White)"}],
    ]
    backend = FakeBackend([json.dumps({"items": o}) for o in orders])
    results = list(generate(GenerationRequest(schema=schema, n=2, seed=1, batch_size=8), backend))
    assert [r["items"] for res in results for r in res.accepted] == orders[4:]
    assert results[-1].reject_counts == {"junk": 4}


def test_good_order_lines_are_not_junk() -> None:
    """An EAN under a pattern, a description that says "the" three times, a shirt in two sizes and two
    products of one category are all fine lines."""
    item = {
        "type": "object",
        "properties": {
            "sku": {"type": "string", "pattern": "^[0-9]{13}$"},
            "product_name": {"type": "string", "maxLength": 60},
            "product_category": {"type": "string", "enum": ["Apparel", "Home"]},
            "size": {"type": "string", "maxLength": 4},
            "description": {"type": "string", "maxLength": 300},
        },
        "required": ["sku", "product_name", "product_category", "size", "description"],
    }
    schema = load_schema(
        {"type": "object", "properties": {"items": {"type": "array", "items": item}}, "required": ["items"]}
    )
    desc = "Adjustable arm; the base is heavy, the shade tilts and the bulb is included."
    lines = [
        {
            "sku": "4006381333931",
            "product_name": "Linen Shirt",
            "product_category": "Apparel",
            "size": "M",
            "description": desc,
        },
        {
            "sku": "4006381333948",
            "product_name": "Linen Shirt",
            "product_category": "Apparel",
            "size": "L",
            "description": desc,
        },
        {
            "sku": "4006381333955",
            "product_name": "Desk Lamp",
            "product_category": "Apparel",
            "size": "S",
            "description": desc,
        },
    ]
    backend = FakeBackend([json.dumps({"items": lines})])
    results = list(generate(GenerationRequest(schema=schema, n=1, seed=1, batch_size=1), backend))
    assert results[-1].status == "completed" and not results[-1].reject_counts
