"""Who writes a text, in words: the parties a description or a field name may name.

Shared by textroles.py (a field's voice) and texttopics.py (the fields holding the writer's name).
"""

from __future__ import annotations

import re

CUSTOMER, STAFF, CLINICIAN = "customer", "staff", "clinician"
# Who writes a text, from its description: the party that is served, or the one that serves.
CUSTOMER_WORDS = ("customer", "client", "buyer", "shopper", "user", "reviewer", "guest", "patient", "applicant",
                   "caller", "passenger", "member", "subscriber", "tenant", "student", "player", "reader",
                   "policyholder", "claimant", "insured", "traveler", "traveller", "visitor", "renter", "borrower",
                   "consumer", "purchaser", "attendee", "respondent", "complainant", "homeowner")  # fmt: skip
STAFF_WORDS = ("agent", "support", "representative", "rep", "staff", "employee", "operator", "moderator",
                "seller", "merchant", "company", "employer", "recruiter", "hiring", "manager", "team", "bot",
                "assistant", "host", "vendor", "developer", "adjuster", "adjustor", "underwriter", "inspector",
                "technician", "officer", "clerk", "teller", "dispatcher", "handler", "investigator", "specialist",
                "advisor", "adviser", "consultant", "landlord", "realtor", "broker", "analyst", "auditor", "lender",
                "insurer")  # fmt: skip
CLINICIAN_WORDS = ("clinician", "doctor", "physician", "nurse", "clinical", "provider", "practitioner",
                    "therapist", "surgeon", "medic", "dr")  # fmt: skip


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(text)).lower())


def voice_of_words(ws: list[str]) -> str | None:
    for w in ws:
        base = w[:-1] if w.endswith("s") and len(w) > 3 else w
        if base in CLINICIAN_WORDS:
            return CLINICIAN
        if base in CUSTOMER_WORDS:
            return CUSTOMER
        if base in STAFF_WORDS:
            return STAFF
    return None
