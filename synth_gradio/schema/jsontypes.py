"""JSON types of schema nodes and values: a leaf that model.py and the distributions package share."""

from __future__ import annotations

from typing import Any


def type_list(node: dict[str, Any]) -> list[str]:
    """The node's types as a list; inferred from enum/const values when `type` is absent."""
    t = node.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return list(t)
    values = node.get("enum") or ([node["const"]] if "const" in node else [])
    return sorted({json_type(v) for v in values}) if values else []


def value_types(node: dict[str, Any]) -> list[str]:
    """The node's types other than null: what a value it holds is, when it is not empty."""
    return [t for t in type_list(node) if t != "null"]


def json_type(value: Any) -> str:
    """The JSON type name of a Python value parsed from JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"
