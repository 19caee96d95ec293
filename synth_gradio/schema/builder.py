"""Field rows (the Template Builder's table) <-> a JSON schema. Pure functions, no UI.

One row per field. Nested objects use dotted names ("address.city" puts `city` inside an
`address` object); arrays of scalars use the type "array<string>" (or integer, number, boolean);
arrays of objects are a row of type "array<object>" ("items") plus rows for the element's fields
("items[].product").
"""

from __future__ import annotations

import json
from typing import Any

from synth_gradio.errors import SchemaError

COLUMNS = [
    "name",
    "type",
    "description",
    "required",
    "nullable",
    "unique",
    "enum",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "extensions",  # the field's x-* keys as JSON (x-distribution, x-strategy, ...), so edits keep them
]
SCALARS = ["string", "integer", "number", "boolean"]
TYPES = [*SCALARS, *(f"array<{t}>" for t in SCALARS), "array<object>"]
_NUMERIC = ("minimum", "maximum")
_LENGTHS = ("minLength", "maxLength")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes", "y", "x")


def _number(value: Any, integer: bool) -> int | float:
    number = float(value)
    return int(number) if integer or number.is_integer() else number


def _enum(text: str, scalar: str) -> list[Any]:
    items = [t.strip() for t in str(text).split(",") if t.strip()]
    if scalar == "integer":
        return [int(float(t)) for t in items]
    if scalar == "number":
        return [float(t) for t in items]
    if scalar == "boolean":
        return [_truthy(t) for t in items]
    return items


def _item_bounds(row: dict[str, Any], where: str) -> dict[str, Any]:
    try:
        low = 1 if _blank(row.get("minItems")) else int(float(row["minItems"]))
        high = max(low, 4) if _blank(row.get("maxItems")) else int(float(row["maxItems"]))
    except ValueError as exc:
        raise SchemaError(f"minItems/maxItems is not a number: {exc}", where) from None
    bounds: dict[str, Any] = {"minItems": low, "maxItems": high}
    if _truthy(row.get("uniqueItems")):
        bounds["uniqueItems"] = True
    return bounds


def row_to_node(row: dict[str, Any], where: str) -> dict[str, Any]:
    kind = str(row.get("type") or "string").strip()
    if kind == "array<object>":
        node = {"type": "array", "items": {"type": "object", "properties": {}, "required": []}}
        node.update(_item_bounds(row, where))
        if not _blank(row.get("description")):
            node["description"] = str(row["description"]).strip()
        return node
    if kind not in TYPES:
        raise SchemaError(f"unknown type {kind!r}; use one of {', '.join(TYPES)}", where)
    scalar = kind[6:-1] if kind.startswith("array<") else kind
    node: dict[str, Any] = {"type": scalar}
    try:
        if not _blank(row.get("enum")):
            node["enum"] = _enum(row["enum"], scalar)
        for key in _NUMERIC:
            if not _blank(row.get(key)) and scalar in ("integer", "number"):
                node[key] = _number(row[key], scalar == "integer")
        for key in _LENGTHS:
            if not _blank(row.get(key)) and scalar == "string":
                node[key] = int(float(row[key]))
    except ValueError as exc:
        raise SchemaError(f"a constraint is not a number: {exc}", where) from None
    for key in ("pattern", "format"):
        if not _blank(row.get(key)) and scalar == "string":
            node[key] = str(row[key]).strip()
    if kind.startswith("array<"):
        node = {"type": "array", "items": node, **_item_bounds(row, where)}
    if _truthy(row.get("nullable")):
        node["type"] = [node["type"], "null"]
    if not _blank(row.get("description")):
        node["description"] = str(row["description"]).strip()
    if _truthy(row.get("unique")):
        node["unique"] = True
    node.update(_extensions(row.get("extensions"), where))
    return node


def _extensions(text: Any, where: str) -> dict[str, Any]:
    if _blank(text):
        return {}
    try:
        data = json.loads(str(text))
    except ValueError as exc:
        raise SchemaError(f"extensions must be a JSON object of x-* keys: {exc}", f"{where}.extensions") from None
    if not isinstance(data, dict) or any(not str(k).startswith("x-") for k in data):
        raise SchemaError("extensions must be a JSON object whose keys start with x-", f"{where}.extensions")
    return data


def extensions_text(node: dict[str, Any]) -> str:
    """A field's x-* keys as compact JSON for the table ('' when it has none)."""
    extra = {k: v for k, v in node.items() if str(k).startswith("x-")}
    return json.dumps(extra, ensure_ascii=False) if extra else ""


def rows_to_schema(rows: list[dict[str, Any]], title: str = "", description: str = "") -> dict[str, Any]:
    """Build an object schema from field rows; rows without a name are skipped."""
    root: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    if title:
        root["title"] = title
    if description:
        root["description"] = description
    for i, row in enumerate(rows):
        name = "" if _blank(row.get("name")) else str(row["name"]).strip()
        if not name:
            continue
        parts = name.split(".")
        if any(not p for p in parts):
            raise SchemaError(f"field name {name!r} has an empty part", f"$.fields[{i}].name")
        parent = root
        for part in parts[:-1]:
            parent = _descend(parent, part, f"$.fields[{i}].name")
        leaf = parts[-1]
        node = row_to_node(row, f"$.fields[{i}]")
        existing = parent["properties"].get(leaf)
        if existing is not None and not (_is_object_array(existing) and _is_object_array(node)):
            raise SchemaError(f"field {name!r} is defined twice", f"$.fields[{i}].name")
        if existing is not None:  # the array row came after its element rows: keep the elements
            node["items"] = existing["items"]
        parent["properties"][leaf] = node
        required = _truthy(row.get("required", True))
        if required and leaf not in parent["required"]:
            parent["required"].append(leaf)
        elif not required and leaf in parent["required"]:
            parent["required"].remove(leaf)
    if not root["properties"]:
        raise SchemaError("add at least one field with a name", "$.fields")
    return root


def _is_object_array(node: dict[str, Any]) -> bool:
    return node.get("type") == "array" and (node.get("items") or {}).get("type") == "object"


def _descend(parent: dict[str, Any], part: str, where: str) -> dict[str, Any]:
    """The object that holds the next name part: a nested object, or an array's element ("items[]")."""
    many = part.endswith("[]")
    key = part[:-2] if many else part
    if many:
        holder = parent["properties"].setdefault(
            key,
            {
                "type": "array",
                "items": {"type": "object", "properties": {}, "required": []},
                "minItems": 1,
                "maxItems": 4,
            },
        )
        if not _is_object_array(holder):
            raise SchemaError(f"{key!r} is not an array of objects", where)
        child = holder["items"]
    else:
        child = parent["properties"].setdefault(key, {"type": "object", "properties": {}, "required": []})
        if child.get("type") != "object":
            raise SchemaError(f"{key!r} is both a field and a nested object", where)
    if key not in parent["required"]:
        parent["required"].append(key)
    return child


def schema_to_rows(schema: dict[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    """Field rows for a schema (the inverse of rows_to_schema for what the table can show)."""
    rows = []
    required = set(schema.get("required", []))
    for name, node in schema.get("properties", {}).items():
        types = node.get("type")
        types = types if isinstance(types, list) else [types]
        main = next((t for t in types if t != "null"), "string")
        if main == "object":
            rows += schema_to_rows(node, f"{prefix}{name}.")
            continue
        if _is_object_array(node):
            rows.append(
                {c: "" for c in COLUMNS}
                | {
                    "name": f"{prefix}{name}",
                    "type": "array<object>",
                    "description": node.get("description", ""),
                    "required": name in required,
                    "nullable": False,
                    "unique": False,
                    "minItems": node.get("minItems", ""),
                    "maxItems": node.get("maxItems", ""),
                    "uniqueItems": bool(node.get("uniqueItems")),
                }
            )
            rows += schema_to_rows(node["items"], f"{prefix}{name}[].")
            continue
        target = node.get("items", {}) if main == "array" else node
        scalar = target.get("type", "string")
        scalar = next((t for t in scalar if t != "null"), "string") if isinstance(scalar, list) else scalar
        rows.append(
            {
                "name": f"{prefix}{name}",
                "type": f"array<{scalar}>" if main == "array" else main,
                "description": node.get("description", ""),
                "required": name in required,
                "nullable": "null" in types,
                "unique": bool(node.get("unique")),
                "enum": ", ".join(str(v) for v in target.get("enum", [])),
                **{k: target.get(k, "") for k in ("minimum", "maximum", "minLength", "maxLength", "pattern", "format")},
                "minItems": node.get("minItems", "") if main == "array" else "",
                "maxItems": node.get("maxItems", "") if main == "array" else "",
                "uniqueItems": bool(node.get("uniqueItems")),
                "extensions": extensions_text(node),
            }
        )
    return rows
