"""Which code-drawn values the model is shown before it writes its fields.

Every value in a record's prompt suffix is prefilled for every record, and on a CPU a prefilled
token costs about as much as a generated one. Opaque values (UUIDs, IBANs, account and phone numbers,
URLs, addresses of hosts) tell a language model nothing about what to write, yet they are the
longest in tokens: a UUID is about 25. They are left out of the suffix unless something ties them to
a model-written field: a rule, or a model field's description naming them. Dates, categories,
amounts, names and other words stay: they are what the text must agree with. A timestamp is shown
as its date (the model writes no clock times from it; its digits are one token each).
"""

from __future__ import annotations

import re
from typing import Any

from synth_gradio.engine.strategies import normalize_name
from synth_gradio.schema.model import Schema

_OPAQUE_FORMATS = frozenset(
    {"uuid", "uri", "url", "uri-reference", "iri", "ipv4", "ipv6", "hostname", "byte", "binary", "password"}
)
_DATED_FORMATS = frozenset({"date", "date-time", "time", "duration"})
_SEPARATORS = re.compile(r"[\s\-+().:/_]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
MIN_OPAQUE_CHARS = 6  # shorter codes ("A-12", "2024", a ZIP code) are cheap and may mean something


def tied_fields(schema: Schema, model_fields: list[str]) -> set[str]:
    """Drawn fields the model must see: in a rule with a model field, or named in its description."""
    written = set(model_fields)
    tied: set[str] = set()
    for rule in schema.rules:
        parents, children = rule.fields()
        names = set(parents) | set(children)
        if names & written:
            tied |= names
    words = {normalize_name(w) for f in model_fields for w in re.findall(r"\w+", schema.field(f).description)}
    tied |= {f.name for f in schema.fields if normalize_name(f.name) in words}
    return tied - written


def opaque(node: dict[str, Any], value: Any) -> bool:
    """An identifier-like value: a UUID/URL-like format, or a long code made mostly of digits or hex."""
    if not isinstance(value, str) or node.get("format") in _DATED_FORMATS or _ISO_DATE.match(value):
        return False
    if node.get("format") in _OPAQUE_FORMATS:
        return True
    core = _SEPARATORS.sub("", value)
    if len(core) < MIN_OPAQUE_CHARS:
        return False
    digits = sum(ch.isdigit() for ch in core)
    hexish = all(ch in "0123456789abcdefABCDEF" for ch in core)
    return digits >= 0.6 * len(core) or (hexish and len(core) >= 16)


def shown_values(schema: Schema, model_fields: list[str], fixed: dict[str, Any]) -> dict[str, Any]:
    """The drawn values to put in front of the model: all of them but the opaque ones nothing ties."""
    if not model_fields:
        return fixed
    tied = tied_fields(schema, model_fields)
    props = schema.json_schema.get("properties", {})
    shown = {k: v for k, v in fixed.items() if k in tied or not opaque(props.get(k, {}), v)}
    return {k: _day(v) if k not in tied else v for k, v in shown.items()}


def _day(value: Any) -> Any:
    match = _ISO_DATETIME.match(value) if isinstance(value, str) else None
    return match.group(1) if match else value
