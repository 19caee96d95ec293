"""The kinds of field people pick in the field editor, each with the node it starts from."""

from __future__ import annotations

from typing import Any

from synth_gradio.schema.field_kits import date_field, enum_field, money_field, text_field

KIND_NODES: dict[str, Any] = {
    "person name": lambda: {"type": "string", "maxLength": 60},
    "email": lambda: {"type": "string", "format": "email"},
    "phone": lambda: {"type": "string", "maxLength": 24},
    "address": lambda: {"type": "string", "maxLength": 80},
    "city": lambda: {"type": "string", "maxLength": 40},
    "country": lambda: {"type": "string", "maxLength": 40},
    "postal code": lambda: {"type": "string", "maxLength": 10},
    "company": lambda: {"type": "string", "maxLength": 60},
    "job title": lambda: {"type": "string", "maxLength": 60},
    "category": lambda: enum_field(["a", "b"], ""),
    "whole number": lambda: {"type": "integer", "minimum": 0, "maximum": 100},
    "decimal number": lambda: {"type": "number", "minimum": 0, "maximum": 100},
    "amount of money": lambda: money_field("", 50, 1.0, 10000),
    "date": lambda: date_field(""),
    "date and time": lambda: date_field("", time=True),
    "time": lambda: {"type": "string", "format": "time"},
    "yes/no": lambda: {"type": "boolean"},
    "identifier": lambda: {"type": "string", "pattern": "^ID-[0-9]{6}$", "unique": True},
    "free text (written by the model)": lambda: text_field(""),
    "short text": lambda: {"type": "string", "minLength": 2, "maxLength": 80},
    "code": lambda: {"type": "string", "pattern": "^[A-Z]{2}[0-9]{6}$"},
    "web address": lambda: {"type": "string", "format": "uri"},
    "list": lambda: {"type": "array", "items": {"type": "string", "maxLength": 30}, "minItems": 1, "maxItems": 5},
    "group of fields": lambda: {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
}
KINDS = list(KIND_NODES)
