"""A compiled jsonschema validator with our format checks, and one-line rejection reasons."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from synth_gradio.schema.formats import SUPPORTED_FORMATS, check_format


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name in SUPPORTED_FORMATS:
        checker.checks(name)(lambda value, _name=name: check_format(_name, value))
    return checker


def compile_validator(json_schema: dict[str, Any]) -> Draft202012Validator:
    """Compile once per run; validating a record is then a cheap call."""
    return Draft202012Validator(json_schema, format_checker=format_checker())


def json_path(parts: Any) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def first_error(validator: Draft202012Validator, record: Any) -> str | None:
    """The most specific violation as "$.path: message", or None when the record is valid."""
    best = None
    for err in validator.iter_errors(record):
        if best is None or len(err.path) > len(best.path):
            best = err
    if best is None:
        return None
    message = best.message if len(best.message) <= 160 else best.message[:157] + "..."
    return f"{json_path(best.path)}: {message}"
