"""Masking of anything that looks like a credential, for every log line in both formats.

A safety net, not the first line of defence: code must not log keys in the first place. The
patterns favour masking too much over too little; the masked text keeps its shape ("sk-***") so a
reader can still tell which kind of value was there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "***"
_SECRET_NAME = r"api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|secret|password|passwd|pwd|authorization"
SECRET_FIELD = re.compile(rf"(?i)^(?:{_SECRET_NAME}|key|credentials?)$|(?i:_key|_token|_secret|_password)$")
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # user:password@ in any URL (postgresql://user:pass@host, https://user:token@host)
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@?#]*):([^\s@/?#]+)@"), rf"\1:{MASK}@"),
    # Authorization: Bearer <token>, and bare "Bearer <token>"
    (re.compile(r"(?i)\b(bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {MASK}"),
    # name=value, name: value, "name": "value" for names that hold secrets; ?key=... in URLs
    (
        re.compile(rf"(?i)\b((?:{_SECRET_NAME})[\"']?\s*[:=]\s*)([\"'])(?!{re.escape(MASK)})(?:\\.|(?!\2).)*\2"),
        rf"\1\2{MASK}\2",
    ),
    (
        re.compile(
            rf"(?i)\b((?:{_SECRET_NAME})[\"']?\s*[:=]\s*[\"']?(?:(?:bearer|basic)\s+)?+)(?!{re.escape(MASK)})[^\s\"'&,;}}]+"
        ),
        rf"\1{MASK}",
    ),
    (re.compile(r"(?i)([?&](?:key|sig|signature)=)[^\s&#\"']+"), rf"\1{MASK}"),
    # well-known token shapes: OpenAI-style, HuggingFace, GitHub, Slack, AWS access keys, JWTs
    (re.compile(r"\bsk-[A-Za-z0-9_-]{6,}"), f"sk-{MASK}"),
    (re.compile(r"\bhf_[A-Za-z0-9]{6,}"), f"hf_{MASK}"),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{16,}"), f"gh_{MASK}"),
    (re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{8,}"), f"xox-{MASK}"),
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), f"AKIA{MASK}"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"), f"jwt-{MASK}"),
]


def redact(text: str) -> str:
    """`text` with every secret-looking part masked."""
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_value(name: str, value: Any) -> Any:
    """A log field's value made safe: masked whole under a secret-like name, else pattern by pattern."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if SECRET_FIELD.search(name):
        return MASK
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {str(k): redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [redact_value(name, v) for v in value]
    return redact(str(value))
