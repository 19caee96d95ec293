"""A schema as people read it: one row per field with a plain kind (person name, amount of money,
category), its settings in words and its description, so nobody has to read JSON to check a draft."""

from __future__ import annotations

import re
from typing import Any

from synth_gradio.schema.model import type_list

COLUMNS = ["field", "kind", "settings", "description"]
_PEOPLE = {
    "name": "person name", "first_name": "person name", "last_name": "person name", "email": "email",
    "phone": "phone", "street_address": "address", "address": "address", "city": "city", "country": "country",
    "postal_code": "postal code", "company": "company", "merchant": "company", "job_title": "job title",
}  # fmt: skip
_MONEY = re.compile(r"\b(?:usd|eur|gbp|price|amount|salary|income|revenue|cost|fare|value|mrr|spent)\b", re.I)
SHOWN_VALUES = 6


def kind_of(name: str, node: dict[str, Any]) -> str:
    """The kind people would call a field: person name, category, amount of money, free text ..."""
    types = type_list(node)
    fmt = node.get("format")
    if "enum" in node:
        return "category"
    if fmt == "email":
        return "email"
    if fmt == "date":
        return "date"
    if fmt == "date-time":
        return "date and time"
    if fmt in ("uri", "url"):
        return "web address"
    if "boolean" in types:
        return "yes/no"
    if "integer" in types or "number" in types:
        words = f"{name} {node.get('description', '')}"
        if _MONEY.search(words.replace("_", " ")):
            return "amount of money"
        return "whole number" if "integer" in types else "decimal number"
    if "array" in types:
        return "list"
    if "object" in types:
        return "group of fields"
    for key, kind in _PEOPLE.items():
        if name == key or name.endswith("_" + key):
            return kind
    if "pattern" in node:
        return "identifier" if node.get("unique") else "code"
    if int(node.get("maxLength", 0) or 0) >= 120:
        return "free text (written by the model)"
    return "short text"


def _number(x: Any) -> str:
    return f"{x:,}" if isinstance(x, int) else (f"{x:,.2f}" if isinstance(x, float) else str(x))


def _settings(node: dict[str, Any]) -> str:
    parts: list[str] = []
    spec = node.get("x-distribution") if isinstance(node.get("x-distribution"), dict) else {}
    if "enum" in node:
        weights = spec.get("weights") if spec.get("kind") == "categorical" else None
        values = node["enum"]
        if isinstance(weights, dict):
            total = sum(float(w) for w in weights.values()) or 1.0
            shown = [f"{v} {float(weights.get(str(v), 0)) / total:.0%}" for v in values[:SHOWN_VALUES]]
        else:
            shown = [str(v) for v in values[:SHOWN_VALUES]]
        parts.append(
            ", ".join(shown) + (f" (+{len(values) - SHOWN_VALUES} more)" if len(values) > SHOWN_VALUES else "")
        )
    elif spec.get("kind"):
        kind = spec["kind"]
        if kind == "lognormal":
            parts.append(f"skewed, typical {_number(spec.get('median'))}")
        elif kind == "normal":
            parts.append(f"around {_number(spec.get('mean'))} (spread {_number(spec.get('std'))})")
        elif kind == "uniform" and "low" in spec:
            parts.append(f"from {spec['low']} to {spec.get('high')}")
        else:
            parts.append(str(kind))
    if spec.get("by"):
        parts.append(f"depends on {spec['by']}")
    if "minimum" in node or "maximum" in node:
        parts.append(f"{_number(node.get('minimum', '...'))} to {_number(node.get('maximum', '...'))}")
    if "maxLength" in node and "enum" not in node:
        parts.append(f"up to {node['maxLength']} characters")
    if node.get("unique"):
        parts.append("unique")
    if "pattern" in node:
        parts.append(f"like {node['pattern'].strip('^$')}")
    return "; ".join(parts)


def friendly_rows(json_schema: dict[str, Any]) -> list[list[str]]:
    """One row per top-level field: [field, kind, settings, description]."""
    props = json_schema.get("properties") if isinstance(json_schema, dict) else None
    if not isinstance(props, dict):
        return []
    return [
        [name, kind_of(name, node), _settings(node), str(node.get("description", ""))]
        for name, node in props.items()
        if isinstance(node, dict)
    ]


def rules_in_words(json_schema: dict[str, Any]) -> list[str]:
    """The names of the schema's rules between fields ("total is quantity times unit price")."""
    rules = json_schema.get("x-rules") if isinstance(json_schema, dict) else None
    return [str(r.get("name") or r.get("kind")) for r in rules or [] if isinstance(r, dict)]
