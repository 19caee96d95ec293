"""Completion text -> one JSON object. Constrained output parses directly; the rest is searched.

For output that was not constrained (prompt-and-parse backends), in order: the whole text, a
fenced code block, the first JSON object in prose, an array of objects (its first complete
element), JSON Lines (the first line that is an object), and finally a repair of common defects
(trailing commas, single quotes, Python literals) with json_repair. Nothing is invented: a repaired
record still has to pass schema validation, and a completion cut off by the token limit is
rejected before parsing, so a truncated record is never completed by guesswork.
"""

from __future__ import annotations

import json
import re
from typing import Any

_DECODER = json.JSONDecoder()
_FENCE = re.compile(r"```(?:json|JSON|jsonl)?\s*\n?(.*?)```", re.DOTALL)


def _first_object(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, dict)), None)
    return None


def _strict(text: str) -> dict[str, Any] | None:
    try:
        return _first_object(json.loads(text))
    except json.JSONDecodeError:
        return None


def _scan(text: str) -> dict[str, Any] | None:
    """The first complete JSON object (or array of objects) that starts anywhere in the text."""
    for match in re.finditer(r"[\[{]", text):
        try:
            value, _ = _DECODER.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        found = _first_object(value)
        if found is not None:
            return found
    return None


def _json_lines(text: str) -> dict[str, Any] | None:
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            found = _strict(line)
            if found is not None:
                return found
    return None


def _balanced_span(text: str, start: int) -> str | None:
    """The text from `start` to its matching close bracket, or None when it never closes (truncated)."""
    depth = 0
    quote = ""
    escaped = False
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    return None


def _repaired(text: str) -> dict[str, Any] | None:
    try:
        from json_repair import repair_json
    except ImportError:  # optional: without it, defective JSON is simply rejected
        return None
    for start in sorted(i for i in (text.find("["), text.find("{")) if i >= 0):
        span = _balanced_span(text, start)
        if span is None:  # a record cut off mid-way is dropped, never completed by guesswork
            continue
        try:
            value = repair_json(span, return_objects=True)
        except Exception:  # json_repair raises assorted errors on hopeless input
            continue
        found = _first_object(value)
        if found:
            return found
    return None


def parse_object(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """(record, None) on success, (None, reason) otherwise."""
    stripped = text.strip()
    if not stripped:
        return None, "parse error: empty completion"
    found = _strict(stripped)
    if found is None:
        for block in _FENCE.findall(stripped):
            found = _strict(block.strip()) or _json_lines(block)
            if found is not None:
                break
    found = found or _scan(stripped) or _json_lines(stripped) or _repaired(stripped)
    if found is None:
        if "{" in stripped:
            return None, "parse error: the JSON object is incomplete or malformed"
        return None, "parse error: no JSON object in the completion"
    return found, None
