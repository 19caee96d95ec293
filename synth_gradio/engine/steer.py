"""Prompt versions for streamed runs, with the steering hints that go with them.

A streamed run keeps one prompt for a stretch of records (re-decoding the prefix costs time), then
rotates its examples. Every version carries what a backend may use to avoid waste at the source:
- `echo`: the free-text fields, each with the shown examples' text the model should not copy;
- `avoid`: whether ending a string value right now would give a value the engine rejects anyway
  (a copy of a shown example, a used value of a unique field, a placeholder, free text ending on
  "the" or "for", a subject of one word). The backend then
  keeps writing instead of closing the string.
The engine still checks every record in full; these hints only make rejected values less likely.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from synth_gradio.backends.base import AvoidCheck
from synth_gradio.engine.dedup import Deduplicator
from synth_gradio.engine.prompts import dumps
from synth_gradio.engine.prose import prose_fields
from synth_gradio.engine.strategies import normalize_name
from synth_gradio.engine.validate import placeholder_text
from synth_gradio.quality.textcheck import ends_cut
from synth_gradio.schema.model import Schema

COPY_MIN_CHARS = 12  # as copied_example_reason: shorter free text may legitimately repeat


@dataclass
class View:
    """One prompt version: its prefix, the examples it shows and the hints derived from them."""

    prefix: str
    shown: list[dict[str, Any]]
    echo: dict[str, list[str]]
    avoid: AvoidCheck


def make_view(
    prefix: str,
    shown: list[dict[str, Any]],
    schema: Schema,
    free_fields: list[str],
    identifying: set[str],
    dedup: Deduplicator,
    headlines: frozenset[str] | set[str] = frozenset(),
) -> View:
    names = {normalize_name(n) for n in schema.json_schema.get("properties", {})}
    free = set(free_fields)
    texts = {f: {_escaped(ex[f]) for ex in shown if isinstance(ex.get(f), str)} for f in free_fields}
    unique = {f for f in dedup.unique_fields if f in free}
    keys = {f: normalize_name(f) for f in free_fields}

    prose_set = set(prose_fields(schema, free_fields))

    def avoid(field: str, text: str) -> bool:
        if field not in free:
            return False
        if placeholder_text(text, keys[field], names) or (field in prose_set and ends_cut(text)):
            return True
        if field in headlines and " " not in text.strip():  # a subject is a phrase, never one word
            return True
        long_enough = len(text) >= COPY_MIN_CHARS or (field in identifying and len(text) >= 3)
        if long_enough and text in texts[field]:
            return True
        return field in unique and f'"{text}"' in dedup.values[field]

    prose = prose_fields(schema, free_fields)
    echo = {f: [ex[f] for ex in shown if isinstance(ex.get(f), str) and len(ex[f]) >= COPY_MIN_CHARS] for f in prose}
    return View(prefix=prefix, shown=shown, echo=echo, avoid=avoid)


def _escaped(value: str) -> str:
    """A string as it appears between the quotes of the model's JSON."""
    return dumps(value)[1:-1]
