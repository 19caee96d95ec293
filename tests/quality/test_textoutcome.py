"""A text must not state a decision its record's status does not hold: found from the schema alone."""

from __future__ import annotations

import random

import pytest

from synth_gradio.engine.coupling import AVOID, TextCoupling, steer_words
from synth_gradio.quality.textcheck import lasting_problem, record_problems, text_agreement
from synth_gradio.quality.textoutcome import OUTCOME, outcome_position, stated
from synth_gradio.quality.textroles import text_roles
from synth_gradio.schema.model import load_schema

LOAN = {
    "title": "Loan application",
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": ["submitted", "under review", "approved", "rejected"]},
        "officer_comment": {"type": "string", "description": "the loan officer's short comment on the decision"},
    },
}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("I approve this loan application.", {"granted"}),
        ("The application for the loan was approved", {"granted"}),
        ("We have denied the claim: the policy had lapsed.", {"refused"}),
        ("The loan was not approved.", {"not granted"}),
        ("We are unable to approve your request.", {"not granted"}),
        ("The claim couldn't be approved.", {"not granted"}),
        ("Pending approval from the branch manager.", {"pending"}),
        ("Once approved, the funds arrive within three days.", set()),
        ("It will be approved or denied next week.", set()),
        ("Your application must be approved by a manager.", set()),
        ("The claim was accepted for review.", set()),
        ("The file is still being reviewed by our team.", {"pending"}),
        ("Has my claim been approved?", set()),
        ("Please approve my request.", set()),
        ("I recommend approving the claim once the police report arrives.", set()),
        ("The other driver denied fault and refused to give me his insurance details.", set()),
        ("An approved body shop fixed it; a pre-approved card came too.", set()),
        ("Granted, the applicant has a stable job, but the income is low.", set()),
        ("Applicant was previously refused a visa in 2019.", set()),
        ("Sales declined 20% last year.", set()),
        ("The payout is still pending with the bank.", set()),
    ],
)
def test_what_a_text_states_as_decided(text: str, said: set[str]) -> None:
    assert set(stated(text)) == said


def test_status_values_are_placed_on_the_decision_scale_and_the_rest_left_out() -> None:
    values = ["Approved", "partially approved", "under review", "pending approval", "Approved - pending documents"]
    placed = {v: outcome_position(v) for v in values}
    assert list(placed.values()) == [1.0, 1.0, 0.0, 0.0, 1.0]
    assert outcome_position("Rejected") == -1.0 and outcome_position("turned down") == -1.0
    assert all(outcome_position(v) is None for v in ["closed", "cancelled", "active", "not approved"])


def test_a_status_naming_decisions_anchors_its_texts_and_other_statuses_do_not() -> None:
    role = text_roles(LOAN, ["officer_comment"])[0]
    assert [(a.name, a.scale) for a in role.anchors] == [("status", OUTCOME)]
    ticket = {"properties": {**LOAN["properties"], "status": {"type": "string", "enum": ["open", "resolved"]}}}
    assert text_roles(ticket, ["officer_comment"])[0].anchors == ()
    unnamed = {"properties": {**LOAN["properties"], "tier": {"enum": ["approved", "rejected"], "type": "string"}}}
    unnamed["properties"].pop("status")
    assert text_roles(unnamed, ["officer_comment"])[0].anchors == ()
    bugs = {"state": {"type": "string", "enum": ["new", "accepted", "in_progress", "fixed", "wont_fix"]}}
    payment = {"payment_status": {"type": "string", "enum": ["pending", "authorized", "declined"]}}
    for props in (bugs, payment):  # a bug's state has no refusal; a payment is no decision on the record
        schema = {"properties": {**props, "officer_comment": LOAN["properties"]["officer_comment"]}}
        assert text_roles(schema, ["officer_comment"])[0].anchors == ()


def test_a_customer_text_and_a_second_decision_are_not_held_to_the_status() -> None:
    statement = {"type": "string", "description": "the policyholder's own account of what happened"}
    decision = {"type": "string", "enum": ["pending", "approved", "rejected"]}
    schema = {
        "properties": {"manager_decision": decision, "status": decision, "statement": statement, **LOAN["properties"]}
    }
    roles = {r.name: r for r in text_roles(schema, ["statement", "officer_comment"])}
    assert roles["statement"].anchors == ()
    assert [a.name for a in roles["officer_comment"].anchors] == ["status"]


@pytest.mark.parametrize(
    ("status", "text", "wrong"),
    [
        ("rejected", "I approve this loan under my office.", True),
        ("submitted", "I approve this loan under my office.", True),
        ("approved", "The request was denied because the income is too low.", True),
        ("approved", "It is still under review by the credit team.", True),
        ("rejected", "The loan was not approved: the income could not be verified.", False),
        ("under review", "The loan was not approved yet; we are checking the payslips.", False),
        ("approved", "Approved in full after the payslips were checked.", False),
        ("approved", "Approved for 8,000, the rest of the request was denied.", False),
        ("under review", "Waiting for the applicant's payslips before a decision.", False),
    ],
)
def test_a_text_that_states_another_decision_disagrees(status: str, text: str, wrong: bool) -> None:
    roles = text_roles(LOAN, ["officer_comment"])
    problems = record_problems({"status": status, "officer_comment": text}, roles)
    assert bool(problems) is wrong
    assert all(p.kind == "disagrees" and repr(status) in p.reason for p in problems)


def test_a_decision_once_written_is_lasting_and_found_where_it_starts() -> None:
    role = text_roles(LOAN, ["officer_comment"])[0]
    text = "Income and history were checked. The loan is approved. It"
    found = lasting_problem(text, role, {"status": "rejected"})
    assert found is not None and text[found[1] :].startswith("approved")
    assert lasting_problem(text, role, {"status": "approved"}) is None
    # a sentence still being written may turn into a question or an "approved or denied"
    assert lasting_problem("Checked. Has the loan been approved", role, {"status": "submitted"}) is None
    assert lasting_problem("Checked. Loans like this are approved", role, {"status": "submitted"}) is None


def test_the_run_report_counts_contradicted_statuses() -> None:
    columns = {
        "status": ["rejected", "approved", "under review", "approved"],
        "officer_comment": [
            "I approve this application today.",
            "Approved after a full review of the file.",
            "We are still reviewing the documents sent.",
            "The application was rejected for lack of income.",
        ],
    }
    report = text_agreement(columns, LOAN)
    assert report["rates"]["agreement"] == 0.5 and report["counts"]["disagrees"] == 2


def test_the_record_plan_steers_away_from_the_other_decision_and_keeps_the_status() -> None:
    coupling = TextCoupling(load_schema(LOAN), {"status": "sample"}, ["officer_comment"])
    values, brief, steer = coupling.before({"status": "rejected"}, random.Random(0))
    assert values == {"status": "rejected"} and "status" not in coupling.strategies()
    avoided = {w for w, delta in steer if delta == AVOID}
    assert {"approved", "approve"} <= avoided and not {"rejected", "denied"} & avoided
    pending = {w for w, d in steer_words(((OUTCOME, 0.0),), None) if d == AVOID}
    assert {"approved", "rejected", "denied"} <= pending
    assert "rejected" not in brief and brief
