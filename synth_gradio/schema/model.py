"""Schema and Field: what one record looks like, loaded from a JSON-Schema subset.

Every problem is reported as a SchemaError that names the JSON path ("$.properties.age.minimum")
and the problem. Nothing is silently dropped: an unknown keyword is an error, because a typo such
as "minimun" would otherwise produce data that ignores the user's intent.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from synth_gradio.errors import SchemaError
from synth_gradio.schema.formats import SUPPORTED_FORMATS
from synth_gradio.schema.jsontypes import json_type as _json_type
from synth_gradio.schema.jsontypes import type_list
from synth_gradio.schema.patterns import check_pattern_drawable
from synth_gradio.schema.refs import resolve_refs

JSON_TYPES = ("string", "integer", "number", "boolean", "null", "array", "object")
STRATEGIES = ("auto", "model", "sample", "faker", "const")

_COMMON = {"type", "enum", "const", "description", "title", "examples", "default", "$comment", "unique"}
_BY_TYPE = {
    "string": {"minLength", "maxLength", "pattern", "format"},
    "integer": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "number": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "array": {"items", "minItems", "maxItems", "uniqueItems"},
    "object": {"properties", "required", "additionalProperties"},
    "boolean": set(),
    "null": set(),
}
_TOP_LEVEL = {"$schema", "$id"}
_ALL_KNOWN = set().union(_COMMON, *_BY_TYPE.values(), _TOP_LEVEL)
_NON_NEGATIVE_INTS = ("minLength", "maxLength", "minItems", "maxItems")
_UNSUPPORTED_REGEX = (
    ("(?=", "a lookahead"),
    ("(?!", "a lookahead"),
    ("(?<=", "a lookbehind"),
    ("(?<!", "a lookbehind"),
)


@dataclass(frozen=True)
class Field:
    """One top-level property of a record."""

    name: str
    schema: dict[str, Any]
    required: bool

    @property
    def types(self) -> list[str]:
        return type_list(self.schema)

    @property
    def description(self) -> str:
        return str(self.schema.get("description", ""))

    @property
    def unique(self) -> bool:
        return bool(self.schema.get("unique"))

    @property
    def strategy(self) -> str:
        return str(self.schema.get("x-strategy", "auto"))


@dataclass(frozen=True)
class Schema:
    """A normalized, checked record schema (a JSON Schema of type object) plus few-shot examples."""

    json_schema: dict[str, Any]
    examples: tuple[dict[str, Any], ...] = ()
    fields: tuple[Field, ...] = field(default=())

    @property
    def title(self) -> str:
        return str(self.json_schema.get("title", "record"))

    @property
    def description(self) -> str:
        return str(self.json_schema.get("description", ""))

    @cached_property
    def rules(self) -> list:  # list[Rule]
        from synth_gradio.schema.dateparts import implied_rules
        from synth_gradio.schema.described import described_rules
        from synth_gradio.schema.rules import load_rules
        from synth_gradio.schema.stages import stage_fields
        from synth_gradio.schema.totals import total_rules

        names = {f.name for f in self.fields}
        declared = load_rules(self.json_schema.get("x-rules"), names)
        if not self.implied:
            return declared
        taken = {n.split(".")[0] for rule in declared for n in rule.fields()[1]}
        tied = {n.split(".")[0] for rule in declared for side in rule.fields() for n in side}
        implied = implied_rules(self.json_schema, taken) + described_rules(self.json_schema, tied)
        implied += total_rules(self.json_schema, tied | set(stage_fields(self.json_schema).get("events", {})))
        return declared + load_rules(implied, names)

    @property
    def implied(self) -> bool:
        """Whether rules are read from field names (date parts, events in order); a schema inferred from
        a table says no: its rows' own conventions are learned (a weekday numbered from Sunday)."""
        return self.json_schema.get("x-implied", True) is not False

    @cached_property
    def distributions(self) -> dict:  # dict[str, Declared], in schema order
        """Checked x-distribution declarations (see the schema/distributions package)."""
        from synth_gradio.schema.distributions import load_distributions

        return load_distributions(self.json_schema["properties"], set(self.json_schema.get("required", [])))

    @cached_property
    def warnings(self) -> list[str]:
        """Problems worth telling the user that do not stop generation (declarations examples contradict)."""
        from synth_gradio.schema.distributions import distribution_warnings

        return distribution_warnings(self)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @cached_property
    def validator(self):
        from synth_gradio.schema.validation import compile_validator

        return compile_validator(self.json_schema)

    def to_json(self) -> str:
        return json.dumps(self.json_schema, ensure_ascii=False, indent=2)


def parse_json_text(text: str, what: str = "schema") -> Any:
    """Parse JSON text, turning a decoder error into a SchemaError with line and column."""
    if not text or not text.strip():
        raise SchemaError(f"the {what} is empty; paste a JSON object describing one record")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise SchemaError(f"the {what} is nested too deeply to read; flatten it") from None


def load_schema(source: str | dict[str, Any], examples: list[dict[str, Any]] | None = None) -> Schema:
    """Build a Schema from JSON text or a dict; accepts the `{"name": {"type": ...}}` shorthand."""
    raw = parse_json_text(source) if isinstance(source, str) else source
    if not isinstance(raw, dict):
        raise SchemaError(f"expected a JSON object describing one record, got {_json_type(raw)}")
    if not raw:
        raise SchemaError("the schema is empty; it needs at least one property")
    normalized = _normalize_top(resolve_refs(raw))  # $ref, $defs and Optional unions inlined first
    _check_node(normalized, "$", top=True)
    props = normalized["properties"]
    required = set(normalized.get("required", []))
    fields = tuple(Field(name, node, name in required) for name, node in props.items())
    found_examples = list(examples or []) or list(normalized.pop("examples", []) or [])
    normalized.pop("examples", None)
    checked = Schema(json_schema=normalized, examples=tuple(found_examples), fields=fields)
    _check_examples(checked, found_examples)  # compiles the validator once; the Schema keeps it
    _ = checked.rules  # malformed rules fail here, with their JSON path
    _ = checked.distributions  # and malformed x-distribution declarations
    for i, example in enumerate(found_examples):
        broken = [msg for rule in checked.rules if not rule.spec.get("implied") and (msg := rule.check(example))]
        if broken:
            raise SchemaError(f"example breaks a rule: {broken[0]}", f"$.examples[{i}]")
    return checked


def _normalize_top(raw: dict[str, Any]) -> dict[str, Any]:
    raw = json.loads(json.dumps(raw))  # deep copy, and proves it is plain JSON
    if raw.get("type") == "array" and isinstance(raw.get("items"), dict):
        raw = raw["items"]  # a schema for a list of records: use the record schema
    if "type" in raw or "properties" in raw:
        if raw.get("type", "object") != "object":
            raise SchemaError(f"a record schema must have type 'object', got {raw.get('type')!r}", "$.type")
        raw.setdefault("type", "object")
        if not isinstance(raw.get("properties"), dict) or not raw["properties"]:
            raise SchemaError("'properties' must be a non-empty object of field schemas", "$.properties")
        return raw
    # Shorthand: {"name": {"type": "string"}, "age": "integer"} -> every field required.
    props: dict[str, Any] = {}
    for name, node in raw.items():
        if isinstance(node, str):
            node = {"type": node}
        if not isinstance(node, dict):
            raise SchemaError(
                f'expected a field schema object such as {{"type": "string"}}, got {_json_type(node)}',
                f"$.{name}",
            )
        props[name] = node
    return {"type": "object", "properties": props, "required": list(props)}


def _check_node(node: Any, path: str, top: bool = False) -> None:
    if not isinstance(node, dict):
        raise SchemaError(f"expected a schema object, got {_json_type(node)}", path)
    _check_keywords(node, path, top)
    types = _check_type(node, path)
    if "enum" in node:
        if not isinstance(node["enum"], list) or not node["enum"]:
            raise SchemaError("'enum' must be a non-empty list of allowed values", f"{path}.enum")
        for i, value in enumerate(node["enum"]):
            if types and _json_type(value) not in types and not (_json_type(value) == "integer" and "number" in types):
                raise SchemaError(f"enum value {value!r} is not of type {'/'.join(types)}", f"{path}.enum[{i}]")
    if "x-strategy" in node and node["x-strategy"] not in STRATEGIES:
        raise SchemaError(
            f"unknown x-strategy {node['x-strategy']!r}; use one of {', '.join(STRATEGIES)}", f"{path}.x-strategy"
        )
    _check_numbers(node, path)
    _check_string(node, path)
    if "array" in types:
        items = node.get("items")
        if items is None:
            raise SchemaError("an array needs 'items' describing its elements", path)
        _check_node(items, f"{path}.items")
    if "object" in types:
        _check_object(node, path)


def _check_keywords(node: dict[str, Any], path: str, top: bool) -> None:
    for key in node:
        if key.startswith("x-"):
            continue
        if key in _TOP_LEVEL and not top:
            raise SchemaError(f"'{key}' is only allowed at the top level", f"{path}.{key}")
        if key not in _ALL_KNOWN:
            hint = difflib.get_close_matches(key, sorted(_ALL_KNOWN), n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise SchemaError(f"unsupported keyword '{key}'{extra}", f"{path}.{key}")


def _check_type(node: dict[str, Any], path: str) -> list[str]:
    t = node.get("type")
    if t is None:
        if top_level_object(node):
            return ["object"]
        if "enum" in node or "const" in node:
            return type_list(node)
        raise SchemaError("missing 'type' (string, integer, number, boolean, null, array or object)", path)
    names = [t] if isinstance(t, str) else t
    if not isinstance(names, list) or not names:
        raise SchemaError("'type' must be a type name or a non-empty list of type names", f"{path}.type")
    for name in names:
        if name not in JSON_TYPES:
            hint = difflib.get_close_matches(str(name), JSON_TYPES, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise SchemaError(f"unknown type {name!r}{extra}", f"{path}.type")
    if len(set(names)) != len(names):
        raise SchemaError("'type' lists a type twice", f"{path}.type")
    allowed = set(_COMMON) | _TOP_LEVEL
    for name in names:
        allowed |= _BY_TYPE[name]
    for key in node:
        if key not in allowed and not key.startswith("x-"):
            raise SchemaError(f"'{key}' does not apply to type {'/'.join(names)}", f"{path}.{key}")
    return names


def top_level_object(node: dict[str, Any]) -> bool:
    return "properties" in node


def _check_numbers(node: dict[str, Any], path: str) -> None:
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
        value = node.get(key)
        if key in node and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise SchemaError(f"'{key}' must be a number, got {value!r}", f"{path}.{key}")
    if "multipleOf" in node and node["multipleOf"] <= 0:
        raise SchemaError("'multipleOf' must be greater than 0", f"{path}.multipleOf")
    low = max((node[k] for k in ("minimum", "exclusiveMinimum") if k in node), default=None)
    high = min((node[k] for k in ("maximum", "exclusiveMaximum") if k in node), default=None)
    if low is not None and high is not None and low > high:
        raise SchemaError(f"the lower bound {low} is above the upper bound {high}", path)
    for key in _NON_NEGATIVE_INTS:
        value = node.get(key)
        if key in node and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise SchemaError(f"'{key}' must be a non-negative integer, got {value!r}", f"{path}.{key}")
    for lo, hi in (("minLength", "maxLength"), ("minItems", "maxItems")):
        if lo in node and hi in node and node[lo] > node[hi]:
            raise SchemaError(f"'{lo}' ({node[lo]}) is greater than '{hi}' ({node[hi]})", path)


def _check_string(node: dict[str, Any], path: str) -> None:
    if "format" in node and node["format"] not in SUPPORTED_FORMATS:
        raise SchemaError(
            f"unsupported format {node['format']!r}; supported: {', '.join(SUPPORTED_FORMATS)}", f"{path}.format"
        )
    if "pattern" not in node:
        return
    pattern = node["pattern"]
    if not isinstance(pattern, str) or not pattern:
        raise SchemaError("'pattern' must be a non-empty regular expression string", f"{path}.pattern")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise SchemaError(f"invalid regular expression {pattern!r}: {exc}", f"{path}.pattern") from None
    for token, what in _UNSUPPORTED_REGEX:
        if token in pattern:
            raise SchemaError(f"pattern uses {what}, which constrained decoding cannot enforce", f"{path}.pattern")
    if re.search(r"\\[1-9]", pattern):
        raise SchemaError("pattern uses a back-reference, which constrained decoding cannot enforce", f"{path}.pattern")
    check_pattern_drawable(node, path)  # a pattern no value of the allowed length matches fails now, not mid-run


def _check_object(node: dict[str, Any], path: str) -> None:
    props = node.get("properties")
    if not isinstance(props, dict) or not props:
        raise SchemaError("an object needs a non-empty 'properties' map", f"{path}.properties")
    for name, child in props.items():
        if not name.strip():
            raise SchemaError("property names must not be empty", f"{path}.properties")
        _check_node(child, f"{path}.properties.{name}")
    required = node.get("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        raise SchemaError("'required' must be a list of property names", f"{path}.required")
    for i, name in enumerate(required):
        if name not in props:
            raise SchemaError(f"required property {name!r} is not defined in 'properties'", f"{path}.required[{i}]")
    extra = node.get("additionalProperties", False)
    if not isinstance(extra, bool):
        raise SchemaError("'additionalProperties' must be true or false", f"{path}.additionalProperties")


def _check_examples(schema: Schema, examples: list[Any]) -> None:
    if not isinstance(examples, list):
        raise SchemaError("'examples' must be a list of example records", "$.examples")
    for i, example in enumerate(examples):
        errors = sorted(schema.validator.iter_errors(example), key=lambda e: list(e.path))
        if errors:
            err = errors[0]
            where = "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in err.path)
            raise SchemaError(f"example does not match the schema: {err.message} {where}".strip(), f"$.examples[{i}]")
