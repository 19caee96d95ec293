"""Checks beyond the JSON schema: values a language model writes when it has nothing to say."""

from __future__ import annotations

import re
from typing import Any

from synth_gradio.engine.dedup import canonical
from synth_gradio.engine.strategies import normalize_name

_PLACEHOLDERS = {
    "string",
    "text",
    "example",
    "sample",
    "test",
    "todo",
    "tbd",
    "n/a",
    "na",
    "none",
    "null",
    "nil",
    "lorem ipsum",
    "xxx",
    "placeholder",
    "value",
    "unknown",
    "foo",
    "bar",
    "baz",
    "abc",
    "...",
    "-",
    "?",
    "name",
    "description",
    "customer",
    "user",
    "product",
    "item",
    "your name",
    "john doe",
    "jane doe",
}
# In a list of short labels ("enterprise", "sso", "customer") only true fillers are placeholders: a short
# categorical value may well be a word that would be a placeholder as a whole free-text value.
_FILLERS = {"string", "text", "example", "sample", "todo", "tbd", "lorem ipsum", "xxx", "placeholder", "foo", "bar",
            "baz", "abc", "...", "-", "?", "null", "nil", "none", "n/a", "value", "tag", "label"}  # fmt: skip
_NUMBERED = re.compile(
    r"^(test|sample|example|placeholder|item|record|user|customer|product|field|value|string|name)[ _-]?(case[ _-]?)?\d*$"
)
# The prompt's own field guide echoed back: "subject (string) (0-80 chars): ..."
_SCAFFOLD = re.compile(
    r"[(\[<]\s*(string|integer|int|number|float|boolean|bool|array|object|null|str)(/[a-z]+)*\s*[)\]>]", re.IGNORECASE
)
_ARTICLE = re.compile(r"^(?:the|a|an|my|our|your|their|this)\s+")
_TEMPLATED = re.compile(r"\[[A-Za-z_ ]{2,}\]|<[A-Za-z_ ]{2,}>|\{\{.*?\}\}|lorem ipsum", re.IGNORECASE)


def placeholder_reason(record: dict[str, Any], fields: list[str], schema: dict[str, Any] | None = None) -> str | None:
    """A rejection reason when a model-written string is a placeholder, else None.

    Values the schema itself allows by name (enum or const) are never placeholders: "customer" is
    fine where the enum is ["customer", "agent"].
    """
    props = (schema or {}).get("properties", {})
    names = {normalize_name(n) for n in props}
    for name in fields:
        found = _find(record.get(name), f"$.{name}", normalize_name(name), props.get(name, {}), names)
        if found:
            return f"placeholder value at {found}"
    return None


def _find(value: Any, path: str, field_key: str, node: dict[str, Any], names: set[str] = frozenset()) -> str | None:
    if "enum" in node or "const" in node:
        return None
    if isinstance(value, str):
        low = value.strip().lower()
        if placeholder_text(value, field_key, names):
            return path
        if any("_" in n and n in low for n in names):  # field names echoed back: "user_id 2, username 1"
            return path
        return path if _TEMPLATED.search(value) or _SCAFFOLD.search(value) else None
    if isinstance(value, list):
        items = node.get("items", {}) if isinstance(node, dict) else {}
        if all(isinstance(v, str) and not prose_like(v) for v in value):
            for i, item in enumerate(value):
                low = item.strip().lower()
                echoed = normalize_name(low) in ({field_key} | names)  # a field's own name as a label
                if low in _FILLERS or _NUMBERED.match(low) or echoed or not any(ch.isalnum() for ch in low):
                    return f"{path}[{i}]"
            return None
        for i, item in enumerate(value):
            hit = _find(item, f"{path}[{i}]", field_key, items, names)
            if hit:
                return hit
    if isinstance(value, dict):
        children = node.get("properties", {}) if isinstance(node, dict) else {}
        for key, item in value.items():
            hit = _find(item, f"{path}.{key}", normalize_name(key), children.get(key, {}), names)
            if hit:
                return hit
    return None


def placeholder_text(value: str, field_key: str, names: set[str] | frozenset[str] = frozenset()) -> bool:
    """Whether `value` as a whole is a placeholder: a filler word, a numbered sample, a field name
    ("The company" as a job title where `company` is a field), or punctuation only, with the marks
    around it aside ("String,", "(name)"). (Placeholders inside longer text: placeholder_reason.)"""
    low = value.strip().lower()
    low = low.strip(" ,;:.!?()[]{}<>\"'") or low
    named = normalize_name(_ARTICLE.sub("", low))
    if not low or low in _PLACEHOLDERS or _NUMBERED.match(low) or named in ({field_key} | names):
        return True
    return not any(ch.isalnum() for ch in low)  # only punctuation: "{}, {}.", ", "


def prose_like(value: str) -> bool:
    """A phrase or sentence (12+ characters, 3+ words), not a short label such as a tag or a city."""
    return len(value) >= 12 and len(value.split()) >= 3


def copied_example_reason(
    record: dict[str, Any],
    fields: list[str],
    examples: list[dict[str, Any]],
    identifying: set[str] | frozenset[str] = frozenset(),
) -> str | None:
    """A model that copies its few-shot examples produces realistic-looking but useless rows.

    Free text (12+ characters) copied from an example shown in the prompt is rejected, and so is
    any copied value of an identifying field (unique, or a name or title). Short categorical text
    such as a city may legitimately repeat, and so may a list or object of short labels (tags): only
    one holding prose is suspicious.
    """
    for name in fields:
        value = record.get(name)
        if isinstance(value, str):
            suspicious = len(value) >= 12 or (name in identifying and len(value) >= 3)
        else:
            suspicious = isinstance(value, list | dict) and any(prose_like(v) for v in _strings(value))
        if suspicious and any(ex.get(name) == value for ex in examples):
            return f"copied from an example at $.{name}"
    return None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def drop_repeats(value: Any, node: dict[str, Any]) -> Any:
    """An array whose schema asks for unique items, with later repeats dropped (["tent", "camping",
    "camping"] -> ["tent", "camping"]) while it keeps minItems: a small model repeats a tag or a
    keyword far more often than it writes a wrong one, and the grammar cannot forbid a repeat."""
    if not isinstance(value, list) or not node.get("uniqueItems"):
        return value
    kept: list[Any] = []
    seen: set[str] = set()
    for item in value:  # compared as JSON, so 1 and true stay apart as JSON Schema keeps them
        key = canonical(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept if len(kept) >= int(node.get("minItems") or 0) else value
