"""Duplicate detection: a canonical JSON hash per record, `unique` fields per run, and near-duplicate
prose per field.

A run's prose fields (sentences the model writes: reviews, messages, notes) must not repeat each other
in other words' clothing: a text whose word 3-grams overlap an accepted text of the same field by
NEAR_DUP (Jaccard) or more is rejected ("This is really great!" twice, or with "!!" added). Short
categorical strings (a city, a tag, a product, a title) legitimately repeat and are not compared.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from synth_gradio.quality.neardup import WordIndex
from synth_gradio.schema.model import Schema

NEAR_DUP = 0.6  # word 3-gram Jaccard from which two texts of a field read as the same text


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def record_hash(record: dict[str, Any]) -> str:
    return hashlib.sha1(canonical(record).encode("utf-8")).hexdigest()


class Deduplicator:
    """Remembers accepted records; `check` returns a rejection reason or None. `prose`: the fields
    whose texts must not be near-duplicates of each other."""

    def __init__(self, schema: Schema, prose: Iterable[str] = (), repeats: float = 0.0) -> None:
        self.unique_fields = [f.name for f in schema.fields if f.unique]
        self.hashes: set[str] = set()
        self.repeats = repeats  # the share of records that may repeat an earlier one (a learned table's rate)
        self.accepted = self.repeated = 0
        self.values: dict[str, set[str]] = {name: set() for name in self.unique_fields}
        self.prose: dict[str, WordIndex] = {name: WordIndex() for name in prose}

    def check(self, record: dict[str, Any]) -> str | None:
        if record_hash(record) in self.hashes and self.repeated + 1 > self.repeats * (self.accepted + 1):
            return "duplicate record"
        for name in self.unique_fields:
            if name in record and canonical(record[name]) in self.values[name]:
                return f"duplicate value for unique field {name}"
        for name in self.prose:
            close = self.near_duplicate(name, record.get(name))
            if close is not None:
                return f"near-duplicate: $.{name} repeats an accepted text ({close[:60]!r})"
        return None

    def near_duplicate(self, name: str, text: Any) -> str | None:
        """The accepted text of field `name` that `text` nearly repeats, or None."""
        index = self.prose.get(name)
        if index is None or not isinstance(text, str):
            return None
        return index.closest(text, NEAR_DUP)[1]

    def add(self, record: dict[str, Any]) -> None:
        digest = record_hash(record)
        self.repeated += digest in self.hashes
        self.accepted += 1
        self.hashes.add(digest)
        for name in self.unique_fields:
            if name in record:
                self.values[name].add(canonical(record[name]))
        for name, index in self.prose.items():
            if isinstance(record.get(name), str):
                index.add(record[name])


def for_run(schema: Schema, model_fields: list[str], learned: Any = None, n: int = 0) -> Deduplicator:
    """A run's checker: whole records, `unique` fields, and near-repeats of model-written prose
    (sentences, not names or titles). A run of n rows drawn whole from a learned table repeats
    records as often as n real rows of it repeat one another (learn/repeats.py)."""
    from synth_gradio.quality.textroles import text_roles

    prose = [r.name for r in text_roles(schema.json_schema, model_fields) if not r.short]
    share = getattr(learned, "repeat_share", None)
    return Deduplicator(schema, prose, repeats=share(n) if share is not None and not model_fields else 0.0)
