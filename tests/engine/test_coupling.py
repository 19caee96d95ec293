"""Text written after, and conditioned on, the values it must agree with (engine/coupling.py)."""

from __future__ import annotations

import json
import random

from synth_gradio.engine.coupling import TextCoupling, steer_words
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.schema.model import load_schema
from tests.fakes import FakeBackend


def _schema(label_strategy: str | None = None, rating: bool = True) -> dict:
    label = {"type": "string", "enum": ["negative", "neutral", "positive"]}
    if label_strategy:
        label["x-strategy"] = label_strategy
    props = {
        "product": {"type": "string", "enum": ["lens", "tripod"]},
        "review": {"type": "string", "description": "the buyer's review", "minLength": 10, "maxLength": 300},
        "sentiment": label,
    }
    if rating:
        props["rating"] = {"type": "integer", "minimum": 1, "maximum": 5}
    return {"title": "Review", "type": "object", "properties": props, "required": list(props)}


# Each fake text gets its own detail: texts that differ only by a number are near-duplicates (rejected).
_DETAILS = [
    "bought it for a wedding in June", "my sister borrowed it for a hiking trip", "ordered on a Sunday night",
    "delivered to my colleagues at work", "used it during our trip to Portugal", "picked it up at the outlet",
    "tested it at the zoo with my kids", "replaced an older model from 2015", "shipped to my office downtown",
    "paired it with a cheap camera body", "took it along to a football match", "carried it through two airports",
]  # fmt: skip


def _told(template: str, i: int) -> str:
    return template.format(_DETAILS[i % len(_DETAILS)])


def test_a_sampled_label_beside_a_rating_is_set_from_the_rating() -> None:
    schema = load_schema(_schema())
    planner_strategies = {"product": "sample", "review": "model", "sentiment": "sample", "rating": "prior"}
    coupling = TextCoupling(schema, planner_strategies, ["review"])
    assert set(coupling.from_rating) == {"sentiment"} and not coupling.from_text
    rng = random.Random(1)
    for rating, label in [(1, "negative"), (2, "negative"), (3, "neutral"), (4, "positive"), (5, "positive")]:
        fixed, brief, _ = coupling.before({"product": "lens", "rating": rating, "sentiment": "neutral"}, rng)
        assert fixed["sentiment"] == label
        assert brief.startswith(("a ", "an ")) and "customer" in brief
    negative = dict(steer_words((("sentiment", -1.0),), "customer"))
    assert negative["excellent"] < 0 and negative["customer"] < 0 and max(negative.values()) > 0
    neutral = dict(steer_words((("sentiment", 0.0),), "customer"))  # neither side's strongest words
    assert neutral["great"] < 0 and neutral["horrible"] < 0 and "fine" not in neutral
    note = dict(steer_words((("urgency", 1.0),), "clinician"))  # about the patient, not as the patient
    assert note["I"] < 0 and note["my"] < 0 and note["urgent"] > 0


def test_a_label_the_model_would_choose_is_decided_from_its_text() -> None:
    """x-strategy model on a polar label with no rating: the model writes only the text, the label follows it."""
    schema = load_schema(_schema("model", rating=False))
    texts = [
        {"review": "Awful buy, it snapped on the first day and nobody answered my emails."},
        {"review": "Love it, pictures are sharp and it was a great price."},
        {"review": "It arrived on Tuesday in a brown box with the manual."},
    ]
    backend = FakeBackend([json.dumps(t) for t in texts])
    results = list(generate(GenerationRequest(schema=schema, n=3, seed=2, batch_size=3), backend))
    records = [r for res in results for r in res.accepted]
    assert [r["sentiment"] for r in records] == ["negative", "positive", "neutral"]
    assert results[-1].strategies["sentiment"] == "from_text"
    grammar = backend.requests[0].json_schema
    assert set(grammar["properties"]) == {"review"}  # the label is not the model's to write
    assert "sentiment" not in backend.requests[0].suffixes[0]  # nor is it shown to the model
    assert "Brief: " in backend.requests[0].suffixes[0]


def test_text_that_disagrees_with_its_rating_is_rejected_and_the_run_still_makes_exactly_n() -> None:
    schema = load_schema(_schema())
    raving = "Perfect, I love it, the best buy I have ever made ({})!"
    fuming = "Terrible, it broke at once and I want my money back ({})."
    flat = "It is a plain thing. It came in a box on Monday ({})."
    texts = [json.dumps({"review": _told(t, i)}) for i in range(12) for t in (raving, fuming, flat)]
    backend = FakeBackend(texts, max_batch=6)
    results = list(generate(GenerationRequest(schema=schema, n=6, seed=5, batch_size=6), backend))
    records = [r for res in results for r in res.accepted]
    assert results[-1].status == "completed" and len(records) == 6, results[-1].error
    for r in records:
        if r["rating"] <= 2:
            assert r["review"].startswith("Terrible") and r["sentiment"] == "negative"
        elif r["rating"] >= 4:
            assert r["review"].startswith("Perfect") and r["sentiment"] == "positive"
    assert results[-1].reject_counts["disagrees"] > 0


def test_a_declared_label_is_checked_never_changed() -> None:
    raw = _schema(rating=False)
    raw["properties"]["sentiment"]["x-distribution"] = {
        "kind": "categorical",
        "weights": {"negative": 1, "neutral": 0, "positive": 0},
    }
    schema = load_schema(raw)
    fuming = "Terrible, it broke at once and I want my money back ({})."
    raving = "Perfect, I love it, the best buy I have ever made ({})!"
    backend = FakeBackend([json.dumps({"review": _told(t, i)}) for i in range(4) for t in (raving, fuming)])
    results = list(generate(GenerationRequest(schema=schema, n=2, seed=5, batch_size=4), backend))
    records = [r for res in results for r in res.accepted]
    assert [r["sentiment"] for r in records] == ["negative", "negative"]
    assert all(r["review"].startswith("Terrible") for r in records)


def _ticket_schema() -> dict:
    props = {
        "product": {"type": "string", "enum": ["app", "billing"]},
        "body": {"type": "string", "description": "the customer's message", "minLength": 20, "maxLength": 300},
    }
    return {"title": "Ticket", "description": "A customer's message to a helpdesk.", "type": "object",
            "properties": props, "required": list(props)}  # fmt: skip


def test_a_text_that_turns_to_staff_voice_keeps_its_sentences_before_the_turn() -> None:
    """The customer's first sentences stay; the sentence in staff voice and all after it go. A text in
    staff voice from its first sentence is rejected, as before."""
    good = "My export to Excel fails every night since the last update ({})."
    turned = good + " Thank you for contacting us, we will look into it. Regards."
    staff = "Thank you for contacting us about the export ({}), we will look into it."
    texts = [json.dumps({"body": t.format(_DETAILS[i])}) for i, t in enumerate([turned, staff, turned, staff])]
    backend = FakeBackend(texts, max_batch=4)
    results = list(
        generate(GenerationRequest(schema=load_schema(_ticket_schema()), n=2, seed=1, batch_size=4), backend)
    )
    records = [r for res in results for r in res.accepted]
    assert results[-1].status == "completed" and len(records) == 2, results[-1].error
    assert [r["body"] for r in records] == [good.format(_DETAILS[0]), good.format(_DETAILS[2])]
    assert results[-1].reject_counts["off-voice"] >= 1  # the staff one


def test_the_lost_check_says_when_a_text_being_written_is_already_lost() -> None:
    """What a streaming backend asks at word boundaries: a staff phrase in a customer's message, a text
    that talks about itself, but never a customer's own words."""
    from synth_gradio.engine.state import RunState

    state = RunState(GenerationRequest(schema=load_schema(_ticket_schema()), n=2, seed=1), FakeBackend([]), [])
    lost = state.lost(state.next_plan())
    assert lost is not None
    assert not lost("body", "My export to Excel fails every night. I tried twice")
    assert lost("body", "My export fails. Thank you for contacting us")
    assert lost("body", "This is a fake ticket for")
    assert not lost("product", "Thank you for contacting us")  # not a prose field of the record


def test_briefs_ask_for_the_lengths_real_texts_have() -> None:
    """Real reviews of 90 to 110 characters (x-lengths, from the reference: schema/infer.py): the
    drawn mix asked half the records for a line or a short text, and the model wrote 19 characters."""
    import pandas as pd

    from synth_gradio.schema.infer import infer_column

    texts = pd.Series([("Solid kettle, boils fast and looks good. " * 3)[: 90 + i % 21] for i in range(60)])
    node = infer_column("review", texts)
    assert node["x-lengths"][0] == 90 and node["x-lengths"][-1] == 110 and node["minLength"] == 45
    schema = _schema()
    schema["properties"]["review"] = {**node, "description": "the buyer's review"}
    coupling = TextCoupling(
        load_schema(schema), {"product": "sample", "review": "model", "rating": "prior"}, ["review"]
    )
    rng = random.Random(0)
    briefs = [coupling.before({"product": "lens", "rating": 4}, rng)[1] for _ in range(200)]
    assert all(b.endswith(("; medium", "; long")) for b in briefs), briefs[:5]
    plain = TextCoupling(
        load_schema(_schema()), {"product": "sample", "review": "model", "rating": "prior"}, ["review"]
    )
    mixed = [plain.before({"product": "lens", "rating": 4}, rng)[1] for _ in range(200)]
    assert sum(b.endswith(("one line", "short")) for b in mixed) > 60  # without real lengths: the mix
