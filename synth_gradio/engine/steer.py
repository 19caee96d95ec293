"""Prompt versions for streamed runs, with the steering hints that go with them.

A streamed run keeps one prompt for a stretch of records (re-decoding the prefix costs time), then
rotates its examples. Every version carries what a backend may use to avoid waste at the source:
- `echo`: the free-text fields, each with the shown examples' text the model should not copy;
- `avoid`: whether ending a string value right now would give a value the engine rejects anyway
  (a copy of a shown example, a used value of a unique field, a placeholder, free text ending on
  "the" or "for", a subject of one word, a bracket or quote left open, a value ending on "," or
  "&", a short text that nearly repeats an accepted one of its field). The backend then keeps
  writing instead of closing the string.
- `Overuse.words`: per short free-text field (a name, a title, a place), the words the run's accepted
  values of that field already repeat ("Samsung" in every product, "Apple" in every app's name), which
  the backend lowers, so a small model does not keep writing the same few names.
The engine still checks every record in full; these hints only make rejected values less likely.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from synth_gradio.backends.base import AvoidCheck
from synth_gradio.engine.dedup import Deduplicator
from synth_gradio.engine.prompts import dumps
from synth_gradio.engine.prose import prose_fields
from synth_gradio.engine.strategies import normalize_name
from synth_gradio.engine.validate import placeholder_text
from synth_gradio.quality.textjunk import closing_junk, ends_cut
from synth_gradio.schema.model import Schema

COPY_MIN_CHARS = 12  # as copied_example_reason: shorter free text may legitimately repeat
NEAR_DUP_WORDS = 20  # prose up to this many words is compared with accepted texts while it is written
OVERUSE_SHARE = 0.08  # a word in this share of a field's accepted values (and in OVERUSE_MIN) is overused
OVERUSE_MIN = 4
OVERUSE_EVERY = 8  # accepted records between two updates (each update is a new word list to tokenize)
OVERUSE_MAX = 24  # words per field at most
OVERUSED = -2.0  # logits added to an overused word's tokens
_WORD = re.compile(r"[^\W\d_]{3,}")


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
    sentences = set(dedup.prose)  # prose written in sentences (not names or titles)

    def avoid(field: str, text: str) -> bool:
        if field not in free:
            return False
        if placeholder_text(text, keys[field], names) or (field in prose_set and ends_cut(text)):
            return True
        if field in prose_set and closing_junk(text, short=field not in sentences):
            return True
        if field in sentences and text.count(" ") < NEAR_DUP_WORDS and dedup.near_duplicate(field, text):
            return True  # "This is really great!" again: write on ("... I use it every morning.")
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


class Overuse:
    """Words a run's accepted values of each short free-text field already repeat, as steering words.

    Words of the schema's own wording (descriptions, enum values, examples) are never counted: a field
    described as "the app's name in the store" may say "store" as often as it likes.
    """

    def __init__(self, fields: Iterable[str], wording: str = "") -> None:
        self.counts: dict[str, Counter] = {f: Counter() for f in fields}
        self.ignore = set(_WORD.findall(wording.lower()))
        self.seen = 0
        self.words: dict[str, tuple[tuple[str, float], ...]] = {}  # replaced (never mutated) on update

    def add(self, record: dict[str, Any]) -> None:
        if not self.counts:
            return
        for name, counts in self.counts.items():
            value = record.get(name)
            if isinstance(value, str):
                counts.update(set(_WORD.findall(value.lower())) - self.ignore)
        self.seen += 1
        if self.seen % OVERUSE_EVERY == 0:
            least = max(OVERUSE_MIN, OVERUSE_SHARE * self.seen)
            words = {}
            for name, counts in self.counts.items():
                over = tuple((w, OVERUSED) for w, n in counts.most_common(OVERUSE_MAX) if n >= least)
                if over:
                    words[name] = over
            if words != self.words:
                self.words = words
