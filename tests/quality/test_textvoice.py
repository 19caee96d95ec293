"""Who writes a text, from its name and description: the parties of claims, tickets and rentals too."""

from __future__ import annotations

import pytest

from synth_gradio.quality.textroles import voice_from_text


@pytest.mark.parametrize(
    ("said", "voice"),
    [
        ("customer statement", "customer"),
        ("the policyholder's own account of what happened", "customer"),
        ("claimant email", "customer"),
        ("adjuster note", "staff"),
        ("the claims adjuster's internal note explaining the decision", "staff"),
        ("landlord's description of the flat", "staff"),
        ("agent reply", "staff"),
        ("support request", None),  # a customer's, not support's
        ("customer notes", None),  # staff's notes on a customer
        ("employee review", None),  # a manager's review of an employee
        ("patient notes", None),  # a clinician's
        ("customer account", None),  # an account, not something said
    ],
)
def test_the_writer_is_read_from_party_and_writing_words(said: str, voice: str | None) -> None:
    assert voice_from_text(said) == voice
