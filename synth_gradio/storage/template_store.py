"""Saved templates with versions, in the same database as the run history.

With auth, each user's saves carry their name: a scoped store (`scoped(user)`) saves as that user and
sees that user's templates plus the shared ones (saved without an owner). Version numbers count per
name across all users, so two users saving the same name never collide.
"""

from __future__ import annotations

import json
from typing import Any

from peewee import Expression, IntegrityError, Model, fn

from synth_gradio.errors import InputError
from synth_gradio.storage.history import History
from synth_gradio.storage.models import utcnow

SAVE_TRIES = 5


class _VersionTaken(Exception):
    """Another process saved the same name at the same moment; the save is tried again."""


class TemplateStore:
    def __init__(self, history: History) -> None:
        self.history = history
        self.db = history.db
        self.owner: str | None = history.owner
        self.model = history.models.SavedTemplate  # bound to this history's database only

    def scoped(self, owner: str | None) -> TemplateStore:
        """The store as `owner` sees it (None: every template)."""
        return TemplateStore(self.history.scoped(owner))

    def _visible(self) -> Expression | bool:
        SavedTemplate = self.model
        if self.owner is None:
            return True
        return (SavedTemplate.owner == self.owner) | SavedTemplate.owner.is_null()

    def save(self, name: str, description: str, schema: dict[str, Any], examples: list[dict[str, Any]]) -> int:
        """Store a new version of `name`; returns its version number (1 for a new name)."""
        data = json.dumps({"schema": schema, "examples": examples}, ensure_ascii=False)
        SavedTemplate = self.model

        def body() -> int:
            latest = SavedTemplate.select(fn.MAX(SavedTemplate.version)).where(SavedTemplate.name == name).scalar() or 0
            try:
                SavedTemplate.create(
                    name=name, version=latest + 1, description=description, data_json=data, owner=self.owner
                )
            except IntegrityError:
                raise _VersionTaken from None
            return latest + 1

        for attempt in range(SAVE_TRIES):
            try:
                return self.history._write(body)
            except _VersionTaken:
                if attempt == SAVE_TRIES - 1:
                    raise InputError(f"template {name!r} is being saved by someone else; save it again") from None
        raise AssertionError("unreachable")

    def get(self, name: str, version: int | None = None) -> dict[str, Any]:
        SavedTemplate = self.model
        query = SavedTemplate.select().where((SavedTemplate.name == name) & self._visible())
        if version is not None:
            query = query.where(SavedTemplate.version == version)
        row = self.history._read(lambda: query.order_by(SavedTemplate.version.desc()).first())
        if row is None:
            what = f"version {version} of template {name!r}" if version else f"template {name!r}"
            raise InputError(f"no saved {what}")
        return _to_dict(row)

    def list(self) -> list[dict[str, Any]]:
        """The latest version of every saved template this store sees, by name."""
        SavedTemplate = self.model

        def rows() -> list[Model]:
            latest = (
                SavedTemplate.select(SavedTemplate.name, fn.MAX(SavedTemplate.version).alias("v"))
                .where(self._visible())
                .group_by(SavedTemplate.name)
            )
            return [
                SavedTemplate.get((SavedTemplate.name == item.name) & (SavedTemplate.version == item.v))
                for item in latest
            ]

        return sorted((_to_dict(row) for row in self.history._read(rows)), key=lambda r: r["name"])

    def mark_used(self, name: str, version: int) -> None:
        SavedTemplate = self.model
        self.history._write(
            lambda: (
                SavedTemplate.update(use_count=SavedTemplate.use_count + 1, last_used_at=utcnow())
                .where((SavedTemplate.name == name) & (SavedTemplate.version == version) & self._visible())
                .execute()
            )
        )


def _to_dict(row: Model) -> dict[str, Any]:
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
        "owner": row.owner,
    }
