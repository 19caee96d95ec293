"""Completion text -> JSON object. Constrained output parses directly; the rest is searched."""

from __future__ import annotations

import json
from typing import Any

_DECODER = json.JSONDecoder()


def parse_object(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """(record, None) on success, (None, reason) otherwise. Never invents or repairs values."""
    stripped = text.strip()
    if not stripped:
        return None, "parse error: empty completion"
    try:
        value = json.loads(stripped)
    except json.JSONDecodeError:
        start = stripped.find("{")
        if start < 0:
            return None, "parse error: no JSON object in the completion"
        try:
            value, _ = _DECODER.raw_decode(stripped, start)
        except json.JSONDecodeError as exc:
            return None, f"parse error: {exc.msg} at character {exc.pos}"
    if not isinstance(value, dict):
        return None, f"parse error: expected a JSON object, got {type(value).__name__}"
    return value, None
