"""Who writes a text, from its name and description: the parties of claims, tickets and rentals too."""

from __future__ import annotations

import pytest

from synth_gradio.quality.textroles import voice_from_name, voice_from_text


@pytest.mark.parametrize(
    ("said", "voice"),
    [
        ("Reply to the customer message", None),  # what staff reply to is not who writes
        ("One payment transaction on a customer's account.", None),  # a ledger, not an account of events
        ("the policyholder's own account of what happened", "customer"),
        ("the claims adjuster's internal note explaining the decision", "staff"),
        ("landlord's description of the flat", "staff"),
    ],
)
def test_the_writer_is_read_from_party_and_writing_words(said: str, voice: str | None) -> None:
    assert voice_from_text(said) == voice


@pytest.mark.parametrize(
    ("name", "voice"),
    [
        ("customer_statement", "customer"),
        ("claimant_email", "customer"),
        ("adjuster_note", "staff"),
        ("agent_reply", "staff"),
        ("support_request", None),  # a customer's, not support's
        ("customer_notes", None),  # staff's notes on a customer
        ("employee_review", None),  # a manager's review of an employee
        ("patient_notes", None),  # a clinician's
        ("customer_account", None),  # an account, not something said
    ],
)
def test_a_field_name_of_a_party_and_what_it_writes_names_the_writer(name: str, voice: str | None) -> None:
    assert voice_from_name(name) == voice
