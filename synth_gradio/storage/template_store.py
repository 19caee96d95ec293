"""Saved templates with versions, in the same SQLite file as the run history."""

from __future__ import annotations

import json
from typing import Any

from peewee import fn

from synth_gradio.errors import InputError
from synth_gradio.storage.history import History
from synth_gradio.storage.models import SavedTemplate, utcnow


class TemplateStore:
    def __init__(self, history: History) -> None:
        self.history = history
        self.db = history.db

    def save(self, name: str, description: str, schema: dict[str, Any], examples: list[dict[str, Any]]) -> int:
        """Store a new version of `name`; returns its version number (1 for a new name)."""
        self.history._bind()
        with self.db.atomic():
            latest = SavedTemplate.select(fn.MAX(SavedTemplate.version)).where(SavedTemplate.name == name).scalar() or 0
            SavedTemplate.create(
                name=name,
                version=latest + 1,
                description=description,
                data_json=json.dumps({"schema": schema, "examples": examples}, ensure_ascii=False),
            )
        return latest + 1

    def get(self, name: str, version: int | None = None) -> dict[str, Any]:
        self.history._bind()
        query = SavedTemplate.select().where(SavedTemplate.name == name)
        if version is not None:
            query = query.where(SavedTemplate.version == version)
        row = query.order_by(SavedTemplate.version.desc()).first()
        if row is None:
            what = f"version {version} of template {name!r}" if version else f"template {name!r}"
            raise InputError(f"no saved {what}")
        return _to_dict(row)

    def list(self) -> list[dict[str, Any]]:
        """The latest version of every saved template, by name."""
        self.history._bind()
        latest = SavedTemplate.select(SavedTemplate.name, fn.MAX(SavedTemplate.version).alias("v")).group_by(
            SavedTemplate.name
        )
        rows = []
        for item in latest:
            rows.append(
                _to_dict(SavedTemplate.get((SavedTemplate.name == item.name) & (SavedTemplate.version == item.v)))
            )
        return sorted(rows, key=lambda r: r["name"])

    def mark_used(self, name: str, version: int) -> None:
        self.history._bind()
        with self.db.atomic():
            SavedTemplate.update(use_count=SavedTemplate.use_count + 1, last_used_at=utcnow()).where(
                (SavedTemplate.name == name) & (SavedTemplate.version == version)
            ).execute()


def _to_dict(row: SavedTemplate) -> dict[str, Any]:
    data = json.loads(row.data_json)
    return {
        "name": row.name,
        "version": row.version,
        "description": row.description,
        "schema": data["schema"],
        "examples": data["examples"],
        "created_at": row.created_at.isoformat(timespec="seconds"),
        "use_count": row.use_count,
        "last_used_at": row.last_used_at.isoformat(timespec="seconds") if row.last_used_at else None,
    }
