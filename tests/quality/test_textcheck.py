"""Text that agrees with its record: roles found from the schema alone, checks that can fail, a score that sees it."""

from __future__ import annotations

import random

import pytest

from synth_gradio.quality.metrics import run_metrics
from synth_gradio.quality.score import quality_score
from synth_gradio.quality.textcheck import junk_problem, record_problems, text_agreement, voice_problem
from synth_gradio.quality.textroles import CLINICIAN, CUSTOMER, SENTIMENT, STAFF, URGENCY, text_roles

REVIEW = {
    "title": "Product review",
    "type": "object",
    "properties": {
        "product": {"type": "string", "maxLength": 60},
        "stars": {"type": "integer", "minimum": 1, "maximum": 5},
        "review": {"type": "string", "description": "what the buyer wrote", "minLength": 20, "maxLength": 400},
        "mood": {"type": "string", "enum": ["unhappy", "mixed", "pleased"]},
    },
}
TICKET = {
    "title": "Ticket",
    "type": "object",
    "properties": {
        "severity": {"type": "string", "enum": ["P4", "P3", "P2", "P1"]},
        "subject": {"type": "string", "maxLength": 80},
        "message": {"type": "string", "description": "sent by the client", "maxLength": 400},
    },
}


def test_roles_are_found_from_names_descriptions_and_enum_values_alone() -> None:
    roles = {r.name: r for r in text_roles(REVIEW)}
    review = roles["review"]
    assert review.voice == CUSTOMER and not review.short
    anchors = {a.name: a for a in review.anchors}
    assert anchors["stars"].scale == SENTIMENT and anchors["stars"].position(1) == -1.0
    assert anchors["mood"].position("unhappy") < 0 < anchors["mood"].position("pleased")
    ticket = {r.name: r for r in text_roles(TICKET)}
    severity = ticket["message"].anchors[0]
    assert severity.scale == URGENCY and severity.position("P1") > severity.position("P4")
    assert ticket["message"].voice == CUSTOMER and ticket["subject"].headline
    note = text_roles(
        {"properties": {"note": {"type": "string", "description": "a note written by the treating physician"}}}
    )
    assert note[0].voice == CLINICIAN
    agent = text_roles({"properties": {"reply": {"type": "string", "description": "the support agent's reply"}}})
    assert agent[0].voice == STAFF


def test_an_average_rating_and_a_sellers_copy_tie_no_text_to_a_sentiment() -> None:
    """A catalog's "average customer rating" is no one writer's opinion, and marketing copy praises
    whatever the rating: a plain factual description beside 4.4 stars is not a disagreement."""
    catalog = {
        "properties": {
            "rating": {"type": "number", "minimum": 1, "maximum": 5, "description": "average customer rating"},
            "stars": {"type": "integer", "minimum": 1, "maximum": 5},
            "blurb": {"type": "string", "description": "marketing copy for the product page"},
            "review": {"type": "string", "description": "the customer's review"},
        }
    }
    roles = {r.name: r for r in text_roles(catalog)}
    assert [a.name for a in roles["review"].anchors] == ["stars"]
    assert roles["blurb"].anchors == ()
    plain = "3-season tent with two bedrooms, designed for camping."
    assert (
        record_problems(
            {"rating": 1.2, "stars": 5, "blurb": plain, "review": "Great tent, love it."}, list(roles.values())
        )
        == []
    )
    assert [p.kind for p in record_problems({"stars": 1, "review": "Great tent, love it."}, [roles["review"]])] == [
        "disagrees"
    ]
    # A customer's review "of the listing" or "of their copy" is no seller's copy: it keeps its rating.
    for about in ("the guest's review of the listing", "a reader's review of their copy of the book"):
        review = {"type": "string", "description": about}
        (role,) = text_roles({"properties": {"stars": catalog["properties"]["stars"], "review": review}})
        assert [a.name for a in role.anchors] == ["stars"], about


def test_a_speaker_field_sets_the_voice_per_record() -> None:
    schema = {
        "properties": {
            "role": {"type": "string", "enum": ["customer", "agent"]},
            "text": {"type": "string", "maxLength": 300},
        }
    }
    roles = text_roles(schema)
    assert roles[0].voice is None and roles[0].voice_field == "role"
    agent_as_customer = {"role": "agent", "text": "I was charged twice for my order and want a refund now."}
    customer_as_agent = {"role": "customer", "text": "Thank you for contacting us, we will look into it today."}
    assert [p.kind for p in record_problems(agent_as_customer, roles)] == ["off-voice"]
    assert [p.kind for p in record_problems(customer_as_agent, roles)] == ["off-voice"]
    assert record_problems({"role": "customer", "text": "I was charged twice for my order."}, roles) == []


@pytest.mark.parametrize(
    ("record", "kinds"),
    [
        ({"stars": 1, "mood": "unhappy", "review": "Perfect lens, I love the photos it takes!"}, {"disagrees"}),
        ({"stars": 5, "mood": "pleased", "review": "Broke after two days, awful and a waste of money."}, {"disagrees"}),
        ({"stars": 5, "mood": "unhappy", "review": "Great sound and a battery that lasts all week."}, {"disagrees"}),
        ({"stars": 5, "mood": "pleased", "review": "Great sound and a battery that lasts all week."}, set()),
        ({"stars": 1, "mood": "unhappy", "review": "Broke after two days, awful and a waste of money."}, set()),
    ],
)
def test_sentiment_must_agree_with_the_rating_and_the_label(record: dict, kinds: set[str]) -> None:
    assert {p.kind for p in record_problems(record, text_roles(REVIEW))} == kinds


def test_urgency_must_agree_with_the_priority() -> None:
    roles = text_roles(TICKET)
    urgent = "Our production site is down and we are losing sales, please fix this immediately."
    calm = "Quick question, no rush: can I change the colour of the dashboard header?"
    assert record_problems({"severity": "P1", "message": urgent}, roles) == []
    assert record_problems({"severity": "P4", "message": calm}, roles) == []
    assert [p.kind for p in record_problems({"severity": "P4", "message": urgent}, roles)] == ["disagrees"]
    assert [p.kind for p in record_problems({"severity": "P1", "message": calm}, roles)] == ["disagrees"]


def test_voice_and_junk_checks_can_fail() -> None:
    assert voice_problem("Please review our error message and the customer's ticket.", CUSTOMER)
    assert voice_problem("My app crashes whenever I open the invoices page.", CUSTOMER) is None
    assert voice_problem("I have had a headache for three days.", CLINICIAN)
    assert voice_problem("Patient reports a headache for three days.", CLINICIAN) is None
    for junk in ["Canon lens !} / 1368}", "My card (the blue one was declined", "Call 7352123320530660359 now.",
                 "The export fails when I click the", "20-400 chars: my message"]:  # fmt: skip
        assert junk_problem(junk), junk
    assert junk_problem("ticket", short=True) and junk_problem("Billing", headline=True)
    for fine in ["Please fix it", "Thank you!", "The export fails (every time) on Safari.", "Order 2291 is late"]:
        assert junk_problem(fine) is None, fine


def _columns(records: list[dict]) -> dict[str, list]:
    return {name: [r.get(name) for r in records] for name in REVIEW["properties"]}


def _reviews(agreeing: bool, n: int = 200) -> list[dict]:
    rng = random.Random(4)
    good = ["Love it, works great and looks beautiful.", "Excellent value, I am very happy with it."]
    bad = ["Awful, it broke in a week and support was useless.", "Terrible battery, I regret buying this."]
    out = []
    for i in range(n):
        stars = rng.choice([1, 2, 4, 5])
        positive = stars >= 4
        if not agreeing and i % 2:
            positive = not positive
        text = rng.choice(good if positive else bad) + f" Order {i}."
        out.append(
            {"product": f"Item {i}", "stars": stars, "review": text, "mood": "pleased" if stars > 3 else "unhappy"}
        )
    return out


def test_the_score_drops_below_80_when_labels_disagree_with_text_and_stays_high_when_they_agree() -> None:
    run = {"schema": REVIEW, "candidates": 200}
    consistent = quality_score(run_metrics(_reviews(True), run))
    disagreeing = quality_score(run_metrics(_reviews(False), run))
    assert consistent["components"]["text"] == 1.0 and consistent["score"] >= 90, consistent["pulled_down_by"]
    assert disagreeing["score"] < 80 and disagreeing["components"]["text"] < 0.6
    assert any("disagrees with its record" in s for s in disagreeing["pulled_down_by"])
    assert text_agreement(_columns(_reviews(False)), REVIEW)["rates"]["agreement"] == pytest.approx(0.5, abs=0.05)


def test_a_judge_verdict_caps_the_score_too() -> None:
    metrics = run_metrics(_reviews(True), {"schema": REVIEW, "candidates": 200})
    judged = quality_score({**metrics, "judge": {"mean_score": 0.6, "checked": 200}})
    assert judged["score"] <= 60 and any("judge" in s for s in judged["pulled_down_by"])
