"""An ending's date follows the status: an active employee has no termination date, a cancelled
subscription has an end date.

Why: drawn one by one, 3 of 20 active employees of an unseen HR schema had a termination date and
a terminated one had none; a third of active subscriptions had an end date and cancelled ones
none. Processes with stages (open to resolved) are stages.py's; this is the other common shape, a
relationship that goes on or has ended. A status-like enum (named status, state or stage) with at
least one value that goes on (active, paused, on leave, trial) and one that has ended (terminated,
cancelled, churned, expired) governs the dates named after the ending (end_date, terminated_at,
cancellation_date, churn_date; a plain end or expiry date only where its description says it is set
when the thing ended) and the texts that tell of it (cancellation_reason, exit_notes): empty where
the status has not ended (active, pending, dormant) (where the field may be null or left
out), never empty where it has ended. The status is never changed; declared spreads are the user's.
"""

from __future__ import annotations

import re
from typing import Any

from synth_gradio.schema.jsontypes import type_list
from synth_gradio.schema.pairs import _words
from synth_gradio.schema.stages import _DATES, ABSENT, empty_field

_ONGOING = {"active", "paused", "on leave", "leave", "trial", "trialing", "trialling", "current", "enrolled",
            "employed", "live", "running", "ongoing", "suspended", "probation", "renewing", "in good standing"}  # fmt: skip
_ENDED = {"terminated", "cancelled", "canceled", "churned", "expired", "ended", "inactive", "resigned", "retired",
          "lapsed", "closed", "discontinued", "quit", "left", "dismissed", "laid off", "fired", "graduated",
          "withdrawn", "deactivated", "unsubscribed", "deceased"}  # fmt: skip
# Words of an ending that only happens once it ended (termination_date, churned_at); a plain end or
# expiry may be scheduled ahead (a policy's expiration, a booking's end), so it is never emptied, only
# kept once the status has ended, unless its description says it is set when the thing ended.
_END_WORDS = ("ended", "termination", "terminated", "cancellation", "cancelled", "canceled", "churn", "churned",
              "exit", "resignation", "resigned", "separation", "leaving", "closure", "closed", "departure",
              "discontinued", "deactivated", "deactivation")  # fmt: skip
_SCHEDULED = ("end", "expiry", "expiration", "expires", "expired")
_SET_WHEN_ENDED = re.compile(
    r"\b(?:when|once|after|if)\b[^.]{0,40}\b(?:ended|ends|cancel\w*|terminat\w*|closed|churn\w*|left)\b", re.I
)
_NOT_ENDINGS = {"due", "expected", "estimated", "scheduled", "planned", "projected", "target", "notice", "contract",
                "trial", "period", "billing", "fiscal", "week", "month", "year", "quarter", "day"}  # fmt: skip
_TELLING = {"reason", "reasons", "note", "notes", "comment", "comments", "feedback", "explanation", "details", "why"}
_STATUS_NAMES = {"status", "state", "stage"}


def _is_text(node: dict[str, Any]) -> bool:
    return "string" in type_list(node) and not {"enum", "const", "format"} & set(node)


def _phrase(value: Any) -> str:
    return " ".join(_words(str(value)))


def ending_fields(json_schema: dict[str, Any], taken: set[str] = frozenset()) -> dict[str, Any]:
    """{"status": field, "ended": [values], "fields": {field: what a record not ended leaves}}
    for the first status-like enum that has ongoing and ended values, or {} (`taken`: fields another
    rule already governs)."""
    if json_schema.get("x-implied") is False:
        return {}
    props = json_schema.get("properties") or {}
    required = set(json_schema.get("required") or [])
    for name, node in props.items():
        values = node.get("enum") if isinstance(node, dict) else None
        if not set(_words(name)) & _STATUS_NAMES or not isinstance(values, list):
            continue
        ended = [str(v) for v in values if v is not None and _phrase(v) in _ENDED]
        if not ended or not any(v is not None and _phrase(v) in _ONGOING for v in values):
            continue
        fields = {}
        for other, child in props.items():
            if other == name or other in taken or not isinstance(child, dict) or "x-distribution" in child:
                continue
            words = _words(other)
            told = bool(_SET_WHEN_ENDED.search(str(child.get("description") or "")))
            if set(words) & _NOT_ENDINGS or not set(words) & {*_END_WORDS, *(_SCHEDULED if told else ())}:
                continue
            if child.get("format") not in _DATES and not (_is_text(child) and set(words) & _TELLING):
                continue
            nullable = "null" in type_list(child)
            if nullable or other not in required:
                fields[other] = None if nullable else ABSENT
        if fields:
            return {"status": name, "ended": ended, "fields": fields}
    return {}


def settle_endings(record: dict[str, Any], endings: dict[str, Any]) -> bool:
    """Empty the ending's fields of a record whose status has not ended (in place: an active, a
    pending, a dormant one) and say so; an ended one keeps them."""
    if not endings or record.get(endings["status"]) is None or str(record[endings["status"]]) in endings["ended"]:
        return False
    for field, empty in endings["fields"].items():
        if field in record:
            empty_field(record, field, empty)
    return True
