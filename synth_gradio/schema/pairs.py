"""Pairs of fields whose names say one is at most the other: salary_min/salary_max, start_date/end_date.

Nobody declares that a range's minimum is below its maximum, or that a stay ends after it starts, yet
every reader notices when it does not hold. These pairs are found from names alone (min/max, low/high,
from/to, start/end, begin/finish, opened/closed, earliest/latest around a shared stem) so code-drawn
values can be put in order before the record is written. A declared rule on the pair wins.
"""

from __future__ import annotations

import re
from typing import Any

_LOW_HIGH = (("min", "max"), ("minimum", "maximum"), ("low", "high"), ("lower", "upper"), ("from", "to"),
             ("start", "end"), ("begin", "end"), ("start", "finish"), ("opened", "closed"), ("earliest", "latest"),
             ("first", "last"), ("starts", "ends"), ("check_in", "check_out"), ("diastolic", "systolic"))  # fmt: skip
# Events in the order they happen (order_date <= ship_date <= delivery_date, created_at <= closed_at,
# birth_year <= hire_year): each stage's words against every later stage's.
_EVENTS = (
    (("order", "ordered", "purchase", "purchased", "booking", "booked"), ("ship", "shipped", "shipping", "dispatch",
     "dispatched"), ("delivery", "delivered", "arrival", "received")),
    (("created", "opened", "submitted", "reported"), ("updated", "modified", "first_response"), ("resolved",
     "closed", "completed", "decision", "decided")),
    (("admission", "admitted", "admit"), ("discharge", "discharged")),
    (("birth", "born", "dob"), ("hire", "hired", "joined", "signup", "registration", "registered", "enrolled"),
     ("termination", "terminated", "exit", "churned", "last_login", "last_seen", "last_active", "death", "died")),
    (("issue", "issued", "invoice", "billed"), ("due", "expiry", "expiration", "expires", "paid", "payment")),
    (("departure", "departed"), ("arrival", "arrived")),
)  # fmt: skip
_EVENT_PAIRS = frozenset(
    (low, high)
    for stages in _EVENTS
    for i, earlier in enumerate(stages)
    for later in stages[i + 1 :]
    for low in earlier
    for high in later
)
_LOW_HIGH += tuple(sorted(_EVENT_PAIRS))
_WHEN = {"date", "at", "on", "time", "timestamp", "datetime", "dt", "year"}  # what an event pair's stem must be
_ORDERABLE = ("integer", "number", "string")


def _words(name: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower())


def _variants(words: list[str], token: str) -> list[str]:
    """The stem left when `token` (one or two words) is the name's first or last part, or all of it."""
    parts = token.split("_")
    if words == parts:
        return [""]  # the whole name: check_in and check_out, start and end
    out = []
    if words[: len(parts)] == parts and len(words) > len(parts):
        out.append("_".join(words[len(parts) :]))
    if words[-len(parts) :] == parts and len(words) > len(parts):
        out.append("_".join(words[: -len(parts)]))
    return out


def ordered_pairs(json_schema: dict[str, Any], events: bool = True) -> list[tuple[str, str]]:
    """(low field, high field) pairs of the record's top level with the same stem and comparable types;
    `events`: also dates named as events in their order (not for a schema inferred from a table)."""
    props = json_schema.get("properties") or {}
    stems: dict[tuple[str, str], dict[str, str]] = {}
    for name, node in props.items():
        kinds = node.get("type", [])
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(k in _ORDERABLE for k in kinds) or "enum" in node:
            continue
        if "string" in kinds and node.get("format") not in ("date", "date-time", "time"):
            continue
        words = _words(name)
        for low, high in _LOW_HIGH:
            for side, token in (("low", low), ("high", high)):
                for stem in _variants(words, token):
                    if stem == "" and node.get("format") not in ("date", "date-time", "time"):
                        continue  # numbers named from and to (an edge, a transfer) need no order
                    if (low, high) in _EVENT_PAIRS and (
                        not events or stem not in _WHEN or node.get("format") == "time"
                    ):
                        continue  # order_amount and shipping_amount are no events; 23:10 may depart for 01:30
                    stems.setdefault((low + "/" + high, stem), {})[side] = name
    pairs = [(d["low"], d["high"]) for d in stems.values() if "low" in d and "high" in d and d["low"] != d["high"]]
    return sorted(set(pairs))


def put_in_order(record: dict[str, Any], pairs: list[tuple[str, str]]) -> None:
    """Swap each pair's values where the low one is above the high one (both present, comparable);
    a second pass settles a chain of three (order, ship, delivery)."""
    for low, high in [*pairs, *pairs]:
        a, b = record.get(low), record.get(high)
        if a is None or b is None or type(a) is bool or type(b) is bool:
            continue
        try:
            if a > b:
                record[low], record[high] = b, a
        except TypeError:
            continue
