"""Few-shot prompts for base models, and the grammar schema for the model-written fields.

The prompt has a shared prefix (instructions, field guide, a rotating choice of examples) and a
short per-record suffix stating the fields already fixed in code. Rotating the examples between
batches and conditioning each record on different fixed values keeps a small base model from
copying its examples.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

from synth_gradio.engine.context import shown_values
from synth_gradio.engine.prose import is_prose, stated_cap
from synth_gradio.schema.formats import FORMAT_PATTERNS
from synth_gradio.schema.model import Schema, type_list
from synth_gradio.schema.patterns import anchored

EXAMPLES_PER_PROMPT = 3
MAX_DESCRIPTION = 400  # characters of a description shown to the model
MAX_PROSE = 1000  # characters of one free-text value at most (unbounded fields get DEFAULT_PROSE)
DEFAULT_PROSE = 500
UNSAID_PROSE = 400  # the length a field without maxLength is asked for: "one or a few sentences"
_SHORT_TEXT = ("name", "title", "subject", "brand", "label", "merchant", "city", "headline", "tag")
_GRAMMAR_DROP = {"description", "examples", "unique", "default", "$comment", "title", "format", "uniqueItems"}
DIFFERENT = "Each record is different from the others and uses real-looking values, never placeholders."
AGREES = "What a record writes agrees with its given values."
BRIEFED = "Its Brief says who writes the text, in what tone and at what length."


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def one_line(text: Any, limit: int = MAX_DESCRIPTION) -> str:
    """Schema text as one line of the prompt: a description cannot start lines of its own (a fake
    "Record:" example or new instructions), and a very long one is cut."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _field_line(name: str, node: dict[str, Any]) -> str:
    kind = "/".join(type_list(node)) or "value"
    bits = []
    if is_prose(node):
        # Words, not "20-400 chars": a small model copies a numeric guide into the text itself; none
        # where the description says how long (stated_cap), and a few sentences where nobody does.
        if stated_cap(str(node.get("description", ""))) is None:
            bits.append(_length_words(node.get("maxLength", UNSAID_PROSE)))
    elif "minLength" in node or "maxLength" in node:
        bits.append(f"{node.get('minLength', 0)}-{node.get('maxLength', '')} chars")
    if "enum" in node:
        bits.append("one of " + ", ".join(dumps(v) for v in node["enum"][:12]))
    if isinstance(node.get("examples"), list) and node["examples"]:
        bits.append("e.g. " + ", ".join(dumps(v) for v in node["examples"][:3]))
    desc = one_line(node.get("description", ""))
    extra = f" ({'; '.join(bits)})" if bits else ""
    return f"- {one_line(name, 120)} ({kind}){extra}: {desc}".rstrip(": ")


def _length_words(max_length: int) -> str:
    if max_length <= 40:
        return "a few words"
    if max_length <= 100:
        return "a short line"
    return "one or a few sentences" if max_length <= 400 else "a paragraph or more"


def guide_texts(schema: Schema) -> list[str]:
    """The prompt's own wording around the values (title, descriptions, rules, instructions): text a
    model should write values from, never into them (see quality/textecho.py)."""
    texts = [schema.title or "", schema.description or "", DIFFERENT, AGREES, BRIEFED]
    texts += [str(f.schema.get("description", "")) for f in schema.fields]
    texts += [_length_words(n) for n in (40, 100, 400, 1000)]
    return texts + [rule.describe() for rule in schema.rules]


def split_example(example: dict[str, Any], model_fields: list[str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if any(f not in example for f in model_fields):
        return None
    given = {k: v for k, v in example.items() if k not in model_fields}
    return given, {k: example[k] for k in model_fields}


def field_level_example(schema: Schema, model_fields: list[str]) -> dict[str, Any] | None:
    """An example stitched from per-field `examples`, for schemas that come without records."""
    out = {}
    for f in schema.fields:
        values = f.schema.get("examples")
        if isinstance(values, list) and values:
            out[f.name] = values[0]
        elif f.name in model_fields:
            return None
    return out


BriefOf = Callable[[dict[str, Any], dict[str, Any]], str]
AboutOf = Callable[[dict[str, Any]], dict[str, Any]]


def build_prefix(
    schema: Schema,
    model_fields: list[str],
    pool: list[dict[str, Any]],
    rng: random.Random,
    brief_of: BriefOf | None = None,
    about_of: AboutOf | None = None,
) -> str:
    """Instructions, the field guide and a rotating choice of examples. With `brief_of(given, written)`
    each example carries the brief its own values imply (see engine/coupling.py); with
    `about_of(given)`, what a learned table shows beside a row of its kind (learn/hints.py), so the
    examples show the model how the line is used."""
    lines = [f"Below are realistic, varied {one_line(schema.title, 120)} records in JSON."]
    if schema.description:
        lines.append(one_line(schema.description))
    lines.append("Fields:")
    lines += [_field_line(f.name, f.schema) for f in schema.fields]
    if schema.rules:
        lines.append("Rules every record follows:")
        lines += [f"- {one_line(rule.describe())}" for rule in schema.rules]
    lines.append(DIFFERENT)
    if len(model_fields) < len(schema.fields):
        lines.append(AGREES)
    if brief_of is not None:
        lines.append(BRIEFED)
    lines.append("")
    pairs = [p for p in (split_example(e, model_fields) for e in pool) if p is not None]
    for given, written in rng.sample(pairs, min(EXAMPLES_PER_PROMPT, len(pairs))):
        brief = brief_of(given, written) if brief_of is not None else ""
        about = about_of(given) if about_of is not None else None
        lines.append(record_suffix(schema, model_fields, given, brief, about).rstrip() + " " + dumps(written))
        lines.append("")
    return "\n".join(lines) + "\n"


def build_suffix(fixed: dict[str, Any], brief: str = "", context: dict[str, Any] | None = None) -> str:
    about = f"About: {dumps(context)}\n" if context else ""
    given = f"Given: {dumps(fixed)}\n" if fixed else ""
    return about + given + (f"Brief: {one_line(brief, 200)}\n" if brief else "") + "Record: "


def record_suffix(
    schema: Schema,
    model_fields: list[str],
    fixed: dict[str, Any],
    brief: str = "",
    context: dict[str, Any] | None = None,
) -> str:
    """One record's suffix: what its text should know beyond the record (a parent, the previous step),
    the drawn values worth showing (see engine.context), its brief, then "Record: "."""
    return build_suffix(shown_values(schema, model_fields, fixed), brief, context)


def grammar_schema(schema: Schema, model_fields: list[str]) -> dict[str, Any]:
    """JSON schema for the model's part of a record, tightened so decoding stays short and valid."""
    props = {name: _tighten(name, schema.field(name).schema) for name in model_fields}
    return {"type": "object", "properties": props, "required": list(model_fields), "additionalProperties": False}


def _tighten(name: str, node: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in node.items() if k not in _GRAMMAR_DROP and not k.startswith("x-")}
    types = type_list(node)
    if "string" in types and "enum" not in node and "const" not in node:
        if "pattern" in node:
            out["pattern"] = anchored(node["pattern"])
        elif "format" in node:
            out["pattern"] = anchored(FORMAT_PATTERNS[node["format"]])
        else:
            short = any(k in name.lower() for k in _SHORT_TEXT)
            # Up to the schema's own maxLength, so real long-tail lengths can occur (a brief sets each
            # record's length band); a field without one gets a generous paragraph.
            limit = node.get("maxLength", DEFAULT_PROSE)
            if said := stated_cap(str(node.get("description", ""))):  # "1-3 sentences", never below minLength
                limit = min(limit, max(said, node.get("minLength", 0)))
            out["maxLength"] = min(limit, 80 if short else MAX_PROSE)
            # A one-letter title or body is never what a user wants, unless the schema says so.
            out["minLength"] = min(max(node.get("minLength", 0), 2 if short else 10), out["maxLength"])
    if "array" in types:
        out["items"] = _tighten(name, node.get("items", {}))
        out["maxItems"] = min(node.get("maxItems", 10**6), max(node.get("minItems", 0), 5))
    if "object" in types:
        out["properties"] = {k: _tighten(k, v) for k, v in node.get("properties", {}).items()}
        out["additionalProperties"] = False
    return out


def estimate_max_tokens(node: dict[str, Any]) -> int:
    """A generous token budget for one value of `node` (a grammar schema), so long records fit."""
    types = type_list(node)
    if "enum" in node or "const" in node:
        values = node.get("enum") or [node.get("const")]
        return 4 + max(len(dumps(v)) for v in values) // 2
    if "object" in types:
        return 4 + sum(6 + estimate_max_tokens(child) for child in node.get("properties", {}).values())
    if "array" in types:
        return 4 + node.get("maxItems", 5) * (2 + estimate_max_tokens(node.get("items", {})))
    if "string" in types:
        if "pattern" in node:
            return 48
        return 4 + int(node.get("maxLength", 240) / 2.5)
    return 12
