"""A compiled jsonschema validator with our format checks, and one-line rejection reasons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import regex
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from synth_gradio.schema.formats import SUPPORTED_FORMATS, check_format


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name in SUPPORTED_FORMATS:
        checker.checks(name)(lambda value, _name=name: check_format(_name, value))
    return checker


PATTERN_TIMEOUT_S = 0.5  # a `pattern` that backtracks on a model-written string gives up after this


def _bounded_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    """jsonschema's `pattern`, time-bounded: a nested quantifier such as ^(a+)+$ backtracks for minutes on
    some strings with the standard `re`; the `regex` module stops after PATTERN_TIMEOUT_S and the value
    is rejected with a sentence that names the pattern."""
    if not validator.is_type(instance, "string"):
        return
    try:
        found = regex.search(pattern, instance, timeout=PATTERN_TIMEOUT_S)
    except TimeoutError:
        yield ValidationError(
            f"the pattern {pattern!r} backtracks on {instance[:30]!r} (over {PATTERN_TIMEOUT_S} s); simplify it"
        )
        return
    if found is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


BoundedValidator = validators.extend(Draft202012Validator, {"pattern": _bounded_pattern})


def compile_validator(json_schema: dict[str, Any]) -> Draft202012Validator:
    """Compile once per run; validating a record is then a cheap call."""
    return BoundedValidator(json_schema, format_checker=format_checker())


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
