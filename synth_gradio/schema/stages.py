"""What a record's status says about its other fields: an open ticket has no resolution date yet, a
denied claim was approved for nothing, a cancelled order was never delivered.

Drawn one by one, a status and the dates and amounts of the events it implies disagree in most
records, and a reader sees it at once. A status-like enum field (named status, state, stage,
outcome, decision or result) whose values name stages of a process (open, in progress, approved,
shipped, resolved, closed; or denied, cancelled, failed) is paired with the record's dates and
amounts named after those events (resolved_at, shipped_date, approved_amount, paid_amount): an
event a status has not reached, or that a refused status rules out, leaves its date empty (where
the field may be null or left out) and its amount at zero (where the bounds allow it). The status
is never changed; a refusal (denied, cancelled) still reaches a decision, a closing or a
resolution. Schemas inferred from a table learn what their rows show instead.
"""

from __future__ import annotations

import re
from typing import Any

from synth_gradio.schema.pairs import _words

# How far a status has gone: 0 waiting, 1 being worked on, 2 granted or sent, 3 finished.
_LEVELS = {
    0: ("open", "new", "pending", "submitted", "created", "requested", "draft", "queued", "backlog",
        "todo", "to do", "unpaid", "overdue", "outstanding", "awaiting", "not started", "placed", "unassigned"),
    1: ("in progress", "assigned", "processing", "under review", "in review", "review", "investigating",
        "on hold", "waiting", "escalated", "scheduled", "started", "working"),
    2: ("approved", "accepted", "confirmed", "paid", "shipped", "partially approved", "dispatched", "in transit",
        "partially paid", "authorized", "authorised", "granted", "funded", "out for delivery"),
    3: ("delivered", "resolved", "completed", "complete", "closed", "done", "fulfilled", "settled", "finished",
        "refunded", "partially refunded", "returned", "disputed"),
}  # fmt: skip
_REFUSED = (
    "denied",
    "rejected",
    "declined",
    "cancelled",
    "canceled",
    "failed",
    "void",
    "voided",
    "expired",
    "withdrawn",
    "abandoned",
)  # fmt: skip (refunded or disputed: paid first)
# An event's words (stems) in a field name -> the level at which it has happened.
_EVENTS = {
    "assign": 1, "decision": 2, "decid": 2, "approv": 2, "accept": 2, "confirm": 2, "paid": 2, "payment": 2,
    "ship": 2, "dispatch": 2, "authori": 2, "grant": 2, "fund": 2, "settl": 3, "deliver": 3, "resolv": 3,
    "resolution": 3, "clos": 3, "complet": 3, "fulfil": 3, "finish": 3,
}  # fmt: skip
_GRANTED = 2
_DECIDED = {"decision", "decid", "clos", "resolv"}  # a refusal reaches these too (not a completion)
# At the granting level, parallel tracks: a paid order is not yet shipped. An approval is reached by
# any granting status (a paid claim was approved); payment and shipping only by their own words.
_SHIPPING = ("ship", "dispatch", "transit", "delivery")
_TRACKS = {"paid": ("paid", "payment"), "payment": ("paid", "payment"), "fund": ("fund",), "ship": _SHIPPING,
           "dispatch": _SHIPPING}  # fmt: skip
_STATUS_NAMES = {"status", "state", "stage", "outcome", "decision", "result"}
_DATES = ("date", "date-time")


def _level(value: Any) -> int | str | None:
    """A status value's level, "refused" for a refused one, or None when it names no stage."""
    text = " ".join(_words(str(value)))
    if any(re.search(rf"\b{w}\b", text) for w in _REFUSED):
        return "refused"
    for level in sorted(_LEVELS, reverse=True):  # "partially approved" before "approved"
        if any(text == w or text.startswith(w + " ") for w in _LEVELS[level]):
            return level
    return None


_BLOCKERS = {"due", "expected", "estimated", "scheduled", "deadline", "terms", "fee", "fees", "cost", "charge",
             "balance", "limit", "goal", "percentage", "percent", "rate", "id", "number", "to", "by", "max", "min",
             "maximum", "minimum", "target", "planned", "days", "count"}  # fmt: skip
_DATE_HEADS = {"at", "date", "on", "time", "timestamp", "datetime", "dt", "day"}


def _event(name: str, amount: bool) -> tuple[str, int] | None:
    """(the event word, its level) a date or amount's name carries: resolved_at, shipped_date,
    approved_amount, amount_paid. A date's name ends in a date word, an amount's event is in a past
    form; neither is a due, expected or scheduled one, a fee, a limit or an id (payment_due_date,
    shipping_fee, approval_limit, assigned_to)."""
    words = _words(name)
    if not words or set(words) & _BLOCKERS or (not amount and words[-1] not in _DATE_HEADS):
        return None
    for word in words:
        for stem, level in _EVENTS.items():
            if word.startswith(stem) and (not amount or word.endswith("ed") or word == "paid"):
                return stem, level
    return None


ABSENT = "absent"  # an optional field that may not be null is left out


def _may_empty(name: str, node: dict[str, Any], required: set[str]) -> Any:
    """What an event not (yet) reached leaves in a field: 0 for an amount whose bounds allow it,
    else None where it may be null, else ABSENT where it may be left out; ... when nothing fits."""
    types = node.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    amount = bool({"integer", "number"} & set(types)) and "enum" not in node
    exclusive = {"exclusiveMinimum", "exclusiveMaximum"} & set(node)  # 0 may sit on an excluded bound
    if amount and not exclusive and node.get("minimum", 0) <= 0 <= node.get("maximum", 0):
        return 0
    if not amount and node.get("format") not in _DATES:
        return ...
    return None if "null" in types else ABSENT if name not in required else ...


def stage_fields(json_schema: dict[str, Any]) -> dict[str, Any]:
    """{"status": field, "levels": {value: level}, "events": {field: [level, empty]}} for the first
    status-like enum whose values name stages and the dates and amounts it governs, or {}."""
    if json_schema.get("x-implied") is False:
        return {}
    props = json_schema.get("properties") or {}
    required = set(json_schema.get("required") or [])
    named = sorted(props, key=lambda n: _words(n) not in (["status"], ["state"]))  # a plain "status" first
    for name in named:
        node = props[name]
        if (
            not isinstance(node, dict)
            or not set(_words(name)) & _STATUS_NAMES
            or not isinstance(node.get("enum"), list)
        ):
            continue
        levels = {str(v): level for v in node["enum"] if v is not None and (level := _level(v)) is not None}
        top = max((v for v in levels.values() if isinstance(v, int)), default=-1)
        if len(set(levels.values())) < 2:
            continue  # values that name no stage ("active", "suspended") are left as drawn
        events = {}
        for other, child in props.items():
            mine = isinstance(child, dict) and "x-distribution" not in child  # a declared spread is the user's
            found = _event(other, child.get("format") not in _DATES) if other != name and mine else None
            empty = _may_empty(other, child, required) if found and found[1] <= top else ...
            if found and empty is not ...:
                events[other] = [found[1], empty, found[0] in _DECIDED, found[0]]
        if events:
            return {"status": name, "levels": levels, "events": events}
    return {}


def settle_stages(record: dict[str, Any], stages: dict[str, Any]) -> None:
    """Empty the dates and amounts of events the record's status has not reached (in place). At its
    own granting level a status reaches only its own event: a paid order is not yet shipped."""
    status = str(record.get(stages["status"])) if stages else ""
    level = stages["levels"].get(status) if stages else None
    if level is None:
        return
    said = " ".join(_words(status))
    for field, (needs, empty, decided, stem) in stages["events"].items():
        track = _TRACKS.get(stem, ()) if level == needs == _GRANTED else ()
        reached = decided if level == "refused" else level > needs or (level == needs and _on(track, said))
        if field in record and not reached:
            empty_field(record, field, empty)


def empty_field(record: dict[str, Any], field: str, empty: Any) -> None:
    """Leave a field out (ABSENT) or set it to what an event not reached leaves (None, 0)."""
    if empty == ABSENT:
        del record[field]
    else:
        record[field] = empty


def _on(track: tuple[str, ...], said: str) -> bool:
    """Whether a granting status is on an event's track (no track: every granting status is)."""
    return not track or any(word in said for word in track)


def not_null(node: dict[str, Any]) -> dict[str, Any]:
    """A field's node drawn without its null: whether it is empty is the status's to say."""
    types = node.get("type")
    if not isinstance(types, list) or "null" not in types or len(types) < 2:
        return node
    kept = [t for t in types if t != "null"]
    return {**node, "type": kept[0] if len(kept) == 1 else kept}
