"""Exact duplicate detection: a canonical JSON hash per record, plus `unique` fields per run."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from synth_gradio.schema.model import Schema


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def record_hash(record: dict[str, Any]) -> str:
    return hashlib.sha1(canonical(record).encode("utf-8")).hexdigest()


class Deduplicator:
    """Remembers accepted records; `check` returns a rejection reason or None."""

    def __init__(self, schema: Schema) -> None:
        self.unique_fields = [f.name for f in schema.fields if f.unique]
        self.hashes: set[str] = set()
        self.values: dict[str, set[str]] = {name: set() for name in self.unique_fields}

    def check(self, record: dict[str, Any]) -> str | None:
        if record_hash(record) in self.hashes:
            return "duplicate record"
        for name in self.unique_fields:
            if name in record and canonical(record[name]) in self.values[name]:
                return f"duplicate value for unique field {name}"
        return None

    def add(self, record: dict[str, Any]) -> None:
        self.hashes.add(record_hash(record))
        for name in self.unique_fields:
            if name in record:
                self.values[name].add(canonical(record[name]))
